"""Geocoding, distances and the delivery-area rule: plain functions over the session.

``geocode`` asks Nominatim through geopy, at ``GEOCODER_URL`` (scheme, host[:port] and an
optional path, so a self-hosted Nominatim or a test stand-in can take its place), with a
user agent naming us and a contact, at most one request per second from this process
(geopy's ``RateLimiter``, shared by every thread; ``GEOCODER_MIN_DELAY`` may only lower
that for a Nominatim of one's own), and only for places in Bottrop (the city's bounding box
as a bounded viewbox, country Germany). Lookups wait in that queue only so long: beyond
``MAX_WAITING`` at once they are refused as busy.

Cache policy (table ``geocode_cache``, keyed by the folded address): an address found is
kept ``GEOCODER_CACHE_DAYS`` (90), one not found ``GEOCODER_NOT_FOUND_HOURS`` (24: long
enough that nobody hammers the service with the same typo, short enough that a new street
is found the next day). A corrected address is another key and is asked at once. A cache
hit never calls the service. Errors of the service (unreachable, timeout, overloaded) are
not cached: they say nothing about the address.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from geopy.distance import geodesic
from geopy.exc import GeocoderQueryError, GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from hallobot.errors import DomainError
from hallobot.extensions import db
from hallobot.geo.bounds import BOUNDS, in_bottrop
from hallobot.geo.models import GeocodeResult
from hallobot.models_base import utcnow
from hallobot.text import fold, one_line
from hallobot.transaction import end_transaction, transactional

log = logging.getLogger(__name__)

USER_AGENT_VERSION = "0.1"
MIN_DELAY_SECONDS = 1.0  # Nominatim's usage policy: at most one request per second
PUBLIC_NOMINATIM = "nominatim.openstreetmap.org"
MAX_WAITING = 4  # lookups queued behind the rate limit; more are refused as "busy"
KEY_LENGTH = 300

NOT_FOUND, OUTSIDE, UNAVAILABLE, BUSY = "not_found", "outside", "unavailable", "busy"
MESSAGES = {
    NOT_FOUND: _l("Diese Adresse haben wir in Bottrop nicht gefunden."),
    OUTSIDE: _l("Diese Adresse liegt nicht in Bottrop."),
    UNAVAILABLE: _l(
        "Die Adresssuche ist gerade nicht erreichbar. Bitte versuchen Sie es später noch einmal."
    ),
    BUSY: _l("Die Adresssuche ist gerade ausgelastet. Bitte versuchen Sie es gleich noch einmal."),
}


class GeocodingError(DomainError):
    """The address could not be placed: ``reason`` is NOT_FOUND, OUTSIDE, UNAVAILABLE or
    BUSY; ``message`` says so in German (callers may word it for their page)."""

    def __init__(self, reason: str, field: str | None = None) -> None:
        super().__init__(MESSAGES[reason], field)
        self.reason = reason


@dataclass(frozen=True)
class GeocoderSettings:
    url: str
    user_agent: str
    timeout: float = 5
    cache_days: int = 90
    not_found_hours: int = 24
    min_delay: float = MIN_DELAY_SECONDS

    @classmethod
    def from_config(cls, config: Mapping) -> GeocoderSettings:
        agent = (config.get("GEOCODER_USER_AGENT") or "").strip()
        if not agent:
            contact = config.get("LEGAL_EMAIL") or "kontakt@hallobot.example"
            agent = f"hallobot/{USER_AGENT_VERSION} (+{contact})"
        url = config["GEOCODER_URL"]
        min_delay = float(config.get("GEOCODER_MIN_DELAY", MIN_DELAY_SECONDS))
        if urlsplit(url).hostname == PUBLIC_NOMINATIM:  # its policy is not ours to relax
            min_delay = max(min_delay, MIN_DELAY_SECONDS)
        return cls(
            url=url,
            user_agent=agent,
            timeout=float(config.get("GEOCODER_TIMEOUT", 5)),
            cache_days=int(config.get("GEOCODER_CACHE_DAYS", 90)),
            not_found_hours=int(config.get("GEOCODER_NOT_FOUND_HOURS", 24)),
            min_delay=min_delay,
        )


@dataclass(frozen=True)
class Address:
    """A postal address in Bottrop, asked as Nominatim's structured query (each part one
    line of text: control characters dropped, spaces single)."""

    street: str
    house_number: str
    postcode: str
    city: str = "Bottrop"

    @property
    def text(self) -> str:
        return one_line(f"{self.street} {self.house_number}, {self.postcode} {self.city}")

    def structured(self) -> dict[str, str]:
        # Nominatim's structured search wants "street" as "<house number> <street name>"
        query = {
            "street": one_line(f"{self.house_number} {self.street}"),
            "postalcode": one_line(self.postcode),
            "city": one_line(self.city),
        }
        return {k: v for k, v in query.items() if v}


@dataclass(frozen=True)
class Place:
    lat: float
    lon: float
    display_name: str = ""
    postcode: str | None = None

    @property
    def point(self) -> tuple[float, float]:
        return (self.lat, self.lon)


# --- the cache key ---

_STREET_SHORT = re.compile(r"(?<=[a-z])str\b|\bstr\b")  # "Hochstr." is "Hochstraße"


def normalise_address(text: str | None) -> str:
    """The cache key of an address: the site's folding (lower case, ä/ö/ü/ß spelled out,
    accents dropped, punctuation and runs of spaces made single spaces) and "str." spelled
    out. "Hochstraße 12, 46236 Bottrop", "HOCHSTRASSE 12 46236 bottrop" and "Hochstr. 12,
    46236 Bottrop" are one key."""
    return _STREET_SHORT.sub("strasse", fold(text))[:KEY_LENGTH]


# --- the service: one rate limiter for the whole process ---


def _ask(geocoder: Nominatim, query, **params):
    return geocoder.geocode(query, **params)


_limiters: dict[float, RateLimiter] = {}
_limiters_lock = threading.Lock()
_waiting = threading.BoundedSemaphore(MAX_WAITING)


def _rate_limited(min_delay: float) -> RateLimiter:
    """The process's one rate limiter (per configured delay, which is one in practice):
    every thread's lookups queue behind it. No retries (someone is waiting for the page)
    and no swallowed errors (they must not look like "not found")."""
    with _limiters_lock:
        if min_delay not in _limiters:
            _limiters[min_delay] = RateLimiter(
                _ask, min_delay_seconds=min_delay, max_retries=0, swallow_exceptions=False
            )
        return _limiters[min_delay]


@lru_cache(maxsize=8)
def _geocoder(url: str, user_agent: str, timeout: float) -> Nominatim:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"GEOCODER_URL must look like https://host[:port][/path], not {url!r}")
    return Nominatim(
        user_agent=user_agent,
        domain=parts.netloc + parts.path.rstrip("/"),
        scheme=parts.scheme,
        timeout=timeout,
    )


def _ask_service(query, settings: GeocoderSettings) -> Place | None:
    """The service's answer: a place, or None when it knows no such address."""
    if not _waiting.acquire(blocking=False):
        raise GeocodingError(BUSY)
    try:
        location = _rate_limited(settings.min_delay)(
            _geocoder(settings.url, settings.user_agent, settings.timeout),
            query,
            exactly_one=True,
            addressdetails=True,
            language="de",
            country_codes="de",
            viewbox=BOUNDS,
            bounded=True,
        )
    except GeocoderQueryError:
        return None  # the service did not understand the query: no such address
    except GeopyError as exc:
        log.warning("geocoder at %s failed: %s", settings.url, exc)
        raise GeocodingError(UNAVAILABLE) from exc
    finally:
        _waiting.release()
    if location is None:
        return None
    details = (location.raw or {}).get("address") or {}
    postcode = re.search(r"\d{5}", str(details.get("postcode") or ""))
    return Place(
        lat=round(float(location.latitude), 7),
        lon=round(float(location.longitude), 7),
        display_name=(location.address or "")[:500],
        postcode=postcode.group(0) if postcode else None,
    )


# --- the cached lookup ---


def _fresh(entry: GeocodeResult, settings: GeocoderSettings) -> bool:
    if entry.found:
        keep = timedelta(days=settings.cache_days)
    else:
        keep = timedelta(hours=settings.not_found_hours)
    return utcnow() - entry.fetched_at < keep


def _place_of(entry: GeocodeResult) -> Place:
    if not entry.found:
        raise GeocodingError(NOT_FOUND)
    if not in_bottrop(entry.lat, entry.lon):
        raise GeocodingError(OUTSIDE)
    return Place(entry.lat, entry.lon, entry.display_name or "", entry.postcode)


@transactional(write=True)
def _store(key: str, text: str, place: Place | None) -> GeocodeResult:
    values = {
        "key": key,
        "query": text[:KEY_LENGTH],
        "found": place is not None,
        "lat": place.lat if place else None,
        "lon": place.lon if place else None,
        "display_name": place.display_name if place else None,
        "postcode": place.postcode if place else None,
        "fetched_at": utcnow(),
    }
    dialect = db.session.get_bind().dialect.name
    insert_ = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert_(GeocodeResult).values(**values)
    statement = statement.on_conflict_do_update(  # two lookups of one new address at once
        index_elements=[GeocodeResult.key],
        set_={name: statement.excluded[name] for name in values if name != "key"},
    )
    db.session.execute(statement)
    return GeocodeResult(**values)


def geocode(address: Address | str, settings: GeocoderSettings) -> Place:
    """Where ``address`` (structured, or free text as a shopper types it) is in Bottrop.

    Call it before changing anything in the session: on a cache miss it ends the current
    transaction (nothing may be pending), so that no database lock is held while the
    service answers, and stores the answer in a short transaction of its own.
    Raises GeocodingError (not found, outside Bottrop, service unreachable or busy)."""
    if db.session.new or db.session.dirty or db.session.deleted:
        raise RuntimeError("geocode() must be called before the session has changes")
    if isinstance(address, Address):
        text, query = address.text, address.structured()
    else:
        text = one_line(address)[:200]  # what is asked and stored: no control characters
        if "bottrop" not in normalise_address(text):
            text = f"{text}, Bottrop"
        query = text
    key = normalise_address(text)
    if not key or key == "bottrop":
        raise GeocodingError(NOT_FOUND)
    entry = db.session.get(GeocodeResult, key)
    if entry is not None and _fresh(entry, settings):
        return _place_of(entry)
    end_transaction()  # no lock is held while waiting for the service
    place = _ask_service(query, settings)
    return _place_of(_store(key, text, place))


# --- distances and delivery areas ---


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The geodesic distance (WGS84 ellipsoid) between two (lat, lon) points, in km."""
    return geodesic(a, b).km


def delivery_answer(
    option,
    origin: tuple[float, float] | None,
    *,
    point: tuple[float, float] | None = None,
    postcode: str | None = None,
) -> bool | None:
    """Does this delivery option reach the place? Its area is its postcode list and/or
    the circle of ``radius_km`` around the business (``origin``); either is enough.
    True or False, or None when it cannot be told (a radius without a point to measure,
    or a postcode list without a postcode)."""
    postcodes = set(option.postcodes or ())
    if postcode and postcode in postcodes:
        return True
    undecided = bool(postcodes) and not postcode
    if option.radius_km:
        if origin is None or point is None:
            undecided = True
        elif distance_km(origin, point) <= option.radius_km:
            return True
    return None if undecided else False
