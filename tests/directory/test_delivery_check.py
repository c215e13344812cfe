"""The delivery check on a business page: "Liefert zu Ihnen" or not, with the costs, by
postcode list or radius; typed addresses through the Nominatim stand-in."""

from __future__ import annotations

import re
import socket

import pytest

from hallobot.directory.models import DeliveryOption
from hallobot.extensions import db

NBSP = "\xa0"


def _business(factories, *options: DeliveryOption, pickup=True):
    business = factories.business(name="Pizzeria Probe", hours=False)
    business.lat, business.lon = 51.5245, 6.9275  # Stadtmitte
    business.delivery_options.extend(options)
    if pickup:
        business.delivery_options.append(DeliveryOption(kind="pickup", postcodes=[]))
    db.session.commit()
    return business


def _by_postcodes(*postcodes):
    return DeliveryOption(
        kind="delivery",
        postcodes=list(postcodes),
        fee_cents=250,
        min_order_cents=1500,
        free_from_cents=3500,
    )


def _by_radius(km, fee=390):
    return DeliveryOption(kind="delivery", postcodes=[], radius_km=km, fee_cents=fee)


def _check(client, business, text) -> str:
    response = client.get(f"/betrieb/{business.slug}/liefergebiet", query_string={"adresse": text})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _answer(html: str) -> str:
    match = re.search(r'<div class="delivery-answer"[^>]*>(.*?)</div>', html, re.S)
    assert match, "no answer on the page"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).replace(NBSP, " ")


def test_the_form_is_on_a_page_with_delivery(client, factories):
    business = _business(factories, _by_postcodes("46236"))
    page = client.get(f"/betrieb/{business.slug}").get_data(as_text=True)
    form = page.split('id="liefercheck"')[1]
    assert f'action="/betrieb/{business.slug}/liefergebiet#liefercheck"' in form
    assert 'method="get"' in form and 'name="adresse"' in form
    assert "Liefert der Betrieb zu Ihnen?" in form


def test_a_business_without_delivery_has_no_form(client, factories):
    business = factories.business(hours=True)  # pickup only
    page = client.get(f"/betrieb/{business.slug}").get_data(as_text=True)
    assert "Abholung" in page and 'id="liefercheck"' not in page
    response = client.get(f"/betrieb/{business.slug}/liefergebiet?adresse=46236")
    assert response.status_code == 404


def test_by_postcode_list(client, factories, nominatim):
    business = _business(factories, _by_postcodes("46236", "46238"))
    answer = _answer(_check(client, business, "46238"))
    assert "Liefert zu Ihnen" in answer and "nicht" not in answer
    assert "2,50 €" in answer and "15,00 €" in answer and "35,00 €" in answer
    assert "Mindestbestellwert" in answer and "Kostenlos ab" in answer
    answer = _answer(_check(client, business, " 46244 "))
    assert "Liefert nicht zu Ihnen" in answer and "abholen" in answer
    answer = _answer(_check(client, business, "46238 Bottrop"))  # with the city: the same
    assert "Liefert zu Ihnen" in answer and "nicht" not in answer
    assert nominatim.searches() == []  # postcodes never need the geocoder


def test_by_radius_from_the_centre_of_the_postcode_area(client, factories, nominatim):
    business = _business(factories, _by_radius(3))
    inside = _answer(_check(client, business, "46240"))  # Eigen and Boy: 2.5 km
    assert "Liefert zu Ihnen" in inside and "3,90 €" in inside
    assert "Ungefähr" in inside and "Geprüft für: 46240" in inside
    outside = _answer(_check(client, business, "46244"))  # Kirchhellen: 8 km
    assert "Liefert nicht zu Ihnen" in outside and "Ungefähr" in outside
    assert nominatim.searches() == []


def test_the_cheapest_option_that_delivers_is_shown(client, factories):
    business = _business(factories, _by_radius(10, fee=500), _by_postcodes("46236"))
    answer = _answer(_check(client, business, "46236"))
    assert "Kosten 2,50 €" in answer and "Ungefähr" not in answer


def test_by_typed_address_within_the_radius(client, factories, nominatim):
    business = _business(factories, _by_radius(4))
    answer = _answer(_check(client, business, "Prosperstraße 100"))  # 2.7 km
    assert "Liefert zu Ihnen" in answer and "3,90 €" in answer
    assert "Geprüft für: 100, Prosperstraße, Batenbrock, Bottrop" in answer
    assert "Ungefähr" not in answer
    (request,) = nominatim.searches()
    assert request.params["q"] == "Prosperstraße 100, Bottrop"
    assert request.params["bounded"] == "1"
    far = _answer(_check(client, business, "Hauptstraße 30"))  # Kirchhellen
    assert "Liefert nicht zu Ihnen" in far
    # asked again, the address comes from the cache
    _check(client, business, "prosperstr. 100")
    assert len(nominatim.searches()) == 2


def test_by_typed_address_and_postcode_list(client, factories, nominatim):
    business = _business(factories, _by_postcodes("46236"))
    answer = _answer(_check(client, business, "Gladbecker Straße 78"))
    assert "Liefert zu Ihnen" in answer and "2,50 €" in answer
    answer = _answer(_check(client, business, "Knappenstraße 36"))  # 46238
    assert "Liefert nicht zu Ihnen" in answer


def test_an_unknown_address_gets_a_message(client, factories, nominatim):
    business = _business(factories, _by_postcodes("46236"))
    page = _check(client, business, "Gibtsnichtweg 5")
    answer = _answer(page)
    assert "Diese Adresse haben wir in Bottrop nicht gefunden" in answer
    assert "Liefert" not in answer
    assert 'value="Gibtsnichtweg 5"' in page  # what was typed stays in the field


def test_empty_input_and_a_missing_parameter(client, factories, nominatim):
    business = _business(factories, _by_postcodes("46236"))
    assert "Bitte geben Sie Ihre Adresse oder Postleitzahl ein." in _answer(
        _check(client, business, "   ")
    )
    response = client.get(f"/betrieb/{business.slug}/liefergebiet")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/betrieb/{business.slug}#liefercheck"
    assert nominatim.searches() == []


def test_geocoder_down_suggests_the_postcode(app, client, factories, nominatim):
    business = _business(factories, _by_postcodes("46236"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    saved = app.config["GEOCODER_URL"]
    app.config["GEOCODER_URL"] = f"http://127.0.0.1:{port}"
    try:
        answer = _answer(_check(client, business, "Hochstraße 12"))
    finally:
        app.config["GEOCODER_URL"] = saved
    assert "nicht erreichbar" in answer and "Postleitzahl" in answer
    assert "Liefert" not in answer


def test_without_the_business_location_a_radius_cannot_be_told(client, factories):
    business = _business(factories, _by_radius(5))
    business.lat = business.lon = None
    db.session.commit()
    answer = _answer(_check(client, business, "46236"))
    assert "nicht sicher sagen" in answer and "Liefert" not in answer


@pytest.mark.parametrize("text", ["46238", "Prosperstraße 100"])
def test_the_answer_in_english(client, factories, nominatim, text):
    business = _business(factories, _by_postcodes("46238"))
    client.get("/sprache/en")
    answer = _answer(_check(client, business, text))
    assert "Delivers to you" in answer and "€2.50" in answer


def test_address_lookups_are_rate_limited_but_postcodes_are_not(client, factories, nominatim):
    business = _business(factories, _by_postcodes("46236"))
    url = f"/betrieb/{business.slug}/liefergebiet"
    for _ in range(20):
        assert client.get(url, query_string={"adresse": "Hochstraße 12"}).status_code == 200
    assert client.get(url, query_string={"adresse": "Hochstraße 14"}).status_code == 429
    assert client.get(url, query_string={"adresse": "46236"}).status_code == 200
    assert len(nominatim.searches()) == 1  # the 19 repeats came from the cache
