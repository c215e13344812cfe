"""Voucher codes: 80 random bits from ``secrets`` written as 16 Crockford base32 symbols,
plus a check symbol, shown in groups: ``K7QF-9MZX-2HDA-PW3R-5``.

Reading is forgiving the way Crockford intended: case does not matter, spaces and hyphens
are ignored, O is read as 0 and I or L as 1. The check symbol (Luhn's algorithm over the
32 symbols) catches every single mistyped symbol and every swap of two neighbours but 0 and Z, so a
typo is told apart from a code that does not exist without asking the database.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # no I, L, O, U
VALUE = {symbol: n for n, symbol in enumerate(ALPHABET)}
CONFUSED = str.maketrans({"O": "0", "I": "1", "L": "1"})
RANDOM_SYMBOLS = 16  # 16 × 5 = 80 bits
GROUP = 4


def check_symbol(symbols: str) -> str:
    """Luhn mod 32: doubling every second symbol from the right, digit sums in base 32."""
    total, double = 0, True
    for symbol in reversed(symbols):
        value = VALUE[symbol]
        if double:
            value *= 2
            value = value // 32 + value % 32
        total += value
        double = not double
    return ALPHABET[(32 - total % 32) % 32]


def new_code() -> str:
    """A fresh code, normalised (17 symbols, no hyphens)."""
    number = secrets.randbits(5 * RANDOM_SYMBOLS)
    symbols = "".join(ALPHABET[(number >> (5 * i)) & 31] for i in range(RANDOM_SYMBOLS))
    return symbols + check_symbol(symbols)


def normalise(typed: str) -> str | None:
    """The code as stored, from what a person typed or scanned; None if it cannot be one
    (wrong length, a symbol outside the alphabet, or a wrong check symbol)."""
    symbols = "".join((typed or "").upper().split()).replace("-", "").translate(CONFUSED)
    if len(symbols) != RANDOM_SYMBOLS + 1 or any(s not in VALUE for s in symbols):
        return None
    if check_symbol(symbols[:-1]) != symbols[-1]:
        return None
    return symbols


def grouped(code: str) -> str:
    """``K7QF9MZX2HDAPW3R5`` → ``K7QF-9MZX-2HDA-PW3R-5``."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))
