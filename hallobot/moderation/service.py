"""Moderation decisions on new businesses, and the audit log.

Every decision changes the business and writes its audit event in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from hallobot.accounts.models import User
from hallobot.directory.models import Business, Category, Status
from hallobot.errors import DomainError
from hallobot.extensions import db
from hallobot.models_base import utcnow
from hallobot.moderation.models import AuditEvent

ACTIONS = {
    "business.approved": _l("Betrieb freigegeben"),
    "business.rejected": _l("Betrieb abgelehnt"),
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
    return (
        db.session.scalar(select(func.count(Business.id)).where(Business.status == Status.PENDING))
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


def _load_pending(business_id: int) -> Business:
    business = db.session.get(Business, business_id, with_for_update=True)
    if business is None or business.status != Status.PENDING:
        raise ModerationError(_l("Dieser Eintrag wartet nicht (mehr) auf eine Prüfung."))
    return business


def approve_business(moderator: User, business_id: int) -> Business:
    business = _load_pending(business_id)
    business.status = Status.PUBLISHED.value
    business.status_reason = None
    business.published_at = business.published_at or utcnow()
    record(moderator, "business.approved", business)
    db.session.commit()
    return business


def reject_business(moderator: User, business_id: int, reason: str) -> Business:
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ModerationError(
            _l("Bitte begründen Sie die Ablehnung (mindestens 10 Zeichen)."), "reason"
        )
    if len(reason) > REASON_MAX:
        raise ModerationError(_l("Die Begründung ist zu lang."), "reason")
    business = _load_pending(business_id)
    business.status = Status.REJECTED.value
    business.status_reason = reason
    record(moderator, "business.rejected", business, reason)
    db.session.commit()
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
