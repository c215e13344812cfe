"""Reading the published directory: listings, business pages, home page data.

Every listing loads what its cards show in a fixed number of queries (no N+1): many-to-one
relations are joined, collections are loaded with one ``selectin`` query each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from hallobot.accounts.models import User
from hallobot.diffs import DiffItem, joined_text
from hallobot.directory import fields
from hallobot.directory.models import (
    Attribute,
    Business,
    Category,
    CurrentOffer,
    DeliveryOption,
    District,
    NewsPost,
    OpeningHours,
    Photo,
    Service,
    SpecialDay,
    Status,
)
from hallobot.extensions import db
from hallobot.models_base import utcnow
from hallobot.money import format_money

CARD_OPTIONS = (
    joinedload(Business.category).joinedload(Category.parent),
    joinedload(Business.district),
    selectinload(Business.attributes),
    selectinload(Business.opening_hours),
    selectinload(Business.special_days),
    selectinload(Business.delivery_options),
    selectinload(Business.current_offers),
)

PAGE_OPTIONS = (
    *CARD_OPTIONS,
    selectinload(Business.services),
    selectinload(Business.news_posts),
    selectinload(Business.owners),
    selectinload(Business.photos),
)


WEEKDAY_SHORT = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")


def _hhmm(value: time | None) -> str | None:
    return value.strftime("%H:%M") if value else None


def _time(value: str | None) -> time | None:
    return time.fromisoformat(value) if value else None


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@dataclass(frozen=True)
class ListSection:
    """A collection of a business edited as a whole: how a row becomes a plain (JSON) value
    for a change set, how such a value becomes a row again, and how values are ordered."""

    relationship: str
    to_value: Callable
    to_row: Callable  # (value, position) -> model
    sort_key: Callable | None = None
    reverse: bool = False


LIST_SECTIONS: dict[str, ListSection] = {
    "opening_hours": ListSection(
        "opening_hours",
        lambda h: [h.weekday, _hhmm(h.opens), _hhmm(h.closes)],
        lambda v, _pos: OpeningHours(weekday=v[0], opens=_time(v[1]), closes=_time(v[2])),
        sort_key=lambda v: v,
    ),
    "services": ListSection(
        "services",
        lambda sv: {
            "name": sv.name,
            "description": sv.description or "",
            "price_cents": sv.price_cents,
            "unit": sv.unit or "",
        },
        lambda v, pos: Service(
            name=v["name"],
            description=v.get("description") or None,
            price_cents=v.get("price_cents"),
            unit=v.get("unit") or None,
            position=pos,
        ),
    ),
    "delivery_options": ListSection(
        "delivery_options",
        lambda d: {
            "kind": d.kind,
            "postcodes": list(d.postcodes or []),
            "radius_km": d.radius_km,
            "fee_cents": d.fee_cents,
            "min_order_cents": d.min_order_cents,
            "free_from_cents": d.free_from_cents,
            "note": d.note or "",
        },
        lambda v, _pos: DeliveryOption(
            kind=v["kind"],
            postcodes=list(v["postcodes"]),
            radius_km=v["radius_km"],
            fee_cents=v["fee_cents"],
            min_order_cents=v["min_order_cents"],
            free_from_cents=v["free_from_cents"],
            note=v.get("note") or None,
        ),
    ),
    "current_offers": ListSection(
        "current_offers",
        lambda o: {"label": o.label, "starts": o.starts.isoformat(), "ends": o.ends.isoformat()},
        lambda v, _pos: CurrentOffer(
            label=v["label"], starts=_date(v["starts"]), ends=_date(v["ends"])
        ),
    ),
    "news_posts": ListSection(
        "news_posts",
        lambda n: {
            "title": n.title,
            "body": n.body,
            "published": n.published_at.date().isoformat() if n.published_at else None,
            "valid_until": n.valid_until.isoformat() if n.valid_until else None,
        },
        lambda v, _pos: NewsPost(
            title=v["title"],
            body=v.get("body") or "",
            published_at=datetime.combine(_date(v["published"]), time(0))
            if v["published"]
            else None,
            valid_until=_date(v.get("valid_until")),
        ),
        sort_key=lambda v: (v["published"] or "", v["title"]),
        reverse=True,
    ),
    "photos": ListSection(
        "photos",
        lambda p: {"key": p.media_key, "kind": p.kind, "alt": p.alt_text},
        lambda v, pos: Photo(media_key=v["key"], kind=v["kind"], alt_text=v["alt"], position=pos),
    ),
    "special_days": ListSection(
        "special_days",
        lambda sd: {
            "date": sd.date.isoformat(),
            "closed": sd.closed,
            "opens": _hhmm(sd.opens),
            "closes": _hhmm(sd.closes),
            "note": sd.note,
        },
        lambda v, _pos: SpecialDay(
            date=_date(v["date"]),
            closed=v["closed"],
            opens=_time(v["opens"]),
            closes=_time(v["closes"]),
            note=v.get("note") or "",
        ),
        sort_key=lambda v: (v["date"], v["opens"] or ""),
    ),
}


def current_values(business: Business) -> dict:
    """The editable public data as plain values (the shape change sets use)."""
    values = {}
    for field in fields.LABELS:
        section = LIST_SECTIONS.get(field)
        if field == "attributes":
            values[field] = sorted(a.slug for a in business.attributes)
            continue
        if section is None:
            values[field] = getattr(business, field)
            continue
        items = [section.to_value(row) for row in getattr(business, section.relationship)]
        if section.sort_key is not None:
            items.sort(key=section.sort_key, reverse=section.reverse)
        values[field] = items
    return values


def apply_changes(business: Business, changes: dict) -> None:
    """Write approved values to the public record and bump its version (caller commits).
    A list section is replaced as a whole."""
    unknown = set(changes) - set(fields.LABELS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    for field, value in changes.items():
        section = LIST_SECTIONS.get(field)
        if field == "attributes":
            business.attributes = list(
                db.session.scalars(select(Attribute).where(Attribute.slug.in_(value)))
            )
            continue
        if section is None:
            setattr(business, field, value)
            continue
        rows = getattr(business, section.relationship)
        rows.clear()
        db.session.flush()  # delete the old rows before their replacements are inserted
        rows.extend(section.to_row(item, position) for position, item in enumerate(value))
    business.version = (business.version or 1) + 1


def _describe_hours(value) -> list[DiffItem]:
    items = []
    for weekday in range(7):
        slots = [f"{o}–{c}" for d, o, c in value if d == weekday]
        if slots:
            items.append(DiffItem(weekday, f"{WEEKDAY_SHORT[weekday]} {', '.join(slots)}"))
    return items


def _describe_special_day(d) -> str:
    hours = str(_l("geschlossen")) if d["closed"] else f"{d['opens']}–{d['closes']}"
    return f"{d['date']}: {hours}" + (f" ({d['note']})" if d.get("note") else "")


def _describe_delivery(d) -> str:
    kinds = {"delivery": _l("Lieferung"), "pickup": _l("Abholung"), "shipping": _l("Versand")}
    area = ", ".join(d["postcodes"]) or ""
    if d["radius_km"]:
        area = f"{area} {d['radius_km']} km".strip()
    text = f"{kinds.get(d['kind'], d['kind'])}: {area or '–'}, {format_money(d['fee_cents'])}"
    if d.get("min_order_cents"):
        text += f", {_l('Mindestbestellwert')} {format_money(d['min_order_cents'])}"
    if d.get("note"):
        text += f" ({d['note']})"
    return text


def _describe_service(item) -> str:
    text = item["name"]
    if item.get("price_cents") is not None:
        unit = f" / {item['unit']}" if item.get("unit") else ""
        text += f" ({format_money(item['price_cents'])}{unit})"
    if item.get("description"):
        text += f" – {item['description']}"
    return text


def _describe_news(n) -> str:
    text = f"{n['published'] or '–'}: {n['title']}"
    if n.get("valid_until"):
        text += f" ({_l('bis')} {n['valid_until']})"
    return text + (f" – {n['body']}" if n.get("body") else "")


def _describe_photo(p) -> str:
    kind = _l("Logo") if p["kind"] == "logo" else _l("Galerie")
    return f"{kind}: {p['alt']}"


# How each list section's entries are identified and read, for diffs and plain display.
DESCRIBE: dict[str, Callable[[list], list[DiffItem]]] = {
    "opening_hours": _describe_hours,
    "services": lambda v: [DiffItem(("s", i["name"]), _describe_service(i)) for i in v],
    "special_days": lambda v: [
        DiffItem((d["date"], d["opens"]), _describe_special_day(d)) for d in v
    ],
    "delivery_options": lambda v: [
        DiffItem((d["kind"], n), _describe_delivery(d)) for n, d in enumerate(v)
    ],
    "news_posts": lambda v: [DiffItem(("n", n["title"]), _describe_news(n)) for n in v],
    "current_offers": lambda v: [
        DiffItem(("o", o["label"]), f"{o['label']}: {o['starts']} – {o['ends']}") for o in v
    ],
    "photos": lambda v: [DiffItem(p["key"], _describe_photo(p), media=p["key"]) for p in v],
    "attributes": lambda v: [DiffItem(slug, _attribute_names().get(slug, slug)) for slug in v],
}


def _attribute_names() -> dict[str, str]:
    return {a.slug: a.name for a in db.session.scalars(select(Attribute))}


def attribute_choices() -> list[Attribute]:
    return list(db.session.scalars(select(Attribute).order_by(Attribute.position)))


def display_value(field: str, value) -> str:
    """A change-set value as people read it (category and district by name)."""
    if value in (None, ""):
        return "–"
    if field == "category_id":
        category = db.session.get(Category, value)
        return category.name if category else str(value)
    if field == "district_id":
        district = db.session.get(District, value)
        return district.name if district else str(value)
    if field in DESCRIBE:
        return joined_text(DESCRIBE[field](value))
    if isinstance(value, bool):
        return str(_l("ja") if value else _l("nein"))
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").replace(".", ",")
    return str(value)


def set_voucher_teasers(business: Business, teasers: list[dict]) -> None:
    """The published voucher offers in brief, as the vouchers slice hands them down."""
    if business.voucher_teasers != teasers:
        business.voucher_teasers = teasers


def published() -> Select:
    return select(Business).where(Business.status == Status.PUBLISHED)


def paginate(stmt: Select, page: int, per_page: int) -> Pagination:
    return db.paginate(stmt, page=page, per_page=per_page, error_out=True, count=True)


def category_by_slug(slug: str) -> Category | None:
    return db.session.scalar(
        select(Category).where(Category.slug == slug).options(selectinload(Category.children))
    )


def category_by_id(category_id: int) -> Category | None:
    return db.session.get(Category, category_id)


def district_by_slug(slug: str) -> District | None:
    return db.session.scalar(select(District).where(District.slug == slug))


def category_ids(category: Category) -> list[int]:
    return [category.id, *(c.id for c in category.children)]


def businesses_in_category(category: Category, page: int, per_page: int) -> Pagination:
    stmt = (
        published()
        .where(Business.category_id.in_(category_ids(category)))
        .options(*CARD_OPTIONS)
        .order_by(func.lower(Business.name), Business.id)
    )
    return paginate(stmt, page, per_page)


def businesses_in_district(district: District, page: int, per_page: int) -> Pagination:
    stmt = (
        published()
        .where(Business.district_id == district.id)
        .options(*CARD_OPTIONS)
        .order_by(func.lower(Business.name), Business.id)
    )
    return paginate(stmt, page, per_page)


def business_by_slug(slug: str) -> Business | None:
    """A business with everything its page shows, whatever its status (the caller checks
    who may see it)."""
    return db.session.scalar(select(Business).where(Business.slug == slug).options(*PAGE_OPTIONS))


def owned_businesses(user: User) -> list[Business]:
    """The entries ``user`` manages, whatever their status, by name."""
    return list(
        db.session.scalars(
            select(Business)
            .where(Business.owners.any(User.id == user.id))
            .options(joinedload(Business.category), joinedload(Business.district))
            .order_by(Business.name)
        )
    )


def business_by_id(business_id: int) -> Business | None:
    return db.session.scalar(
        select(Business).where(Business.id == business_id).options(*PAGE_OPTIONS)
    )


def active_offers(business: Business, today: date) -> list[CurrentOffer]:
    """The current special services shown as badges today; they lapse by themselves."""
    return [o for o in business.current_offers if o.active_on(today)]


def current_news(business: Business, today: date) -> list[NewsPost]:
    """Published news whose publication time has come and whose end date has not passed."""
    now = utcnow()
    return [
        n
        for n in business.news_posts
        if n.published_at is not None
        and n.published_at <= now
        and (n.valid_until is None or n.valid_until >= today)
    ]


@dataclass(frozen=True)
class CategoryCount:
    category: Category
    count: int


def top_categories_with_counts() -> list[CategoryCount]:
    """Top-level categories (with their children) and how many published businesses each has."""
    top_id = func.coalesce(Category.parent_id, Category.id)
    counts = dict(
        db.session.execute(
            select(top_id, func.count(Business.id))
            .join(Business, Business.category_id == Category.id)
            .where(Business.status == Status.PUBLISHED)
            .group_by(top_id)
        ).all()
    )
    tops = (
        db.session.scalars(
            select(Category)
            .where(Category.parent_id.is_(None))
            .options(joinedload(Category.children))
            .order_by(Category.position, Category.name)
        )
        .unique()
        .all()
    )
    return [CategoryCount(c, counts.get(c.id, 0)) for c in tops]


def subcategory_counts(category: Category) -> dict[int, int]:
    return dict(
        db.session.execute(
            select(Business.category_id, func.count(Business.id))
            .where(Business.status == Status.PUBLISHED)
            .where(Business.category_id.in_(category_ids(category)))
            .group_by(Business.category_id)
        ).all()
    )


@dataclass(frozen=True)
class DistrictCount:
    district: District
    count: int


def districts_with_counts() -> list[DistrictCount]:
    rows = db.session.execute(
        select(District, func.count(Business.id))
        .outerjoin(
            Business,
            (Business.district_id == District.id) & (Business.status == Status.PUBLISHED),
        )
        .group_by(District.id)
        .order_by(District.borough, District.name)
    ).all()
    return [DistrictCount(d, n) for d, n in rows]


def newest_businesses(limit: int = 8) -> list[Business]:
    return list(
        db.session.scalars(
            published()
            .options(*CARD_OPTIONS)
            .order_by(Business.published_at.desc(), Business.id.desc())
            .limit(limit)
        )
    )


def count_published() -> int:
    return (
        db.session.scalar(
            select(func.count(Business.id)).where(Business.status == Status.PUBLISHED)
        )
        or 0
    )
