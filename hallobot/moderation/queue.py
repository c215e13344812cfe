"""The moderators' one queue: everything waiting, oldest first, and its count in the
navigation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from hallobot.directory.models import Business, Category, Photo, Status
from hallobot.extensions import db
from hallobot.moderation.models import Claim, Report, Revision
from hallobot.vouchers import offers as voucher_offers
from hallobot.vouchers.models import VoucherOffer


def pending_count() -> int:
    """Everything waiting for a moderator: new entries, changes, claims, reports and
    voucher offers (one query; shown in the navigation)."""

    def count(model, condition):
        return select(func.count(model.id)).where(condition).scalar_subquery()

    return (
        db.session.scalar(
            select(
                count(Business, Business.status == Status.PENDING)
                + count(Revision, Revision.status == "open")
                + count(Claim, Claim.status == "open")
                + count(Report, Report.status == "open")
                + count(VoucherOffer, VoucherOffer.status == "pending")
            )
        )
        or 0
    )


def pending_businesses() -> list[Business]:
    """The review queue, oldest submission first."""
    return list(
        db.session.scalars(
            select(Business)
            .where(Business.status == Status.PENDING)
            .options(
                joinedload(Business.category).joinedload(Category.parent),
                joinedload(Business.district),
                selectinload(Business.owners),
            )
            .order_by(func.coalesce(Business.submitted_at, Business.created_at), Business.id)
        )
    )


def _waiting(model, *relations) -> list:
    """The open claims, revisions or reports, oldest first, with what the queue shows."""
    return list(
        db.session.scalars(
            select(model)
            .where(model.status == "open")
            .options(*(joinedload(relation) for relation in relations))
            .order_by(model.created_at, model.id)
        )
    )


def open_claims() -> list[Claim]:
    return _waiting(Claim, Claim.business, Claim.user)


def open_revisions() -> list[Revision]:
    return _waiting(Revision, Revision.business, Revision.author)


def open_reports() -> list[Report]:
    return _waiting(Report, Report.business)


def new_photo_counts(revisions: list[Revision]) -> dict[int, int]:
    """Per revision, how many photos it adds (uploads not yet public), in one query."""
    business_ids = {r.business_id for r in revisions if "photos" in r.changes}
    public = set()
    if business_ids:
        public = set(
            db.session.scalars(select(Photo.media_key).where(Photo.business_id.in_(business_ids)))
        )
    return {
        r.id: sum(p["key"] not in public for p in r.changes.get("photos", [])) for r in revisions
    }


@dataclass(frozen=True)
class QueueItem:
    """One thing waiting for a moderator, in the one queue (oldest first)."""

    kind: str  # "business", "revision", "photos", "claim", "report", "offer"
    waiting_since: datetime
    business: Business
    item: object  # the Business, Revision, Claim, Report or VoucherOffer
    new_photos: int = 0


QUEUE_KINDS = {
    "business": _l("Neuer Eintrag"),
    "revision": _l("Änderung"),
    "photos": _l("Neue Fotos"),
    "claim": _l("Übernahme-Antrag"),
    "report": _l("Meldung"),
    "offer": _l("Gutscheinangebot"),
}


def queue_items() -> list[QueueItem]:
    """New entries, changes (those that add photos marked as such), claims, reports and
    voucher offers, in one list ordered by how long they have been waiting. A change waits
    since its first proposal, so later edits do not send it to the back. Six queries,
    whatever the size."""
    items = [
        QueueItem("business", b.submitted_at or b.created_at, b, b) for b in pending_businesses()
    ]
    revisions = open_revisions()
    photos = new_photo_counts(revisions)
    items += [
        QueueItem(
            "photos" if photos[r.id] else "revision", r.created_at, r.business, r, photos[r.id]
        )
        for r in revisions
    ]
    items += [QueueItem("claim", c.created_at, c.business, c) for c in open_claims()]
    items += [QueueItem("report", r.created_at, r.business, r) for r in open_reports()]
    items += [
        QueueItem("offer", o.created_at, o.business, o) for o in voucher_offers.pending_offers()
    ]
    return sorted(items, key=lambda i: (i.waiting_since, QUEUE_ORDER[i.kind], i.item.id))


QUEUE_ORDER = {kind: n for n, kind in enumerate(QUEUE_KINDS)}


def filter_queue(items: list[QueueItem], kind: str | None) -> list[QueueItem]:
    if kind == "revision":  # every change, with or without new photos
        return [i for i in items if i.kind in ("revision", "photos")]
    return [i for i in items if i.kind == kind] if kind in QUEUE_KINDS else items


def queue_counts(items: list[QueueItem]) -> dict[str, int]:
    counts = dict.fromkeys(QUEUE_KINDS, 0)
    for item in items:
        counts[item.kind] += 1
    counts["revision"] += counts["photos"]  # "Änderungen" counts those with photos too
    return counts
