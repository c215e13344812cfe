"""Moderation decisions on new businesses, and the audit log.

Every decision changes the business and writes its audit event in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from hallobot.accounts.models import User, new_session_token
from hallobot.diffs import FieldChange, field_changes
from hallobot.directory import fields
from hallobot.directory.media import delete_renditions, forget_unused_media
from hallobot.directory.models import Business, Category, Photo, Status
from hallobot.directory.service import (
    DESCRIBE,
    apply_changes,
    current_values,
    display_value,
)
from hallobot.directory.slugs import unique_slug
from hallobot.errors import DomainError
from hallobot.extensions import db
from hallobot.models_base import utcnow
from hallobot.moderation.models import AuditEvent, Claim, Report, Revision
from hallobot.search.models import SynonymGroup
from hallobot.search.text import STOPWORDS, fold
from hallobot.text import plain_text
from hallobot.transaction import after_commit, transactional
from hallobot.vouchers import offers as voucher_offers
from hallobot.vouchers.models import VoucherOffer
from hallobot.vouchers.offer_fields import OfferInput

ACTIONS = {
    "business.approved": _l("Betrieb freigegeben"),
    "business.rejected": _l("Betrieb abgelehnt"),
    "business.unpublished": _l("Veröffentlichung zurückgenommen"),
    "report.dismissed": _l("Meldung verworfen"),
    "report.resolved": _l("Meldung erledigt"),
    "user.role_changed": _l("Rolle geändert"),
    "user.deactivated": _l("Konto gesperrt"),
    "user.reactivated": _l("Konto entsperrt"),
    "revision.approved": _l("Änderung freigegeben"),
    "revision.rejected": _l("Änderung abgelehnt"),
    "claim.approved": _l("Übernahme bestätigt"),
    "claim.rejected": _l("Übernahme abgelehnt"),
    "category.created": _l("Kategorie angelegt"),
    "category.updated": _l("Kategorie geändert"),
    "category.deleted": _l("Kategorie gelöscht"),
    "business.corrected": _l("Eintrag von der Moderation korrigiert"),
    "owner.invited": _l("Mitinhaber eingeladen"),
    "owner.invitation_revoked": _l("Einladung zurückgezogen"),
    "owner.joined": _l("Mitinhaber hinzugekommen"),
    "owner.left": _l("Inhaber ausgetreten"),
    "synonyms.created": _l("Synonymgruppe angelegt"),
    "synonyms.updated": _l("Synonymgruppe geändert"),
    "synonyms.deleted": _l("Synonymgruppe gelöscht"),
    "offer.approved": _l("Gutscheinangebot freigegeben"),
    "offer.rejected": _l("Gutscheinangebot abgelehnt"),
    "offer.city_saved": _l("Bottrop-Gutschein gespeichert"),
    "offer.city_withdrawn": _l("Bottrop-Gutschein zurückgezogen"),
}
REPORT_REASONS = {
    "falsche-angaben": _l("Angaben sind falsch oder veraltet"),
    "geschlossen": _l("Betrieb gibt es nicht mehr"),
    "unangemessen": _l("Unangemessener Inhalt"),
    "sonstiges": _l("Etwas anderes"),
}
REASON_MAX = 2000


class ModerationError(DomainError):
    """A user-facing problem."""


def record(
    actor: User | None, action: str, business: Business | None, reason: str = "", **details
) -> AuditEvent:
    event = AuditEvent(
        actor=actor, action=action, business=business, reason=reason, details=details
    )
    db.session.add(event)
    return event


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


def get_business(business_id: int) -> Business | None:
    return db.session.get(Business, business_id)


def _load_pending(business_id: int) -> Business:
    business = db.session.get(Business, business_id, with_for_update=True)
    if business is None or business.status != Status.PENDING:
        raise ModerationError(_l("Dieser Eintrag wartet nicht (mehr) auf eine Prüfung."))
    return business


@transactional
def approve_business(moderator: User, business_id: int, seen_version: int | None) -> Business:
    """Publish a submitted entry as the moderator saw it: if the owners changed it since the
    review page was opened, nothing happens and the moderator looks again."""
    business = _load_pending(business_id)
    if seen_version != business.version:
        raise ModerationError(
            _l(
                "Der Eintrag wurde geändert, während Sie ihn geprüft haben. Bitte sehen Sie "
                "sich die aktuelle Fassung an."
            )
        )
    business.status = Status.PUBLISHED.value
    business.status_reason = None
    business.published_at = business.published_at or utcnow()
    record(moderator, "business.approved", business)
    return business


def _check_reason(reason: str, what, field: str = "reason") -> str:
    reason = plain_text(reason)
    if len(reason) < 10:
        raise ModerationError(what, field)
    if len(reason) > REASON_MAX:
        raise ModerationError(_l("Die Begründung ist zu lang."), field)
    return reason


@transactional
def unpublish_business(moderator: User, business_id: int, reason: str) -> Business:
    """Take a published entry off the directory (archived), with a reason for the owners."""
    reason = _check_reason(reason, _l("Bitte begründen Sie die Rücknahme (mindestens 10 Zeichen)."))
    business = db.session.get(Business, business_id, with_for_update=True)
    if business is None or business.status != Status.PUBLISHED:
        raise ModerationError(_l("Dieser Eintrag ist nicht veröffentlicht."))
    business.status = Status.ARCHIVED.value
    business.status_reason = reason
    record(moderator, "business.unpublished", business, reason)
    return business


@transactional
def reject_business(moderator: User, business_id: int, reason: str) -> Business:
    reason = _check_reason(reason, _l("Bitte begründen Sie die Ablehnung (mindestens 10 Zeichen)."))
    business = _load_pending(business_id)
    business.status = Status.REJECTED.value
    business.status_reason = reason
    record(moderator, "business.rejected", business, reason)
    return business


@dataclass(frozen=True)
class AuditFilter:
    business_id: int | None = None
    actor_id: int | None = None
    action: str | None = None


def audit_log(filters: AuditFilter, page: int, per_page: int = 50) -> Pagination:
    stmt = select(AuditEvent).options(joinedload(AuditEvent.actor), joinedload(AuditEvent.business))
    if filters.business_id:
        stmt = stmt.where(AuditEvent.business_id == filters.business_id)
    if filters.actor_id:
        stmt = stmt.where(AuditEvent.actor_id == filters.actor_id)
    if filters.action:
        stmt = stmt.where(AuditEvent.action == filters.action)
    stmt = stmt.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    return db.paginate(stmt, page=page, per_page=per_page, error_out=True)


def moderators() -> list[User]:
    return list(
        db.session.scalars(
            select(User).where(User.role.in_(("moderator", "admin"))).order_by(User.email)
        )
    )


# --- reports ---


@transactional
def create_report(business: Business, reason: str, message: str, email: str | None) -> Report:
    if reason not in REPORT_REASONS:
        raise ModerationError(_l("Bitte wählen Sie einen Grund."), "reason")
    message = plain_text(message)
    if len(message) > REASON_MAX:
        raise ModerationError(_l("Die Nachricht ist zu lang."), "message")
    report = Report(
        business=business,
        reason=reason,
        message=message,
        reporter_email=(email or "").strip().lower() or None,
    )
    db.session.add(report)
    return report


def open_reports() -> list[Report]:
    return list(
        db.session.scalars(
            select(Report)
            .where(Report.status == "open")
            .options(joinedload(Report.business))
            .order_by(Report.created_at, Report.id)
        )
    )


def get_report(report_id: int) -> Report | None:
    return db.session.get(Report, report_id)


@transactional
def resolve_report(moderator: User, report_id: int, outcome: str, note: str) -> Report:
    """Close a report: ``dismissed``, ``resolved`` (corrected), or ``unpublish`` (the entry is
    taken off the directory with the note as reason). One transaction."""
    note = _check_reason(
        note, _l("Bitte notieren Sie, was Sie getan haben (mindestens 10 Zeichen)."), "note"
    )
    report = db.session.get(Report, report_id, with_for_update=True)
    if report is None or report.status != "open":
        raise ModerationError(_l("Diese Meldung ist schon erledigt."))
    if outcome == "unpublish":
        business = report.business
        if business.status != Status.PUBLISHED:
            raise ModerationError(_l("Dieser Eintrag ist nicht veröffentlicht."))
        business.status = Status.ARCHIVED.value
        business.status_reason = note
        record(moderator, "business.unpublished", business, note, report_id=report.id)
        report.status = "resolved"
    elif outcome in ("dismissed", "resolved"):
        report.status = outcome
    else:
        raise ModerationError(_l("Bitte wählen Sie, wie die Meldung erledigt ist."), "outcome")
    report.resolved_by = moderator
    report.resolved_at = utcnow()
    report.resolution_note = note
    record(
        moderator,
        f"report.{report.status}",
        report.business,
        note,
        report_id=report.id,
        outcome=outcome,
    )
    return report


# --- users ---

STAFF_ROLES = ("moderator", "admin")




@transactional
def correct_from_report(
    moderator: User, report_id: int, values: dict, note: str, seen_version: int | None
) -> dict:
    """Resolve a report by correcting the entry directly: the changed fields are written to
    the public record (its version moves on, so owners' open forms notice), the audit log
    keeps old and new values, and the report is closed, all in one transaction. Returns the
    changes as ``{field: (old, new)}`` for the owners' e-mail."""
    note = _check_reason(
        note, _l("Bitte notieren Sie, was Sie korrigiert haben (mindestens 10 Zeichen)."), "note"
    )
    report = db.session.get(Report, report_id, with_for_update=True)
    if report is None or report.status != "open":
        raise ModerationError(_l("Diese Meldung ist schon erledigt."))
    business = db.session.get(Business, report.business_id, with_for_update=True)
    if seen_version != business.version:
        raise ModerationError(
            _l(
                "Der Eintrag wurde inzwischen geändert (z. B. eine Änderung freigegeben). Das "
                "Formular zeigt jetzt die aktuellen Werte; bitte korrigieren Sie erneut."
            ),
            "stale",
        )
    current = current_values(business)
    wanted = {field: values[field] for field in fields.CORRECTABLE}
    changes = {k: (current[k], v) for k, v in wanted.items() if current[k] != v}
    if not changes:
        raise ModerationError(
            _l("Sie haben nichts geändert. Ohne Korrektur wählen Sie oben „Erledigt“."), "name"
        )
    apply_changes(business, {k: new for k, (_old, new) in changes.items()})
    record(
        moderator,
        "business.corrected",
        business,
        note,
        report_id=report.id,
        changes={k: [old, new] for k, (old, new) in changes.items()},
    )
    report.status = "resolved"
    report.resolved_by, report.resolved_at, report.resolution_note = moderator, utcnow(), note
    record(moderator, "report.resolved", business, note, report_id=report.id, outcome="edited")
    return changes


def list_users(query: str, page: int, per_page: int = 50) -> Pagination:
    stmt = select(User).order_by(User.email)
    query = (query or "").strip().lower()
    if query:
        escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(User.email.like(f"%{escaped}%", escape="\\"))
    return db.paginate(stmt, page=page, per_page=per_page, error_out=True)


def _editable_user(actor: User, user_id: int) -> User:
    user = db.session.get(User, user_id, with_for_update=True)
    if user is None:
        raise ModerationError(_l("Dieses Konto gibt es nicht."))
    if user.id == actor.id:
        raise ModerationError(_l("Ihr eigenes Konto können Sie hier nicht ändern."))
    if user.role in STAFF_ROLES and actor.role != "admin":
        raise ModerationError(_l("Konten der Moderation kann nur die Administration ändern."))
    return user


@transactional
def change_role(actor: User, user_id: int, role: str) -> User:
    """Set a user's role; only admins grant or take moderator and admin rights."""
    if role not in ("shopper", "owner", "moderator", "admin"):
        raise ModerationError(_l("Unbekannte Rolle."), "role")
    if role in STAFF_ROLES and actor.role != "admin":
        raise ModerationError(
            _l("Moderations- und Administrationsrechte vergibt nur die Administration."), "role"
        )
    user = _editable_user(actor, user_id)
    if user.role == role:
        return user
    old = user.role
    user.role = role
    record(
        actor, "user.role_changed", None, "", user_id=user.id, email=user.email, old=old, new=role
    )
    return user


@transactional
def set_active(actor: User, user_id: int, active: bool, reason: str) -> User:
    """Deactivate (ends every session at once) or reactivate an account, with a reason."""
    reason = _check_reason(reason, _l("Bitte begründen Sie die Änderung (mindestens 10 Zeichen)."))
    user = _editable_user(actor, user_id)
    if user.active == active:
        return user
    user.active = active
    if not active:
        user.session_token = new_session_token()
    record(
        actor,
        "user.reactivated" if active else "user.deactivated",
        None,
        reason,
        user_id=user.id,
        email=user.email,
    )
    return user


def get_user(user_id: int) -> User | None:
    return db.session.get(User, user_id)


# --- categories ---

ICONS = ("utensils", "basket", "shirt", "heart", "hammer", "flower", "ticket", "briefcase", "tag")


def category_tree() -> list[Category]:
    return list(
        db.session.scalars(
            select(Category)
            .where(Category.parent_id.is_(None))
            .options(selectinload(Category.children))
            .order_by(Category.position, Category.name)
        )
    )


def category_usage() -> dict[int, int]:
    return dict(
        db.session.execute(
            select(Business.category_id, func.count(Business.id)).group_by(Business.category_id)
        ).all()
    )


def _category_fields(name: str, name_en: str, icon: str, parent_id: int | None):
    name, name_en = (name or "").strip(), (name_en or "").strip()
    if not 2 <= len(name) <= 80:
        raise ModerationError(_l("Der Name muss 2 bis 80 Zeichen lang sein."), "name")
    if len(name_en) > 80:
        raise ModerationError(_l("Höchstens 80 Zeichen."), "name_en")
    if icon not in ICONS:
        raise ModerationError(_l("Bitte wählen Sie ein Symbol."), "icon")
    parent = None
    if parent_id:
        parent = db.session.get(Category, parent_id)
        if parent is None or parent.parent_id is not None:
            raise ModerationError(
                _l("Oberkategorien haben keine eigene Oberkategorie."), "parent_id"
            )
    return name, name_en, parent


@transactional
def create_category(
    actor: User, name: str, name_en: str, icon: str, parent_id: int | None
) -> Category:
    name, name_en, parent = _category_fields(name, name_en, icon, parent_id)
    slug = unique_slug(
        name, lambda s: db.session.scalar(select(Category.id).where(Category.slug == s)) is not None
    )
    position = (
        db.session.scalar(
            select(func.max(Category.position)).where(
                Category.parent_id == (parent.id if parent else None)
            )
        )
        or 0
    ) + 1
    category = Category(
        slug=slug, name=name, name_en=name_en, icon=icon, parent=parent, position=position
    )
    db.session.add(category)
    db.session.flush()
    record(actor, "category.created", None, "", category_id=category.id, name=name)
    return category


@transactional
def update_category(actor: User, category_id: int, name: str, name_en: str, icon: str) -> Category:
    category = db.session.get(Category, category_id)
    if category is None:
        raise ModerationError(_l("Diese Kategorie gibt es nicht."))
    name, name_en, _parent = _category_fields(name, name_en, icon, category.parent_id)
    old = category.name
    category.name, category.name_en, category.icon = name, name_en, icon
    record(actor, "category.updated", None, "", category_id=category.id, old=old, new=name)
    return category


@transactional
def delete_category(actor: User, category_id: int) -> None:
    category = db.session.get(Category, category_id)
    if category is None:
        raise ModerationError(_l("Diese Kategorie gibt es nicht."))
    if category.children:
        raise ModerationError(_l("Die Kategorie hat noch Unterkategorien."))
    in_use = db.session.scalar(
        select(func.count(Business.id)).where(Business.category_id == category.id)
    )
    if in_use:
        raise ModerationError(
            _l("Die Kategorie wird noch von %(n)d Einträgen verwendet.", n=in_use)
        )
    record(actor, "category.deleted", None, "", category_id=category.id, name=category.name)
    db.session.delete(category)


# --- claims ---


def open_claims() -> list[Claim]:
    return list(
        db.session.scalars(
            select(Claim)
            .where(Claim.status == "open")
            .options(joinedload(Claim.business), joinedload(Claim.user))
            .order_by(Claim.created_at, Claim.id)
        )
    )


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
    reason = _check_reason(reason, _l("Bitte begründen Sie die Ablehnung (mindestens 10 Zeichen)."))
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


# --- revisions of published businesses ---


def open_revisions() -> list[Revision]:
    return list(
        db.session.scalars(
            select(Revision)
            .where(Revision.status == "open")
            .options(joinedload(Revision.business), joinedload(Revision.author))
            .order_by(Revision.created_at, Revision.id)
        )
    )


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
        QueueItem("offer", o.created_at, o.business, o)
        for o in voucher_offers.pending_offers(db.session)
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
    reason = _check_reason(reason, _l("Bitte begründen Sie die Ablehnung (mindestens 10 Zeichen)."))
    business, revision = _open_revision(revision_id, seen)
    revision.status, revision.reason = "rejected", reason
    revision.decided_by, revision.decided_at = moderator, utcnow()
    record(moderator, "revision.rejected", business, reason, revision_id=revision.id)
    db.session.flush()
    unused = forget_unused_media(business.id, set())
    after_commit(lambda: delete_renditions(media_root, unused))
    return revision


# --- synonyms of the search ---


def _synonym_terms(raw: str) -> str:
    terms = []
    for term in (raw or "").replace("\n", ",").split(","):
        term = " ".join(term.split())
        if term and fold(term) not in {fold(t) for t in terms}:
            terms.append(term)
    if len(terms) < 2:
        raise ModerationError(
            _l("Bitte mindestens zwei Wörter angeben, durch Komma getrennt."), "terms"
        )
    if any(len(fold(t)) < 3 for t in terms):
        raise ModerationError(_l("Jedes Wort braucht mindestens drei Buchstaben."), "terms")
    if any(fold(t).split()[0] in STOPWORDS for t in terms):
        raise ModerationError(
            _l("Füllwörter wie „und“ oder „mit“ finden fast alles; bitte weglassen."), "terms"
        )
    if len(terms) > 20 or any(len(t) > 60 for t in terms):
        raise ModerationError(_l("Höchstens 20 Wörter mit je bis zu 60 Zeichen."), "terms")
    return ", ".join(terms)


@transactional
def save_synonym_group(actor: User, group_id: int | None, raw: str) -> SynonymGroup:
    """Create or change a synonym group; the search uses it at once (no reindex needed)."""
    terms = _synonym_terms(raw)
    if group_id is None:
        group = SynonymGroup(terms=terms)
        db.session.add(group)
        db.session.flush()
        record(actor, "synonyms.created", None, "", group_id=group.id, terms=terms)
    else:
        group = db.session.get(SynonymGroup, group_id)
        if group is None:
            raise ModerationError(_l("Diese Gruppe gibt es nicht (mehr)."))
        record(actor, "synonyms.updated", None, "", group_id=group.id, old=group.terms, new=terms)
        group.terms = terms
    return group


@transactional
def delete_synonym_group(actor: User, group_id: int) -> None:
    group = db.session.get(SynonymGroup, group_id)
    if group is None:
        raise ModerationError(_l("Diese Gruppe gibt es nicht (mehr)."))
    record(actor, "synonyms.deleted", None, "", group_id=group.id, terms=group.terms)
    db.session.delete(group)


# --- voucher offers ---


def _offer_error(exc: voucher_offers.OfferError) -> ModerationError:
    return ModerationError(exc.message, exc.field)


@transactional
def approve_offer(moderator: User, offer_id: int, seen: str) -> VoucherOffer:
    """Publish a waiting offer (a change replaces the published offer); logged."""
    try:
        offer, replaced = voucher_offers.approve(db.session, offer_id, seen)
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
    reason = _check_reason(reason, _l("Bitte begründen Sie die Ablehnung (mindestens 10 Zeichen)."))
    try:
        offer = voucher_offers.reject(db.session, offer_id, reason, seen)
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
        offer, changed = voucher_offers.save_city_offer(db.session, admin, data)
    except voucher_offers.OfferInvalid:
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
        offer = voucher_offers.withdraw_city_offer(db.session, admin)
    except voucher_offers.OfferError as exc:
        db.session.rollback()
        raise _offer_error(exc) from exc
    record(admin, "offer.city_withdrawn", None, "", offer_id=offer.id, title=offer.title)
    return offer
