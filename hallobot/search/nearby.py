"""Where "nearby" is: the point distances are measured from (the browser's location, or a
typed postcode, district or street) and a business's distance from it."""

from __future__ import annotations

import math
import re

from sqlalchemy import text

from hallobot.directory.models import Business, District
from hallobot.search.query import Label, SearchQuery
from hallobot.search.text import stem
from hallobot.text import fold


def find_origin(session, query: SearchQuery, districts: dict[int, Label]):
    """The point distances are measured from: the browser's location, or a typed postcode,
    district or street (the middle of the businesses there). Returns (point, unknown)."""
    place = fold(query.place)
    if not place:  # a typed place wins over the browser's location
        return (query.near, False) if query.near else (None, False)
    if len(place) < 3:
        return None, True
    if re.fullmatch(r"\d{5}", place):
        point = _centroid(session, "d.f_place LIKE :p", {"p": f"%{place}%"})
        return (point, False) if point else (None, True)
    for label in districts.values():
        if fold(label.name) == place:
            district = session.get(District, label.id)
            return (district.lat, district.lon), False
    point = _centroid(session, "d.f_place LIKE :p", {"p": f"%{stem(place)}%"})
    return (point, False) if point else (None, True)


def _centroid(session, where: str, params: dict):
    row = session.execute(
        text(
            f"SELECT avg(d.lat), avg(d.lon), count(d.lat) FROM search_documents AS d "
            f"WHERE d.lat IS NOT NULL AND {where}"
        ),
        params,
    ).first()
    return (float(row[0]), float(row[1])) if row and row[2] else None


def distance_km(origin, business: Business) -> float | None:
    if not origin or business.lat is None or business.lon is None:
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (origin[0], origin[1], business.lat, business.lon))
    a = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(math.sqrt(a))
