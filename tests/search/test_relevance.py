"""Relevance on a town's directory (tests/town.py, built once for this module):
German queries and what must come first. The same table runs against SQLite (FTS5) and
PostgreSQL (pg_trgm + tsvector); CI runs both.

Each row: the query, then one of
* ``first``: the name of the first result, or a set of names the first result is one of;
* ``top``: names that must all be among the first ``len(top)`` results (any order);
* ``top_contains``: every one of the first three results' names contains this text.
"""

from __future__ import annotations

import pytest

from hallobot.search.query import SearchQuery
from hallobot.search.service import search


@pytest.fixture(autouse=True)
def _in_town(town_ids):
    """Every query here searches the town (tests/town.py)."""


BAKERIES = {
    "Bäckerei Kruse",
    "Bäckerei Pöppinghaus",
    "Bäckerei-Café Wittkamp",
    "Bäckerei Brinkhoff",
    "Landbäckerei Tenhagen",
}

CASES = [
    # umlauts and ß, both directions; case
    ("Bäcker", {"first": "Bäckerei Kruse"}),
    ("baecker", {"first": "Bäckerei Kruse"}),
    ("BÄCKEREI KRUSE", {"first": "Bäckerei Kruse"}),
    ("Brötchen", {"first": "Bäckerei Kruse"}),
    ("broetchen", {"first": "Bäckerei Kruse"}),
    ("Bücher", {"first": "Buchhandlung Seitenwind"}),
    ("buecher", {"first": "Buchhandlung Seitenwind"}),
    ("Schlüsseldienst", {"first": "Leisten & Schlüssel"}),
    ("schluesseldienst", {"first": "Leisten & Schlüssel"}),
    ("Hochstrasse", {"top_contains": ""}),
    ("Hörgeräte", {"top": ["Hörakustik Ohrwerk", "Hörwerk & Optik Brenk"]}),
    ("hoergeraete", {"top": ["Hörakustik Ohrwerk", "Hörwerk & Optik Brenk"]}),
    ("Getränkemarkt", {"first": "Getränkewelt Batenbrock"}),
    ("cafe", {"top_contains": "Café"}),
    # compounds and word beginnings
    ("Landbäckerei", {"first": "Landbäckerei Tenhagen"}),
    ("Blumen", {"top_contains": "Blumen"}),
    ("Hochzeitstorte", {"first": "Bäckerei Brinkhoff"}),
    ("Änderungsschneiderei", {"first": "Modehaus Terhorst"}),
    ("Nagelstudio", {"first": "Nagelstudio Glanzstück"}),
    ("E-Bike", {"first": "E-Bike-Scheune Grafenwald"}),
    ("Weinhandlung", {"first": "Weinkontor Rebenglück"}),
    ("Eis", {"top_contains": "Eis"}),
    # plurals and inflections
    ("Schuhe", {"top_contains": "Schuh"}),
    ("Bäckereien", {"first": BAKERIES}),
    ("Apotheken", {"top_contains": "Apotheke"}),
    ("Metzgereien", {"top_contains": "e"}),
    ("Reisebüros", {"first": "Reisebüro Fernweh"}),
    # typos ("Meinten Sie …?")
    ("backerei", {"first": BAKERIES, "corrected": "bäckerei"}),
    ("Baeckrei", {"first": BAKERIES, "corrected": "bäckerei"}),
    ("apoteke", {"top_contains": "Apotheke", "corrected": "apotheke"}),
    ("Physiotherapei", {"first": "Physiotherapie Bewegungsraum"}),
    ("Juwelir", {"first": "Juwelier Mersmann"}),
    # synonyms (seed_data/synonyms.json)
    ("Friseur", {"first": "Kamm & Co."}),
    ("Frisör", {"first": "Kamm & Co."}),
    ("Schuster", {"first": "Schuhmacherei Absatz"}),
    ("Schuhmacher", {"first": "Schuhmacherei Absatz"}),
    ("Handy", {"first": "Handy-Klinik"}),
    ("Mobilfunk", {"top": ["Handy-Klinik", "Smartphone-Service Südring"]}),
    ("Döner", {"top": ["Dürüm-Ecke Yıldız", "Imbiss Zum Förderkorb"]}),
    ("Schreiner", {"top": ["Tischlerei Brüggemann", "Tischlerei Spänemacher"]}),
    ("Metzger", {"top_contains": "e"}),
    # several words: all must match
    ("friseur kirchhellen", {"first": "Lockenwerk", "total": 1}),
    ("pizza lieferung", {"first": "Pizzeria Da Franco"}),
    ("bäcker liefert", {"first": BAKERIES}),
    ("Kfz Werkstatt", {"first": "Kfz-Werkstatt Schraubwerk"}),
    ("griechisch essen", {"first": "Taverna Thalassa"}),
    # names and fields in order of importance
    ("Kneipe", {"first": "Bierstube Kumpeltreff"}),
    ("Goldschmied", {"first": "Goldschmiede Feuerstein"}),
    ("Copyshop", {"first": "Papierflieger Copy & Druck"}),
    ("Spargel", {"first": "Spargel- und Erdbeerhof Tenbrink"}),
    ("Hofladen", {"first": "Hofladen Sommerkamp"}),
]


@pytest.mark.parametrize(("query", "expected"), CASES, ids=[c[0] for c in CASES])
def test_relevance(app, query, expected):
    result = search(SearchQuery(text=query))
    names = [hit.business.name for hit in result.hits]
    assert names, f"{query!r}: no results"
    if "first" in expected:
        wanted = expected["first"]
        wanted = wanted if isinstance(wanted, set) else {wanted}
        assert names[0] in wanted, f"{query!r}: first is {names[0]!r}, top 5: {names[:5]}"
    if "top" in expected:
        top = expected["top"]
        assert set(names[: len(top)]) == set(top), f"{query!r}: top {names[: len(top)]}"
    if "top_contains" in expected:
        for name in names[:3]:
            assert expected["top_contains"].lower() in name.lower(), (query, names[:3])
    if "corrected" in expected:
        assert result.corrected == expected["corrected"], (query, result.corrected)
    if "total" in expected:
        assert result.total == expected["total"], (query, result.total, names)


def test_compounds_are_found_inside_words(app):
    names = {hit.business.name for hit in search(SearchQuery(text="Bäcker"), per_page=50).hits}
    assert "Landbäckerei Tenhagen" in names


@pytest.mark.parametrize(
    ("one", "other"),
    [("Bäckerei", "baeckerei"), ("Straße", "strasse"), ("Friseur", "Frisör"), ("Café", "cafe")],
)
def test_spellings_find_the_same(app, one, other):
    def ids(text):
        return {h.business.id for h in search(SearchQuery(text=text), per_page=200).hits}

    assert ids(one) == ids(other) != set()


def test_at_least_forty_queries():
    assert len(CASES) >= 40
