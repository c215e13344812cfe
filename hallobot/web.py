"""Small helpers for views and templates: safe redirects, page numbers, formatting."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal
from urllib.parse import urlsplit

from flask import request, url_for
from flask_babel import format_currency, format_date, get_locale
from markupsafe import Markup, escape

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def is_safe_next(target: str | None) -> bool:
    """Only local absolute paths: '/…' but not '//…', no backslashes, control characters,
    scheme or host — the usual urljoin check lets '/\\evil.com' through."""
    if not target or not isinstance(target, str):
        return False
    if not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or _CONTROL.search(target):
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


def money(cents: int | None) -> str:
    """Integer cents as a localised euro amount: 123450 → '1.234,50 €'."""
    if cents is None:
        return ""
    return format_currency(Decimal(cents) / 100, "EUR")


def parse_money(raw: str) -> int | None:
    """'4,20' / '4.20' / '4' / '1.234,50' / '4,20 €' / '4,20 EUR' → cents; '' → None;
    raises ValueError."""
    text = (raw or "").strip().replace("€", "").replace("EUR", "")
    text = text.replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    if not re.fullmatch(r"\d{1,6}(\.\d{1,2})?", text):
        raise ValueError(raw)
    euros, _, cents = text.partition(".")
    return int(euros) * 100 + int((cents + "00")[:2])


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


def tel_href(phone: str | None) -> str:
    """A tel: link target in international form: '02041 123456' → 'tel:+492041123456'."""
    if not phone:
        return ""
    digits = re.sub(r"[^\d+]", "", phone)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    elif digits.startswith("0"):
        digits = "+49" + digits[1:]
    return f"tel:{digits}"


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale else "de"


def show_error(form, error, default: str | None = None) -> bool:
    """Put a domain error (``DomainError``: ``message`` and the ``field`` it belongs to) on
    that field of ``form``, else on ``default``; a message that belongs to no field of the
    form is flashed. An error carrying ``errors`` ({field: message}) puts each on its field.
    Returns whether every message landed on a field."""
    from flask import flash

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
