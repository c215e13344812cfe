"""Owners create entries and submit them for review. Nothing here publishes anything."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from hallobot.accounts.models import Role, User
from hallobot.directory.models import Business, Category, District, Status
from hallobot.directory.service import apply_changes, current_values  # noqa: F401 (re-used by views)
from hallobot.directory.slugs import unique_slug
from hallobot.errors import DomainError
from hallobot.extensions import db
from hallobot.models_base import utcnow
from hallobot.moderation.models import Claim, Revision


class OwnerError(DomainError):
    """A user-facing problem."""


@dataclass(frozen=True)
class BasicData:
    name: str
    category_id: int
    district_id: int | None
    short_description: str
    description: str
    street: str
    house_number: str
    postcode: str
    phone: str | None
    email: str | None
    website: str | None


def owned_businesses(user: User) -> list[Business]:
    return list(
        db.session.scalars(
            select(Business)
            .where(Business.owners.any(User.id == user.id))
            .options(joinedload(Business.category), joinedload(Business.district))
            .order_by(Business.name)
        )
    )


def category_choices() -> list[Category]:
    """Sub-categories (what a business is filed under), grouped by their parent."""
    return list(
        db.session.scalars(
            select(Category)
            .where(Category.parent_id.is_not(None))
            .options(joinedload(Category.parent))
            .order_by(Category.parent_id, Category.position)
        )
    )


def district_choices() -> list[District]:
    return list(db.session.scalars(select(District).order_by(District.name)))


def create_business(user: User, data: BasicData) -> Business:
    """A new draft owned by ``user``; not public until a moderator approves it."""
    if not user.is_confirmed:
        raise OwnerError(_l("Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse."))
    category = db.session.get(Category, data.category_id)
    if category is None or category.parent_id is None:
        raise OwnerError(_l("Bitte wählen Sie eine Kategorie."), "category_id")
    district = db.session.get(District, data.district_id) if data.district_id else None
    if data.district_id and district is None:
        raise OwnerError(_l("Bitte wählen Sie einen Stadtteil."), "district_id")
    slug = unique_slug(
        data.name,
        lambda s: db.session.scalar(select(Business.id).where(Business.slug == s)) is not None,
    )
    business = Business(
        name=data.name.strip(),
        slug=slug,
        category=category,
        district=district,
        short_description=data.short_description.strip(),
        description=data.description.strip(),
        street=data.street.strip(),
        house_number=data.house_number.strip(),
        postcode=data.postcode.strip(),
        city="Bottrop",
        phone=(data.phone or "").strip() or None,
        email=(data.email or "").strip().lower() or None,
        website=(data.website or "").strip() or None,
        status=Status.DRAFT.value,
    )
    business.owners.append(user)
    if user.role == Role.SHOPPER:
        user.role = Role.OWNER.value
    db.session.add(business)
    db.session.commit()
    return business


def owned_business_or_none(user: User, slug: str) -> Business | None:
    return db.session.scalar(
        select(Business).where(Business.slug == slug, Business.owners.any(User.id == user.id))
    )


def submit_for_review(business: Business) -> Business:
    if business.status not in (Status.DRAFT, Status.REJECTED):
        raise OwnerError(_l("Dieser Eintrag kann gerade nicht eingereicht werden."))
    business.status = Status.PENDING.value
    business.submitted_at = utcnow()
    db.session.commit()
    return business


# --- claiming an unclaimed business ---


def claimable_business(slug: str) -> Business | None:
    """A published business without owners, or None."""
    business = db.session.scalar(select(Business).where(Business.slug == slug))
    if business is None or business.status != Status.PUBLISHED or business.owners:
        return None
    return business


def request_claim(user: User, business: Business, message: str) -> Claim:
    if not user.is_confirmed:
        raise OwnerError(_l("Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse."))
    message = (message or "").strip()
    if len(message) < 20:
        raise OwnerError(
            _l("Bitte schreiben Sie uns in mindestens 20 Zeichen, wie Sie zum Betrieb gehören."),
            "message",
        )
    if len(message) > 2000:
        raise OwnerError(_l("Höchstens 2000 Zeichen."), "message")
    existing = db.session.scalar(
        select(Claim.id).where(
            Claim.business_id == business.id, Claim.user_id == user.id, Claim.status == "open"
        )
    )
    if existing is not None:
        raise OwnerError(_l("Ihr Antrag für diesen Betrieb wird bereits geprüft."))
    claim = Claim(business=business, user=user, message=message)
    db.session.add(claim)
    db.session.commit()
    return claim


def claims_of(user: User) -> list[Claim]:
    return list(
        db.session.scalars(
            select(Claim)
            .where(Claim.user_id == user.id, Claim.status != "approved")
            .options(joinedload(Claim.business))
            .order_by(Claim.created_at.desc())
        )
    )


# --- editing basic data ---


class StaleEdit(OwnerError):
    """The entry changed since the form was opened; nothing was saved."""


def open_revision(business: Business) -> Revision | None:
    return db.session.scalar(
        select(Revision).where(Revision.business_id == business.id, Revision.status == "open")
    )


def edit_marker(business: Business, revision: Revision | None) -> str:
    return f"{business.version}:{revision.edit_count if revision else 0}"


def values_for_form(business: Business, revision: Revision | None) -> dict:
    """What the owner sees in the form: the public values with their pending proposal."""
    values = current_values(business)
    if revision is not None:
        values.update(revision.changes)
    return values


def save_basic_data(user: User, business: Business, data: BasicData, marker: str) -> str:
    """Save the owner's form. Unpublished entries change directly; a published one gets
    (or updates) its one open revision for moderation. Returns "saved", "proposed" or
    "unchanged". Raises StaleEdit if someone saved in between (nothing is written)."""
    business = db.session.get(Business, business.id, with_for_update=True)
    revision = open_revision(business)
    if marker != edit_marker(business, revision):
        raise StaleEdit(
            _l(
                "Der Eintrag wurde inzwischen geändert (anderer Tab oder Mitinhaber). Ihre "
                "Eingaben sind unten erhalten; bitte prüfen Sie sie und speichern Sie erneut."
            )
        )
    category = db.session.get(Category, data.category_id)
    if category is None or category.parent_id is None:
        raise OwnerError(_l("Bitte wählen Sie eine Kategorie."), "category_id")
    if data.district_id and db.session.get(District, data.district_id) is None:
        raise OwnerError(_l("Bitte wählen Sie einen Stadtteil."), "district_id")
    wanted = {
        "name": data.name.strip(),
        "category_id": data.category_id,
        "district_id": data.district_id,
        "short_description": data.short_description.strip(),
        "description": data.description.strip(),
        "street": data.street.strip(),
        "house_number": data.house_number.strip(),
        "postcode": data.postcode.strip(),
        "phone": (data.phone or "").strip() or None,
        "email": (data.email or "").strip().lower() or None,
        "website": (data.website or "").strip() or None,
    }
    changes = {k: v for k, v in wanted.items() if current_values(business)[k] != v}
    if business.status != Status.PUBLISHED:
        if not changes:
            return "unchanged"
        apply_changes(business, changes)
        db.session.commit()
        return "saved"
    if revision is None and not changes:
        return "unchanged"
    if revision is None:
        revision = Revision(business=business, author=user, changes=changes)
        db.session.add(revision)
    elif not changes:
        db.session.delete(revision)  # the owner went back to the published values
        db.session.commit()
        return "unchanged"
    else:
        revision.changes = changes
        revision.author = user
        revision.edit_count += 1
        revision.updated_at = utcnow()
    db.session.commit()
    return "proposed"


def businesses_with_open_revision(user: User) -> set[int]:
    return set(
        db.session.scalars(
            select(Revision.business_id)
            .join(Business, Business.id == Revision.business_id)
            .where(Revision.status == "open", Business.owners.any(User.id == user.id))
        )
    )
