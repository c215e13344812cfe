"""The owner's pin in a real browser: on the edit page the owner drags the pin, the
coordinate fields follow, and saving stores the new place (on a draft directly, on a
published entry in the pending change set). Tiles come from a tile server on loopback;
when they cannot be loaded the pin still works."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from sqlalchemy import select

from hallobot.directory.models import Business
from hallobot.extensions import db
from hallobot.moderation.models import Revision
from tests.e2e.conftest import build_live
from tests.factories import PASSWORD

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips (or fails in CI) with the reason
    expect = None

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e

OWNER_EMAIL = "sabine.kruse@beispiel.example"


@pytest.fixture(scope="module")
def entries(live_server) -> dict[str, int]:
    """OWNER_EMAIL's draft (a beauty salon) and published bakery: their ids."""

    def make(factories):
        owner = factories.owner(email=OWNER_EMAIL)
        return {
            "draft": factories.beauty_salon(owner).id,
            "published": factories.bakery(owner).id,
        }

    return build_live(live_server, make)


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _business(live_server, **where) -> Business:
    with live_server.app.app_context():
        business = db.session.scalar(select(Business).filter_by(**where))
        db.session.expunge(business)
        db.session.remove()
    return business


def _log_in(page: Page) -> None:
    page.goto("/konto/anmelden")
    page.get_by_label("E-Mail-Adresse", exact=True).fill(OWNER_EMAIL)
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Anmelden", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Willkommen")


def _drag_pin(page: Page, dx: int, dy: int) -> tuple[float, float]:
    """Drag the pin by (dx, dy) pixels; returns the coordinates the fields then hold."""
    latitude = page.get_by_label("Breitengrad", exact=True)
    longitude = page.get_by_label("Längengrad", exact=True)
    before = (latitude.input_value(), longitude.input_value())
    pin = page.locator("#pin-map .leaflet-marker-icon")
    pin.scroll_into_view_if_needed()
    box = pin.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx / 2, y + dy / 2, steps=5)
    page.mouse.move(x + dx, y + dy, steps=5)
    page.mouse.up()
    expect(latitude).not_to_have_value(before[0])
    expect(longitude).not_to_have_value(before[1])
    expect(page.locator("#pin-map-status")).to_contain_text("Neue Lage")
    return _number(latitude.input_value()), _number(longitude.input_value())


def test_dragging_the_pin_of_a_draft_saves_the_new_place(
    page: Page, live_server, entries, tile_server, artifacts
):
    draft = _business(live_server, id=entries["draft"])
    _log_in(page)
    page.goto(f"/mein-betrieb/{draft.slug}/bearbeiten")
    expect(page.locator("#pin-map")).to_be_visible()
    expect(page.locator("#pin-map .leaflet-tile-loaded").first).to_be_visible()
    assert any(path.startswith("/tiles/") for path in tile_server.requests)
    assert page.get_by_label("Breitengrad", exact=True).input_value() == (
        f"{draft.lat:.6f}".rstrip("0").replace(".", ",")
    )

    lat, lon = _drag_pin(page, 120, 80)  # to the right (east) and down (south)
    assert lat < draft.lat and lon > draft.lon
    assert abs(lat - draft.lat) < 0.005 and abs(lon - draft.lon) < 0.005  # zoom 17: metres
    page.locator("fieldset").filter(has=page.locator("#pin-map")).screenshot(
        path=artifacts / "owner-pin-drag.png"
    )
    page.get_by_role("button", name="Speichern", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Gespeichert.")

    saved = _business(live_server, id=draft.id)
    assert (saved.lat, saved.lon) == (lat, lon)
    assert (saved.street, saved.house_number) == (draft.street, draft.house_number)


def test_dragging_the_pin_of_a_published_entry_proposes_the_new_place(
    page: Page, live_server, entries
):
    kruse = _business(live_server, id=entries["published"])
    _log_in(page)
    page.goto(f"/mein-betrieb/{kruse.slug}/bearbeiten")
    lat, lon = _drag_pin(page, -60, -40)  # west and north
    assert lat > kruse.lat and lon < kruse.lon
    page.get_by_role("button", name="Speichern", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("nach Prüfung durch unsere Moderation")

    public = _business(live_server, id=kruse.id)
    assert (public.lat, public.lon) == (kruse.lat, kruse.lon)  # the public entry waits
    with live_server.app.app_context():
        revision = db.session.scalar(select(Revision).where(Revision.business_id == kruse.id))
        assert revision.status == "open"
        assert revision.changes == {"lat": lat, "lon": lon}
        db.session.remove()


def test_without_tiles_the_pin_still_works(page: Page, live_server, entries, tile_server, browsing):
    draft = _business(live_server, id=entries["draft"])
    saved = live_server.app.config["MAP_TILE_URL"]
    live_server.app.config["MAP_TILE_URL"] = tile_server.offline_template
    try:
        _log_in(page)
        page.goto(f"/mein-betrieb/{draft.slug}/bearbeiten")
        status = page.locator("#pin-map-status")
        expect(status).to_contain_text("Kartenbilder konnten nicht geladen werden")
        lat, lon = _drag_pin(page, 50, 100)
        assert lat < draft.lat and lon > draft.lon
        page.get_by_role("button", name="Speichern", exact=True).click()
        expect(page.get_by_role("status")).to_contain_text("Gespeichert.")
    finally:
        live_server.app.config["MAP_TILE_URL"] = saved
    assert _business(live_server, id=draft.id).lat == lat
    # the tiles failed, and nothing else did
    assert browsing.problems and all("/offline/" in p for p in browsing.problems)
    browsing.problems.clear()
