"""Owners' addresses are geocoded when saved (through the Nominatim stand-in); the owner's
own pin wins; failures leave everything as it was, with a message beside the address."""

from __future__ import annotations

import re
import socket

import pytest
from sqlalchemy import select

from hallobot.directory.models import Business, Category
from hallobot.extensions import db
from hallobot.moderation.models import Revision
from tests.conftest import browser_form, login_as, post_form

GLADBECKER_78 = (51.528939, 6.929466 + 78 * 0.00002)  # the stand-in's answer


def _edit_form(client, business: Business) -> tuple[str, dict]:
    url = f"/mein-betrieb/{business.slug}/bearbeiten"
    return url, browser_form(client.get(url).get_data(as_text=True))


def _street_error(html: str) -> str:
    match = re.search(r'<p class="error" id="street-error">(.*?)</p>', html, re.S)
    assert match, "no message beside the street"
    return match.group(1)


@pytest.fixture
def geocoder_down(app):
    """The app's GEOCODER_URL pointing at a closed port for one test."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    saved = app.config["GEOCODER_URL"]
    app.config["GEOCODER_URL"] = f"http://127.0.0.1:{port}"
    try:
        yield
    finally:
        app.config["GEOCODER_URL"] = saved


def test_a_changed_address_of_a_draft_is_geocoded(app, nominatim, draft_entry, owner_account):
    draft = draft_entry
    client = login_as(app, owner_account)
    url, data = _edit_form(client, draft)
    data.update(street="Gladbecker Straße", house_number="78", postcode="46236")
    assert client.post(url, data=data).status_code == 302
    db.session.refresh(draft)
    assert (draft.street, draft.house_number) == ("Gladbecker Straße", "78")
    assert (draft.lat, draft.lon) == pytest.approx(GLADBECKER_78, abs=1e-6)
    (request,) = nominatim.searches()
    assert request.params["street"] == "78 Gladbecker Straße"
    assert request.params["bounded"] == "1"
    # the edit page now shows the new place, the German way
    page = client.get(url).get_data(as_text=True)
    assert 'value="51,528939"' in page


def test_a_changed_address_of_a_published_entry_goes_into_the_revision(
    app, nominatim, bakery, owner_account
):
    kruse = bakery
    before = (kruse.street, kruse.lat, kruse.lon)
    client = login_as(app, owner_account)
    url, data = _edit_form(client, kruse)
    data.update(street="Gladbecker Straße", house_number="78")
    assert client.post(url, data=data).status_code == 302
    db.session.refresh(kruse)
    assert (kruse.street, kruse.lat, kruse.lon) == before  # the public entry is unchanged
    revision = db.session.scalar(select(Revision).where(Revision.business_id == kruse.id))
    assert set(revision.changes) == {"street", "house_number", "lat", "lon"}
    assert (revision.changes["lat"], revision.changes["lon"]) == pytest.approx(
        GLADBECKER_78, abs=1e-6
    )
    assert len(nominatim.searches()) == 1


def test_the_owners_own_coordinates_win(app, nominatim, draft_entry, owner_account):
    draft = draft_entry
    client = login_as(app, owner_account)
    url, data = _edit_form(client, draft)
    data.update(street="Gladbecker Straße", house_number="78", lat="51,5301", lon="6,9302")
    assert client.post(url, data=data).status_code == 302
    db.session.refresh(draft)
    assert (draft.street, draft.lat, draft.lon) == ("Gladbecker Straße", 51.5301, 6.9302)
    assert nominatim.searches() == []


def test_saving_without_an_address_change_asks_nobody(app, nominatim, draft_entry, owner_account):
    draft = draft_entry
    client = login_as(app, owner_account)
    url, data = _edit_form(client, draft)
    data["description"] = "Neue Beschreibung, gleiche Adresse."
    assert client.post(url, data=data).status_code == 302
    db.session.refresh(draft)
    assert draft.description == "Neue Beschreibung, gleiche Adresse."
    assert nominatim.searches() == []


def test_an_unknown_address_is_refused_beside_the_street(
    app, nominatim, draft_entry, owner_account
):
    draft = draft_entry
    before = (draft.street, draft.house_number, draft.lat, draft.lon, draft.version)
    client = login_as(app, owner_account)
    url, data = _edit_form(client, draft)
    data.update(
        street="Gibtsnichtweg", house_number="7", description="Auch das bleibt im Formular."
    )
    response = client.post(url, data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Diese Adresse haben wir in Bottrop nicht gefunden" in _street_error(page)
    assert 'value="Gibtsnichtweg"' in page and "Auch das bleibt im Formular." in page
    db.session.refresh(draft)
    assert (draft.street, draft.house_number, draft.lat, draft.lon, draft.version) == before


def test_geocoder_down_saves_nothing(app, nominatim, geocoder_down, bakery, owner_account):
    kruse = bakery
    client = login_as(app, owner_account)
    url, data = _edit_form(client, kruse)
    data.update(street="Gladbecker Straße", house_number="78", phone="02041 999999")
    response = client.post(url, data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    message = _street_error(page)
    assert "Adresssuche ist nicht erreichbar" in message and "Gespeichert wurde nichts" in message
    assert 'value="02041 999999"' in page  # nothing typed is lost
    assert db.session.scalar(select(Revision).where(Revision.business_id == kruse.id)) is None
    # with the pin set by hand the owner does not depend on the service
    data.update(lat="51,5289", lon="6,9311")
    assert client.post(url, data=data).status_code == 302
    revision = db.session.scalar(select(Revision).where(Revision.business_id == kruse.id))
    assert (revision.changes["lat"], revision.changes["lon"]) == (51.5289, 6.9311)


def test_coordinates_outside_bottrop_are_refused(app, nominatim, draft_entry, owner_account):
    draft = draft_entry
    before = (draft.street, draft.lat, draft.lon)
    client = login_as(app, owner_account)
    url, data = _edit_form(client, draft)
    data.update(street="Gladbecker Straße", house_number="78", lat="51,4500", lon="6,9300")
    response = client.post(url, data=data)
    assert response.status_code == 422
    assert "Diese Koordinaten liegen nicht in Bottrop" in response.get_data(as_text=True)
    db.session.refresh(draft)
    assert (draft.street, draft.lat, draft.lon) == before
    assert nominatim.searches() == []


def _new_entry(**overrides) -> dict:
    category = db.session.scalar(select(Category).where(Category.slug == "baeckereien"))
    data = {
        "name": "Backstube an der Prosperstraße",
        "category_id": str(category.id),
        "district_id": "",
        "short_description": "Brot und Brötchen aus Batenbrock.",
        "description": "",
        "street": "Prosperstraße",
        "house_number": "100",
        "postcode": "46238",
        "phone": "",
        "email": "",
        "website": "",
        "lat": "",
        "lon": "",
    }
    data.update(overrides)
    return data


def test_a_new_entry_is_geocoded(app, nominatim, owner_account):
    client = login_as(app, owner_account)
    response = post_form(client, "/mein-betrieb/neu", _new_entry())
    assert response.status_code == 302
    business = db.session.scalar(select(Business).where(Business.name.startswith("Backstube an")))
    assert (business.lat, business.lon) == pytest.approx((51.52193, 6.96385 + 0.002), abs=1e-6)
    assert len(nominatim.searches()) == 1


def test_a_new_entry_at_an_unknown_address_is_not_created(app, nominatim, owner_account):
    client = login_as(app, owner_account)
    response = post_form(client, "/mein-betrieb/neu", _new_entry(street="Gibtsnichtweg"))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "nicht gefunden" in _street_error(page) and 'value="Gibtsnichtweg"' in page
    assert (
        db.session.scalar(select(Business).where(Business.name.startswith("Backstube an"))) is None
    )


def test_the_edit_page_has_the_pin_map_and_the_new_page_not(app, draft_entry, owner_account):
    client = login_as(app, owner_account)
    draft = draft_entry
    page = client.get(f"/mein-betrieb/{draft.slug}/bearbeiten").get_data(as_text=True)
    assert 'id="pin-map"' in page and "js/pin-map.js" in page and "leaflet.css" in page
    assert f'data-tiles="{app.config["MAP_TILE_URL"]}"' in page
    assert 'data-bounds="[[51.47, 6.82], [51.66, 7.03]]"' in page
    assert 'id="lat"' in page and 'id="lon"' in page  # the fields work without JavaScript
    new = client.get("/mein-betrieb/neu").get_data(as_text=True)
    assert "pin-map" not in new and "leaflet" not in new
