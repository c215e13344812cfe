"""A straightforward search over published businesses.

Every word of the query must appear (as a substring) in the business's name, short
description, category, district, street or one of its services. Umlauts and ß are folded
on both sides (``Bäcker`` = ``Baecker``), and case is ignored.
"""

from __future__ import annotations

import re

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import aliased

from hallobot.directory.models import Business, Category, District, Service
from hallobot.directory.service import CARD_OPTIONS, paginate, published

_FOLD = [
    ("ä", "ae"),
    ("ö", "oe"),
    ("ü", "ue"),
    ("Ä", "ae"),
    ("Ö", "oe"),
    ("Ü", "ue"),
    ("ß", "ss"),
    ("ẞ", "ss"),
]
MAX_TERMS = 8


def fold(text: str) -> str:
    text = text.lower()
    for a, b in _FOLD:
        text = text.replace(a, b)
    return text


def _fold_sql(column) -> ColumnElement:
    expr = column
    for a, b in _FOLD:
        expr = func.replace(expr, a, b)
    return func.lower(expr)


def terms(query: str) -> list[str]:
    words = re.findall(r"[\w\-]+", fold(query or ""))
    return [w for w in words if len(w) >= 2][:MAX_TERMS]


def _like(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search(
    query: str,
    page: int,
    per_page: int,
    category: Category | None = None,
    district: District | None = None,
) -> Pagination:
    parent = aliased(Category)
    stmt = (
        published()
        .join(Category, Business.category_id == Category.id)
        .outerjoin(parent, Category.parent_id == parent.id)
        .outerjoin(District, Business.district_id == District.id)
    )
    for term in terms(query):
        pattern = _like(term)
        fields = [
            Business.name,
            Business.short_description,
            Category.name,
            parent.name,
            District.name,
            Business.street,
        ]
        service_match = exists(
            select(Service.id).where(
                Service.business_id == Business.id,
                _fold_sql(Service.name).like(pattern, escape="\\"),
            )
        )
        stmt = stmt.where(
            or_(*(_fold_sql(f).like(pattern, escape="\\") for f in fields), service_match)
        )
    if category is not None:
        ids = [category.id, *(c.id for c in category.children)]
        stmt = stmt.where(Business.category_id.in_(ids))
    if district is not None:
        stmt = stmt.where(and_(Business.district_id == district.id))
    stmt = stmt.options(*CARD_OPTIONS).order_by(func.lower(Business.name), Business.id)
    return paginate(stmt, page, per_page)
