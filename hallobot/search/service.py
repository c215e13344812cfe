"""Searching the published directory: one function for the search page, the map and the
API, over either backend (see ``backends.py``).

A query is folded into words; each word becomes a group of variants (the word, its stem,
its synonyms) of which one must occur in a document (as a substring, so compounds and
longer words match). Filters narrow the documents; facet counts say how many results each
filter value would give together with the other filters. When nothing matches, words the
index does not know are replaced by the closest known word ("Meinten Sie …?").

The pieces live beside this module: ``query.py`` (what a search takes and answers),
``facets.py`` (counts and filters), ``correction.py`` ("Meinten Sie …?"), ``nearby.py``
(distances), ``open_now.py`` (who is open, in SQL) and ``suggestions.py`` (the search box).
This module keeps the search itself; what a search takes and answers is imported from
``query.py``, the search box's suggestions from ``suggestions.py``.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from dataclasses import replace
from datetime import datetime
from functools import lru_cache, partial

from sqlalchemy import select, text
from sqlalchemy.orm import selectinload

from hallobot.directory.hours import local_now
from hallobot.directory.models import Business
from hallobot.directory.service import CARD_OPTIONS
from hallobot.extensions import db
from hallobot.search.backends import NAME_START_BONUS, SYNONYM_NAME_BONUS, backend_for
from hallobot.search.correction import correct
from hallobot.search.facets import count_groups, label_facets, passing_keys
from hallobot.search.models import SynonymGroup
from hallobot.search.nearby import distance_km, find_origin
from hallobot.search.open_now import open_now_sql, time_params
from hallobot.search.query import (
    EVERYTHING,
    PER_PAGE,
    Hit,
    SearchQuery,
    SearchResult,
    read_context,
)
from hallobot.search.snapshot import snapshot
from hallobot.search.text import STOPWORDS, query_words, stem, synonym_words, words
from hallobot.text import fold


def index_token() -> str:
    """The index's current state token (it changes with every write to the index)."""
    return db.session.scalar(text("SELECT token FROM search_state WHERE id = 1")) or ""


# --- query words → groups of variants ---


def synonym_table(groups: list[str]) -> dict[str, set[str]]:
    """Folded word → the folded words of its group(s)."""
    return _synonym_table(tuple(groups))


@lru_cache(maxsize=8)
def _synonym_table(groups: tuple[str, ...]) -> dict[str, set[str]]:
    table: dict[str, set[str]] = {}
    for terms in groups:
        members = set(synonym_words(terms))
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


# --- the search ---


def search(
    query: SearchQuery, per_page: int = PER_PAGE, now: datetime | None = None
) -> SearchResult:
    """Find the page of results and load its businesses."""
    return load_businesses(find(query, per_page, now))


def find(
    query: SearchQuery,
    per_page: int = PER_PAGE,
    now: datetime | None = None,
    everything: bool = False,
) -> SearchResult:
    """The search itself: matching, ranking, facet counts and the ids of one page — or,
    with ``everything``, of all results in order (the map)."""
    session = db.session  # threaded through the search engine's steps
    per_page = max(1, min(per_page, 200))
    if everything:
        query, per_page = replace(query, page=1), EVERYTHING
    now = local_now(now)
    context = read_context(session)
    categories, districts = context.categories, context.districts
    category = next((c for c in categories.values() if c.slug == query.category), None)
    district = next((d for d in districts.values() if d.slug == query.district), None)
    words_ = query_words(query.text)
    if words(query.text) and not words_:  # only words too short to search for
        result = SearchResult(query, [], 0, 1, [], too_short=True)
    else:
        origin, place_unknown = find_origin(session, query, districts)
        run = partial(
            _run, session, query, category, district, origin, now, per_page, context.token
        )
        synonyms = synonym_table(context.synonyms)
        groups = [variants(w, synonyms) for w in words_]
        result = run(groups)
        if result.total == 0 and groups:
            originals = {fold(w): w for w in re.findall(r"[^\W_]+", query.text)}
            corrected = correct(session, words_, groups, originals)
            if corrected is not None:
                fixed_words, fixed_groups = corrected
                retried = run(fixed_groups)
                if retried.total:
                    result, groups = retried, fixed_groups
                    result.corrected = " ".join(fixed_words)
        result.needles = sorted({v for g in groups for v in g}, key=len, reverse=True)
        result.origin, result.place_unknown = origin, place_unknown
        result.ignored_words = [w for w in words(query.text) if len(w) < 3 and w not in words_][:5]
    label_facets(result, categories, districts, category, district)
    result.category, result.district = category, district
    return result


def _run(session, query, category, district, origin, now, per_page, token, groups) -> SearchResult:
    """Match and rank in the database; count, filter and page over the matches with the
    index's snapshot (see ``snapshot.py``)."""
    params = time_params(now)
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
    counts = count_groups(
        [(*values[key >> 1], key & 1, n) for key, n in group_counts.items()],
        query,
        category,
        district,
    )
    pages = max(1, math.ceil(counts.total / per_page))
    page = min(max(query.page, 1), pages)
    result = SearchResult(replace(query, page=page), [], counts.total, pages, [], counts=counts)
    if counts.total:
        passing = passing_keys(group_counts, values, query, category, district)
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


def load_businesses(result: SearchResult) -> SearchResult:
    """Fill ``result.hits`` with the businesses of the page (what their cards show), in
    the order found, in a fixed number of queries."""
    if not result.found:
        result.hits = []
        return result
    by_id = {
        b.id: b
        for b in db.session.scalars(
            select(Business)
            .where(Business.id.in_([business_id for business_id, _score in result.found]))
            .options(*CARD_OPTIONS, selectinload(Business.services))
        )
    }
    result.hits = [
        Hit(by_id[i], score, distance_km(result.origin, by_id[i]))
        for i, score in result.found
        if i in by_id
    ]
    return result


def synonym_groups() -> list[SynonymGroup]:
    return list(db.session.scalars(select(SynonymGroup).order_by(SynonymGroup.terms)))
