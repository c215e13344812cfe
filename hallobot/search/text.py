"""German text handling for search: words, stems, edit distance, highlighting.

Folding (``hallobot.text.fold``, the site's one folding table) makes ``Bäckerei``,
``Baeckerei`` and ``BÄCKEREI`` the same: lower case, ä/ö/ü → ae/oe/ue, ß → ss, other
accents dropped (``Café`` → ``cafe``), anything that is not a letter or digit becomes a
space. The index stores folded text and queries are folded the same way, so both
directions of ä/ae are equal. Matching is by substring, which finds
compounds (``baeck`` in ``landbaeckerei``); stems take the usual German endings off the
query words (``Schuhe`` → ``schuh``, ``Blumen`` → ``blum``, ``liefert`` → ``liefer``).
"""

from __future__ import annotations

import re
import unicodedata

from markupsafe import Markup, escape

from hallobot.text import fold, fold_with_map

STOPWORDS = frozenset(
    "und oder in im am an auf bei beim der die das den dem des ein eine einer mit fuer zu zum "
    "zur von vom nach aus the and of".split()
)
# German inflection and plural endings, longest first; a stem keeps at least 4 letters
_ENDINGS = ("ern", "en", "er", "es", "em", "e", "n", "s", "t")
MIN_STEM = 4
MIN_TERM = 3


def words(text: str | None) -> list[str]:
    return fold(text).split()


def synonym_words(terms: str) -> list[str]:
    """A synonym group's comma-separated terms, folded (empty ones dropped)."""
    return [w for w in (fold(t) for t in terms.split(",")) if w]


def stem(word: str) -> str:
    """The word without one German ending, if at least four letters remain."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            return word[: -len(ending)]
    return word


def query_words(query: str | None, limit: int = 8) -> list[str]:
    """The words of a query that are searched for (folded, without stop words, ≥ 3
    characters, at most ``limit``, in order, without repeats)."""
    seen: list[str] = []
    for word in words(query):
        if len(word) >= MIN_TERM and word not in STOPWORDS and word not in seen:
            seen.append(word)
    return seen[:limit]


def max_edits(word: str) -> int:
    """Typos tolerated: one edit from 5 letters, two from 9."""
    return 2 if len(word) >= 9 else 1 if len(word) >= 5 else 0


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau–Levenshtein distance (adjacent swaps count once), or ``limit + 1`` as soon
    as it is certain to exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        best = current[0]
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
            best = min(best, value)
        if best > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def highlight(text: str | None, needles: list[str]) -> Markup:
    """``text`` escaped, with every stretch matching a folded needle in <mark>."""
    if not text:
        return Markup("")
    text = unicodedata.normalize("NFC", text)  # composed, as fold reads it
    spans = _spans(text, needles)
    return _render(text, spans, 0, len(text))


def snippet(text: str | None, needles: list[str], width: int = 160) -> Markup | None:
    """About ``width`` characters of ``text`` around its first match, highlighted; None if
    nothing matches."""
    if not text:
        return None
    text = unicodedata.normalize("NFC", text)  # composed, as fold reads it
    spans = _spans(text, needles)
    if not spans:
        return None
    first = spans[0][0]
    start = max(0, first - width // 3)
    if start:
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 and start - space < 20 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.find(" ", end)
        if space == -1 and len(text) - end < 20:
            end = len(text)
        elif 0 <= space - end < 20:
            end = space
    body = _render(text, spans, start, end)
    return Markup("%s%s%s") % ("… " if start else "", body, " …" if end < len(text) else "")


def _spans(text: str, needles: list[str]) -> list[tuple[int, int]]:
    folded, where = fold_with_map(text)
    spans = []
    for needle in {n for n in needles if n}:
        short = len(needle) <= 3  # as in the search: a short word only at a word start
        for match in re.finditer(re.escape(needle), folded):
            if short and match.start() and folded[match.start() - 1] != " ":
                continue
            end = match.end()
            while end < len(folded) and folded[end] != " ":  # to the end of the word
                end += 1
            spans.append((where[match.start()], where[end - 1] + 1))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def _render(text: str, spans: list[tuple[int, int]], start: int, end: int) -> Markup:
    parts, pos = [], start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        parts.append(escape(text[pos:s]))
        parts.append(Markup("<mark>%s</mark>") % text[s:e])
        pos = e
    parts.append(escape(text[pos:end]))
    return Markup("").join(parts)
