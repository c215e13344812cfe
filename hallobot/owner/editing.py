"""How every editor of an entry saves: against the version the form was opened on (the
marker), directly for an unpublished entry, as the one open proposal (a Revision) for a
published one."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hallobot.accounts.models import User
from hallobot.directory.media import forget_unused_media
from hallobot.directory.models import Business, Status
from hallobot.directory.service import apply_changes, current_values
from hallobot.extensions import db
from hallobot.models_base import utcnow
from hallobot.moderation.models import Revision
from hallobot.owner.errors import StaleEdit
from hallobot.transaction import transactional


def open_revision(business: Business) -> Revision | None:
    return db.session.scalar(
        select(Revision).where(Revision.business_id == business.id, Revision.status == "open")
    )


def edit_marker(business: Business, revision: Revision | None) -> str:
    """What a form carries to notice saves in between: the public version, and which
    proposal (by id, never reused) at which edit. A rejected proposal followed by a new one
    therefore never looks like the state an old form was opened in."""
    if revision is None:
        return f"{business.version}:-"
    return f"{business.version}:{revision.id}.{revision.edit_count}"


def values_for_form(business: Business, revision: Revision | None) -> dict:
    """What the owner sees in the form: the public values with their pending proposal."""
    values = current_values(business)
    if revision is not None:
        values.update(revision.changes)
    return values


def locked_for_edit(business: Business, marker: str) -> tuple[Business, Revision | None]:
    business = db.session.get(Business, business.id, with_for_update=True)
    revision = open_revision(business)
    if marker != edit_marker(business, revision):
        raise StaleEdit(
            _l(
                "Der Eintrag wurde inzwischen geändert (anderer Tab oder Mitinhaber). Ihre "
                "Eingaben sind unten erhalten; bitte prüfen Sie sie und speichern Sie erneut."
            )
        )
    return business, revision


def save_section(
    user: User,
    business: Business,
    revision: Revision | None,
    wanted: dict,
    forgotten: list[str] | None = None,
) -> str:
    """Unpublished entries change directly; for a published one the section's changes are
    merged into its one open revision. Returns "saved", "proposed" or "unchanged".
    When photos are saved, uploads that nothing uses any more are forgotten in the same
    transaction (the business is locked); their keys are added to ``forgotten`` so that the
    caller deletes the files after the commit."""
    current = current_values(business)
    changes = {k: v for k, v in wanted.items() if current[k] != v}
    if business.status != Status.PUBLISHED:
        if not changes:
            return "unchanged"
        apply_changes(business, changes)
        _forget_media(business, {}, forgotten)
        return "saved"
    other = {k: v for k, v in (revision.changes if revision else {}).items() if k not in wanted}
    merged = {**other, **changes}
    if revision is None and not merged:
        return "unchanged"
    if revision is None:
        db.session.add(Revision(business=business, author=user, changes=merged))
    elif not merged:
        db.session.delete(revision)  # the owner went back to the published values
    else:
        revision.changes = merged
        revision.author = user
        revision.edit_count += 1
        revision.updated_at = utcnow()
    _forget_media(business, merged, forgotten)
    return "proposed" if merged else "unchanged"


def _forget_media(business: Business, proposal: dict, forgotten: list[str] | None) -> None:
    if forgotten is None:
        return
    db.session.flush()
    keep = {p["key"] for p in proposal.get("photos", [])}
    forgotten.extend(forget_unused_media(business.id, keep))


@transactional
def save_values(user: User, business: Business, wanted: dict, marker: str) -> str:
    """Save what a section editor checked (hours and the holiday flag, or one list: services,
    special days, delivery, news, offers) against the version its page was opened on.
    Raises StaleEdit if someone saved in between."""
    business, revision = locked_for_edit(business, marker)
    return save_section(user, business, revision, wanted)
