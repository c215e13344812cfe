"""Searching the published directory: one function for the search page, the map and the
suggestions, over either backend (see ``backends.py``).

A query is folded into words; each word becomes a group of variants (the word, its stem,
its synonyms) of which one must occur in a document (as a substring, so compounds and
longer words match). Filters narrow the documents; facet counts say how many results each
filter value would give together with the other filters. When nothing matches, words the
index does not know are replaced by the closest known word ("Meinten Sie …?").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, selectinload

from hallobot.directory.hours import holiday_name, local_now
from hallobot.directory.models import Business, District
from hallobot.directory.service import CARD_OPTIONS
from hallobot.extensions import db
from hallobot.search.backends import backend_for
from hallobot.search.models import SearchDocument, SynonymGroup
from hallobot.search.text import (
    edit_distance,
    fold,
    max_edits,
    query_words,
    stem,
    words,
)

FLAGS = ("open_now", "delivery", "pickup", "voucher", "fairtrade", "accessible")
SORTS = ("relevanz", "name", "entfernung")
PER_PAGE = 20


@dataclass(frozen=True)
class SearchQuery:
    """Everything a search can ask for, as the URL carries it."""

    text: str = ""
    category: str = ""  # slug of a top-level or sub-category
    district: str = ""  # slug
    flags: frozenset[str] = frozenset()
    sort: str = "relevanz"
    near: tuple[float, float] | None = None  # browser location
    place: str = ""  # a typed postcode, district or street to sort by distance from
    page: int = 1

    @property
    def has_filters(self) -> bool:
        return bool(self.category or self.district or self.flags)


@dataclass(frozen=True)
class Label:
    id: int
    slug: str
    name: str
    name_en: str | None
    parent_id: int | None = None


@dataclass
class FacetValue:
    key: str  # slug, or flag name
    label: Label | None
    count: int
    active: bool


@dataclass
class Hit:
    business: Business
    score: float
    distance_km: float | None = None


@dataclass
class SearchResult:
    query: SearchQuery
    hits: list[Hit]
    total: int
    pages: int
    needles: list[str]  # folded variants, for highlighting
    categories: list[FacetValue] = field(default_factory=list)
    subcategories: list[FacetValue] = field(default_factory=list)
    districts: list[FacetValue] = field(default_factory=list)
    flags: list[FacetValue] = field(default_factory=list)
    corrected: str | None = None  # the query as corrected, when the original found nothing
    category: Label | None = None
    district: Label | None = None
    origin: tuple[float, float] | None = None  # where distances are measured from
    place_unknown: bool = False
    ignored_words: list[str] = field(default_factory=list)
    too_short: bool = False


# --- labels: categories and districts in one query ---


def _labels(session: Session) -> tuple[dict[int, Label], dict[int, Label], list[str]]:
    """Categories, districts and the synonym groups, in one query."""
    rows = session.execute(
        text(
            "SELECT 'c', id, slug, name, name_en, parent_id FROM categories "
            "UNION ALL SELECT 'd', id, slug, name, NULL, NULL FROM districts "
            "UNION ALL SELECT 's', id, terms, NULL, NULL, NULL FROM synonym_groups"
        )
    ).all()
    categories = {r[1]: Label(r[1], r[2], r[3], r[4], r[5]) for r in rows if r[0] == "c"}
    districts = {r[1]: Label(r[1], r[2], r[3], None) for r in rows if r[0] == "d"}
    synonyms = [r[2] for r in rows if r[0] == "s"]
    return categories, districts, synonyms


# --- query words → groups of variants ---


def synonym_table(groups: list[str]) -> dict[str, set[str]]:
    """Folded word → the folded words of its group(s)."""
    table: dict[str, set[str]] = {}
    for terms in groups:
        members = {w for w in (fold(t) for t in terms.split(",")) if w}
        for word in members:
            table.setdefault(word, set()).update(members)
    return table


def variants(word: str, synonyms: dict[str, set[str]]) -> list[str]:
    """A query word's forms that count as a match: its stem (which also covers the word)
    and the stems of its synonyms (multi-word synonyms by their first word)."""
    forms = [stem(word)]
    for synonym in sorted(synonyms.get(word, set()) | synonyms.get(stem(word), set())):
        first = synonym.split()[0] if synonym else ""
        if len(first) >= 3 and stem(first) not in forms:
            forms.append(stem(first))
    return forms


# --- "open now" in SQL: weekly slots, holidays and special days, like hours.Schedule ---

OPEN_NOW_SQL = """(
 CASE WHEN d.business_id IN (SELECT business_id FROM search_special_days WHERE day = :today)
  THEN d.business_id IN (SELECT business_id FROM search_special_days WHERE day = :today
       AND NOT closed AND start_minute <= :day_minute AND :day_minute < end_minute)
  ELSE ((NOT :holiday_today OR d.holidays_open) AND d.business_id IN (
       SELECT business_id FROM search_open_slots WHERE NOT carried
       AND start_minute <= :week_minute AND :week_minute < end_minute))
 END
 OR CASE WHEN d.business_id IN (SELECT business_id FROM search_special_days WHERE day = :yesterday)
  THEN d.business_id IN (SELECT business_id FROM search_special_days WHERE day = :yesterday
       AND NOT closed AND start_minute <= :day_minute + 1440 AND :day_minute + 1440 < end_minute)
  ELSE ((NOT :holiday_yesterday OR d.holidays_open) AND d.business_id IN (
       SELECT business_id FROM search_open_slots WHERE carried
       AND start_minute <= :week_minute AND :week_minute < end_minute))
 END)"""


def _time_params(now: datetime) -> dict:
    today = now.date()
    yesterday = today - timedelta(days=1)
    minute = now.hour * 60 + now.minute
    return {
        "today": today,
        "yesterday": yesterday,
        "day_minute": minute,
        "week_minute": today.weekday() * 1440 + minute,
        "holiday_today": holiday_name(today) is not None,
        "holiday_yesterday": holiday_name(yesterday) is not None,
    }


FLAG_SQL = {
    "open_now": OPEN_NOW_SQL,
    "delivery": "d.delivery",
    "pickup": "d.pickup",
    "voucher": "d.voucher",
    "fairtrade": "d.fairtrade",
    "accessible": "d.accessible",
}


# --- the search ---


def search(
    query: SearchQuery,
    per_page: int = PER_PAGE,
    now: datetime | None = None,
    session: Session | None = None,
) -> SearchResult:
    session = session or db.session
    now = local_now(now)
    categories, districts, synonym_groups_ = _labels(session)
    words_ = query_words(query.text)
    ignored = [w for w in words(query.text) if len(w) < 3 and w not in words_][:5]
    synonyms = synonym_table(synonym_groups_)
    groups = [variants(w, synonyms) for w in words_]
    category = next((c for c in categories.values() if c.slug == query.category), None)
    district = next((d for d in districts.values() if d.slug == query.district), None)
    origin, place_unknown = _origin(session, query, districts)
    if words(query.text) and not words_:  # only words too short to search for
        result = SearchResult(query, [], 0, 1, [], too_short=True)
        _label_facets(result, categories, districts, category, district)
        result.category, result.district = category, district
        return result
    result = _run(session, query, groups, category, district, origin, now, per_page)
    if result.total == 0 and groups:
        corrected = _correct(session, words_, groups)
        if corrected is not None:
            fixed_words, fixed_groups = corrected
            result = _run(session, query, fixed_groups, category, district, origin, now, per_page)
            result.corrected = " ".join(fixed_words) if result.total else None
            if not result.total:
                result = _run(session, query, groups, category, district, origin, now, per_page)
            else:
                groups = fixed_groups
    result.needles = sorted({v for g in groups for v in g}, key=len, reverse=True)
    _label_facets(result, categories, districts, category, district)
    result.category, result.district = category, district
    result.origin, result.place_unknown, result.ignored_words = origin, place_unknown, ignored
    return result


def _filters_sql(
    query: SearchQuery, category: Label | None, district: Label | None, skip: str = ""
) -> list[str]:
    parts = []
    if category is not None and skip != "category":
        column = "d.category_id" if category.parent_id else "d.parent_category_id"
        parts.append(f"{column} = :category_id")
    if district is not None and skip != "district":
        parts.append("d.district_id = :district_id")
    for flag in FLAGS:
        if flag in query.flags and skip != flag:
            parts.append(FLAG_SQL[flag])
    return parts


def _run(session, query, groups, category, district, origin, now, per_page) -> SearchResult:
    backend = backend_for(session)
    params = _time_params(now)
    params["category_id"] = category.id if category else None
    params["district_id"] = district.id if district else None
    if groups:
        matcher = backend.matcher(groups)
        params.update(matcher.params)
        source = f"search_documents AS d JOIN ({matcher.sql}) AS m ON m.business_id = d.business_id"
        score = "m.score"
    else:
        source, score = "search_documents AS d", "0"

    # one pass for the total and every facet count (each without its own filter)
    def condition(skip: str = "") -> str:
        parts = _filters_sql(query, category, district, skip)
        return " AND ".join(f"({p})" for p in parts) or "1 = 1"

    sums = [f"SUM(CASE WHEN {condition()} THEN 1 ELSE 0 END)"]
    sums.append(f"SUM(CASE WHEN {condition('category')} THEN 1 ELSE 0 END)")
    sums.append(f"SUM(CASE WHEN {condition('district')} THEN 1 ELSE 0 END)")
    for flag in FLAGS:
        sums.append(f"SUM(CASE WHEN ({FLAG_SQL[flag]}) AND {condition(flag)} THEN 1 ELSE 0 END)")
    facet_sql = (
        f"SELECT d.parent_category_id, d.category_id, d.district_id, {', '.join(sums)} "
        f"FROM {source} GROUP BY d.parent_category_id, d.category_id, d.district_id"
    )
    rows = session.execute(text(facet_sql), params).all()
    total = sum(r[3] or 0 for r in rows)
    result = SearchResult(query, [], total, max(1, math.ceil(total / per_page)), [])
    result._facet_rows = rows  # type: ignore[attr-defined]
    page = min(max(query.page, 1), result.pages)
    order = _order(query, origin, bool(groups))
    distance = _distance_sql(origin)
    page_sql = (
        f"SELECT d.business_id, {score} AS score, {distance} AS dist FROM {source} "
        f"WHERE {condition()} ORDER BY {order} LIMIT :limit OFFSET :offset"
    )
    if origin:
        params.update(lat0=origin[0], lon0=origin[1], coslat=math.cos(math.radians(origin[0])))
    params.update(limit=per_page, offset=(page - 1) * per_page)
    found = session.execute(text(page_sql), params).all() if total else []
    if found:
        by_id = {
            b.id: b
            for b in session.scalars(
                select(Business)
                .where(Business.id.in_([r[0] for r in found]))
                .options(*CARD_OPTIONS, selectinload(Business.services))
            )
        }
        result.hits = [
            Hit(by_id[r[0]], float(r[1] or 0), _km(origin, by_id[r[0]]))
            for r in found
            if r[0] in by_id
        ]
    result.query = replace(query, page=page)
    return result


def _order(query: SearchQuery, origin, has_text: bool) -> str:
    if query.sort == "entfernung" and origin:
        return "CASE WHEN d.lat IS NULL THEN 1 ELSE 0 END, dist, d.name_sort, d.business_id"
    if query.sort == "name" or not has_text:
        return "d.name_sort, d.business_id"
    return "score DESC, d.name_sort, d.business_id"


def _distance_sql(origin) -> str:
    if not origin:
        return "NULL"
    # squared distance on a plane through Bottrop: exact enough to sort a city
    return (
        "((d.lat - :lat0) * (d.lat - :lat0)"
        " + ((d.lon - :lon0) * :coslat) * ((d.lon - :lon0) * :coslat))"
    )


def _km(origin, business: Business) -> float | None:
    if not origin or business.lat is None or business.lon is None:
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (origin[0], origin[1], business.lat, business.lon))
    a = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def _label_facets(result, categories, districts, category, district) -> None:
    rows = getattr(result, "_facet_rows", [])
    by_parent: dict[int, int] = {}
    by_sub: dict[int, int] = {}
    by_district: dict[int, int] = {}
    flag_counts = dict.fromkeys(FLAGS, 0)
    for row in rows:
        parent_id, category_id, district_id = row[0], row[1], row[2]
        by_parent[parent_id] = by_parent.get(parent_id, 0) + (row[4] or 0)
        by_sub[category_id] = by_sub.get(category_id, 0) + (row[4] or 0)
        if district_id is not None:
            by_district[district_id] = by_district.get(district_id, 0) + (row[5] or 0)
        for n, flag in enumerate(FLAGS):
            flag_counts[flag] += row[6 + n] or 0
    active_parent = None
    if category is not None:
        active_parent = category.parent_id or category.id
    result.categories = sorted(
        (
            FacetValue(c.slug, c, by_parent.get(c.id, 0), c.id == active_parent)
            for c in categories.values()
            if c.parent_id is None and (by_parent.get(c.id) or c.id == active_parent)
        ),
        key=lambda f: f.label.name,
    )
    if active_parent is not None:
        result.subcategories = sorted(
            (
                FacetValue(c.slug, c, by_sub.get(c.id, 0), category.id == c.id)
                for c in categories.values()
                if c.parent_id == active_parent and (by_sub.get(c.id) or category.id == c.id)
            ),
            key=lambda f: f.label.name,
        )
    result.districts = sorted(
        (
            FacetValue(
                d.slug, d, by_district.get(d.id, 0), district is not None and d.id == district.id
            )
            for d in districts.values()
            if by_district.get(d.id) or (district is not None and d.id == district.id)
        ),
        key=lambda f: f.label.name,
    )
    result.flags = [
        FacetValue(flag, None, flag_counts[flag], flag in result.query.flags) for flag in FLAGS
    ]


# --- "Meinten Sie …?" ---


def _correct(session: Session, words_: list[str], groups: list[list[str]]):
    """For words the index does not contain, the closest known words (as written in the
    directory); None if nothing could be corrected."""
    backend = backend_for(session)
    shown, fixed_groups, changed = [], [], False
    for word, group in zip(words_, groups, strict=True):
        if backend.has_match(session, group):
            shown.append(word)
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
            "AND length(word) >= :shortest ORDER BY documents DESC LIMIT 400"
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
    """``word`` cut into ``n`` pieces: with fewer than ``n`` edits one piece stays intact."""
    size = max(1, len(word) // n)
    pieces = [word[i * size : (i + 1) * size] for i in range(n - 1)]
    pieces.append(word[(n - 1) * size :])
    return [p for p in pieces if p]


# --- where "nearby" is ---


def _origin(session, query: SearchQuery, districts: dict[int, Label]):
    """The point distances are measured from: the browser's location, or a typed postcode,
    district or street (the middle of the businesses there). Returns (point, unknown)."""
    if query.near:
        return query.near, False
    place = fold(query.place)
    if not place:
        return None, False
    if re.fullmatch(r"\d{5}", place):
        point = _centroid(session, "d.f_place LIKE :p", {"p": f"%{place}%"})
        return (point, False) if point else (None, True)
    for label in districts.values():
        if fold(label.name) == place:
            district = session.get(District, label.id)
            return (district.lat, district.lon), False
    point = _centroid(session, "d.f_place LIKE :p", {"p": f"%{stem(place)}%"})
    return (point, False) if point else (None, True)


def _centroid(session, where: str, params: dict):
    row = session.execute(
        text(
            f"SELECT avg(d.lat), avg(d.lon), count(d.lat) FROM search_documents AS d "
            f"WHERE d.lat IS NOT NULL AND {where}"
        ),
        params,
    ).first()
    return (float(row[0]), float(row[1])) if row and row[2] else None


# --- suggestions for the search box ---


@dataclass
class Suggestion:
    kind: str  # "business" or "category"
    label: str
    slug: str
    detail: str = ""


def suggest(prefix: str, limit: int = 6, session: Session | None = None) -> list[Suggestion]:
    """Categories and businesses whose name contains the typed words (at least 2
    letters), those starting with them first."""
    session = session or db.session
    folded = fold(prefix)
    if len(folded.replace(" ", "")) < 2:
        return []
    categories, _districts, _synonyms = _labels(session)
    matches = [
        c for c in categories.values() if folded in fold(c.name) or folded in fold(c.name_en)
    ]
    matches.sort(
        key=lambda c: (not fold(c.name).startswith(folded), c.parent_id is not None, c.name)
    )
    result = [
        Suggestion("category", c.name, c.slug, categories[c.parent_id].name if c.parent_id else "")
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
            Suggestion("business", found[r[0]].name, found[r[0]].slug, categories[r[1]].name)
            for r in rows
            if r[0] in found
        ]
    return result[:limit]


def synonym_groups(session: Session | None = None) -> list[SynonymGroup]:
    session = session or db.session
    return list(session.scalars(select(SynonymGroup).order_by(SynonymGroup.terms)))


def indexed_count(session: Session | None = None) -> int:
    session = session or db.session
    return session.scalar(select(func.count()).select_from(SearchDocument)) or 0
