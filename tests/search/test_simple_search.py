"""The search box: umlaut folding both ways, several words, filters, only published data."""

from __future__ import annotations

import pytest

from hallobot.search.params import query_from_args


@pytest.fixture(autouse=True)
def _in_town(town):
    """Every search here runs in the town (tests/town.py)."""


@pytest.mark.parametrize("query", ["Bäckerei Kruse", "baeckerei kruse", "BAECKEREI", "kruse"])
def test_umlaut_folding(client, town, query):
    html = client.get("/suche", query_string={"q": query}).get_data(as_text=True)
    assert f'href="/betrieb/{town["Bäckerei Kruse"].slug}"' in html


def test_words_combine_and_filters_narrow(client):
    everywhere = client.get("/suche?q=friseur").get_data(as_text=True)
    kirchhellen = client.get("/suche?q=friseur&stadtteil=kirchhellen").get_data(as_text=True)
    count = lambda html: html.count('class="card business-card"')  # noqa: E731
    assert count(everywhere) > count(kirchhellen) >= 1


def test_service_names_are_searched(client, town):
    html = client.get("/suche?q=Roggenmischbrot").get_data(as_text=True)
    assert f'href="/betrieb/{town["Bäckerei Kruse"].slug}"' in html


def test_zero_results_page_offers_a_way_out(client):
    html = client.get("/suche?q=xyzzyq&kategorie=handwerk").get_data(as_text=True)
    assert "Keine Betriebe gefunden." in html and "Ohne den Filter „Handwerk“ suchen" in html


def test_like_wildcards_are_literal(client):
    # unescaped, "e_e" would match "ene", "ere" … in almost every entry
    html = client.get("/suche?q=e_e").get_data(as_text=True)
    assert "Keine Betriebe gefunden." in html and "mindestens drei Buchstaben" in html


@pytest.mark.parametrize(
    "lat, lon",
    [("٥١.٥٢", "٦.٩٣"), ("nan", "nan"), ("inf", "-inf"), ("5.152e1", "6.93"), ("51_52", "6.93")],
)
def test_a_location_in_other_digits_or_notations_is_ignored(client, lat, lon):
    args = {"q": "apotheke", "sort": "entfernung", "lat": lat, "lon": lon}
    response = client.get("/suche", query_string=args)
    assert response.status_code == 200
    assert 'id="s-lat" value=""' in response.get_data(as_text=True)


def test_the_browser_location_is_kept(client):
    args = {"q": "apotheke", "sort": "entfernung", "lat": "51,52", "lon": "6.93"}
    html = client.get("/suche", query_string=args).get_data(as_text=True)
    assert 'id="s-lat" value="51.52000"' in html and 'id="s-lon" value="6.93000"' in html


@pytest.mark.parametrize(
    "seite, page",
    [("2", 2), ("007", 7), ("١٢", 1), ("²", 1), ("-3", 1), ("1e3", 1), ("9" * 5000, 10_000)],
)
def test_only_ascii_page_numbers_count(seite, page):
    assert query_from_args({"seite": seite}).page == page


def test_control_characters_in_typed_text_are_dropped(client, town):
    args = {"q": "Bäckerei\x00\x1b Kruse\x07", "ort": "46236\x00", "sort": "entfernung"}
    response = client.get("/suche", query_string=args)
    assert response.status_code == 200
    html = response.get_data(as_text=True).split('<main id="inhalt"')[1]
    assert not any(c in html for c in "\x00\x1b\x07")  # the page; the header is base.html's
    assert "Ergebnisse für „Bäckerei Kruse“" in html
    assert f'href="/betrieb/{town["Bäckerei Kruse"].slug}"' in html
    suggested = client.get("/api/v1/suggest", query_string={"q": "bäc\x00\x1bk"}).get_json()
    assert suggested["query"] == "bäck"


def test_the_header_search_box_shows_the_query_without_control_characters(client):
    page = client.get("/suche", query_string={"q": "Brot\x00\x1b[2J  backen"}).get_data(
        as_text=True
    )
    field = page[page.index('id="header-q"') :].split(">", 1)[0]
    assert 'value="Brot[2J backen"' in field
    assert "\x00" not in page and "\x1b" not in page
