"""Decisions on what owners and users proposed: claims of an entry, changes to a
published entry (revisions), voucher offers; and the administration's Bottrop-Gutschein.
Each decision and its audit event are one transaction."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hallobot.accounts.models import User
from hallobot.diffs import FieldChange, field_changes
from hallobot.directory import fields
from hallobot.directory.media import delete_renditions, forget_unused_media
from hallobot.directory.models import Business
from hallobot.directory.service import (
    DESCRIBE,
    apply_changes,
    current_values,
    display_value,
)
from hallobot.extensions import db
from hallobot.models_base import utcnow
from hallobot.moderation.models import Claim, Revision
from hallobot.moderation.service import ModerationError, check_reason, record
from hallobot.transaction import after_commit, transactional
from hallobot.vouchers import offer_rules
from hallobot.vouchers import offers as voucher_offers
from hallobot.vouchers.models import VoucherOffer
from hallobot.vouchers.offer_fields import OfferInput


def get_claim(claim_id: int) -> Claim | None:
    return db.session.get(Claim, claim_id)


def _open_claim(claim_id: int) -> Claim:
    claim = db.session.get(Claim, claim_id, with_for_update=True)
    if claim is None or claim.status != "open":
        raise ModerationError(_l("Über diesen Antrag ist schon entschieden."))
    return claim


@transactional
def approve_claim(moderator: User, claim_id: int) -> list[Claim]:
    """The claimant becomes an owner; other open claims on the business are declined.
    Returns every claim decided (the approved one first)."""
    claim = _open_claim(claim_id)
    business, user = claim.business, claim.user
    if business.owners:
        raise ModerationError(_l("Dieser Betrieb hat inzwischen Inhaber."))
    business.owners.append(user)
    if user.role == "shopper":
        user.role = "owner"
    decided = [claim]
    claim.status = "approved"
    others = db.session.scalars(
        select(Claim).where(
            Claim.business_id == business.id, Claim.status == "open", Claim.id != claim.id
        )
    ).all()
    for other in others:
        other.status, other.reason = "rejected", str(_l("Ein anderer Antrag wurde bestätigt."))
        decided.append(other)
    now = utcnow()
    for c in decided:
        c.decided_by, c.decided_at = moderator, now
        record(
            moderator,
            f"claim.{c.status}",
            business,
            c.reason,
            claim_id=c.id,
            user_id=c.user_id,
            email=c.user.email,
        )
    return decided


@transactional
def reject_claim(moderator: User, claim_id: int, reason: str) -> Claim:
    reason = check_reason(reason, _l("Bitte begründen Sie die Ablehnung (mindestens 10 Zeichen)."))
    claim = _open_claim(claim_id)
    claim.status, claim.reason = "rejected", reason
    claim.decided_by, claim.decided_at = moderator, utcnow()
    record(
        moderator,
        "claim.rejected",
        claim.business,
        reason,
        claim_id=claim.id,
        user_id=claim.user_id,
        email=claim.user.email,
    )
    return claim


def get_revision(revision_id: int) -> Revision | None:
    return db.session.get(Revision, revision_id)


def revision_diff(revision: Revision) -> list[FieldChange]:
    """Field by field: the public value now, and the proposed one."""
    return field_changes(
        current_values(revision.business), revision.changes, fields.LABELS, display_value, DESCRIBE
    )


SEEN_CHANGED = _l(
    "Der Vorschlag wurde geändert, während Sie ihn angesehen haben. Bitte prüfen Sie die "
    "aktuelle Fassung unten und entscheiden Sie dann."
)


def revision_seen(revision: Revision) -> str:
    """What the diff page carries: the state of the proposal the moderator saw."""
    return f"{revision.id}.{revision.edit_count}"


def _open_revision(revision_id: int, seen: str) -> tuple[Business, Revision]:
    """Lock the business first, then its proposal (the order owners' saves use, so that the
    two never wait for each other), and check the proposal is what the moderator saw."""
    found = db.session.get(Revision, revision_id)
    if found is None:
        raise ModerationError(_l("Über diese Änderung ist schon entschieden."))
    business = db.session.get(Business, found.business_id, with_for_update=True)
    revision = db.session.get(Revision, revision_id, with_for_update=True, populate_existing=True)
    if revision is None or revision.status != "open":
        raise ModerationError(_l("Über diese Änderung ist schon entschieden."))
    if seen != revision_seen(revision):
        raise ModerationError(SEEN_CHANGED)
    return business, revision


@transactional
def approve_revision(moderator: User, revision_id: int, seen: str, media_root: str) -> Revision:
    """Apply the change set to the public record, all or nothing; then delete the files of
    photos it removed."""
    business, revision = _open_revision(revision_id, seen)
    diff = revision_diff(revision)
    apply_changes(business, dict(revision.changes))
    revision.status = "approved"
    revision.decided_by, revision.decided_at = moderator, utcnow()
    record(
        moderator,
        "revision.approved",
        business,
        "",
        revision_id=revision.id,
        fields=[c.field for c in diff],
    )
    db.session.flush()
    unused = forget_unused_media(business.id, set())
    after_commit(lambda: delete_renditions(media_root, unused))
    return revision


@transactional
def reject_revision(
    moderator: User, revision_id: int, reason: str, seen: str, media_root: str
) -> Revision:
    """Drop the proposal (and the files of photos uploaded for it); the owners get the reason."""
    reason = check_reason(reason, _l("Bitte begründen Sie die Ablehnung (mindestens 10 Zeichen)."))
    business, revision = _open_revision(revision_id, seen)
    revision.status, revision.reason = "rejected", reason
    revision.decided_by, revision.decided_at = moderator, utcnow()
    record(moderator, "revision.rejected", business, reason, revision_id=revision.id)
    db.session.flush()
    unused = forget_unused_media(business.id, set())
    after_commit(lambda: delete_renditions(media_root, unused))
    return revision


def _offer_error(exc: voucher_offers.OfferError) -> ModerationError:
    return ModerationError(exc.message, exc.field)


@transactional
def approve_offer(moderator: User, offer_id: int, seen: str) -> VoucherOffer:
    """Publish a waiting offer (a change replaces the published offer); logged."""
    try:
        offer, replaced = voucher_offers.approve(offer_id, seen)
    except voucher_offers.OfferError as exc:
        raise _offer_error(exc) from exc
    details = {"offer_id": offer.id, "title": offer.title}
    if replaced is not None:
        details["replaces"] = replaced.id
    record(moderator, "offer.approved", offer.business, "", **details)
    return offer


@transactional
def reject_offer(moderator: User, offer_id: int, reason: str, seen: str) -> VoucherOffer:
    """Turn a waiting offer down with a reason for the owners; logged."""
    reason = check_reason(reason, _l("Bitte begründen Sie die Ablehnung (mindestens 10 Zeichen)."))
    try:
        offer = voucher_offers.reject(offer_id, reason, seen)
    except voucher_offers.OfferError as exc:
        raise _offer_error(exc) from exc
    record(
        moderator, "offer.rejected", offer.business, reason, offer_id=offer.id, title=offer.title
    )
    return offer


@transactional
def save_city_offer(admin: User, data: OfferInput) -> VoucherOffer:
    """Create or change the Bottrop-Gutschein (published at once); logged with the changed
    fields. Raises OfferInvalid for mistakes in the form."""
    try:
        offer, changed = voucher_offers.save_city_offer(admin, data)
    except offer_rules.OfferInvalid:
        db.session.rollback()
        raise
    except voucher_offers.OfferError as exc:
        db.session.rollback()
        raise _offer_error(exc) from exc
    record(admin, "offer.city_saved", None, "", offer_id=offer.id, changes=changed)
    return offer


@transactional
def withdraw_city_offer(admin: User) -> VoucherOffer:
    try:
        offer = voucher_offers.withdraw_city_offer(admin)
    except voucher_offers.OfferError as exc:
        db.session.rollback()
        raise _offer_error(exc) from exc
    record(admin, "offer.city_withdrawn", None, "", offer_id=offer.id, title=offer.title)
    return offer
