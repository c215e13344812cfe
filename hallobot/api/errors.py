"""The API's errors: JSON, not the site's HTML error pages. The app's error handlers (see
``register_errorhandlers``) answer with ``json_error`` for every path under /api/ — also
for a URL that matches no route, which belongs to no blueprint."""

from __future__ import annotations

from flask import Response, jsonify, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

PREFIX = "/api/"

MESSAGES = {
    400: _l("Die Anfrage war fehlerhaft."),
    401: _l("Anmeldung erforderlich."),
    403: _l("Kein Zugriff."),
    404: _l("Nicht gefunden."),
    405: _l("Diese Methode ist hier nicht erlaubt."),
    413: _l("Die Anfrage ist zu groß."),
    429: _l("Zu viele Anfragen. Bitte warten Sie einen Moment."),
    500: _l("Ein Fehler ist aufgetreten."),
}
OTHER = _l("Die Anfrage konnte nicht bearbeitet werden.")

# headers an error brings along that a client needs (405: Allow; 429, 503: Retry-After)
KEPT_HEADERS = ("Allow", "Retry-After")


def is_api_request() -> bool:
    return request.path.startswith(PREFIX) or request.path == PREFIX.rstrip("/")


def json_error(code: int, error: Exception | None = None) -> Response:
    """``{"error": {"status": 404, "message": "Nicht gefunden."}}`` with that status; the
    message in the visitor's language (German unless English was chosen)."""
    response = jsonify({"error": {"status": code, "message": str(MESSAGES.get(code, OTHER))}})
    response.status_code = code
    if isinstance(error, HTTPException):
        for name, value in error.get_headers():
            if name in KEPT_HEADERS:
                response.headers[name] = value
    return response
