"""Voucher offers: what a business (or the city) sells as a voucher, and how to buy it.

Offers are moderated like other content. A new offer waits (``pending``) until a moderator
approves it. A change to a published offer is a new pending row that ``replaces`` it: the
published one stays public until the change is approved; then the new row is published and
the old one archived (its page forwards to the new one). A pending or rejected offer is
changed in place. Owners withdraw offers (archived; rows are never deleted, orders point at
them). The Bottrop-Gutschein is the offer without a business: the administration keeps it
and publishes it directly (the moderation slice logs that).

What an owner types is checked by ``offer_rules.validate``, which raises ``OfferInvalid``
(an ``OfferError``); import them from there.

The services for one owner's action are ``@transactional``; the moderation steps
(``approve``, ``reject``, ``save_city_offer``, ``withdraw_city_offer``) run inside the
moderation service's unit, which writes the audit event in the same transaction.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from hallobot.accounts.models import User
from hallobot.accounts.permissions import can_edit, is_admin
from hallobot.diffs import FieldChange, field_changes
from hallobot.directory.models import Business, Status
from hallobot.directory.service import set_voucher_teasers
from hallobot.extensions import db
from hallobot.iban import grouped_iban
from hallobot.models_base import utcnow
from hallobot.money import format_money
from hallobot.search.index import reindex
from hallobot.transaction import transactional
from hallobot.vouchers.models import VoucherOffer
from hallobot.vouchers.offer_fields import (
    CONTENT_FIELDS,
    HOW_LABELS,
    LABELS,
    VALIDITY_LABELS,
    OfferInput,
)
from hallobot.vouchers.offer_rules import OfferError, validate


class OfferStatus(StrEnum):
    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"
    ARCHIVED = "archived"


OPEN = (OfferStatus.PENDING.value, OfferStatus.REJECTED.value)  # an owner may still change it


def admin_addresses() -> list[str]:
    """Who speaks for the city's Bottrop-Gutschein: the active administrators."""
    return list(
        db.session.scalars(select(User.email).where(User.role == "admin", User.active.is_(True)))
    )


def content(offer: VoucherOffer) -> dict:
    return {name: getattr(offer, name) for name in CONTENT_FIELDS}


def offer_seen(offer: VoucherOffer) -> str:
    """What a moderator's page carries: the offer as seen, so a decision on a version the
    owner has changed since is refused."""
    state = json.dumps([offer.status, content(offer)], default=str, sort_keys=True)
    return f"{offer.id}.{hashlib.sha256(state.encode()).hexdigest()[:16]}"


# --- owners: create, change, withdraw ---


def _may_edit(user: User, business: Business) -> None:
    if not can_edit(user, business):
        raise OfferError(_l("Sie dürfen die Gutscheinangebote dieses Betriebs nicht bearbeiten."))


def owned_offer(business: Business, offer_id: int) -> VoucherOffer | None:
    offer = db.session.get(VoucherOffer, offer_id)
    if offer is None or offer.business_id != business.id:
        return None
    return offer


@transactional
def create_offer(user: User, business: Business, data: OfferInput):
    """A new offer of the business, waiting for the moderation; commits."""
    _may_edit(user, business)
    if business.status == Status.ARCHIVED:
        raise OfferError(_l("Der Eintrag ist nicht mehr öffentlich; Angebote sind gesperrt."))
    offer = VoucherOffer(business_id=business.id, status=OfferStatus.PENDING.value)
    for name, value in validate(data).items():
        setattr(offer, name, value)
    db.session.add(offer)
    return offer


def open_change(offer: VoucherOffer) -> VoucherOffer | None:
    """The change proposed for a published offer (waiting or rejected), if any."""
    return db.session.scalar(
        select(VoucherOffer)
        .where(VoucherOffer.replaces_id == offer.id, VoucherOffer.status.in_(OPEN))
        .order_by(VoucherOffer.id.desc())
        .limit(1)
    )


def editable_version(offer: VoucherOffer) -> VoucherOffer:
    """What the owner's form shows: a proposed change if there is one, else the offer."""
    if offer.status == OfferStatus.PUBLISHED:
        return open_change(offer) or offer
    return offer


@transactional
def update_offer(user: User, offer: VoucherOffer, data: OfferInput) -> tuple[VoucherOffer, str]:
    """Change an offer; commits. Returns the row written and what happened: ``updated``
    (a waiting or rejected offer, changed in place and waiting again), ``proposed`` (a
    published offer: the change waits as a new row, the offer stays public meanwhile) or
    ``unchanged``."""
    business = db.session.get(Business, offer.business_id) if offer.business_id else None
    if business is None:
        raise OfferError(_l("Den Bottrop-Gutschein ändert die Stadtverwaltung."))
    _may_edit(user, business)
    clean = validate(data)
    db.session.get(Business, business.id, with_for_update=True)  # owners' saves queue up here
    db.session.refresh(offer)
    if offer.status == OfferStatus.ARCHIVED:
        raise OfferError(
            _l("Dieses Angebot ist zurückgezogen und kann nicht mehr geändert werden.")
        )
    if offer.status in OPEN:
        if all(getattr(offer, k) == v for k, v in clean.items()) and offer.status == "pending":
            return offer, "unchanged"
        _assign(offer, clean)
        offer.status, offer.status_reason = OfferStatus.PENDING.value, None
        return offer, "updated"
    change = open_change(offer)
    if all(getattr(offer, k) == v for k, v in clean.items()):
        if change is not None:  # back to what is public: the proposal is dropped
            change.status = OfferStatus.ARCHIVED.value
        return offer, "unchanged"
    if change is None:
        change = VoucherOffer(business_id=business.id, replaces_id=offer.id)
        db.session.add(change)
    _assign(change, clean)
    change.status, change.status_reason = OfferStatus.PENDING.value, None
    return change, "proposed"


def _assign(offer: VoucherOffer, clean: dict) -> None:
    for name, value in clean.items():
        setattr(offer, name, value)


@transactional
def withdraw_offer(user: User, offer: VoucherOffer) -> str:
    """Take an offer back (archived); commits. A published offer leaves the marketplace
    with its proposed change; a proposed change alone is dropped and the published offer
    stays. Returns ``withdrawn`` or ``discarded`` (a change)."""
    business = db.session.get(Business, offer.business_id) if offer.business_id else None
    if business is None:
        raise OfferError(_l("Den Bottrop-Gutschein ändert die Stadtverwaltung."))
    _may_edit(user, business)
    db.session.get(Business, business.id, with_for_update=True)
    db.session.refresh(offer)
    if offer.status == OfferStatus.ARCHIVED:
        raise OfferError(_l("Dieses Angebot ist bereits zurückgezogen."))
    outcome = "discarded" if offer.replaces_id and offer.status in OPEN else "withdrawn"
    if offer.status == OfferStatus.PUBLISHED:
        change = open_change(offer)
        if change is not None:
            change.status = OfferStatus.ARCHIVED.value
        offer.status = OfferStatus.ARCHIVED.value
        refresh_teasers([business.id])
    else:
        offer.status = OfferStatus.ARCHIVED.value
    return outcome


@dataclass
class OwnerRow:
    """One offer on the owner's list: the offer and, for a published one, its proposed
    change."""

    offer: VoucherOffer
    change: VoucherOffer | None = None


def owner_rows(business: Business) -> list[OwnerRow]:
    """The business's offers that are not withdrawn, oldest first (one query)."""
    offers = db.session.scalars(
        select(VoucherOffer)
        .where(
            VoucherOffer.business_id == business.id,
            VoucherOffer.status != OfferStatus.ARCHIVED.value,
        )
        .order_by(VoucherOffer.created_at, VoucherOffer.id)
    ).all()
    published = {o.id: OwnerRow(o) for o in offers if o.status == OfferStatus.PUBLISHED}
    rows: list[OwnerRow] = []
    for offer in offers:
        if offer.status == OfferStatus.PUBLISHED:
            rows.append(published[offer.id])
        elif offer.replaces_id in published:
            published[offer.replaces_id].change = offer
        else:
            rows.append(OwnerRow(offer))
    return rows


def refresh_teasers(business_ids) -> None:
    """Hand the published offers in brief down to their businesses (the page lists them,
    the search's "Gutscheine" filter counts them) and update the search index."""
    db.session.flush()
    ids = sorted(set(business_ids))
    offers = db.session.scalars(
        select(VoucherOffer)
        .where(VoucherOffer.business_id.in_(ids), VoucherOffer.status == OfferStatus.PUBLISHED)
        .order_by(VoucherOffer.id)
    )
    teasers: dict[int, list[dict]] = {business_id: [] for business_id in ids}
    for offer in offers:
        teasers[offer.business_id].append(
            {
                "id": offer.id,
                "how": offer.how,
                "min_cents": offer.min_cents,
                "max_cents": offer.max_cents,
                "values_cents": list(offer.values_cents or []),
                "title": offer.title,
                "valid_until": _fixed_date(offer),
            }
        )
    for business_id, brief in teasers.items():
        set_voucher_teasers(db.session.get(Business, business_id), brief)
    reindex(db.session, ids)


def _fixed_date(offer: VoucherOffer) -> str | None:
    """A fixed validity date (ISO), after which the offer is no longer shown."""
    if offer.validity == "fixed" and offer.valid_until is not None:
        return offer.valid_until.isoformat()
    return None


# --- moderation (the moderation service logs and commits) ---


def pending_offers() -> list[VoucherOffer]:
    """Offers waiting for a moderator, oldest first (one query)."""
    return list(
        db.session.scalars(
            select(VoucherOffer)
            .where(VoucherOffer.status == OfferStatus.PENDING.value)
            .options(
                joinedload(VoucherOffer.business).joinedload(Business.category),
                joinedload(VoucherOffer.business).joinedload(Business.district),
            )
            .order_by(VoucherOffer.created_at, VoucherOffer.id)
        )
    )


def offer_by_id(offer_id: int) -> VoucherOffer | None:
    return db.session.get(VoucherOffer, offer_id)


SEEN_CHANGED = _l(
    "Das Angebot wurde geändert, während Sie es angesehen haben. Bitte prüfen Sie die "
    "aktuelle Fassung unten und entscheiden Sie dann."
)


def _pending(offer_id: int, seen: str) -> VoucherOffer:
    found = db.session.get(VoucherOffer, offer_id)
    if found is None:
        raise OfferError(_l("Über dieses Angebot ist schon entschieden."))
    if found.business_id:  # the order owners' saves lock in: business, then offer
        db.session.get(Business, found.business_id, with_for_update=True)
    offer = db.session.get(VoucherOffer, offer_id, with_for_update=True, populate_existing=True)
    if offer is None or offer.status != OfferStatus.PENDING:
        raise OfferError(_l("Über dieses Angebot ist schon entschieden."))
    if seen != offer_seen(offer):
        raise OfferError(SEEN_CHANGED)
    return offer


def approve(offer_id: int, seen: str) -> tuple[VoucherOffer, VoucherOffer | None]:
    """Publish a waiting offer as the moderator saw it; a change replaces (archives) the
    offer it was made to. Returns the published offer and the one it replaced."""
    offer = _pending(offer_id, seen)
    replaced = None
    if offer.replaces_id:
        replaced = db.session.get(VoucherOffer, offer.replaces_id, with_for_update=True)
        if replaced is not None and replaced.status == OfferStatus.PUBLISHED:
            replaced.status = OfferStatus.ARCHIVED.value
    offer.status, offer.status_reason = OfferStatus.PUBLISHED.value, None
    offer.published_at = utcnow()
    if offer.business_id:
        refresh_teasers([offer.business_id])
    return offer, replaced


def reject(offer_id: int, reason: str, seen: str) -> VoucherOffer:
    """Turn a waiting offer down with a reason for the owners (a change: the published
    offer stays as it is)."""
    offer = _pending(offer_id, seen)
    offer.status, offer.status_reason = OfferStatus.REJECTED.value, reason
    return offer


def display(name: str, value) -> str:
    """A field's value as the moderation's comparison shows it."""
    if value is None or value == "" or value == []:
        return "–"
    if name == "values_cents":
        return ", ".join(format_money(v) for v in value)
    if name in ("min_cents", "max_cents"):
        return format_money(value)
    if isinstance(value, bool):
        return str(_l("ja") if value else _l("nein"))
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if name == "validity":
        return str(VALIDITY_LABELS.get(value, value))
    if name == "how":
        return str(HOW_LABELS.get(value, value))
    if name == "iban":
        return grouped_iban(value)
    return str(value)


def changes(offer: VoucherOffer) -> list[FieldChange]:
    """For a proposed change: field by field, the public value and the proposed one."""
    if not offer.replaces_id:
        return []
    old = db.session.get(VoucherOffer, offer.replaces_id)
    if old is None:
        return []
    return field_changes(content(old), content(offer), LABELS, display)


# --- the Bottrop-Gutschein (kept by the administration) ---


def city_offer() -> VoucherOffer | None:
    """The city's current offer (the newest one not withdrawn)."""
    return db.session.scalar(
        select(VoucherOffer)
        .where(
            VoucherOffer.business_id.is_(None),
            VoucherOffer.status != OfferStatus.ARCHIVED.value,
        )
        .order_by(VoucherOffer.id.desc())
        .limit(1)
    )


def save_city_offer(user: User, data: OfferInput) -> tuple[VoucherOffer, dict]:
    """Create or change the Bottrop-Gutschein, published at once (no commit). Returns the
    offer and the changed fields (old, new) for the audit log."""
    if not is_admin(user):
        raise OfferError(_l("Den Bottrop-Gutschein ändert die Stadtverwaltung."))
    clean = validate(data)
    offer = city_offer()
    if offer is None:
        offer = VoucherOffer(business_id=None, published_at=utcnow())
        db.session.add(offer)
        before: dict = {}
    else:
        before = content(offer)
    changed = {
        k: [display(k, before.get(k)), display(k, v)]
        for k, v in clean.items()
        if before.get(k) != v
    }
    _assign(offer, clean)
    offer.status, offer.status_reason = OfferStatus.PUBLISHED.value, None
    offer.published_at = offer.published_at or utcnow()
    db.session.flush()
    return offer, changed


def withdraw_city_offer(user: User) -> VoucherOffer:
    if not is_admin(user):
        raise OfferError(_l("Den Bottrop-Gutschein ändert die Stadtverwaltung."))
    offer = city_offer()
    if offer is None:
        raise OfferError(_l("Es gibt kein Angebot für den Bottrop-Gutschein."))
    offer.status = OfferStatus.ARCHIVED.value
    db.session.flush()
    return offer
