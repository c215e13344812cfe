"""Keeping the search index equal to the published directory.

A document holds what a business is found by (folded text per field), its facet values,
its weekly hours and its special days. ``reindex`` writes the documents of some businesses (and
removes those no longer published); ``reindex_all`` rebuilds everything. A session hook
collects every business whose indexed data changed during a transaction (the business, its
services, hours, special days, delivery options, or its category, district or attributes)
and reindexes them right before the commit — in the same transaction, so the index never
shows what was not committed, and never misses what was.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable
from itertools import chain

from sqlalchemy import delete, event, insert, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, joinedload, selectinload

from hallobot.directory import models as directory_models
from hallobot.directory.models import Attribute, Business, Category, District, Status
from hallobot.extensions import db
from hallobot.search.backends import backend_for
from hallobot.search.models import (
    HOUR_PACK,
    SearchDocument,
    SearchSpecialDay,
    SearchState,
    SearchTerm,
)
from hallobot.text import fold
from hallobot.transaction import transactional

_ORIGINAL_WORD = re.compile(r"[^\W_]+")
# the parts of a business a document is made of, whose changes the index follows (photos
# and current offers are not searched: a change to them leaves the index as it is)
CHILD_TYPES = (
    directory_models.Service,
    directory_models.OpeningHours,
    directory_models.SpecialDay,
    directory_models.DeliveryOption,
)
BATCH = 500

_LOAD = (
    joinedload(Business.category).joinedload(Category.parent),
    joinedload(Business.district),
    selectinload(Business.attributes),
    selectinload(Business.services),
    selectinload(Business.opening_hours),
    selectinload(Business.special_days),
    selectinload(Business.delivery_options),
)


def _minutes(t) -> int:
    return t.hour * 60 + t.minute


SLOTS = 3


def hour_columns(business: Business) -> dict:
    """The weekly hours as the document's h<day><n> and c<day> columns."""
    columns: dict = {f"c{d}": 0 for d in range(7)}
    columns.update({f"h{d}{n}": None for d in range(7) for n in range(SLOTS)})
    by_day: dict[int, list] = {}
    for h in business.opening_hours:
        by_day.setdefault(h.weekday, []).append(h)
    for day, slots in by_day.items():
        slots.sort(key=lambda h: _minutes(h.opens))
        for n, h in enumerate(slots[:SLOTS]):
            start, end = _minutes(h.opens), _minutes(h.closes)
            if end <= start:  # past midnight
                columns[f"c{day}"] = max(columns[f"c{day}"], end)
                end = 1440
            columns[f"h{day}{n}"] = start * HOUR_PACK + end
    return columns


def special_days(business: Business) -> list[dict]:
    """Special days from yesterday on (older ones cannot matter for "open now")."""
    by_day: dict = {}
    for sd in business.special_days:
        by_day.setdefault(sd.date, []).append(sd)
    rows = []
    for day, entries in by_day.items():
        if any(sd.closed for sd in entries):
            rows.append({"day": day, "start_minute": 0, "end_minute": 0, "closed": True})
            continue
        for sd in entries:
            if sd.opens is None or sd.closes is None:
                continue
            start, end = _minutes(sd.opens), _minutes(sd.closes)
            rows.append(
                {
                    "day": day,
                    "start_minute": start,
                    "end_minute": end if end > start else end + 1440,
                    "closed": False,
                }
            )
    return rows


def document(business: Business) -> dict:
    """The index row of a published business."""
    category, parent = business.category, business.category.parent or business.category
    slugs = business.attribute_slugs
    kinds = business.delivery_kinds
    ordered = sorted(business.attributes, key=lambda a: (a.position, a.slug))
    attributes = [a.name for a in ordered] + [a.name_en for a in ordered if a.name_en]
    if "delivery" in kinds:
        attributes += ["Lieferung", "Lieferservice", "liefert"]
    if "pickup" in kinds:
        attributes += ["Abholung", "abholen"]
    if "shipping" in kinds:
        attributes += ["Versand", "versendet"]
    # vouchers: the text, or a published offer (handed down by the vouchers slice)
    vouchers = bool(business.voucher_info or business.voucher_teasers)
    if vouchers:
        attributes += ["Gutschein", "Gutscheine"]
    fields = {
        "f_name": fold(business.name),
        "f_category": fold(
            " ".join(
                dict.fromkeys(
                    [category.name, category.name_en or "", parent.name, parent.name_en or ""]
                )
            )
        ),
        "f_services": fold(" ".join(f"{s.name} {s.description or ''}" for s in business.services)),
        "f_description": fold(
            " ".join([business.short_description or "", business.description or ""])
        ),
        "f_attributes": fold(" ".join(attributes)),
        "f_place": fold(
            " ".join(
                [
                    business.district.name if business.district else "",
                    business.street or "",
                    business.postcode or "",
                ]
            )
        ),
    }
    originals = " ".join(
        [business.name, category.name, parent.name, business.short_description or ""]
        + [s.name for s in business.services]
        + attributes
        + [business.district.name if business.district else "", business.street or ""]
    )
    return {
        "_display": {fold(w): w.lower() for w in _ORIGINAL_WORD.findall(originals)},
        "business_id": business.id,
        "name_sort": fold(business.name)[:160],
        **fields,
        "f_all": " | ".join(fields.values()),
        "category_id": category.id,
        "parent_category_id": parent.id,
        "district_id": business.district_id,
        "delivery": "delivery" in kinds,
        "pickup": "pickup" in kinds,
        "voucher": vouchers,
        "fairtrade": "fairtrade" in slugs,
        "accessible": "barrierefrei" in slugs,
        "city_voucher": "bottrop-gutschein" in slugs,
        "holidays_open": bool(business.holidays_open),
        "lat": business.lat,
        "lon": business.lon,
        **hour_columns(business),
    }


def reindex(session: Session, business_ids: Iterable[int]) -> int:
    """Write the documents of these businesses; unpublished ones leave the index. Returns
    how many documents were written."""
    ids = sorted({i for i in business_ids if i is not None})
    written = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        businesses = session.scalars(
            select(Business)
            .where(Business.id.in_(chunk), Business.status == Status.PUBLISHED)
            .options(*_LOAD)
            .execution_options(populate_existing=True)  # collections as in the database
        ).all()
        written += _write(session, chunk, businesses)
    return written


def _write(session: Session, ids: list[int], businesses: list[Business]) -> int:
    backend = backend_for(session)
    old_words = _words_of(session, ids)
    session.execute(delete(SearchSpecialDay).where(SearchSpecialDay.business_id.in_(ids)))
    backend.delete_text(session, ids)
    session.execute(delete(SearchDocument).where(SearchDocument.business_id.in_(ids)))
    docs = [document(b) for b in businesses]
    if docs:
        session.execute(insert(SearchDocument), [_row(d) for d in docs])
        backend.insert_text(session, docs)
        _write_hours(session, businesses)
    display: dict[str, str] = {}
    _count_words(session, old_words, _vocabulary(docs, display), display)
    _changed(session)
    return len(docs)


def _changed(session: Session) -> None:
    """Mark the index as changed (see SearchState)."""
    session.execute(
        SearchState.__table__.update().where(SearchState.id == 1).values(token=uuid.uuid4().hex)
    )


def _row(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if not k.startswith("_")}


def _write_hours(session: Session, businesses: list[Business]) -> None:
    specials = [{"business_id": b.id, **row} for b in businesses for row in special_days(b)]
    if specials:
        session.execute(insert(SearchSpecialDay), specials)


def _vocabulary(docs: list[dict], display: dict[str, str] | None = None) -> dict[str, int]:
    """Word → number of documents containing it; ``display`` collects how words are
    written (for "Meinten Sie …?")."""
    counts: dict[str, int] = {}
    for doc in docs:
        for word in set(doc["f_all"].split()):
            if 3 <= len(word) <= 80 and not word.isdigit():
                counts[word] = counts.get(word, 0) + 1
        if display is not None:
            for folded, written in doc.get("_display", {}).items():
                display.setdefault(folded, written)
    return counts


def _words_of(session: Session, ids: list[int]) -> dict[str, int]:
    rows = session.execute(
        select(SearchDocument.f_all).where(SearchDocument.business_id.in_(ids))
    ).scalars()
    return _vocabulary([{"f_all": text} for text in rows])


def _count_words(
    session: Session, removed: dict[str, int], added: dict[str, int], display: dict[str, str]
) -> None:
    """Keep ``search_terms`` (word → number of documents) in step. One upsert that adds the
    difference, so two transactions adding the same new word never collide."""
    changes = {w: added.get(w, 0) - removed.get(w, 0) for w in set(removed) | set(added)}
    changes = {w: n for w, n in changes.items() if n}
    if not changes:
        return
    dialect = session.get_bind().dialect.name
    insert_ = postgresql_insert if dialect == "postgresql" else sqlite_insert
    rows = [
        {"word": w, "documents": n, "display": display.get(w, w)[:80]} for w, n in changes.items()
    ]
    for start in range(0, len(rows), 1000):
        statement = insert_(SearchTerm).values(rows[start : start + 1000])
        session.execute(
            statement.on_conflict_do_update(
                index_elements=[SearchTerm.word],
                set_={"documents": SearchTerm.documents + statement.excluded.documents},
            )
        )
    gone = [w for w, n in changes.items() if n < 0]
    for start in range(0, len(gone), 500):
        session.execute(
            delete(SearchTerm).where(
                SearchTerm.word.in_(gone[start : start + 500]), SearchTerm.documents <= 0
            )
        )


@transactional
def reindex_all(progress: Callable[[int], None] | None = None) -> int:
    """Rebuild the whole index from the published directory."""
    session = db.session  # threaded through the index's steps
    backend = backend_for(session)
    session.execute(delete(SearchSpecialDay))
    backend.delete_all_text(session)
    session.execute(delete(SearchDocument))
    session.execute(delete(SearchTerm))
    ids = session.scalars(
        select(Business.id).where(Business.status == Status.PUBLISHED).order_by(Business.id)
    ).all()
    vocabulary: dict[str, int] = {}
    display: dict[str, str] = {}
    written = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        businesses = session.scalars(
            select(Business).where(Business.id.in_(chunk)).options(*_LOAD)
        ).all()
        docs = [document(b) for b in businesses]
        session.execute(insert(SearchDocument), [_row(d) for d in docs])
        backend.insert_text(session, docs)
        _write_hours(session, businesses)
        for word, n in _vocabulary(docs, display).items():
            vocabulary[word] = vocabulary.get(word, 0) + n
        written += len(docs)
        session.expunge_all()
        if progress:
            progress(len(chunk))
    rows = [
        {"word": w, "documents": n, "display": display.get(w, w)[:80]}
        for w, n in vocabulary.items()
    ]
    for start in range(0, len(rows), 5000):
        session.execute(insert(SearchTerm), rows[start : start + 5000])
    backend.optimize(session)
    _changed(session)
    return written


# --- keeping the index current: collect during flushes, write before the commit ---

_KEY = "search_dirty"
_GONE = "search_gone_words"


def _related_business_ids(session: Session, categories, districts, attributes) -> set[int]:
    ids: set[int] = set()
    if categories:
        ids.update(
            session.scalars(
                select(Business.id)
                .join(Category, Category.id == Business.category_id)
                .where((Category.id.in_(categories)) | (Category.parent_id.in_(categories)))
            )
        )
    if districts:
        ids.update(session.scalars(select(Business.id).where(Business.district_id.in_(districts))))
    if attributes:
        ids.update(
            session.scalars(
                select(Business.id).where(Business.attributes.any(Attribute.id.in_(attributes)))
            )
        )
    return ids


def _touched(objects) -> tuple[set[int], set, set, set]:
    ids: set[int] = set()
    categories, districts, attributes = set(), set(), set()
    for obj in objects:
        if isinstance(obj, Business):
            ids.add(obj.id)
        elif isinstance(obj, CHILD_TYPES):
            ids.add(obj.business_id)
        elif isinstance(obj, Category):
            categories.add(obj.id)
        elif isinstance(obj, District):
            districts.add(obj.id)
        elif isinstance(obj, Attribute):
            attributes.add(obj.id)
    return ids, categories, districts, attributes


def _before_flush(session: Session, _context, _instances) -> None:
    """What a deletion takes with it must be read before the flush: the businesses linked
    to a deleted category, district or attribute, and the words of a deleted business's
    document (which goes with it)."""
    if not session.deleted:
        return
    _ids, categories, districts, attributes = _touched(session.deleted)
    pending = session.info.setdefault(_KEY, set())
    pending.update(_related_business_ids(session, categories, districts, attributes))
    gone = [o.id for o in session.deleted if isinstance(o, Business)]
    if gone:
        words = _words_of(session, gone)
        lost = session.info.setdefault(_GONE, {})
        for word, n in words.items():
            lost[word] = lost.get(word, 0) + n


def _after_flush(session: Session, _context) -> None:
    ids, categories, districts, attributes = _touched(chain(session.new, session.dirty))
    ids.update(_touched(session.deleted)[0])
    ids.update(_related_business_ids(session, categories, districts, attributes))
    ids.discard(None)
    if ids:
        session.info.setdefault(_KEY, set()).update(ids)


def _before_commit(session: Session) -> None:
    session.flush()  # what is still pending is collected by the flush hooks
    pending = session.info.pop(_KEY, None)
    if pending:
        reindex(session, pending)
    gone = session.info.pop(_GONE, None)
    if gone:
        _count_words(session, gone, {}, {})
    if pending or gone:
        session.flush()


def _after_transaction_end(session: Session, transaction) -> None:
    """A rolled-back (or finished) outermost transaction takes its pending work with it; a
    rolled-back savepoint does not (the outer transaction may still commit)."""
    if transaction.parent is None:
        session.info.pop(_KEY, None)
        session.info.pop(_GONE, None)


def register_index_hooks() -> None:
    """Listen on every session of the app (idempotent)."""
    from sqlalchemy.orm import Session as BaseSession

    if event.contains(BaseSession, "after_flush", _after_flush):
        return
    event.listen(BaseSession, "before_flush", _before_flush)
    event.listen(BaseSession, "after_flush", _after_flush)
    event.listen(BaseSession, "before_commit", _before_commit)
    event.listen(BaseSession, "after_transaction_end", _after_transaction_end)


def index_is_empty() -> bool:
    return db.session.scalar(select(SearchDocument.business_id).limit(1)) is None
