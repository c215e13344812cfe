"""Geocoding through geopy's Nominatim against the stand-in on 127.0.0.1 (no mock of
geopy): the request Nominatim receives, the cache, the rate limit, and the failures."""

from __future__ import annotations

import socket
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from hallobot.extensions import db
from hallobot.geo import service as geo
from hallobot.geo.bounds import CENTRE
from hallobot.geo.models import GeocodeResult
from hallobot.geo.service import Address, GeocoderSettings, GeocodingError, geocode
from hallobot.models_base import utcnow
from tests.standins import nominatim_result

HOCHSTRASSE = Address("Hochstraße", "12", "46236")


@pytest.fixture
def settings(app, nominatim) -> GeocoderSettings:
    return GeocoderSettings.from_config(app.config)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens here once the socket is closed


def test_addresses_are_folded_into_one_cache_key():
    keys = {
        geo.normalise_address(text)
        for text in (
            "Hochstraße 12, 46236 Bottrop",
            "HOCHSTRASSE  12 46236 bottrop",
            "Hochstr. 12, 46236 Bottrop",
            " hochstrasse 12 ,46236 Bottrop ",
        )
    }
    assert keys == {"hochstrasse 12 46236 bottrop"}
    assert geo.normalise_address("Lützowstraße 5") == "luetzowstrasse 5"
    assert geo.normalise_address("Gladbecker Str. 78") == "gladbecker strasse 78"
    assert geo.normalise_address("Café Crème") == "cafe creme"


def test_settings_from_config(app):
    settings = GeocoderSettings.from_config(app.config)
    assert settings.user_agent == f"hallobot/0.1 (+{app.config['LEGAL_EMAIL']})"
    assert (settings.cache_days, settings.not_found_hours) == (90, 24)
    own = GeocoderSettings.from_config(
        {**app.config, "GEOCODER_USER_AGENT": "stadt-bot/2 (x)", "GEOCODER_MIN_DELAY": "0.2"}
    )
    assert own.user_agent == "stadt-bot/2 (x)" and own.min_delay == 0.2
    # the public Nominatim allows one request per second, whatever the configuration says
    public = {"GEOCODER_URL": "https://nominatim.openstreetmap.org", "GEOCODER_MIN_DELAY": "0"}
    assert GeocoderSettings.from_config({**app.config, **public}).min_delay == 1
    assert GeocoderSettings.from_config({"GEOCODER_URL": "https://x.example"}).min_delay == 1
    # scheme, host, port and a path prefix (a self-hosted Nominatim under /nominatim)
    nominatim = geo._geocoder("https://geo.example:8443/nominatim/", "hallobot/0.1 (+a@b)", 5)
    assert nominatim.api == "https://geo.example:8443/nominatim/search"
    with pytest.raises(ValueError):
        geo._geocoder("geo.example", "hallobot/0.1 (+a@b)", 5)


def test_lookup_is_bounded_to_bottrop_and_names_us(app, nominatim, settings):
    place = geocode(HOCHSTRASSE, settings)
    assert place.postcode == "46236" and "Hochstraße" in place.display_name
    assert place.point == pytest.approx((51.5245, 6.9275 + 12 * 0.00002))
    (request,) = nominatim.searches()
    params = request.params
    assert params["format"] == "json"
    assert params["street"] == "12 Hochstraße"
    assert (params["postalcode"], params["city"]) == ("46236", "Bottrop")
    assert params["bounded"] == "1" and params["countrycodes"] == "de"
    assert params["viewbox"] == "6.82,51.47,7.03,51.66"  # west, south, east, north
    assert params["accept-language"] == "de" and params["addressdetails"] == "1"
    assert request.headers["User-Agent"] == settings.user_agent
    assert request.headers["User-Agent"].startswith("hallobot/0.1 (+")


def test_a_cache_hit_never_calls_the_service(app, nominatim, settings):
    first = geocode(HOCHSTRASSE, settings)
    assert len(nominatim.searches()) == 1
    entry = db.session.get(GeocodeResult, "hochstrasse 12 46236 bottrop")
    assert entry.found and entry.query == "Hochstraße 12, 46236 Bottrop"
    # the same address, typed differently: the same key, no second request
    again = geocode("Hochstr. 12, 46236 Bottrop", settings)
    assert again == first
    assert len(nominatim.searches()) == 1


class LimiterClock:
    """The rate limiter's clock, moving only while the limiter waits: the spacing it reads
    is the one the limiter decides, whatever else keeps the machine busy."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.waits: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


def test_two_uncached_lookups_leave_at_least_a_second_apart(app, nominatim, settings, monkeypatch):
    """The process's one RateLimiter (geopy's) lets a lookup go to the service only a second
    after the one before. Measured on the limiter's own clock (injected, see LimiterClock)
    at the moment each lookup is handed to geopy to be sent; both then reach the stand-in.
    (The tests' configuration turns the delay off elsewhere; this is the production
    setting.)"""
    production = replace(settings, min_delay=1.0)
    monkeypatch.setattr(geo, "_limiters", {})  # a limiter of its own, built by _rate_limited
    limiter = geo._rate_limited(production.min_delay)
    clock = LimiterClock()
    monkeypatch.setattr(limiter, "_clock", clock)
    monkeypatch.setattr(limiter, "_sleep", clock.sleep)
    sent: list[float] = []
    send = limiter.func

    def sending(*args, **kwargs):
        sent.append(clock())
        return send(*args, **kwargs)

    monkeypatch.setattr(limiter, "func", sending)
    geocode(HOCHSTRASSE, production)
    geocode(Address("Boyer Markt", "3", "46240"), production)
    first, second = sent
    assert second - first >= 1.0
    assert clock.waits == [pytest.approx(1.0)]  # the limiter held the second one back
    streets = [request.params["street"] for request in nominatim.searches()]
    assert streets == ["12 Hochstraße", "3 Boyer Markt"]


def test_not_found_is_a_message_and_cached_for_a_day(app, nominatim, settings):
    nowhere = Address("Gibtsnichtweg", "1", "46236")
    with pytest.raises(GeocodingError) as caught:
        geocode(nowhere, settings)
    assert caught.value.reason == geo.NOT_FOUND
    assert str(caught.value.message) == "Diese Adresse haben wir in Bottrop nicht gefunden."
    entry = db.session.get(GeocodeResult, "gibtsnichtweg 1 46236 bottrop")
    assert entry is not None and not entry.found and entry.lat is None
    with pytest.raises(GeocodingError):
        geocode(nowhere, settings)
    assert len(nominatim.searches()) == 1  # the answer "not found" came from the cache
    # a day later the service is asked again (the street may be new in OpenStreetMap)
    db.session.execute(
        update(GeocodeResult)
        .where(GeocodeResult.key == entry.key)
        .values(fetched_at=utcnow() - timedelta(hours=25))
    )
    db.session.commit()
    with pytest.raises(GeocodingError):
        geocode(nowhere, settings)
    assert len(nominatim.searches()) == 2


def test_found_addresses_are_kept_for_months(app, nominatim, settings):
    geocode(HOCHSTRASSE, settings)
    key = "hochstrasse 12 46236 bottrop"
    for age, requests in ((timedelta(days=89), 1), (timedelta(days=91), 2)):
        db.session.execute(
            update(GeocodeResult).where(GeocodeResult.key == key).values(fetched_at=utcnow() - age)
        )
        db.session.commit()
        geocode(HOCHSTRASSE, settings)
        assert len(nominatim.searches()) == requests, age


def test_a_result_outside_bottrop_is_refused(app, nominatim, settings):
    # a service that ignores the viewbox: the answer is checked all the same
    nominatim.forced["Hochstraße 12"] = [nominatim_result(52.52, 13.405, "Berlin", "10117")]
    with pytest.raises(GeocodingError) as caught:
        geocode(HOCHSTRASSE, settings)
    assert caught.value.reason == geo.OUTSIDE
    assert "nicht in Bottrop" in str(caught.value.message)


def test_the_stand_in_honours_the_viewbox(app, nominatim, settings):
    # the stand-in knows the street but, like Nominatim, only answers inside the viewbox
    nominatim.forced.clear()
    assert nominatim.search({"q": "Hochstraße 12", "viewbox": "13,52,14,53", "bounded": "1"}) == []


def test_service_down_is_a_message_and_nothing_is_cached(app, nominatim, settings):
    down = replace(settings, url=f"http://127.0.0.1:{_closed_port()}")
    with pytest.raises(GeocodingError) as caught:
        geocode(HOCHSTRASSE, down)
    assert caught.value.reason == geo.UNAVAILABLE
    assert "nicht erreichbar" in str(caught.value.message)
    assert db.session.get(GeocodeResult, "hochstrasse 12 46236 bottrop") is None


@pytest.mark.parametrize("status", [429, 500, 503])
def test_service_errors_are_messages_and_not_cached(app, nominatim, settings, status):
    nominatim.fail_with = status
    with pytest.raises(GeocodingError) as caught:
        geocode(HOCHSTRASSE, settings)
    assert caught.value.reason == geo.UNAVAILABLE
    assert db.session.scalar(select(GeocodeResult)) is None
    nominatim.fail_with = None
    assert geocode(HOCHSTRASSE, settings).postcode == "46236"


def test_lookups_queue_only_so_far_behind_the_rate_limit(app, nominatim, settings):
    taken = 0
    while geo._waiting.acquire(blocking=False):  # every place in the queue is taken
        taken += 1
    try:
        with pytest.raises(GeocodingError) as caught:
            geocode(HOCHSTRASSE, settings)
        assert caught.value.reason == geo.BUSY
    finally:
        for _ in range(taken):
            geo._waiting.release()
    assert taken == geo.MAX_WAITING and nominatim.searches() == []


def test_free_text_is_searched_in_bottrop(app, nominatim, settings):
    place = geocode("Gladbecker Straße 78", settings)
    assert place.postcode == "46236"
    (request,) = nominatim.searches()
    assert request.params["q"] == "Gladbecker Straße 78, Bottrop"
    assert request.params["bounded"] == "1"
    with pytest.raises(GeocodingError):
        geocode("   ", settings)
    assert len(nominatim.searches()) == 1  # an empty query never reaches the service


@pytest.mark.parametrize("typed", ["Gladbecker\x00 Straße 78", "Gladbecker\x1b Straße\t78"])
def test_control_characters_never_reach_the_service_or_the_cache(
    client, nominatim, factories, typed
):
    """The delivery check on a business page asks for what a visitor typed: NUL and escape
    are dropped (PostgreSQL refuses NUL in text; it was a 500)."""
    business = factories.business(name="Pizzeria Probe", hours=False)
    business.lat, business.lon = 51.5245, 6.9275
    factories.delivery_option(business, postcodes=[], radius_km=5)
    db.session.commit()
    url = f"/betrieb/{business.slug}/liefergebiet"
    assert client.get(url, query_string={"adresse": typed}).status_code == 200
    (request,) = nominatim.searches()
    assert request.params["q"] == "Gladbecker Straße 78, Bottrop"
    entry = db.session.get(GeocodeResult, "gladbecker strasse 78 bottrop")
    assert entry.found and entry.query == "Gladbecker Straße 78, Bottrop"


def test_control_characters_in_an_address_are_dropped(app, nominatim, settings):
    place = geocode(Address("Hoch\x00straße\x1b", "12\x00", "46236\x07"), settings)
    assert place.postcode == "46236"
    (request,) = nominatim.searches()
    assert request.params["street"] == "12 Hochstraße"
    assert request.params["postalcode"] == "46236"
    entry = db.session.get(GeocodeResult, "hochstrasse 12 46236 bottrop")
    assert entry.query == "Hochstraße 12, 46236 Bottrop"


def test_geocoding_refuses_to_run_with_unsaved_changes(app, nominatim, settings, factories):
    business = factories.business()
    business.name = "Geändert, nicht gespeichert"
    with pytest.raises(RuntimeError):
        geocode(HOCHSTRASSE, settings)


def test_distance_is_geodesic():
    station = (51.5094, 6.9367)  # Hauptbahnhof
    assert geo.distance_km(CENTRE, station) == pytest.approx(1.67, abs=0.02)
    assert geo.distance_km(CENTRE, station) == pytest.approx(geo.distance_km(station, CENTRE))
    assert geo.distance_km(CENTRE, CENTRE) == 0


class Option:
    def __init__(self, postcodes=(), radius_km=None):
        self.postcodes, self.radius_km = list(postcodes), radius_km


ORIGIN = CENTRE
NEAR = (51.5094, 6.9367)  # 1.7 km
FAR = (51.6022, 6.9214)  # Kirchhellen, 8.7 km


@pytest.mark.parametrize(
    "option, point, postcode, expected",
    [
        (Option(["46236", "46238"]), None, "46238", True),
        (Option(["46236", "46238"]), None, "46244", False),
        (Option(["46236"]), NEAR, None, None),  # a list, but no postcode to compare
        (Option(radius_km=3), NEAR, None, True),
        (Option(radius_km=3), FAR, "46244", False),
        (Option(radius_km=3), None, "46236", None),  # a radius, but nothing to measure
        (Option(["46244"], radius_km=3), FAR, "46244", True),  # either is enough
        (Option(["46240"], radius_km=3), NEAR, "46236", True),
        (Option(["46240"], radius_km=3), FAR, "46244", False),
    ],
)
def test_delivery_answer(option, point, postcode, expected):
    assert geo.delivery_answer(option, ORIGIN, point=point, postcode=postcode) is expected


def test_delivery_answer_without_the_business_location():
    assert geo.delivery_answer(Option(radius_km=5), None, point=NEAR) is None
    assert geo.delivery_answer(Option(["46236"], 5), None, point=NEAR, postcode="46236")
