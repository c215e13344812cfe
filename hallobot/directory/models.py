"""The published directory: businesses and everything that describes them."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hallobot.accounts.models import User
from hallobot.extensions import db
from hallobot.models_base import utcnow


class Status(StrEnum):
    DRAFT = "draft"
    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"
    ARCHIVED = "archived"


business_owners = Table(
    "business_owners",
    db.metadata,
    Column("business_id", ForeignKey("businesses.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)

business_attributes = Table(
    "business_attributes",
    db.metadata,
    Column("business_id", ForeignKey("businesses.id", ondelete="CASCADE"), primary_key=True),
    Column("attribute_id", ForeignKey("attributes.id", ondelete="CASCADE"), primary_key=True),
)


class District(db.Model):
    """A Stadtteil of Bottrop."""

    __tablename__ = "districts"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    borough: Mapped[str] = mapped_column(String(40))  # Stadtbezirk: Mitte, Süd, Kirchhellen
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    postcodes: Mapped[list[str]] = mapped_column(JSON, default=list)

    def __repr__(self) -> str:
        return f"<District {self.slug}>"


class Category(db.Model):
    """A category; two levels (top-level categories and their sub-categories)."""

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(80), default="")
    icon: Mapped[str] = mapped_column(String(40), default="tag")
    position: Mapped[int] = mapped_column(Integer, default=0)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="RESTRICT"), index=True
    )

    parent: Mapped[Category | None] = relationship(
        remote_side="Category.id", back_populates="children"
    )
    children: Mapped[list[Category]] = relationship(
        back_populates="parent", order_by="Category.position"
    )

    @property
    def is_top_level(self) -> bool:
        return self.parent_id is None

    def __repr__(self) -> str:
        return f"<Category {self.slug}>"


class Attribute(db.Model):
    """A yes/no property: barrierefrei, Fairtrade, Kartenzahlung, WLAN, Parkplätze …"""

    __tablename__ = "attributes"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(80), default="")
    icon: Mapped[str] = mapped_column(String(40), default="check")
    position: Mapped[int] = mapped_column(Integer, default=0)


class Business(db.Model):
    __tablename__ = "businesses"
    __table_args__ = (
        CheckConstraint(
            "status IN ('draft', 'pending', 'published', 'rejected', 'archived')",
            name="status_valid",
        ),
        CheckConstraint("lat IS NULL OR (lat BETWEEN -90 AND 90)", name="lat_range"),
        CheckConstraint("lon IS NULL OR (lon BETWEEN -180 AND 180)", name="lon_range"),
        Index("ix_businesses_status_name", "status", "name"),
        Index("ix_businesses_status_published_at", "status", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    slug: Mapped[str] = mapped_column(String(180), unique=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), index=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), index=True)
    short_description: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    street: Mapped[str] = mapped_column(String(120), default="")
    house_number: Mapped[str] = mapped_column(String(20), default="")
    postcode: Mapped[str] = mapped_column(String(5), default="")
    city: Mapped[str] = mapped_column(String(80), default="Bottrop")
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(254))
    website: Mapped[str | None] = mapped_column(String(300))
    instagram: Mapped[str | None] = mapped_column(String(300))
    holidays_open: Mapped[bool] = mapped_column(default=False)
    voucher_info: Mapped[str | None] = mapped_column(Text)
    # the published voucher offers in brief ({id, how, min_cents, max_cents, values_cents,
    # title, valid_until}, by id), handed down by the vouchers slice whenever one is published or
    # withdrawn: the business page and the search index read them without a query
    voucher_teasers: Mapped[list[dict]] = mapped_column(
        JSON, default=list, server_default=text("'[]'")
    )
    status: Mapped[str] = mapped_column(String(20), default=Status.DRAFT.value)
    # the moderator's reason for the last rejection or unpublication, shown to the owners
    status_reason: Mapped[str | None] = mapped_column(Text)
    # bumped by every change to the public data; edit forms carry it to detect stale saves
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    submitted_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(default=None)

    category: Mapped[Category] = relationship()
    district: Mapped[District | None] = relationship()
    attributes: Mapped[list[Attribute]] = relationship(
        secondary=business_attributes, order_by="Attribute.position"
    )
    owners: Mapped[list[User]] = relationship(secondary=business_owners)
    services: Mapped[list[Service]] = relationship(
        back_populates="business", cascade="all, delete-orphan", order_by="Service.position"
    )
    opening_hours: Mapped[list[OpeningHours]] = relationship(
        back_populates="business",
        cascade="all, delete-orphan",
        order_by="(OpeningHours.weekday, OpeningHours.opens)",
    )
    special_days: Mapped[list[SpecialDay]] = relationship(
        back_populates="business",
        cascade="all, delete-orphan",
        order_by="(SpecialDay.date, SpecialDay.opens)",
    )
    delivery_options: Mapped[list[DeliveryOption]] = relationship(
        back_populates="business", cascade="all, delete-orphan", order_by="DeliveryOption.id"
    )
    current_offers: Mapped[list[CurrentOffer]] = relationship(
        back_populates="business", cascade="all, delete-orphan", order_by="CurrentOffer.starts"
    )
    news_posts: Mapped[list[NewsPost]] = relationship(
        back_populates="business",
        cascade="all, delete-orphan",
        order_by="NewsPost.published_at.desc()",
    )
    photos: Mapped[list[Photo]] = relationship(
        back_populates="business", cascade="all, delete-orphan", order_by="Photo.position"
    )

    @property
    def has_voucher_offers(self) -> bool:
        return bool(self.voucher_teasers)

    @property
    def logo(self) -> Photo | None:
        return next((p for p in self.photos if p.kind == PhotoKind.LOGO), None)

    @property
    def gallery(self) -> list[Photo]:
        return [p for p in self.photos if p.kind == PhotoKind.GALLERY]

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def attribute_slugs(self) -> set[str]:
        return {a.slug for a in self.attributes}

    @property
    def delivery_kinds(self) -> set[str]:
        return {d.kind for d in self.delivery_options}

    @property
    def address_line(self) -> str:
        street = f"{self.street} {self.house_number}".strip()
        place = f"{self.postcode} {self.city}".strip()
        return ", ".join(p for p in (street, place) if p)

    def __repr__(self) -> str:
        return f"<Business {self.slug} {self.status}>"


class PhotoKind(StrEnum):
    LOGO = "logo"
    GALLERY = "gallery"


class MediaFile(db.Model):
    """An uploaded image after re-encoding: its renditions are stored as files named by the
    unguessable ``key``. It belongs to a business; whether anyone may see it depends on
    whether a published photo of a published business uses it."""

    __tablename__ = "media_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(32), unique=True)
    business_id: Mapped[int] = mapped_column(
        ForeignKey("businesses.id", ondelete="CASCADE"), index=True
    )
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # size of the largest rendition; smaller ones keep the aspect ratio
    width: Mapped[int]
    height: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def size_at(self, longest: int) -> tuple[int, int]:
        """Width and height of the rendition whose longer side is at most ``longest``."""
        scale = min(1.0, longest / max(self.width, self.height))
        return max(1, round(self.width * scale)), max(1, round(self.height * scale))


class Photo(db.Model):
    """A published photo: the logo or one of the gallery pictures, with its alt text."""

    __tablename__ = "photos"
    __table_args__ = (CheckConstraint("kind IN ('logo', 'gallery')", name="kind_valid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(
        ForeignKey("businesses.id", ondelete="CASCADE"), index=True
    )
    media_key: Mapped[str] = mapped_column(ForeignKey("media_files.key"), index=True)
    kind: Mapped[str] = mapped_column(String(10), default=PhotoKind.GALLERY.value)
    alt_text: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)

    business: Mapped[Business] = relationship(back_populates="photos")
    media: Mapped[MediaFile] = relationship(lazy="joined")


class CurrentOffer(db.Model):
    """A special service for a while ("Lieferung bis 31.01.", "nur Abholung",
    "Mittagstisch zum Mitnehmen"): a badge from ``starts`` to ``ends`` (inclusive)."""

    __tablename__ = "current_offers"
    __table_args__ = (CheckConstraint("ends >= starts", name="range_valid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(
        ForeignKey("businesses.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String(80))
    starts: Mapped[date]
    ends: Mapped[date]

    business: Mapped[Business] = relationship(back_populates="current_offers")

    def active_on(self, day: date) -> bool:
        return self.starts <= day <= self.ends


class Service(db.Model):
    """A service or product a business offers, with an optional price."""

    __tablename__ = "services"
    __table_args__ = (
        CheckConstraint("price_cents IS NULL OR price_cents >= 0", name="price_nonneg"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(
        ForeignKey("businesses.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(Text)
    price_cents: Mapped[int | None] = mapped_column(Integer)
    unit: Mapped[str | None] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer, default=0)

    business: Mapped[Business] = relationship(back_populates="services")


class OpeningHours(db.Model):
    """A weekly slot. Weekday 0 is Monday. A slot whose ``closes`` is not after ``opens``
    runs past midnight into the next day (e.g. 18:00–02:00)."""

    __tablename__ = "opening_hours"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint("opens <> closes", name="not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(
        ForeignKey("businesses.id", ondelete="CASCADE"), index=True
    )
    weekday: Mapped[int] = mapped_column(Integer)
    opens: Mapped[time]
    closes: Mapped[time]

    business: Mapped[Business] = relationship(back_populates="opening_hours")


class SpecialDay(db.Model):
    """A date with other hours than usual: closed (holidays, vacation) or own hours.
    Several rows on one date are several slots; a closed row closes the whole day."""

    __tablename__ = "special_days"
    __table_args__ = (
        CheckConstraint(
            "closed OR (opens IS NOT NULL AND closes IS NOT NULL AND opens <> closes)",
            name="hours_or_closed",
        ),
        Index("ix_special_days_business_date", "business_id", "date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"))
    date: Mapped[date]
    closed: Mapped[bool] = mapped_column(default=False)
    opens: Mapped[time | None]
    closes: Mapped[time | None]
    note: Mapped[str] = mapped_column(String(200), default="")

    business: Mapped[Business] = relationship(back_populates="special_days")


class DeliveryOption(db.Model):
    """Delivery, pickup or shipping, with its area (postcodes and/or a radius) and costs."""

    __tablename__ = "delivery_options"
    __table_args__ = (
        CheckConstraint("kind IN ('delivery', 'pickup', 'shipping')", name="kind_valid"),
        CheckConstraint("fee_cents >= 0 AND min_order_cents >= 0", name="money_nonneg"),
        CheckConstraint("radius_km IS NULL OR radius_km > 0", name="radius_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(
        ForeignKey("businesses.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    postcodes: Mapped[list[str]] = mapped_column(JSON, default=list)
    radius_km: Mapped[float | None] = mapped_column(Float)
    fee_cents: Mapped[int] = mapped_column(Integer, default=0)
    min_order_cents: Mapped[int] = mapped_column(Integer, default=0)
    free_from_cents: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)

    business: Mapped[Business] = relationship(back_populates="delivery_options")


class NewsPost(db.Model):
    """A short news item of a business, shown until ``valid_until`` (inclusive)."""

    __tablename__ = "news_posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(
        ForeignKey("businesses.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(160))
    body: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime | None] = mapped_column(default=None)
    valid_until: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    business: Mapped[Business] = relationship(back_populates="news_posts")


class Hotspot(db.Model):
    """A public Wi-Fi hotspot (the city's WiFi4EU access points)."""

    __tablename__ = "hotspots"
    __table_args__ = (UniqueConstraint("kind", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default="wifi4eu")
    name: Mapped[str] = mapped_column(String(120))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(String(200), default="")
