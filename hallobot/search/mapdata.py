"""The city map's data: search results as compact GeoJSON, and the details a marker's popup
shows when it is opened.

A feature carries only what the map needs before anyone clicks: its point, the business's
id, name and address slug, the colour number of its top-level category and whether it is a
Fairtrade business (for that layer). Each published business's feature is written once per
index state (see ``snapshot.py``); a response joins those of the results and is
compressed. Popups load the rest (category, the live open state, address) on click.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass

from sqlalchemy import select, text

from hallobot.directory.models import Business, Category, Hotspot, Status
from hallobot.directory.presenters import state_label
from hallobot.directory.service import CARD_OPTIONS
from hallobot.extensions import db
from hallobot.search.query import SearchResult

COLOURS = 8  # marker colours (CSS classes .marker-c0 … .marker-c7)


@dataclass(frozen=True)
class MapIndex:
    token: str
    features: dict[int, str]  # business id → its GeoJSON feature
    legend: list[dict]  # top-level categories: colour number, slug and names


_INDEXES: dict[str, MapIndex] = {}
_LOCK = threading.Lock()


def map_index(token: str) -> MapIndex:
    """The features of every indexed business with coordinates, for index state ``token``."""
    url = str(db.session.get_bind().engine.url)
    current = _INDEXES.get(url)
    if current is not None and token and current.token == token:
        return current
    parents = db.session.scalars(
        select(Category)
        .where(Category.parent_id.is_(None))
        .order_by(Category.position, Category.id)
    ).all()
    colour = {c.id: n % COLOURS for n, c in enumerate(parents)}
    legend = [
        {"c": colour[c.id], "slug": c.slug, "name": c.name, "name_en": c.name_en} for c in parents
    ]
    rows = db.session.execute(
        text(
            "SELECT b.id, b.name, b.slug, d.parent_category_id, d.lat, d.lon, d.fairtrade "
            "FROM search_documents AS d JOIN businesses AS b ON b.id = d.business_id "
            "WHERE d.lat IS NOT NULL AND d.lon IS NOT NULL"
        )
    ).all()
    features = {
        business_id: (
            f'{{"type":"Feature","id":{business_id},"geometry":{{"type":"Point",'
            f'"coordinates":[{lon:.5f},{lat:.5f}]}},"properties":{{'
            f'"n":{json.dumps(name, ensure_ascii=False)},"s":{json.dumps(slug)},'
            f'"c":{colour.get(parent, 0)},"f":{1 if fairtrade else 0}}}}}'
        )
        for business_id, name, slug, parent, lat, lon, fairtrade in rows
    }
    index = MapIndex(token, features, legend)
    with _LOCK:
        if url not in _INDEXES and len(_INDEXES) >= 8:
            _INDEXES.clear()
        _INDEXES[url] = index
    return index


def geojson(result: SearchResult, index: MapIndex) -> bytes:
    """A FeatureCollection of the results that have coordinates, in the order found, with
    the category legend and the total (results without coordinates are not drawn)."""
    features = index.features
    parts = [features[i] for i, _score in result.found if i in features]
    head = json.dumps(
        {"type": "FeatureCollection", "total": result.total, "legend": index.legend},
        ensure_ascii=False,
        separators=(",", ":"),
    )[:-1]
    return (head + ',"features":[' + ",".join(parts) + "]}").encode()


def etag(token: str, canonical_query: str, minute: str) -> str:
    """A strong validator: the index state, the filters, and — for "open now" — the minute."""
    digest = hashlib.sha256(f"{token}|{canonical_query}|{minute}".encode()).hexdigest()
    return digest[:32]


def popup(business_id: int, now=None) -> dict | None:
    """What a marker's popup shows of a published business; None for anything else."""
    business = db.session.scalar(
        select(Business)
        .where(Business.id == business_id, Business.status == Status.PUBLISHED)
        .options(*CARD_OPTIONS)
    )
    if business is None:
        return None
    state = state_label(business, now)
    return {
        "id": business.id,
        "name": business.name,
        "slug": business.slug,
        "category": business.category.name,
        "category_en": business.category.name_en,
        "district": business.district.name if business.district else "",
        "address": f"{business.street} {business.house_number}".strip(),
        "place": f"{business.postcode} {business.city}".strip(),
        "state": state,
        "lat": business.lat,
        "lon": business.lon,
    }


def hotspots() -> list[dict]:
    return [
        {"name": h.name, "lat": h.lat, "lon": h.lon, "note": h.note}
        for h in db.session.scalars(select(Hotspot).order_by(Hotspot.name))
    ]
