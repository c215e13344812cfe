"""Money: integer cents in, euros as people read and type them out — and back.

The one place that writes and reads amounts. Amounts are integer cents everywhere else
(``amount_cents``); this module turns them into text with Babel, in the language of the
request (German outside a request), and reads what people type:

* ``format_money(123450)`` → ``1.234,50 €`` in German, ``€1,234.50`` in English: for pages,
  e-mails and the moderators' comparisons. ``plain=True`` gives the number alone, always
  with two decimals and without grouping (``1234,50``), for CSV columns.
* ``money_input(420)`` → ``4,20`` (``4.20`` in English); whole euros without decimals:
  ``money_input(2500)`` → ``25``. What a form field shows; ``parse_money`` reads it back.
* ``parse_money("4,20 €")`` → ``420``: German and English decimal marks, German thousands
  points, an optional euro sign.

It imports no slice: any slice may use it.
"""

from __future__ import annotations

import re
from decimal import Decimal

from babel import Locale
from babel.numbers import format_currency, format_decimal
from flask_babel import get_locale

DEFAULT_LOCALE = "de"
_AMOUNT = re.compile(r"\d{1,6}(\.\d{1,2})?", re.ASCII)  # digits 0-9 only, not "١٢" or "１２"


def _locale(locale: Locale | str | None) -> Locale | str:
    """The given locale, else the request's (Flask-Babel), else German."""
    if locale is not None:
        return locale
    return get_locale() or DEFAULT_LOCALE


def _decimal(cents: int) -> Decimal:
    return Decimal(cents) / 100


def format_money(
    cents: int | None, locale: Locale | str | None = None, *, plain: bool = False
) -> str:
    """Integer cents as a localised euro amount: 123450 → '1.234,50 €' (German),
    '€1,234.50' (English); None → ''.

    ``plain=True``: the number alone with two decimals and no thousands separator,
    '1234,50' — for a CSV column (pass the locale whose decimal mark the file uses)."""
    if cents is None:
        return ""
    if plain:
        return format_decimal(_decimal(cents), format="0.00", locale=_locale(locale))
    return format_currency(_decimal(cents), "EUR", locale=_locale(locale))


def money_input(cents: int | None, locale: Locale | str | None = None) -> str:
    """Cents as a form field shows them: 420 → '4,20' ('4.20' in English), 2500 → '25';
    None → ''. No grouping and no sign, so ``parse_money`` reads every value back."""
    if cents is None:
        return ""
    return format_decimal(
        _decimal(cents), format="0" if cents % 100 == 0 else "0.00", locale=_locale(locale)
    )


def parse_money(raw: str | None) -> int | None:
    """'4,20' / '4.20' / '4' / '1.234,50' / '4,20 €' / '4,20 EUR' → cents; '' → None;
    raises ValueError. A comma is the decimal mark when there is one (points before it
    group thousands); otherwise a point is. At most 999.999,99 €, in digits 0-9."""
    text = (raw or "").strip().replace("€", "").replace("EUR", "")
    text = text.replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    if not _AMOUNT.fullmatch(text):
        raise ValueError(raw)
    euros, _, cents = text.partition(".")
    return int(euros) * 100 + int((cents + "00")[:2])
