"""Small helpers for views and templates: safe redirects, page numbers, dates and times.

Money is written and read by ``hallobot.money``, telephone numbers by ``hallobot.phone``,
text is cleaned by ``hallobot.text``; the app registers their template filters."""

from __future__ import annotations

from datetime import date, datetime, time
from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_babel import format_date, get_locale
from flask_wtf import FlaskForm
from markupsafe import Markup, escape

from hallobot.errors import DomainError
from hallobot.text import CONTROL


def is_safe_next(target: str | None) -> bool:
    """Only local absolute paths: '/…' but not '//…', no backslashes, control characters,
    scheme or host — the usual urljoin check lets '/\\evil.com' through."""
    if not target or not isinstance(target, str):
        return False
    if not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or CONTROL.search(target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_next(default: str) -> str:
    target = request.values.get("next")
    return target if is_safe_next(target) else default


def page_number(arg: str = "seite") -> int:
    raw = request.args.get(arg, "1")
    try:
        page = int(raw)
    except (TypeError, ValueError):
        return 1
    return max(1, min(page, 10_000))


def hhmm(value: time | datetime | None) -> str:
    if value is None:
        return ""
    return value.strftime("%H:%M")


def _as_date(day: date | datetime) -> date:
    # Babel would take a naive datetime as UTC and shift it to Berlin; ours are wall-clock.
    return day.date() if isinstance(day, datetime) else day


def weekday_short(day: date | datetime) -> str:
    return format_date(_as_date(day), "EEE").rstrip(".")


def weekday_long(day: date | datetime) -> str:
    return format_date(_as_date(day), "EEEE")


def safe_url(url: str | None) -> str:
    """A link target for user-supplied web addresses: only http(s), else empty."""
    if not url:
        return ""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return ""
    return url.strip()


def page_url(number: int) -> str:
    """The current page's URL with another page number; keeps the filters of the query
    string but never lets it override the route or url_for's own options."""
    view_args = dict(request.view_args or {})
    params = {
        key: values
        for key, values in request.args.lists()
        if key not in view_args and key != "seite" and key != "endpoint" and not key.startswith("_")
    }
    return url_for(request.endpoint, **view_args, **params, seite=number)


def nl2br(text: str | None) -> Markup:
    """Plain text with paragraphs and line breaks, escaped."""
    if not text:
        return Markup("")
    paragraphs = [p.strip() for p in str(text).split("\n\n") if p.strip()]
    html = "".join(
        "<p>" + str(escape(p)).replace("\n", Markup("<br>")) + "</p>" for p in paragraphs
    )
    return Markup(html)


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale else "de"


def show_error(form, error, default: str | None = None) -> bool:
    """Put a domain error (``DomainError``: ``message`` and the ``field`` it belongs to) on
    that field of ``form``, else on ``default``; a message that belongs to no field of the
    form is flashed. An error carrying ``errors`` ({field: message}) puts each on its field.
    Returns whether every message landed on a field."""
    messages = getattr(error, "errors", None) or {error.field: error.message}
    placed = True
    for name, message in messages.items():
        target = name if name and name in form else default
        if target is not None and target in form:
            form[target].errors = [*form[target].errors, message]
        else:
            flash(message, "error")
            placed = False
    return placed


def submitted(form, save, done, target: str, default: str | None = None):
    """The one flow of a posted form: when ``form`` validates, ``save(form)`` calls the
    service; a domain error goes onto the form (``show_error``), success flashes ``done``
    (a message, or a function of what ``save`` returned) and answers with the redirect to
    ``target``. ``None`` means: show the page again, with the form's errors (status
    ``form_status``)."""
    if not form.validate_on_submit():
        return None
    try:
        result = save(form)
    except DomainError as exc:
        show_error(form, exc, default)
        return None
    flash(done(result) if callable(done) else done, "success")
    return redirect(target)


def form_status(*forms) -> int:
    """422 when a form shown again has errors, else 200."""
    return 422 if any(form.errors for form in forms) else 200


def confirmed(action, done, target: str, back: str | None = None):
    """A button that only confirms (CSRF, no fields): run ``action()``; success flashes
    ``done`` (a message, or a function of what ``action`` returned) and goes to
    ``target``, a refusal is flashed and goes ``back`` (or to ``target``)."""
    return submitted(FlaskForm(), lambda form: action(), done, target) or redirect(
        back or target
    )


def form_page(template: str, form, save, done, target: str, default=None, **context):
    """A page with one form: its post through ``submitted``; otherwise the page (again)
    with the form, its errors and ``context``."""
    saved = submitted(form, save, done, target, default)
    if saved is not None:
        return saved
    return render_template(template, form=form, **context), form_status(form)
