"""The moderation slice's blueprints and what its route modules share: the owners' e-mail
about a decision and where media files live. The route modules (routes, report_routes,
admin_routes, decision_routes) add their views to these blueprints; ``create_app``
imports them before registering the blueprints."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, url_for
from flask_babel import gettext as _

from hallobot.mail.service import MailError, send_template

bp = Blueprint("moderation", __name__, url_prefix="/moderation")
reports_bp = Blueprint("reports", __name__)


def media_root() -> str:
    return current_app.config["MEDIA_DIR"]


def notify_owners(business, template: str, subject: str, **context) -> None:
    """E-mail every owner; a failed delivery does not stop the others (one message)."""
    failed = False
    for owner in business.owners:
        try:
            send_template(
                owner.email,
                subject,
                template,
                business=business,
                owner=owner,
                link=url_for("owner.dashboard", _external=True),
                **context,
            )
        except MailError:
            failed = True
    if failed:
        flash(
            _(
                "Die Entscheidung ist gespeichert, aber die E-Mail an die Inhaber konnte "
                "nicht versendet werden."
            ),
            "error",
        )
