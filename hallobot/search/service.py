"""Searching the published directory: one function for the search page, the map and the
suggestions, over either backend (see ``backends.py``).

A query is folded into words; each word becomes a group of variants (the word, its stem,
its synonyms) of which one must occur in a document (as a substring, so compounds and
longer words match). Filters narrow the documents; facet counts say how many results each
filter value would give together with the other filters. When nothing matches, words the
index does not know are replaced by the closest known word ("Meinten Sie …?").
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import select, text
from sqlalchemy.orm import Session, selectinload

from hallobot.directory.hours import holiday_name, local_now
from hallobot.directory.models import Business, District
from hallobot.directory.service import CARD_OPTIONS
from hallobot.extensions import db
from hallobot.search.backends import NAME_START_BONUS, SYNONYM_NAME_BONUS, backend_for
from hallobot.search.models import HOUR_PACK, SynonymGroup
from hallobot.search.snapshot import snapshot
from hallobot.search.text import (
    STOPWORDS,
    edit_distance,
    fold,
    max_edits,
    query_words,
    stem,
    words,
)

FLAGS = ("open_now", "delivery", "pickup", "voucher", "fairtrade", "accessible", "city_voucher")
SORTS = ("relevanz", "name", "entfernung")
PER_PAGE = 20
EVERYTHING = 10**9  # a page size no result reaches


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
class Counts:
    total: int = 0
    parents: dict = field(default_factory=dict)
    subcategories: dict = field(default_factory=dict)
    districts: dict = field(default_factory=dict)
    flags: dict = field(default_factory=lambda: dict.fromkeys(FLAGS, 0))


@dataclass
class SearchResult:
    query: SearchQuery
    hits: list[Hit]  # the page's businesses, once loaded (see load_businesses)
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
    found: list[tuple[int, float]] = field(default_factory=list)  # (business id, score)
    counts: Counts = field(default_factory=Counts)


# --- labels: categories and districts in one query ---


@dataclass(frozen=True)
class Context:
    """What a search needs besides the documents, read in one query: categories,
    districts, synonym groups and the index's state token."""

    categories: dict[int, Label]
    districts: dict[int, Label]
    synonyms: list[str]
    token: str


def _context(session: Session) -> Context:
    rows = session.execute(
        text(
            "SELECT 'c', id, slug, name, name_en, parent_id FROM categories "
            "UNION ALL SELECT 'd', id, slug, name, NULL, NULL FROM districts "
            "UNION ALL SELECT 's', id, terms, NULL, NULL, NULL FROM synonym_groups "
            "UNION ALL SELECT 'v', id, token, NULL, NULL, NULL FROM search_state"
        )
    ).all()
    return Context(
        {r[1]: Label(r[1], r[2], r[3], r[4], r[5]) for r in rows if r[0] == "c"},
        {r[1]: Label(r[1], r[2], r[3], None) for r in rows if r[0] == "d"},
        [r[2] for r in rows if r[0] == "s"],
        next((r[2] for r in rows if r[0] == "v"), ""),
    )


def index_token(session: Session | None = None) -> str:
    """The index's current state token (it changes with every write to the index)."""
    session = session or db.session
    return session.scalar(text("SELECT token FROM search_state WHERE id = 1")) or ""


# --- query words → groups of variants ---


def synonym_table(groups: list[str]) -> dict[str, set[str]]:
    """Folded word → the folded words of its group(s)."""
    return _synonym_table(tuple(groups))


@lru_cache(maxsize=8)
def _synonym_table(groups: tuple[str, ...]) -> dict[str, set[str]]:
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
        if len(first) >= 3 and first not in STOPWORDS and stem(first) not in forms:
            forms.append(stem(first))
    # a form containing another one adds no match ("lieferung" beside "liefer")
    return [f for f in forms if not any(o != f and o in f for o in forms)]


# --- "open now" in SQL: weekly slots, holidays and special days, like hours.Schedule ---

SPECIAL_TODAY = "SELECT business_id FROM search_special_days WHERE day = :today"
SPECIAL_YESTERDAY = "SELECT business_id FROM search_special_days WHERE day = :yesterday"


def open_now_sql(weekday: int) -> str:
    """A condition on the document ``d``: open at :day_minute of :today. Today's periods come
    from the special day if there is one, else from the week (closed on a holiday unless the
    business opens on holidays); the same for what yesterday's last period carries over."""
    yesterday = (weekday - 1) % 7
    weekly_today = " OR ".join(
        f"(:day_minute >= d.h{weekday}{n} / {HOUR_PACK} "
        f"AND :day_minute < d.h{weekday}{n} % {HOUR_PACK})"
        for n in range(3)
    )
    return f"""(
 (CASE WHEN d.business_id IN ({SPECIAL_TODAY})
  THEN d.business_id IN ({SPECIAL_TODAY} AND NOT closed
       AND start_minute <= :day_minute AND :day_minute < end_minute)
  ELSE ((NOT :holiday_today OR d.holidays_open) AND ({weekly_today})) END)
 OR (CASE WHEN d.business_id IN ({SPECIAL_YESTERDAY})
  THEN d.business_id IN ({SPECIAL_YESTERDAY} AND NOT closed
       AND start_minute <= :day_minute + 1440 AND :day_minute + 1440 < end_minute)
  ELSE ((NOT :holiday_yesterday OR d.holidays_open) AND :day_minute < d.c{yesterday}) END))"""


def _time_params(now: datetime) -> dict:
    today = now.date()
    yesterday = today - timedelta(days=1)
    minute = now.hour * 60 + now.minute
    return {
        "today": today,
        "yesterday": yesterday,
        "day_minute": minute,
        "holiday_today": holiday_name(today) is not None,
        "holiday_yesterday": holiday_name(yesterday) is not None,
    }


# --- the search ---


def search(
    query: SearchQuery,
    per_page: int = PER_PAGE,
    now: datetime | None = None,
    session: Session | None = None,
) -> SearchResult:
    """Find the page of results and load its businesses."""
    return load_businesses(find(query, per_page, now, session), session)


def find(
    query: SearchQuery,
    per_page: int = PER_PAGE,
    now: datetime | None = None,
    session: Session | None = None,
    everything: bool = False,
) -> SearchResult:
    """The search itself: matching, ranking, facet counts and the ids of one page — or,
    with ``everything``, of all results in order (the map)."""
    session = session or db.session
    per_page = max(1, min(per_page, 200))
    if everything:
        query, per_page = replace(query, page=1), EVERYTHING
    now = local_now(now)
    context = _context(session)
    categories, districts, synonym_groups_ = context.categories, context.districts, context.synonyms
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
    result = _run(session, query, groups, category, district, origin, now, per_page, context.token)
    if result.total == 0 and groups:
        originals = {fold(w): w for w in re.findall(r"[^\W_]+", query.text)}
        corrected = _correct(session, words_, groups, originals)
        if corrected is not None:
            fixed_words, fixed_groups = corrected
            result = _run(
                session,
                query,
                fixed_groups,
                category,
                district,
                origin,
                now,
                per_page,
                context.token,
            )
            result.corrected = " ".join(fixed_words) if result.total else None
            if not result.total:
                result = _run(
                    session, query, groups, category, district, origin, now, per_page, context.token
                )
            else:
                groups = fixed_groups
    result.needles = sorted({v for g in groups for v in g}, key=len, reverse=True)
    _label_facets(result, categories, districts, category, district)
    result.category, result.district = category, district
    result.origin, result.place_unknown, result.ignored_words = origin, place_unknown, ignored
    return result


def _run(
    session, query, groups, category, district, origin, now, per_page, token=""
) -> SearchResult:
    """Match and rank in the database; count, filter and page over the matches with the
    index's snapshot (see ``snapshot.py``)."""
    params = _time_params(now)
    snap = snapshot(session, token)
    open_ids = snap.open_ids(session, now, open_now_sql(now.weekday()), params)
    with_sub = category is not None
    if groups:
        ids, scores = backend_for(session).matches(session, groups)
        if any(i not in snap.plain for i in ids):  # never, unless the index was not kept
            kept = [n for n, i in enumerate(ids) if i in snap.plain]
            ids, scores = [ids[n] for n in kept], [scores[n] for n in kept]
        if query.sort == "relevanz" or not origin and query.sort == "entfernung":
            scores = _with_name_bonus(ids, scores, groups, snap)
        keys = snap.keys(ids, open_ids, with_sub)
        group_counts = Counter(keys)
    else:
        ids, keys, group_counts = snap.all_groups(open_ids, with_sub)
        scores = None
    values = snap.values
    counts = _count(
        [(*values[key >> 1], key & 1, n) for key, n in group_counts.items()],
        query,
        category,
        district,
    )
    pages = max(1, math.ceil(counts.total / per_page))
    page = min(max(query.page, 1), pages)
    result = SearchResult(replace(query, page=page), [], counts.total, pages, [], counts=counts)
    if counts.total:
        passing = _passing(group_counts, values, query, category, district)
        chosen = (
            range(len(ids))
            if passing is None
            else [n for n, key in enumerate(keys) if key in passing]
        )
        result.found = _page(ids, scores, chosen, snap, query, origin, page, per_page)
    return result


def _with_name_bonus(ids, scores, groups, snap) -> list[float]:
    """Add, per query word, the bonus for a name word beginning with it (or, less, with a
    synonym) — looked up in the snapshot's index of name words, so that only the matches
    that earn it are touched."""
    scores = list(scores)
    position = None
    for group in groups:
        best: dict[int, float] = {}
        for n, variant in enumerate(group):
            weight = NAME_START_BONUS if n == 0 else SYNONYM_NAME_BONUS
            for business_id in snap.names_starting(variant):
                if weight > best.get(business_id, 0.0):
                    best[business_id] = weight
        if best:
            if position is None:
                position = dict(zip(ids, range(len(ids)), strict=True))
            for business_id, weight in best.items():
                n = position.get(business_id)
                if n is not None:
                    scores[n] += weight
    return scores


def _passing(keys, values, query: SearchQuery, category, district) -> set | None:
    """Of the facet keys with open state (see ``snapshot.py``), those passing every
    filter; None when nothing is filtered."""
    flag_positions = [_FLAG_COLUMN[f] for f in FLAGS[1:] if f in query.flags]
    open_only = "open_now" in query.flags
    if category is None and district is None and not flag_positions and not open_only:
        return None
    category_position = 1 if category is not None and category.parent_id else 0
    category_id = category.id if category is not None else None
    district_id = district.id if district is not None else None
    passing = set()
    for key in keys:
        value = values[key >> 1]
        if (
            (category_id is None or value[category_position] == category_id)
            and (district_id is None or value[2] == district_id)
            and (key & 1 or not open_only)
            and all(value[p] for p in flag_positions)
        ):
            passing.add(key)
    return passing


def _page(ids, scores, chosen, snap, query, origin, page, per_page):
    """The page's (business id, score) among the ``chosen`` positions of ``ids``, in the
    order asked for: relevance, name or distance; ties by name."""
    need = page * per_page
    rank = snap.rank
    if query.sort == "entfernung" and origin:
        lat0, lon0 = origin
        coslat = math.cos(math.radians(lat0))
        lat, lon, far = snap.lat, snap.lon, float("inf")

        def by_distance(n: int):
            i = ids[n]
            if i not in lat:
                return (far, rank[i])
            dlat, dlon = lat[i] - lat0, (lon[i] - lon0) * coslat
            return (dlat * dlat + dlon * dlon, rank[i])

        ordered = heapq.nsmallest(need, chosen, key=by_distance)
    elif query.sort == "name" or scores is None:
        ordered = heapq.nsmallest(need, chosen, key=lambda n: rank[ids[n]])
    else:
        # the best scores, with all that tie with the last of them, then by name
        best = heapq.nlargest(need, chosen, key=scores.__getitem__)
        if best:
            floor = scores[best[-1]]
            best = [n for n in chosen if scores[n] >= floor]
        ordered = sorted(best, key=lambda n: (-scores[n], rank[ids[n]]))[:need]
    return [(ids[n], scores[n] if scores else 0.0) for n in ordered[(page - 1) * per_page :]]


def load_businesses(result: SearchResult, session: Session | None = None) -> SearchResult:
    """Fill ``result.hits`` with the businesses of the page (what their cards show), in
    the order found, in a fixed number of queries."""
    session = session or db.session
    if not result.found:
        result.hits = []
        return result
    by_id = {
        b.id: b
        for b in session.scalars(
            select(Business)
            .where(Business.id.in_([business_id for business_id, _score in result.found]))
            .options(*CARD_OPTIONS, selectinload(Business.services))
        )
    }
    result.hits = [
        Hit(by_id[i], score, _km(result.origin, by_id[i]))
        for i, score in result.found
        if i in by_id
    ]
    return result


# positions of the flags in a group row: delivery … city voucher (as in FLAGS), then open now
_FLAG_COLUMN = {flag: 2 + n for n, flag in enumerate(FLAGS) if n} | {"open_now": len(FLAGS) + 2}
_COUNT_COLUMN = len(FLAGS) + 3


def _count(rows, query: SearchQuery, category, district) -> Counts:
    """Total and facet counts from the groups: a facet value counts the documents that
    pass every other filter (so each count says what choosing that value would give)."""
    counts = Counts()
    # a group row: parent, sub-category, district, delivery … city voucher, open now, count
    active = [_FLAG_COLUMN[f] for f in FLAGS if f in query.flags]
    flag_columns = [(f, _FLAG_COLUMN[f]) for f in FLAGS]
    wanted_sub = category.id if category is not None and category.parent_id else None
    wanted_parent = category.id if category is not None and not category.parent_id else None
    wanted_district = district.id if district is not None else None
    parents, subs, districts, flags = (
        counts.parents,
        counts.subcategories,
        counts.districts,
        counts.flags,
    )
    total = 0
    for row in rows:
        parent, sub, district_id, n = row[0], row[1], row[2], row[_COUNT_COLUMN]
        flags_ok = True
        for column in active:
            if not row[column]:
                flags_ok = False
                break
        if not flags_ok:
            continue
        category_ok = (wanted_sub is None or sub == wanted_sub) and (
            wanted_parent is None or parent == wanted_parent
        )
        district_ok = wanted_district is None or district_id == wanted_district
        if district_ok:
            parents[parent] = parents.get(parent, 0) + n
            subs[sub] = subs.get(sub, 0) + n
        if category_ok:
            if district_id is not None:
                districts[district_id] = districts.get(district_id, 0) + n
            if district_ok:
                total += n
                for flag, column in flag_columns:
                    if row[column]:
                        flags[flag] += n
    counts.total = total
    return counts


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
    counts = result.counts
    by_parent, by_sub, by_district = counts.parents, counts.subcategories, counts.districts
    flag_counts = counts.flags
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


def _correct(
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


# --- where "nearby" is ---


def _origin(session, query: SearchQuery, districts: dict[int, Label]):
    """The point distances are measured from: the browser's location, or a typed postcode,
    district or street (the middle of the businesses there). Returns (point, unknown)."""
    place = fold(query.place)
    if not place:  # a typed place wins over the browser's location
        return (query.near, False) if query.near else (None, False)
    if len(place) < 3:
        return None, True
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


def suggest(
    prefix: str, limit: int = 6, session: Session | None = None, english: bool = False
) -> list[Suggestion]:
    """Categories and businesses whose name contains the typed words (at least 2
    letters), those starting with them first."""
    session = session or db.session
    folded = fold(prefix)
    if len(folded.replace(" ", "")) < 2:
        return []
    categories = _context(session).categories
    matches = [
        c for c in categories.values() if folded in fold(c.name) or folded in fold(c.name_en)
    ]
    matches.sort(
        key=lambda c: (not fold(c.name).startswith(folded), c.parent_id is not None, c.name)
    )
    matches = [c for c in matches if fold(c.name).startswith(folded)] + [
        c for c in matches if not fold(c.name).startswith(folded)
    ]

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


def synonym_groups(session: Session | None = None) -> list[SynonymGroup]:
    session = session or db.session
    return list(session.scalars(select(SynonymGroup).order_by(SynonymGroup.terms)))
