"""Owners create entries, edit their basic data and submit them for review; the dashboard's
questions. Nothing here publishes anything.

The slice's other services: ``editing`` (how every editor saves: marker, proposal),
``rows`` (the section editors' rows, checked), ``photos``, ``ownership`` (claims, co-owners)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from hallobot.accounts.models import Role, User
from hallobot.directory import fields
from hallobot.directory.models import Attribute, Business, Category, District, Status
from hallobot.directory.slugs import unique_slug
from hallobot.extensions import db
from hallobot.geo.service import (
    BUSY,
    NOT_FOUND,
    OUTSIDE,
    UNAVAILABLE,
    Address,
    GeocoderSettings,
    GeocodingError,
    geocode,
)
from hallobot.models_base import utcnow
from hallobot.moderation.models import Revision
from hallobot.owner.editing import locked_for_edit, open_revision, save_section, values_for_form
from hallobot.owner.errors import OwnerError
from hallobot.transaction import transactional

# The basic data an owner edits: one value per declaration in directory/fields.py, as
# the form typed it (``basic_data`` cleans it the declared way).
BasicData = dict[str, Any]


def basic_data(typed: Mapping[str, Any]) -> BasicData:
    """The declared fields' values from ``typed`` (form data), stored the declared way."""
    return fields.cleaned({f.name: typed.get(f.name) for f in fields.FIELDS})


def _checked_attributes(slugs) -> list[Attribute]:
    wanted = sorted(set(slugs or ()))
    found = list(db.session.scalars(select(Attribute).where(Attribute.slug.in_(wanted))))
    if len(found) != len(wanted):
        raise OwnerError(_l("Bitte wählen Sie nur Merkmale aus der Liste."), "attributes")
    return found


def _same_place(stored: float | None, wanted: float | None) -> float | None:
    """The form shows six decimals (about 10 cm); an unchanged pin keeps its stored value."""
    if stored is not None and wanted is not None and round(stored, 6) == round(wanted, 6):
        return stored
    return wanted


GEOCODING_MESSAGES = {
    NOT_FOUND: _l(
        "Diese Adresse haben wir in Bottrop nicht gefunden. Bitte prüfen Sie Straße, "
        "Hausnummer und Postleitzahl – oder geben Sie die Lage unten selbst an."
    ),
    OUTSIDE: _l(
        "Diese Adresse liegt nicht in Bottrop. Bitte prüfen Sie Straße, Hausnummer und "
        "Postleitzahl."
    ),
    UNAVAILABLE: _l(
        "Die Lage der Adresse kann gerade nicht bestimmt werden: Die Adresssuche ist nicht "
        "erreichbar. Gespeichert wurde nichts. Bitte versuchen Sie es später noch einmal – "
        "oder geben Sie die Lage unten selbst an."
    ),
    BUSY: _l(
        "Die Lage der Adresse kann gerade nicht bestimmt werden: Die Adresssuche ist "
        "ausgelastet. Gespeichert wurde nichts. Bitte versuchen Sie es gleich noch einmal – "
        "oder geben Sie die Lage unten selbst an."
    ),
}


def _address(street, house_number, postcode) -> Address:
    return Address(*(str(value or "").strip() for value in (street, house_number, postcode)))


def _pin(lat: float | None, lon: float | None) -> tuple | None:
    return None if lat is None or lon is None else (round(lat, 6), round(lon, 6))


def _located(
    data: BasicData, shown: Mapping | None, geocoder: GeocoderSettings | None
) -> BasicData:
    """The data with the coordinates to save. The owner's own win: typed or set with the
    pin (they differ from what the form showed). Otherwise, when the address is new or
    changed, the geocoder places it. Runs before anything is changed in the session (the
    lookup ends the transaction while it waits); raises OwnerError on the street field
    when the address cannot be placed, and nothing is saved."""
    if geocoder is None:
        return data
    address = _address(data["street"], data["house_number"], data["postcode"])
    if shown is not None:
        if address == _address(shown["street"], shown["house_number"], shown["postcode"]):
            return data
        if _pin(data["lat"], data["lon"]) != _pin(shown.get("lat"), shown.get("lon")):
            return data
    elif data["lat"] is not None and data["lon"] is not None:
        return data
    try:
        place = geocode(address, geocoder)
    except GeocodingError as exc:
        raise OwnerError(GEOCODING_MESSAGES[exc.reason], "street") from exc
    return data | {"lat": round(place.lat, 6), "lon": round(place.lon, 6)}


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


def _category_and_district(data: BasicData) -> tuple[Category, District | None]:
    category = db.session.get(Category, data["category_id"])
    if category is None or category.parent_id is None:
        raise OwnerError(_l("Bitte wählen Sie eine Kategorie."), "category_id")
    district = db.session.get(District, data["district_id"]) if data["district_id"] else None
    if data["district_id"] and district is None:
        raise OwnerError(_l("Bitte wählen Sie einen Stadtteil."), "district_id")
    return category, district


def create_business(
    user: User, data: BasicData, geocoder: GeocoderSettings | None = None
) -> Business:
    """A new draft owned by ``user``; not public until a moderator approves it. Without
    coordinates of the owner's, the address is geocoded (with ``geocoder``) first, outside
    the transaction."""
    if not user.is_confirmed:
        raise OwnerError(_l("Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse."))
    _category_and_district(data)
    return _create_business(user, _located(data, None, geocoder))


@transactional
def _create_business(user: User, data: BasicData) -> Business:
    category, district = _category_and_district(data)
    slug = unique_slug(
        data["name"],
        lambda s: db.session.scalar(select(Business.id).where(Business.slug == s)) is not None,
    )
    columns = {k: v for k, v in data.items() if k not in ("category_id", "district_id")}
    business = Business(
        **columns | {"attributes": _checked_attributes(data["attributes"])},
        slug=slug,
        category=category,
        district=district,
        city="Bottrop",
        status=Status.DRAFT.value,
    )
    business.owners.append(user)
    if user.role == Role.SHOPPER:
        user.role = Role.OWNER.value
    db.session.add(business)
    return business


@transactional
def submit_for_review(business: Business) -> Business:
    """Draft, rejected and archived (taken offline) entries can be sent to moderation."""
    if business.status not in (Status.DRAFT, Status.REJECTED, Status.ARCHIVED):
        raise OwnerError(_l("Dieser Eintrag kann gerade nicht eingereicht werden."))
    business.status = Status.PENDING.value
    business.submitted_at = utcnow()
    return business


def save_basic_data(
    user: User,
    business: Business,
    data: BasicData,
    marker: str,
    geocoder: GeocoderSettings | None = None,
) -> str:
    """Save the basic-data form. A changed address is geocoded (with ``geocoder``, before
    the transaction) unless the owner placed the pin; for a published entry the coordinates
    go into the proposal with the address. Raises StaleEdit if someone saved in between,
    OwnerError if the address cannot be placed (nothing is written)."""
    data = _located(data, values_for_form(business, open_revision(business)), geocoder)
    return _save_basic_data(user, business, data, marker)


@transactional
def _save_basic_data(user: User, business: Business, data: BasicData, marker: str) -> str:
    business, revision = locked_for_edit(business, marker)
    _category_and_district(data)
    wanted = data | {
        "lat": _same_place(business.lat, data["lat"]),
        "lon": _same_place(business.lon, data["lon"]),
        "attributes": sorted(a.slug for a in _checked_attributes(data["attributes"])),
    }
    return save_section(user, business, revision, wanted)


def rejected_changes(user: User) -> dict[int, Revision]:
    """Per business of ``user``: the last decided proposal, if it was rejected (its reason
    is shown on the dashboard until the next proposal is decided)."""
    owned = select(Business.id).where(Business.owners.any(User.id == user.id))
    last_decided = (
        select(func.max(Revision.id))
        .where(Revision.status != "open", Revision.business_id.in_(owned))
        .group_by(Revision.business_id)
    )
    revisions = db.session.scalars(
        select(Revision).where(Revision.id.in_(last_decided), Revision.status == "rejected")
    )
    return {r.business_id: r for r in revisions}


def businesses_with_open_revision(user: User) -> set[int]:
    return set(
        db.session.scalars(
            select(Revision.business_id)
            .join(Business, Business.id == Revision.business_id)
            .where(Revision.status == "open", Business.owners.any(User.id == user.id))
        )
    )
