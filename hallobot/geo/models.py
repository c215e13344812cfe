"""The geocoding cache: one row per normalised address, found or not.

Nominatim's usage policy asks clients to cache; an address the owner saves twice, or one
that shoppers type into the delivery check again and again, is asked once. Errors of the
service (unreachable, overloaded) are never stored: they say nothing about the address.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Float, String
from sqlalchemy.orm import Mapped, mapped_column

from hallobot.extensions import db
from hallobot.models_base import utcnow


class GeocodeResult(db.Model):
    __tablename__ = "geocode_cache"
    __table_args__ = (
        CheckConstraint(
            "NOT found OR (lat IS NOT NULL AND lon IS NOT NULL)", name="found_has_point"
        ),
    )

    # the address folded (case, spaces, umlauts, ß, "str." spelled out): see normalise_address
    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    query: Mapped[str] = mapped_column(String(300))  # as it was asked, for people reading
    found: Mapped[bool]
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    display_name: Mapped[str | None] = mapped_column(String(500))
    postcode: Mapped[str | None] = mapped_column(String(10))
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<GeocodeResult {self.key!r} found={self.found}>"
