"""Suggestions for the search box: categories and businesses whose name contains the typed
words."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, text

from hallobot.directory.models import Business
from hallobot.extensions import db
from hallobot.search.query import Label, read_context
from hallobot.text import fold


@dataclass
class Suggestion:
    kind: str  # "business" or "category"
    label: str
    slug: str
    detail: str = ""


def suggest(prefix: str, limit: int = 6, english: bool = False) -> list[Suggestion]:
    """Categories and businesses whose name contains the typed words (at least 2
    letters), those starting with them first."""
    session = db.session  # threaded through the search engine's steps
    folded = fold(prefix)
    if len(folded.replace(" ", "")) < 2:
        return []
    categories = read_context(session).categories
    matches = [
        c for c in categories.values() if folded in fold(c.name) or folded in fold(c.name_en)
    ]
    matches.sort(
        key=lambda c: (not fold(c.name).startswith(folded), c.parent_id is not None, c.name)
    )

    def name(label: Label) -> str:
        return label.name_en if english and label.name_en else label.name

    result = [
        Suggestion(
            "category", name(c), c.slug, name(categories[c.parent_id]) if c.parent_id else ""
        )
        for c in matches[:3]
    ]
    rows = session.execute(
        text(
            "SELECT d.business_id, d.category_id FROM search_documents AS d "
            "WHERE d.f_name LIKE :any ORDER BY CASE WHEN d.f_name LIKE :start THEN 0 "
            "WHEN d.f_name LIKE :word THEN 1 ELSE 2 END, d.name_sort LIMIT :limit"
        ),
        {"any": f"%{folded}%", "start": f"{folded}%", "word": f"% {folded}%", "limit": limit},
    ).all()
    if rows:
        found = {
            r.id: r
            for r in session.execute(
                select(Business.id, Business.name, Business.slug).where(
                    Business.id.in_([r[0] for r in rows])
                )
            )
        }
        result += [
            Suggestion("business", found[r[0]].name, found[r[0]].slug, name(categories[r[1]]))
            for r in rows
            if r[0] in found
        ]
    return result[:limit]
