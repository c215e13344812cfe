"""\"Meinten Sie …?\": when nothing matches, words the index does not know are replaced by
the closest indexed word (one edit from 5 letters, two from 9)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from hallobot.search.backends import backend_for
from hallobot.search.text import edit_distance, max_edits, stem


def correct(
    session: Session, words_: list[str], groups: list[list[str]], originals: dict[str, str]
):
    """For words the index does not contain, the closest known words (as written in the
    directory); None if nothing could be corrected."""
    backend = backend_for(session)
    shown, fixed_groups, changed = [], [], False
    for word, group in zip(words_, groups, strict=True):
        if backend.has_match(session, group):
            shown.append(originals.get(word, word))
            fixed_groups.append(group)
            continue
        better = closest_word(session, word)
        if better is None:
            return None
        changed = True
        shown.append(better[1])
        fixed_groups.append([stem(better[0])])
    return (shown, fixed_groups) if changed else None


def closest_word(session: Session, word: str) -> tuple[str, str] | None:
    """The indexed word within the allowed edits (one from 5 letters, two from 9) — as a
    whole or as the start of a longer word — that most documents contain: (folded, as
    written)."""
    limit = max_edits(word)
    if not limit:
        return None
    size = len(word)
    pieces = _pieces(word, limit + 1)
    like = " OR ".join(f"word LIKE :p{n}" for n in range(len(pieces)))
    rows = session.execute(
        text(
            f"SELECT word, documents, display FROM search_terms WHERE ({like}) "
            "AND length(word) >= :shortest ORDER BY documents DESC LIMIT 200"
        ),
        {**{f"p{n}": f"%{p}%" for n, p in enumerate(pieces)}, "shortest": size - limit},
    ).all()
    best = None
    for candidate, documents, display in rows:
        whole = edit_distance(word, candidate, limit)
        start = min(
            edit_distance(word, candidate[:length], limit)
            for length in range(max(1, size - limit), min(len(candidate), size + limit) + 1)
        )
        distance = min(whole, start)
        if distance <= limit:
            # a whole-word match beats a word start; then fewer edits, then more documents
            key = (whole > limit, distance, -documents, len(candidate))
            if best is None or key < best[0]:
                best = (key, candidate, display or candidate)
    return (best[1], best[2]) if best else None


def _pieces(word: str, n: int) -> list[str]:
    """``word`` cut into ``n`` pieces — with fewer than ``n`` edits one piece stays intact —
    and once more with every cut a letter earlier, for a swap of the two letters at a cut."""
    size = max(1, len(word) // n)
    result = []
    for shift in (0, 1):
        cuts = [0] + [max(1, i * size - shift) for i in range(1, n)] + [len(word)]
        result += [word[a:b] for a, b in zip(cuts, cuts[1:], strict=False) if b > a]
    return list(dict.fromkeys(result))
