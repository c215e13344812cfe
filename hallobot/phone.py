"""Telephone numbers: the one check and the one link form (``phonenumbers``, Germany as the
default region, so "02041 123456" is a Bottrop number).

A number is accepted when it is typed with digits 0-9, spaces, ``+ / ( ) -`` only and
phonenumbers deems it a valid number: "+49 (0) 2041 123456", "02041 123456" and
"0049 2041 123456" are all ``+492041123456``; "------", "123" or "02041 1" are refused.
The site stores and shows a number as it was typed; links use the international form
(E.164). A stored number that does not pass gets no link (the page shows the text).
"""

from __future__ import annotations

import re

import phonenumbers

REGION = "DE"
MAX_LENGTH = 40
_TYPED = re.compile(r"[\d\s+/()\-]+", re.ASCII)  # digits 0-9 only (phonenumbers reads "٠٢٠٤١")


def international(raw: str | None) -> str | None:
    """The number in international form (E.164, '+492041123456'), or None when it is not
    a valid telephone number."""
    text = (raw or "").strip()
    if not text or len(text) > MAX_LENGTH or not _TYPED.fullmatch(text):
        return None
    try:
        number = phonenumbers.parse(text, REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def tel_href(raw: str | None) -> str:
    """A tel: link target: '02041 123456' → 'tel:+492041123456'; '' when the number is not
    valid (show it without a link)."""
    number = international(raw)
    return f"tel:{number}" if number else ""
