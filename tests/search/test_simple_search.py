"""The search box: umlaut folding both ways, several words, filters, only published data."""

from __future__ import annotations

import pytest


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
