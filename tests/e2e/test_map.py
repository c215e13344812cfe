"""The city map in a real browser: markers and clusters on the town (tests/town.py), the
"Lieferung"
filter, a marker's popup leading to the business, the list of what is in view, the
shopper's location — and all of it while the tile server cannot be reached.

Tiles come from the live server itself (a static image for every tile), so nothing leaves
the machine; one test points them at a path that does not exist."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips (or fails in CI) with the reason
    expect = None

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e

TILE = "/static/vendor/leaflet-1.9.4/images/layers.png?z={z}&x={x}&y={y}"


@pytest.fixture(autouse=True)
def _in_town(live_town):
    """The live server shows the town of tests/town.py."""


@pytest.fixture(autouse=True)
def local_tiles(live_server):
    saved = live_server.app.config["MAP_TILE_URL"]
    live_server.app.config["MAP_TILE_URL"] = TILE
    yield
    live_server.app.config["MAP_TILE_URL"] = saved


def _expected(live_server, **flags) -> set[int]:
    """Published businesses with coordinates matching the flags, by the search service."""
    from hallobot.extensions import db
    from hallobot.search.query import SearchQuery
    from hallobot.search.service import find

    with live_server.app.app_context():
        found = find(SearchQuery(flags=frozenset(flags)), everything=True).found
        ids = {i for i, _score in found}
        from sqlalchemy import select

        from hallobot.directory.models import Business

        with_point = set(db.session.scalars(select(Business.id).where(Business.lat.is_not(None))))
        db.session.remove()
    return ids & with_point


def _loaded(page: Page) -> int:
    expect(page.locator("#stadtkarte")).to_have_attribute("data-markers", re.compile(r"^\d+$"))
    return int(page.locator("#stadtkarte").get_attribute("data-markers"))


def _drawn(page: Page) -> int:
    """Businesses drawn: the numbers on the clusters plus the single markers."""
    expect(page.locator(".marker-cluster").first).to_be_visible()
    clusters = sum(int(t) for t in page.locator(".marker-cluster span").all_inner_texts())
    return clusters + page.locator(".leaflet-marker-icon.map-marker").count()


def test_markers_and_clusters_on_the_town(page: Page, live_server, artifacts):
    page.goto("/karte")
    expected = _expected(live_server)
    assert _loaded(page) == len(expected) > 50
    assert _drawn(page) == len(expected)  # the whole city is in view
    expect(page.locator("#map-list-count")).to_have_text(
        f"{len(expected)} in diesem Kartenausschnitt"
    )
    expect(page.locator(".leaflet-control-attribution")).to_contain_text(
        "© OpenStreetMap-Mitwirkende"
    )
    page.screenshot(path=artifacts / "map-clusters.png")


def test_the_delivery_filter_changes_the_markers(page: Page, live_server, artifacts):
    page.goto("/karte")
    everything = _loaded(page)
    page.get_by_label(re.compile(r"^Lieferung")).check()  # applies at once
    expect(page).to_have_url(re.compile(r"/karte\?.*lieferung=1"))
    delivering = _expected(live_server, delivery=True)
    assert _loaded(page) == len(delivering) < everything
    assert _drawn(page) == len(delivering)
    page.screenshot(path=artifacts / "map-delivery.png")


def test_a_markers_popup_leads_to_the_business(page: Page, live_server, live_town, artifacts):
    page.goto("/karte?q=Kruse")
    assert _loaded(page) >= 1
    marker = page.locator(".leaflet-marker-icon.map-marker[title='Bäckerei Kruse']")
    for _ in range(8):  # open clusters, as a shopper would, until the bakery has its own pin
        if marker.count():
            break
        page.locator(".marker-cluster").first.click()
        page.wait_for_timeout(400)  # the zoom animation
    marker.click()
    popup = page.locator(".leaflet-popup")
    expect(popup).to_contain_text("Bäckerei Kruse")
    expect(popup.locator(".state")).to_have_text(re.compile(r"Jetzt geöffnet|Geschlossen"))
    expect(popup).to_contain_text("46236 Bottrop")
    expect(popup.get_by_role("link", name="Route planen")).to_have_attribute(
        "href", re.compile(r"^https://www\.openstreetmap\.org/directions\?route=")
    )
    page.screenshot(path=artifacts / "map-popup.png")
    popup.get_by_role("link", name="Zur Seite des Betriebs").click()
    expect(page).to_have_url(re.compile(rf"/betrieb/{live_town.slugs['Bäckerei Kruse']}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bäckerei Kruse")
    # the business page's small map with its pin
    expect(page.locator("#standort .map-marker")).to_be_visible()
    expect(page.get_by_role("link", name="Route planen")).to_be_visible()


def test_the_list_follows_the_map_and_the_keyboard_opens_popups(page: Page, live_server):
    page.goto("/karte")
    total = _loaded(page)
    first = page.locator("#map-list .map-show").first
    first.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".leaflet-popup")).to_be_visible()
    expect(page.locator(".leaflet-popup .map-popup-link")).to_be_visible()
    # zoomed in on one business: the list holds only what is in view now
    shown = int(page.locator("#map-list-count").inner_text().split()[0])
    assert 1 <= shown < total


def test_my_location_shows_distances(page: Page, live_server):
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 51.5245, "longitude": 6.9275})
    page.goto("/karte")
    _loaded(page)
    page.get_by_role("button", name="Mein Standort").click()
    expect(page.locator("#map-locate-status")).to_have_text("Ihr Standort")
    distances = page.locator("#map-list .distance")
    expect(distances.first).to_contain_text("km entfernt")
    values = [float(t.split()[0].replace(",", ".")) for t in distances.all_inner_texts()]
    assert values == sorted(values)  # nearest first


def test_without_tiles_the_markers_and_the_list_still_work(page: Page, live_server, browsing):
    live_server.app.config["MAP_TILE_URL"] = "/kacheln-offline/{z}/{x}/{y}.png"
    page.goto("/karte?lieferung=1")
    delivering = _expected(live_server, delivery=True)
    assert _loaded(page) == len(delivering)
    assert _drawn(page) == len(delivering)
    expect(page.locator("#map-list .map-show")).to_have_count(min(50, len(delivering)))
    # the tiles failed, and nothing else did
    assert browsing.problems and all("/kacheln-offline/" in p for p in browsing.problems)
    browsing.problems.clear()


def test_showing_a_listed_business_keeps_the_keyboard_user_in_place(page: Page, live_server):
    """ "Auf der Karte zeigen" moves the map, which renews the list: focus must not fall
    back to the start of the page, and the popup's links must be reachable by keyboard."""
    page.goto("/karte")
    _loaded(page)
    first = page.locator("#map-list .map-show").first
    first.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".leaflet-popup .map-popup-link")).to_be_visible()
    assert page.evaluate("document.activeElement !== document.body")
    for _ in range(4):
        if page.evaluate("!!document.activeElement.closest('.leaflet-popup')"):
            break
        page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('.leaflet-popup')")
    page.keyboard.press("Escape")
    expect(page.locator(".leaflet-popup")).to_have_count(0)
    assert page.evaluate("document.activeElement.classList.contains('map-show')")
