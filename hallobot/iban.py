"""IBANs: the one check (``schwifty``: the country's code, its IBAN length and structure,
and the ISO 13616 check digits) and the one way to write them.

``compact_iban`` is what is stored ('DE89370400440532013000'), ``grouped_iban`` what is
shown ('DE89 3704 0044 0532 0130 00'), ``iban_problem`` tells what is wrong, if anything.
The bank code is not looked up in a bank register (a new bank would be refused).
"""

from __future__ import annotations

import re

from schwifty import IBAN
from schwifty.exceptions import InvalidCountryCode, InvalidLength, SchwiftyException

LENGTH = "length"  # the country's IBANs have another length
COUNTRY = "country"  # no country has this code, or it has no IBANs
INVALID = "invalid"  # wrong characters, structure or check digits


def compact_iban(raw: str | None) -> str:
    """Without spaces or hyphens, in capitals: 'de89 3704-0044 …' → 'DE89370400440…'."""
    return re.sub(r"[\s-]", "", raw or "").upper()


def iban_problem(iban: str) -> str | None:
    """None for a valid (compact) IBAN, else LENGTH, COUNTRY or INVALID."""
    try:
        IBAN(iban)
    except InvalidLength:
        return LENGTH
    except InvalidCountryCode:
        return COUNTRY
    except SchwiftyException:
        return INVALID
    return None


def grouped_iban(iban: str | None) -> str:
    """'DE89370400440532013000' → 'DE89 3704 0044 0532 0130 00'."""
    iban = iban or ""
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
