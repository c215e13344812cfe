"""Text that every slice shares: the one German folding table and the one plain-text
normaliser.

Folding makes ``Bäckerei``, ``Baeckerei`` and ``BÄCKEREI`` the same: lower case, ä/ö/ü →
ae/oe/ue, ß → ss, other accents dropped (``Café`` → ``cafe``), anything that is not a
letter or digit becomes a space. The search index, the geocoding cache key and the sort
keys of lists use ``fold``; slugs pass the same table to python-slugify
(``slug_replacements``). Changing the table changes the search index and the cache keys:
``flask search reindex`` afterwards.

What people type is cleaned by ``plain_text`` (several lines: the browser's CRLF becomes
LF, control characters are dropped) and ``one_line`` (a title or a name: also every run of
whitespace, line breaks included, becomes one space).

It imports nothing of the app: any slice may use it.
"""

from __future__ import annotations

import re
import unicodedata

# The one folding table: letters that neither lower() nor dropping accents spell the way
# German readers (and the search) expect.
FOLDS = {
    "ä": "ae",
    "ö": "oe",
    "ü": "ue",
    "ß": "ss",
    "ẞ": "ss",
    "æ": "ae",
    "œ": "oe",
    "ı": "i",
    "ø": "o",
    "ł": "l",
    "đ": "d",
    "þ": "th",
}
_TABLE = str.maketrans(FOLDS)
_WORD = re.compile(r"[a-z0-9]+")


def _fold_char(ch: str) -> str:
    low = ch.lower()
    if low in FOLDS:
        return FOLDS[low]
    decomposed = unicodedata.normalize("NFKD", low)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    if not base:  # an accent left over from the letter before it: it goes with the accents
        return ""
    return base if base.isalnum() else " "


def fold(text: str | None) -> str:
    """Folded text: lower case, umlauts spelled out, accents dropped, only a-z0-9 and
    single spaces. The search relies on this: folded words are the only user text that
    goes into FTS5 MATCH expressions and LIKE patterns, so they must never contain quotes,
    operators, ``%`` or ``_``. ASCII text takes the fast path (lower() and one
    str.translate); other text is composed first (NFC: an ``a`` followed by a combining
    diaeresis is ``ä``) and folded letter by letter."""
    if not text:
        return ""
    text = text.lower().translate(_TABLE)
    if not text.isascii():
        text = "".join(
            ch if ch.isascii() else _fold_char(ch) for ch in unicodedata.normalize("NFC", text)
        )
    return " ".join(_WORD.findall(text))


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """Folded text (letters/digits and spaces, not collapsed) and, for each of its
    characters, the index of the original character it came from (for highlighting;
    ``text`` should be composed, NFC, as ``fold`` composes it)."""
    out, where = [], []
    for index, ch in enumerate(text):
        folded = _fold_char(ch)
        if folded and not _WORD.fullmatch(folded):
            folded = " "
        out.append(folded)
        where.extend([index] * len(folded))
    return "".join(out), where


def slug_replacements() -> list[list[str]]:
    """The folding table as python-slugify's ``replacements`` (which it applies before it
    lowers the case, so capitals are listed too): ``Bäckerei Müller`` →
    ``baeckerei-mueller``."""
    pairs = [[letter, spelled] for letter, spelled in FOLDS.items()]
    for letter, spelled in FOLDS.items():
        capital = letter.upper()
        if len(capital) == 1 and capital != letter and capital.lower() == letter:
            pairs.append([capital, spelled.capitalize()])
    return pairs


# --- what people type ---

# Every control character: C0 (tab, line feed and carriage return included), DEL and C1.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Line ends of every kind: CRLF (browsers' text areas), CR, NEL, line and paragraph separator
_LINE_BREAK = re.compile("\r\n|[\r\x85\u2028\u2029]")
# What plain text drops: control characters other than tab and line feed
_STRAY = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def plain_text(value: str | None) -> str:
    """Several lines of text as typed, cleaned: every kind of line end becomes LF, other
    control characters (NUL, escape, …) are dropped — tabs stay —, and the ends are
    trimmed. None → ''. Stored text is cleaned this way, so an unchanged text compares
    equal to what is stored."""
    return _STRAY.sub("", _LINE_BREAK.sub("\n", value or "")).strip()


def one_line(value: str | None) -> str:
    """One line of text (a title, a name): ``plain_text``, and every run of whitespace —
    tabs and line breaks included — one space."""
    return " ".join(plain_text(value).split())
