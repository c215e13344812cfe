"""Loading the JSON files in ``seed_data/``.

* Reference data (districts, categories, attributes) is upserted by slug: safe in production.
* Demo data (fictional businesses, demo accounts, WiFi4EU hotspots) is only inserted where
  missing, never overwritten, so running it twice changes nothing.

Everything happens in one transaction: a broken file leaves the database as it was.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from hallobot.accounts.models import User
from hallobot.accounts.service import hash_password, normalize_email
from hallobot.directory.fields import instagram_url
from hallobot.directory.hours import local_now
from hallobot.directory.models import (
    Attribute,
    Business,
    Category,
    DeliveryOption,
    District,
    Hotspot,
    NewsPost,
    OpeningHours,
    Service,
    SpecialDay,
    Status,
)
from hallobot.directory.slugs import make_slug
from hallobot.extensions import db
from hallobot.models_base import utcnow
from hallobot.search.models import SynonymGroup
from hallobot.text import fold
from hallobot.transaction import transactional
from hallobot.vouchers import offer_fields, offer_rules
from hallobot.vouchers import offers as voucher_offers
from hallobot.vouchers.models import VoucherOffer

WEEKDAYS = ("mo", "di", "mi", "do", "fr", "sa", "so")
STATUSES = {s.value for s in Status}
DELIVERY_KINDS = {"delivery", "pickup", "shipping"}


class SeedError(Exception):
    """A seed file is missing or malformed; the message names the file and entry."""


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, created: bool) -> None:
        target = self.created if created else self.updated
        target[kind] = target.get(kind, 0) + 1

    def summary(self) -> str:
        parts = [f"{k}: {v} neu" for k, v in sorted(self.created.items())]
        parts += [f"{k}: {v} aktualisiert" for k, v in sorted(self.updated.items())]
        return ", ".join(parts) or "nichts zu tun"


def read_json(data_dir: Path, name: str) -> Any:
    path = data_dir / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SeedError(f"{name}: Datei fehlt") from exc
    except json.JSONDecodeError as exc:
        raise SeedError(f"{name}: kein gültiges JSON ({exc})") from exc


def _time(value: str | None, where: str) -> time | None:
    if value is None:
        return None
    try:
        hours, minutes = value.split(":")
        h, m = int(hours), int(minutes)
        if h == 24 and m == 0:
            return time(0, 0)
        return time(h, m)
    except (ValueError, AttributeError) as exc:
        raise SeedError(f"{where}: ungültige Uhrzeit {value!r}") from exc


def _date(value: str | None, where: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise SeedError(f"{where}: ungültiges Datum {value!r}") from exc


# --- reference data ---


def load_reference(data_dir: Path, report: SeedReport | None = None) -> SeedReport:
    report = report or SeedReport()
    for item in read_json(data_dir, "districts.json"):
        district, created = _by_slug(District, item["slug"])
        district.name = item["name"]
        district.borough = item["borough"]
        district.lat, district.lon = float(item["lat"]), float(item["lon"])
        district.postcodes = list(item.get("postcodes", []))
        report.add("Stadtteile", created)

    for pos, item in enumerate(read_json(data_dir, "categories.json")):
        parent = _upsert_category(item, None, pos, report)
        for cpos, child in enumerate(item.get("children", [])):
            _upsert_category(child, parent, cpos, report)

    for pos, item in enumerate(read_json(data_dir, "attributes.json")):
        attr, created = _by_slug(Attribute, item["slug"])
        attr.name, attr.name_en = item["name"], item.get("name_en", "")
        attr.icon, attr.position = item.get("icon", "check"), pos
        report.add("Merkmale", created)

    _load_synonyms(data_dir, report)
    db.session.flush()
    return report


def _load_synonyms(data_dir: Path, report: SeedReport) -> None:
    """Synonym groups of the search. Moderators extend them in the app; a seed group is only
    added when no existing group contains its first word (their edits stay)."""
    if not (data_dir / "synonyms.json").exists():
        return
    known = {word for group in db.session.scalars(select(SynonymGroup)) for word in group.words}
    for terms in read_json(data_dir, "synonyms.json"):
        if not isinstance(terms, list) or len(terms) < 2:
            raise SeedError("synonyms.json: jede Gruppe braucht mindestens zwei Wörter")
        if fold(terms[0]) in known:
            continue
        db.session.add(SynonymGroup(terms=", ".join(terms)))
        known.update(fold(t) for t in terms)
        report.add("Synonymgruppen", True)


def _by_slug(model, slug: str):
    """The row with this slug, or a new one added to the session; and whether it is new."""
    obj = db.session.scalar(select(model).where(model.slug == slug))
    if obj is not None:
        return obj, False
    obj = model(slug=slug)
    db.session.add(obj)
    return obj, True


def _upsert_category(item: dict, parent: Category | None, pos: int, report: SeedReport):
    cat, created = _by_slug(Category, item["slug"])
    cat.name, cat.name_en = item["name"], item.get("name_en", "")
    cat.icon, cat.position = item.get("icon", "tag"), pos
    cat.parent = parent
    report.add("Kategorien", created)
    db.session.flush()
    return cat


# --- demo data ---


def load_demo(data_dir: Path, report: SeedReport | None = None) -> SeedReport:
    report = report or SeedReport()
    users = _load_demo_users(data_dir, report)
    categories = {c.slug: c for c in db.session.scalars(select(Category))}
    districts = {d.slug: d for d in db.session.scalars(select(District))}
    attributes = {a.slug: a for a in db.session.scalars(select(Attribute))}
    existing = set(db.session.scalars(select(Business.slug)))
    items = read_json(data_dir, "businesses.json")
    now = utcnow()
    seen: set[str] = set()
    for index, item in enumerate(items):
        where = f"businesses.json #{index + 1} ({item.get('name')})"
        if not isinstance(item, dict) or not item.get("name"):
            raise SeedError(f"{where}: Eintrag ohne Namen")
        slug = item.get("slug") or make_slug(item["name"])
        if slug in seen:
            raise SeedError(f"{where}: Kennung {slug!r} kommt doppelt vor")
        seen.add(slug)
        if slug in existing:
            continue
        try:
            business = _build_business(item, slug, where, categories, districts, attributes, users)
        except (KeyError, TypeError, IndexError, ValueError) as exc:
            raise SeedError(f"{where}: Feld fehlt oder ist ungültig ({exc!r})") from exc
        # spread creation/publication over the last weeks, newest last in the file
        stamp = now - timedelta(hours=6 * (len(items) - index))
        business.created_at = business.updated_at = stamp
        if business.status == Status.PUBLISHED:
            business.published_at = stamp
        db.session.add(business)
        existing.add(slug)
        report.add("Betriebe", True)

    for item in read_json(data_dir, "wifi4eu.json"):
        exists = db.session.scalar(
            select(Hotspot.id).where(Hotspot.kind == "wifi4eu", Hotspot.name == item["name"])
        )
        if exists is None:
            db.session.add(
                Hotspot(
                    kind="wifi4eu",
                    name=item["name"],
                    lat=float(item["lat"]),
                    lon=float(item["lon"]),
                    note=item.get("note", ""),
                )
            )
            report.add("WLAN-Hotspots", True)
    db.session.flush()
    _load_voucher_offers(data_dir, report)
    return report


def _load_voucher_offers(data_dir: Path, report: SeedReport) -> None:
    """Published demo voucher offers, by business slug (``null``: the Bottrop-Gutschein).
    They pass the same checks as an owner's; one is added only when its business has no
    offer of that title yet."""
    if not (data_dir / "voucher_offers.json").exists():
        return
    now, touched = utcnow(), set()
    for index, item in enumerate(read_json(data_dir, "voucher_offers.json")):
        where = f"voucher_offers.json #{index + 1} ({item.get('title')})"
        business = None
        if item.get("business"):
            business = db.session.scalar(select(Business).where(Business.slug == item["business"]))
            if business is None:
                raise SeedError(f"{where}: unbekannter Betrieb {item['business']!r}")
        owner = (
            VoucherOffer.business_id == business.id
            if business
            else VoucherOffer.business_id.is_(None)
        )
        if db.session.scalar(
            select(VoucherOffer.id).where(owner, VoucherOffer.title == item.get("title"))
        ):
            continue
        draft = VoucherOffer(**{k: item[k] for k in offer_fields.CONTENT_FIELDS if k in item})
        draft.valid_until = _date(item.get("valid_until"), where)
        if item.get("valid_for_days"):  # a fixed date that stays in the future for the demo
            draft.valid_until = local_now().date() + timedelta(days=int(item["valid_for_days"]))
        try:
            clean = offer_rules.validate(offer_fields.input_of(draft))
        except offer_rules.OfferInvalid as exc:
            problems = ", ".join(f"{k}: {v}" for k, v in exc.errors.items())
            raise SeedError(f"{where}: {problems}") from exc
        db.session.add(
            VoucherOffer(
                business_id=business.id if business else None,
                status="published",
                published_at=now,
                **clean,
            )
        )
        if business is not None:
            touched.add(business.id)
        report.add("Gutscheinangebote", True)
    voucher_offers.refresh_teasers(touched)


def _load_demo_users(data_dir: Path, report: SeedReport) -> dict[str, User]:
    users: dict[str, User] = {}
    for item in read_json(data_dir, "demo_users.json"):
        email = normalize_email(item["email"])
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(
                email=email,
                password_hash=hash_password(item["password"]),
                display_name=item.get("display_name", ""),
                role=item["role"],
                confirmed_at=utcnow(),
            )
            db.session.add(user)
            report.add("Demo-Konten", True)
        users[email] = user
    db.session.flush()
    return users


def _build_business(item, slug, where, categories, districts, attributes, users) -> Business:
    try:
        category = categories[item["category"]]
    except KeyError as exc:
        raise SeedError(f"{where}: unbekannte Kategorie {item.get('category')!r}") from exc
    district = districts.get(item.get("district") or "")
    if item.get("district") and district is None:
        raise SeedError(f"{where}: unbekannter Stadtteil {item['district']!r}")
    status = item.get("status", "published")
    if status not in STATUSES:
        raise SeedError(f"{where}: unbekannter Status {status!r}")
    business = Business(
        name=item["name"],
        slug=slug,
        category=category,
        district=district,
        short_description=item.get("short_description") or "",
        description=item.get("description") or "",
        street=item.get("street") or "",
        house_number=item.get("house_number") or "",
        postcode=item.get("postcode") or "",
        city=item.get("city") or "Bottrop",
        lat=item.get("lat"),
        lon=item.get("lon"),
        phone=item.get("phone"),
        email=item.get("email"),
        website=item.get("website"),
        instagram=instagram_url(item.get("instagram")),
        holidays_open=bool(item.get("holidays_open")),
        voucher_info=item.get("voucher_info"),
        status=status,
    )
    for slug_ in item.get("attributes", []):
        if slug_ not in attributes:
            raise SeedError(f"{where}: unbekanntes Merkmal {slug_!r}")
        business.attributes.append(attributes[slug_])
    owner = item.get("owner")
    if owner:
        key = normalize_email(owner)
        if key not in users:
            raise SeedError(f"{where}: Inhaber {owner!r} fehlt in demo_users.json")
        business.owners.append(users[key])
    for day_index, key in enumerate(WEEKDAYS):
        for slot in (item.get("hours") or {}).get(key, []):
            opens, closes = _time(slot[0], where), _time(slot[1], where)
            if opens == closes:
                raise SeedError(f"{where}: leere Öffnungszeit {slot}")
            business.opening_hours.append(
                OpeningHours(weekday=day_index, opens=opens, closes=closes)
            )
    for sd in item.get("special_days", []):
        closed = bool(sd.get("closed"))
        if not closed and (not sd.get("opens") or not sd.get("closes")):
            raise SeedError(f"{where}: Sondertag {sd.get('date')} braucht Zeiten oder closed")
        business.special_days.append(
            SpecialDay(
                date=_date(sd["date"], where),
                closed=closed,
                opens=None if closed else _time(sd.get("opens"), where),
                closes=None if closed else _time(sd.get("closes"), where),
                note=sd.get("note") or "",
            )
        )
    for pos, sv in enumerate(item.get("services", [])):
        business.services.append(
            Service(
                name=sv["name"],
                description=sv.get("description"),
                price_cents=sv.get("price_cents"),
                unit=sv.get("unit"),
                position=pos,
            )
        )
    for dv in item.get("delivery", []):
        if dv.get("kind") not in DELIVERY_KINDS:
            raise SeedError(f"{where}: unbekannte Lieferart {dv.get('kind')!r}")
        business.delivery_options.append(
            DeliveryOption(
                kind=dv["kind"],
                postcodes=list(dv.get("postcodes") or []),
                radius_km=dv.get("radius_km"),
                fee_cents=int(dv.get("fee_cents") or 0),
                min_order_cents=int(dv.get("min_order_cents") or 0),
                free_from_cents=dv.get("free_from_cents"),
                note=dv.get("note"),
            )
        )
    for news in item.get("news", []):
        published = _date(news.get("published"), where)
        business.news_posts.append(
            NewsPost(
                title=news["title"],
                body=news.get("body") or "",
                published_at=datetime.combine(published, time(9, 0)) if published else None,
                valid_until=_date(news.get("valid_until"), where),
            )
        )
    return business


@transactional(write=True)
def load(data_dir: Path, demo: bool = False, if_empty: bool = False) -> tuple[SeedReport, bool]:
    """``flask seed``: the reference data, and with ``demo`` the demo data (with
    ``if_empty`` only while there is no business yet), in one transaction: a broken file
    leaves nothing behind. Returns the report and whether the demo data was loaded."""
    report = load_reference(data_dir)
    if demo and not (if_empty and has_businesses()):
        load_demo(data_dir, report)
        return report, True
    return report, False


def has_businesses() -> bool:
    return db.session.scalar(select(Business.id).limit(1)) is not None
