"""Owners create entries and submit them for review. Nothing here publishes anything."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import time, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from hallobot.accounts.models import Role, User
from hallobot.directory import fields
from hallobot.directory.media import delete_renditions, forget_unused_media, write_renditions
from hallobot.directory.models import (
    Attribute,
    Business,
    Category,
    District,
    MediaFile,
    PhotoKind,
    Status,
)
from hallobot.directory.service import apply_changes, current_values
from hallobot.directory.slugs import unique_slug
from hallobot.errors import DomainError
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
from hallobot.moderation.models import Claim, Revision
from hallobot.moderation.service import record
from hallobot.money import parse_money as parse_price
from hallobot.owner.media import ProcessedImage
from hallobot.owner.models import Invitation
from hallobot.text import plain_text
from hallobot.transaction import after_commit, after_rollback, transactional


class OwnerError(DomainError):
    """A user-facing problem."""


@contextmanager
def _in_row(index: int) -> Iterator[None]:
    """Errors raised while checking one row of a list editor name that row."""
    try:
        yield
    except OwnerError as exc:
        exc.row = exc.row or index
        raise


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


# --- claiming an unclaimed business ---


def claimable_business(slug: str) -> Business | None:
    """A published business without owners, or None."""
    business = db.session.scalar(select(Business).where(Business.slug == slug))
    if business is None or business.status != Status.PUBLISHED or business.owners:
        return None
    return business


@transactional
def request_claim(user: User, business: Business, message: str) -> Claim:
    if not user.is_confirmed:
        raise OwnerError(_l("Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse."))
    message = plain_text(message)
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


def _locked_for_edit(business: Business, marker: str) -> tuple[Business, Revision | None]:
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


def _save_section(
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
    business, revision = _locked_for_edit(business, marker)
    _category_and_district(data)
    wanted = data | {
        "lat": _same_place(business.lat, data["lat"]),
        "lon": _same_place(business.lon, data["lon"]),
        "attributes": sorted(a.slug for a in _checked_attributes(data["attributes"])),
    }
    return _save_section(user, business, revision, wanted)


@transactional
def save_hours(
    user: User, business: Business, slots: list[list], holidays_open: bool, marker: str
) -> str:
    """The weekly hours and whether the business opens on public holidays."""
    business, revision = _locked_for_edit(business, marker)
    wanted = {"opening_hours": slots, "holidays_open": bool(holidays_open)}
    return _save_section(user, business, revision, wanted)


@transactional
def save_list_section(user: User, business: Business, field: str, value: list, marker: str) -> str:
    """Save one list section (hours, services, special days, delivery, news, offers) as
    checked by its ``…_from_form`` function. Raises StaleEdit if someone saved in between."""
    business, revision = _locked_for_edit(business, marker)
    return _save_section(user, business, revision, {field: value})


WEEKDAY_NAMES = (
    _l("Montag"),
    _l("Dienstag"),
    _l("Mittwoch"),
    _l("Donnerstag"),
    _l("Freitag"),
    _l("Samstag"),
    _l("Sonntag"),
)


def hours_from_form(days: dict[int, list[tuple[str, str]]]) -> list[list]:
    """Check a week of slots typed by a person; raises OwnerError naming the day (its row)."""
    result: list[list] = []
    for day in range(7):
        with _in_row(day + 1):
            slots = _day_slots(days.get(day, []), WEEKDAY_NAMES[day], f"day{day}")
        result.extend([day, o.strftime("%H:%M"), c.strftime("%H:%M")] for o, c in slots)
    return result


def _day_slots(typed: list[tuple[str, str]], name, field: str) -> list[tuple[time, time]]:
    """One day's slots, checked and sorted; only the last may go past midnight."""
    parsed = []
    for opens, closes in typed:
        if not opens and not closes:
            continue
        if not opens or not closes:
            raise OwnerError(_l("%(day)s: Bitte Beginn und Ende angeben.", day=name), field)
        try:
            o, c = time.fromisoformat(opens), time.fromisoformat(closes)
        except ValueError as exc:
            raise OwnerError(
                _l("%(day)s: Uhrzeit im Format 09:30 angeben.", day=name), field
            ) from exc
        if o == c:
            raise OwnerError(_l("%(day)s: Beginn und Ende sind gleich.", day=name), field)
        parsed.append((o, c))
    parsed.sort()
    for index, (o, c) in enumerate(parsed):
        if c < o and index != len(parsed) - 1:
            raise OwnerError(
                _l("%(day)s: Nur der letzte Zeitraum darf über Mitternacht gehen.", day=name),
                field,
            )
        if index and o < parsed[index - 1][1] and parsed[index - 1][1] > parsed[index - 1][0]:
            raise OwnerError(_l("%(day)s: Die Zeiträume überschneiden sich.", day=name), field)
    return parsed


def rejected_changes(user: User) -> dict[int, Revision]:
    """Per business of ``user``: the last decided proposal, if it was rejected (its reason
    is shown on the dashboard until the next proposal is decided)."""
    last_decided = (
        select(func.max(Revision.id))
        .where(Revision.status != "open")
        .group_by(Revision.business_id)
        .scalar_subquery()
    )
    revisions = db.session.scalars(
        select(Revision)
        .join(Business, Business.id == Revision.business_id)
        .where(
            Revision.id.in_(last_decided),
            Revision.status == "rejected",
            Business.owners.any(User.id == user.id),
        )
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


# --- services and products ---


def services_from_form(rows: list[dict]) -> list[dict]:
    """Rows typed by a person (name, description, price, unit, position, remove) → the
    ordered service list; raises OwnerError naming the row."""
    kept = []
    for index, row in enumerate(rows, start=1):
        with _in_row(index):
            name = (row.get("name") or "").strip()
            if row.get("remove") or not (name or row.get("price") or row.get("description")):
                continue
            if not name:
                raise OwnerError(_l("Zeile %(n)d: Bitte einen Namen angeben.", n=index), "services")
            if len(name) > 120:
                raise OwnerError(_l("Zeile %(n)d: Der Name ist zu lang.", n=index), "services")
            try:
                price = parse_price(row.get("price", ""))
            except ValueError as exc:
                raise OwnerError(
                    _l("Zeile %(n)d: Preis bitte wie 4,20 angeben.", n=index), "services"
                ) from exc
            try:
                position = int(row.get("position") or index)
            except ValueError:
                position = index
            kept.append(
                (
                    position,
                    index,
                    {
                        "name": name,
                        "description": (row.get("description") or "").strip()[:1000],
                        "price_cents": price,
                        "unit": (row.get("unit") or "").strip()[:40],
                    },
                )
            )
    if len(kept) > 60:
        raise OwnerError(_l("Höchstens 60 Leistungen."), "services")
    return [item for _pos, _idx, item in sorted(kept, key=lambda k: (k[0], k[1]))]


# --- special days (holidays, vacation, other hours) ---


def special_days_from_form(rows: list[dict]) -> list[dict]:
    """Rows (date, closed, opens, closes, note, remove) → sorted special days; raises
    OwnerError naming the row."""
    from datetime import date as _date
    from datetime import time as _time

    result = []
    for index, row in enumerate(rows, start=1):
        with _in_row(index):
            raw_date = (row.get("date") or "").strip()
            if row.get("remove") or not (raw_date or row.get("opens") or row.get("note")):
                continue
            try:
                day = _date.fromisoformat(raw_date)
            except ValueError as exc:
                raise OwnerError(
                    _l("Zeile %(n)d: Bitte ein Datum angeben.", n=index), "special_days"
                ) from exc
            closed = bool(row.get("closed"))
            opens = closes = None
            if not closed:
                try:
                    opens = _time.fromisoformat(row.get("opens") or "").strftime("%H:%M")
                    closes = _time.fromisoformat(row.get("closes") or "").strftime("%H:%M")
                except ValueError as exc:
                    raise OwnerError(
                        _l(
                            "Zeile %(n)d: Geschlossen ankreuzen oder Beginn und Ende angeben.",
                            n=index,
                        ),
                        "special_days",
                    ) from exc
                if opens == closes:
                    raise OwnerError(
                        _l("Zeile %(n)d: Beginn und Ende sind gleich.", n=index), "special_days"
                    )
            result.append(
                {
                    "date": day.isoformat(),
                    "closed": closed,
                    "opens": opens,
                    "closes": closes,
                    "note": (row.get("note") or "").strip()[:200],
                }
            )
    if len({(d["date"], d["opens"]) for d in result}) != len(result):
        raise OwnerError(_l("Ein Datum ist doppelt eingetragen."), "special_days")
    return sorted(result, key=lambda d: (d["date"], d["opens"] or ""))


# --- delivery, pickup, shipping ---

DELIVERY_KINDS = ("delivery", "pickup", "shipping")


def delivery_from_form(rows: list[dict]) -> list[dict]:
    """Rows (kind, postcodes, radius, fee, minimum, free_from, note, remove) → options;
    raises OwnerError naming the row."""
    result = []
    for index, row in enumerate(rows, start=1):
        with _in_row(index):
            kind = row.get("kind") or ""
            if row.get("remove") or not kind:
                continue
            if kind not in DELIVERY_KINDS:
                raise OwnerError(_l("Zeile %(n)d: Bitte die Art wählen.", n=index), "delivery")
            postcodes = [p for p in re.split(r"[\s,;]+", row.get("postcodes") or "") if p]
            if any(not re.fullmatch(r"\d{5}", p) for p in postcodes):
                raise OwnerError(
                    _l(
                        "Zeile %(n)d: Postleitzahlen mit fünf Ziffern, durch Komma getrennt.",
                        n=index,
                    ),
                    "delivery",
                )
            radius = None
            if (row.get("radius") or "").strip():
                try:
                    radius = float(row["radius"].replace(",", "."))
                except ValueError:
                    radius = -1.0
                if not 0 < radius <= 100:
                    raise OwnerError(
                        _l("Zeile %(n)d: Umkreis zwischen 0 und 100 km.", n=index), "delivery"
                    )
            if kind == "delivery" and not postcodes and radius is None:
                raise OwnerError(
                    _l(
                        "Zeile %(n)d: Für Lieferung bitte Postleitzahlen oder einen Umkreis "
                        "angeben.",
                        n=index,
                    ),
                    "delivery",
                )
            try:
                fee = parse_price(row.get("fee", "")) or 0
                minimum = parse_price(row.get("minimum", "")) or 0
                free_from = parse_price(row.get("free_from", ""))
            except ValueError as exc:
                raise OwnerError(
                    _l("Zeile %(n)d: Beträge bitte wie 2,50 angeben.", n=index), "delivery"
                ) from exc
            result.append(
                {
                    "kind": kind,
                    "postcodes": postcodes,
                    "radius_km": radius,
                    "fee_cents": fee,
                    "min_order_cents": minimum,
                    "free_from_cents": free_from,
                    "note": (row.get("note") or "").strip()[:500],
                }
            )
    return result


# --- news posts ---


def news_from_form(rows: list[dict], today) -> list[dict]:
    """Rows (title, body, published, valid_until, remove) → news posts; raises OwnerError."""
    from datetime import date as _date

    result = []
    for index, row in enumerate(rows, start=1):
        with _in_row(index):
            title = (row.get("title") or "").strip()
            if row.get("remove") or not (title or (row.get("body") or "").strip()):
                continue
            if not title or len(title) > 160:
                raise OwnerError(
                    _l("Meldung %(n)d: Bitte einen Titel (bis 160 Zeichen) angeben.", n=index),
                    "news",
                )
            try:
                published = _date.fromisoformat(row.get("published") or today.isoformat())
                until = _date.fromisoformat(row["valid_until"]) if row.get("valid_until") else None
            except ValueError as exc:
                raise OwnerError(
                    _l("Meldung %(n)d: Bitte gültige Daten angeben.", n=index), "news"
                ) from exc
            if until is not None and until < published:
                raise OwnerError(
                    _l(
                        "Meldung %(n)d: Das Enddatum liegt vor dem Veröffentlichungsdatum.", n=index
                    ),
                    "news",
                )
            result.append(
                {
                    "title": title,
                    "body": (row.get("body") or "").strip()[:5000],
                    "published": published.isoformat(),
                    "valid_until": until.isoformat() if until else None,
                }
            )
    return sorted(result, key=lambda n: (n["published"], n["title"]), reverse=True)


# --- current special services (date-ranged badges) ---


def offers_from_form(rows: list[dict]) -> list[dict]:
    from datetime import date as _date

    result = []
    for index, row in enumerate(rows, start=1):
        with _in_row(index):
            label = (row.get("label") or "").strip()
            if row.get("remove") or not (label or row.get("starts") or row.get("ends")):
                continue
            if not label or len(label) > 80:
                raise OwnerError(
                    _l("Zeile %(n)d: Bitte eine Bezeichnung (bis 80 Zeichen) angeben.", n=index),
                    "offers",
                )
            try:
                starts = _date.fromisoformat(row.get("starts") or "")
                ends = _date.fromisoformat(row.get("ends") or "")
            except ValueError as exc:
                raise OwnerError(
                    _l("Zeile %(n)d: Bitte Beginn und Ende als Datum angeben.", n=index), "offers"
                ) from exc
            if ends < starts:
                raise OwnerError(
                    _l("Zeile %(n)d: Das Ende liegt vor dem Beginn.", n=index), "offers"
                )
            result.append({"label": label, "starts": starts.isoformat(), "ends": ends.isoformat()})
    return sorted(result, key=lambda o: (o["starts"], o["label"]))


# --- photos: a logo and up to 12 gallery pictures, each with an alt text ---

MAX_GALLERY = 12
ALT_MIN, ALT_MAX = 3, 200


def _check_alt(alt: str, what) -> str:
    alt = " ".join((alt or "").split())
    if len(alt) < ALT_MIN:
        raise OwnerError(what, "alt_text")
    if len(alt) > ALT_MAX:
        raise OwnerError(_l("Der Bildtext darf höchstens 200 Zeichen haben."), "alt_text")
    return alt


def photo_list(business: Business, revision: Revision | None) -> list[dict]:
    """The photos as the owner sees them: the public ones with any pending proposal."""
    return values_for_form(business, revision)["photos"]


def photos_from_form(rows: list[dict], current: list[dict]) -> list[dict]:
    """Rows (key, alt, position, remove) of the photo list → logo first, then the gallery
    in the chosen order. Only photos already in the list may appear; a photo is removed only
    when its box is ticked: one the form did not show (uploaded meanwhile in another tab)
    stays, after the others."""
    by_key = {p["key"]: p for p in current}
    kept, posted = [], set()
    for index, row in enumerate(rows, start=1):
        with _in_row(index):
            photo = by_key.get(row.get("key") or "")
            if photo is None or photo["key"] in posted:
                continue
            posted.add(photo["key"])
            if row.get("remove"):
                continue
            alt = _check_alt(
                row.get("alt") or "",
                _l("Foto %(n)d: Bitte beschreiben Sie das Bild in einem kurzen Text.", n=index),
            )
            try:
                position = int(row.get("position") or index)
            except ValueError:
                position = index
            kept.append((photo["kind"] != "logo", position, index, {**photo, "alt": alt}))
    unseen = len(rows) + 1
    for n, photo in enumerate(p for p in current if p["key"] not in posted):
        kept.append((photo["kind"] != "logo", 10_000 + n, unseen + n, photo))
    return [item for *_order, item in sorted(kept, key=lambda k: k[:3])]


@transactional
def save_photos(
    user: User, business: Business, rows: list[dict], marker: str, media_root: str
) -> str:
    """Save alt texts, order and removals of the photo list; the files of removed photos
    that nothing uses any more are deleted after the commit."""
    business, revision = _locked_for_edit(business, marker)
    wanted = photos_from_form(rows, photo_list(business, revision))
    forgotten: list[str] = []
    outcome = _save_section(user, business, revision, {"photos": wanted}, forgotten)
    after_commit(lambda: delete_renditions(media_root, forgotten))
    return outcome


@transactional
def add_photo(
    user: User,
    business: Business,
    image: ProcessedImage,
    kind: str,
    alt: str,
    marker: str,
    media_root: str,
) -> str:
    """Store an uploaded (already re-encoded) photo and add it to the entry: as the logo
    (replacing the old one) or to the gallery. Files and database change together: if the
    save fails, the written files are removed again."""
    if kind not in (PhotoKind.LOGO, PhotoKind.GALLERY):
        raise OwnerError(_l("Bitte wählen Sie, ob es das Logo oder ein Galeriefoto ist."), "kind")
    alt = _check_alt(alt, _l("Bitte beschreiben Sie das Bild in einem kurzen Text (Bildtext)."))
    business, revision = _locked_for_edit(business, marker)
    photos = [dict(p) for p in photo_list(business, revision)]
    if kind == PhotoKind.LOGO:
        photos = [p for p in photos if p["kind"] != PhotoKind.LOGO]
    elif sum(p["kind"] == PhotoKind.GALLERY for p in photos) >= MAX_GALLERY:
        raise OwnerError(
            _l("Höchstens %(n)d Galeriefotos. Entfernen Sie zuerst eines.", n=MAX_GALLERY),
            "photo",
        )
    key = secrets.token_hex(16)
    item = {"key": key, "kind": str(kind), "alt": alt}
    photos = [item, *photos] if kind == PhotoKind.LOGO else [*photos, item]
    write_renditions(media_root, key, image.renditions)
    after_rollback(lambda: delete_renditions(media_root, [key]))
    db.session.add(
        MediaFile(
            key=key,
            business_id=business.id,
            uploaded_by_id=user.id,
            width=image.width,
            height=image.height,
        )
    )
    db.session.flush()
    forgotten: list[str] = []
    outcome = _save_section(user, business, revision, {"photos": photos}, forgotten)
    after_commit(lambda: delete_renditions(media_root, forgotten))
    return outcome


# --- co-owners: invitations by e-mail ---

INVITATION_VALID = timedelta(days=7)
MAX_OPEN_INVITATIONS = 10


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_invitations(business: Business) -> list[Invitation]:
    now = utcnow()
    return list(
        db.session.scalars(
            select(Invitation)
            .where(
                Invitation.business_id == business.id,
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > now,
            )
            .order_by(Invitation.created_at)
        )
    )


@transactional
def invite_co_owner(inviter: User, business: Business, email: str) -> tuple[Invitation, str]:
    """Invite someone to co-own ``business``; returns the invitation and the token for the
    link (only its hash is stored). A new invitation to the same address replaces an open one."""
    email = (email or "").strip().lower()
    if any(owner.email == email for owner in business.owners):
        raise OwnerError(_l("Diese Person ist bereits Inhaber dieses Eintrags."), "email")
    current = open_invitations(business)
    for invitation in current:
        if invitation.email == email:
            invitation.revoked_at = utcnow()
    if sum(i.email != email for i in current) >= MAX_OPEN_INVITATIONS:
        raise OwnerError(
            _l("Es sind schon %(n)d Einladungen offen.", n=MAX_OPEN_INVITATIONS), "email"
        )
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        business=business,
        email=email,
        token_hash=_token_hash(token),
        invited_by=inviter,
        expires_at=utcnow() + INVITATION_VALID,
    )
    db.session.add(invitation)
    record(inviter, "owner.invited", business, "", email=email)
    return invitation, token


@transactional
def revoke_invitation(user: User, business: Business, invitation_id: int) -> None:
    invitation = db.session.get(Invitation, invitation_id, with_for_update=True)
    if invitation is None or invitation.business_id != business.id:
        raise OwnerError(_l("Diese Einladung gibt es nicht."))
    if not invitation.is_open(utcnow()):
        raise OwnerError(_l("Diese Einladung ist nicht mehr offen."))
    invitation.revoked_at = utcnow()
    record(user, "owner.invitation_revoked", business, "", email=invitation.email)


def invitation_for_token(token: str) -> Invitation | None:
    return db.session.scalar(select(Invitation).where(Invitation.token_hash == _token_hash(token)))


@transactional
def accept_invitation(user: User, token: str) -> Business:
    """Make ``user`` a co-owner. The link works once, within 7 days, and only for the account
    with the invited (and confirmed) address."""
    invitation = invitation_for_token(token)
    if invitation is not None:
        invitation = db.session.get(Invitation, invitation.id, with_for_update=True)
    if invitation is None or not invitation.is_open(utcnow()):
        raise OwnerError(
            _l(
                "Diese Einladung ist ungültig, abgelaufen oder schon verwendet. Bitten Sie den "
                "Inhaber um eine neue Einladung."
            )
        )
    if user.email != invitation.email:
        raise OwnerError(
            _l(
                "Diese Einladung gilt für eine andere E-Mail-Adresse. Bitte melden Sie sich mit "
                "dem Konto an, an dessen Adresse die Einladung ging."
            )
        )
    if not user.is_confirmed:
        raise OwnerError(_l("Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse."))
    business = invitation.business
    if all(owner.id != user.id for owner in business.owners):
        business.owners.append(user)
    if user.role == Role.SHOPPER:
        user.role = Role.OWNER.value
    invitation.accepted_at, invitation.accepted_by = utcnow(), user
    record(user, "owner.joined", business, "", invitation_id=invitation.id)
    return business


@transactional
def leave_business(user: User, business: Business) -> None:
    """``user`` stops being an owner. The last owner cannot leave: a published entry would
    lose everyone who can keep it current (a moderator can archive it instead)."""
    business = db.session.get(Business, business.id, with_for_update=True)
    if all(owner.id != user.id for owner in business.owners):
        raise OwnerError(_l("Sie sind nicht Inhaber dieses Eintrags."))
    if len(business.owners) == 1:
        raise OwnerError(
            _l(
                "Sie sind der einzige Inhaber. Laden Sie zuerst jemanden ein, der den Eintrag "
                "weiter pflegt, oder bitten Sie unsere Moderation, ihn zu archivieren."
            )
        )
    business.owners.remove(user)
    record(user, "owner.left", business, "")
