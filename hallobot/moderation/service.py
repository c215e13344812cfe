"""Moderation decisions on new businesses, reports (and corrections from them), the audit
log and what every moderation module shares (the domain error, the reason check, ``record``).

Every decision changes the business and writes its audit event in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from hallobot.accounts.models import User
from hallobot.directory import fields
from hallobot.directory.models import Business, Status
from hallobot.directory.service import (
    apply_changes,
    current_values,
)
from hallobot.errors import DomainError
from hallobot.extensions import db
from hallobot.models_base import utcnow
from hallobot.moderation.models import AuditEvent, Report
from hallobot.text import plain_text
from hallobot.transaction import transactional

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


def check_reason(reason: str, what, field: str = "reason") -> str:
    reason = plain_text(reason)
    if len(reason) < 10:
        raise ModerationError(what, field)
    if len(reason) > REASON_MAX:
        raise ModerationError(_l("Die Begründung ist zu lang."), field)
    return reason


@transactional
def unpublish_business(moderator: User, business_id: int, reason: str) -> Business:
    """Take a published entry off the directory (archived), with a reason for the owners."""
    reason = check_reason(reason, _l("Bitte begründen Sie die Rücknahme (mindestens 10 Zeichen)."))
    business = db.session.get(Business, business_id, with_for_update=True)
    if business is None or business.status != Status.PUBLISHED:
        raise ModerationError(_l("Dieser Eintrag ist nicht veröffentlicht."))
    business.status = Status.ARCHIVED.value
    business.status_reason = reason
    record(moderator, "business.unpublished", business, reason)
    return business


@transactional
def reject_business(moderator: User, business_id: int, reason: str) -> Business:
    reason = check_reason(reason, _l("Bitte begründen Sie die Ablehnung (mindestens 10 Zeichen)."))
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


def get_report(report_id: int) -> Report | None:
    return db.session.get(Report, report_id)


@transactional
def resolve_report(moderator: User, report_id: int, outcome: str, note: str) -> Report:
    """Close a report: ``dismissed``, ``resolved`` (corrected), or ``unpublish`` (the entry is
    taken off the directory with the note as reason). One transaction."""
    note = check_reason(
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


@transactional
def correct_from_report(
    moderator: User, report_id: int, values: dict, note: str, seen_version: int | None
) -> dict:
    """Resolve a report by correcting the entry directly: the changed fields are written to
    the public record (its version moves on, so owners' open forms notice), the audit log
    keeps old and new values, and the report is closed, all in one transaction. Returns the
    changes as ``{field: (old, new)}`` for the owners' e-mail."""
    note = check_reason(
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
