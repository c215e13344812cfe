"""What a search needs to know about every indexed business besides its text, held in
memory: facet values, place in name order, location and name words — a snapshot of the
index, read once per index state (the token in ``search_state`` changes with every write to
the index) — and which businesses are open, once per minute.

With it the database only has to find and rank the matching documents; the facet counts,
filters and the page are worked out here over the matches, a few dictionary look-ups each.
(Grouping all matches by eight columns in SQL cost more at 100,000 businesses than the
matching itself.) Everything here is numbers and strings in dictionaries and lists, which
Python's cycle collector does not have to visit; a snapshot of tuples made every search
pay for repeated sweeps over hundreds of thousands of them.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.orm import Session

# A facet key is a number standing for a combination of parent category, sub-category (0
# when not asked for), district, and the flags delivery, pickup, voucher, fairtrade,
# accessible and city voucher (as query.FLAGS without "open now");
# ``Snapshot.values`` says which. With the open state: key * 2 + (1 if open).


@dataclass
class Snapshot:
    token: str
    values: list[tuple]  # key → (parent, sub, district, delivery, … city voucher)
    plain: dict[int, int]  # business id → key without the sub-category
    with_sub: dict[int, int]  # … with it
    rank: dict[int, int]  # business id → place in name order
    lat: dict[int, float]  # where known
    lon: dict[int, float]
    tokens: list[str]  # the distinct words of all names, sorted
    token_ids: dict[str, list[int]]  # word → the businesses with it in their name
    _open: tuple = (None, frozenset())  # (minute, ids open then)
    _keyed: dict = field(default_factory=dict)  # with sub → (open ids, id → key * 2 + open)
    _groups: dict = field(default_factory=dict)  # with sub → (open ids, groups of all ids)

    def open_ids(self, session: Session, now: datetime, condition: str, params: dict):
        """The businesses open at ``now`` (to the minute), by ``condition`` on the document
        ``d`` (see ``open_now.open_now_sql``)."""
        minute = now.replace(second=0, microsecond=0)
        if self._open[0] != minute:  # an earlier minute is never asked for again
            ids = frozenset(
                session.scalars(
                    text(f"SELECT d.business_id FROM search_documents AS d WHERE {condition}"),
                    params,
                )
            )
            self._open = (minute, ids)
        return self._open[1]

    def keyed(self, open_ids: frozenset, with_sub: bool) -> dict[int, int]:
        """Every id's facet key with its open state (key * 2 + open), for the minute of
        ``open_ids`` (worked out once a minute, then one look-up per match)."""
        kept = self._keyed.get(with_sub)
        if kept is None or kept[0] is not open_ids:
            source = self.with_sub if with_sub else self.plain
            kept = (open_ids, {i: 2 * key + (i in open_ids) for i, key in source.items()})
            self._keyed[with_sub] = kept
        return kept[1]

    def keys(self, ids: list[int], open_ids: frozenset, with_sub: bool) -> list[int]:
        """Each id's facet key with its open state."""
        return list(map(self.keyed(open_ids, with_sub).__getitem__, ids))

    def all_groups(self, open_ids: frozenset, with_sub: bool) -> tuple[list[int], Counter]:
        """Every id with its key, and how many have each key (a search without words); kept
        for the minute of ``open_ids``."""
        kept = self._groups.get(with_sub)
        if kept is None or kept[0] is not open_ids:
            keyed = self.keyed(open_ids, with_sub)
            keys = list(keyed.values())
            kept = (open_ids, list(keyed), keys, Counter(keys))
            self._groups[with_sub] = kept
        return kept[1], kept[2], kept[3]

    def names_starting(self, prefix: str) -> list[int]:
        """The businesses with a name word beginning with ``prefix`` (folded)."""
        found: list[int] = []
        n = bisect_left(self.tokens, prefix)
        while n < len(self.tokens) and self.tokens[n].startswith(prefix):
            found += self.token_ids[self.tokens[n]]
            n += 1
        return found


_SNAPSHOTS: dict[str, Snapshot] = {}
_LOCK = threading.Lock()
_KEPT = 8  # databases a process searches (one in production, one per test database)


def snapshot(session: Session, token: str) -> Snapshot:
    """The snapshot of the index state ``token`` in the session's database."""
    url = str(session.get_bind().engine.url)
    current = _SNAPSHOTS.get(url)
    if current is not None and token and current.token == token:
        return current
    rows = session.execute(
        text(
            "SELECT business_id, parent_category_id, category_id, district_id, delivery, "
            "pickup, voucher, fairtrade, accessible, lat, lon, f_name, city_voucher "
            "FROM search_documents ORDER BY name_sort, business_id"
        )
    ).all()
    numbers: dict[tuple, int] = {}
    plain, with_sub, rank, lat, lon = {}, {}, {}, {}, {}
    token_ids: dict[str, list[int]] = {}
    for place, row in enumerate(rows):
        business_id = row[0]
        flags = (*(bool(row[n]) for n in range(4, 9)), bool(row[12]))
        plain[business_id] = numbers.setdefault((row[1], 0, row[3], *flags), len(numbers))
        with_sub[business_id] = numbers.setdefault((row[1], row[2], row[3], *flags), len(numbers))
        rank[business_id] = place
        for word in set(row[11].split(" ")):
            if word:
                token_ids.setdefault(word, []).append(business_id)
        if row[9] is not None and row[10] is not None:
            lat[business_id], lon[business_id] = row[9], row[10]
    values = list(numbers)
    result = Snapshot(token, values, plain, with_sub, rank, lat, lon, sorted(token_ids), token_ids)
    with _LOCK:
        if url not in _SNAPSHOTS and len(_SNAPSHOTS) >= _KEPT:
            _SNAPSHOTS.clear()
        _SNAPSHOTS[url] = result
    return result
