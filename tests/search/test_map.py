"""The city map: /karte shares the search's filters, the GeoJSON API is compact, compressed
and cacheable, popups load the live state, and the vendored map libraries match the lock
file."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from hallobot.directory.models import Business, Status
from hallobot.extensions import db
from hallobot.i18n import LANG_COOKIE
from hallobot.moderation import service as moderation
from hallobot.search.query import SearchQuery
from hallobot.search.service import find

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _in_town(town):
    """Every map here shows the town (tests/town.py)."""


def _geojson(client, query: str = "", **headers):
    response = client.get(f"/api/v1/businesses.geojson{query}", headers=headers)
    assert response.status_code == 200, response.status_code
    body = response.data
    if response.content_encoding == "gzip":
        body = gzip.decompress(body)
    return response, json.loads(body)


def _published_with_coordinates() -> set[int]:
    return set(
        db.session.scalars(
            select(Business.id).where(
                Business.status == Status.PUBLISHED, Business.lat.is_not(None)
            )
        )
    )


def test_geojson_holds_every_published_business_with_a_point(client):
    response, data = _geojson(client)
    assert response.mimetype == "application/geo+json"
    assert data["type"] == "FeatureCollection"
    ids = {f["id"] for f in data["features"]}
    assert ids == _published_with_coordinates()
    feature = data["features"][0]
    assert feature["geometry"]["type"] == "Point"
    lon, lat = feature["geometry"]["coordinates"]
    assert 51.4 < lat < 51.7 and 6.8 < lon < 7.1
    # compact: name, address slug, colour of the category, Fairtrade — nothing more
    assert set(feature["properties"]) == {"n", "s", "c", "f"}
    assert {entry["slug"] for entry in data["legend"]} >= {"essen-trinken"}


def test_geojson_uses_the_same_filters_as_the_search(client):
    _response, everything = _geojson(client)
    _response, delivering = _geojson(client, "?lieferung=1")
    expected = {
        i for i, _score in find(SearchQuery(flags=frozenset({"delivery"})), everything=True).found
    }
    assert {f["id"] for f in delivering["features"]} == expected & _published_with_coordinates()
    assert 0 < len(delivering["features"]) < len(everything["features"])
    _response, bakers = _geojson(client, "?q=b%C3%A4cker&stadtteil=stadtmitte&sort=name")
    query = SearchQuery(text="bäcker", district="stadtmitte", sort="name")
    expected = [i for i, _score in find(query, everything=True).found]
    assert [f["id"] for f in bakers["features"]] == expected  # the search's order, too
    assert expected and len(expected) == bakers["total"]


def test_geojson_is_compressed_and_answers_304_when_unchanged(client):
    response, _data = _geojson(client, **{"Accept-Encoding": "gzip"})
    assert response.content_encoding == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert "max-age=60" in response.headers["Cache-Control"]
    tag = response.headers["ETag"]
    again = client.get(
        "/api/v1/businesses.geojson", headers={"If-None-Match": tag, "Accept-Encoding": "gzip"}
    )
    assert again.status_code == 304 and not again.data
    other = client.get("/api/v1/businesses.geojson?lieferung=1", headers={"If-None-Match": tag})
    assert other.status_code == 200  # other filters, other validator
    plain = client.get("/api/v1/businesses.geojson")
    assert plain.content_encoding is None and json.loads(plain.data)["features"]


def test_the_validator_changes_when_the_index_changes(app, client, town, moderator_account):
    response, data = _geojson(client)
    kruse = town["Bäckerei Kruse"]
    assert kruse.id in {f["id"] for f in data["features"]}
    reason = "Betrieb hat geschlossen, laut Aushang."
    moderation.unpublish_business(moderator_account, kruse.id, reason)
    after = client.get(
        "/api/v1/businesses.geojson", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert after.status_code == 200
    assert kruse.id not in {f["id"] for f in json.loads(after.data)["features"]}


def test_geojson_needs_a_constant_number_of_queries(client, factories, count_queries):
    counts = []
    for n in (3, 40):
        for _ in range(n):
            factories.business()
        db.session.commit()
        client.get("/api/v1/businesses.geojson")  # the index changed: read it once
        with count_queries() as statements:
            assert client.get("/api/v1/businesses.geojson?sort=name").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 4, counts


def test_popup_shows_the_live_state_and_links(client, town):
    kruse = town["Bäckerei Kruse"]
    response = client.get(f"/api/v1/businesses/{kruse.id}/popup")
    assert response.status_code == 200
    data = response.get_json()
    assert data["name"] == kruse.name
    assert data["url"] == f"/betrieb/{kruse.slug}"
    assert data["state_class"] in {"open", "closed", "unknown"} and data["state"]
    assert data["route"].startswith("https://www.openstreetmap.org/directions?route=")
    assert data["address"].startswith(kruse.street)
    client.set_cookie(LANG_COOKIE, "en")
    english = client.get(f"/api/v1/businesses/{kruse.id}/popup").get_json()
    assert english["category"] == (kruse.category.name_en or kruse.category.name)


def test_popup_of_an_unpublished_business_is_not_found(client):
    pending = db.session.scalar(select(Business).where(Business.status == Status.PENDING))
    assert client.get(f"/api/v1/businesses/{pending.id}/popup").status_code == 404
    assert client.get("/api/v1/businesses/999999/popup").status_code == 404


def test_map_page_without_javascript_lists_the_results(client):
    html = client.get("/karte?lieferung=1").get_data(as_text=True)
    assert '<form class="filter-panel" id="filter" action="/karte" method="get"' in html
    assert 'name="lieferung" value="1" checked' in html
    assert 'data-geojson="/api/v1/businesses.geojson?lieferung=1"' in html
    listed = re.findall(r'<li>\s*<a href="/betrieb/([^"]+)"><strong>', html)
    expected = find(SearchQuery(flags=frozenset({"delivery"})), per_page=20).found
    assert len(listed) == min(20, len(expected)) > 0
    # the map is hidden until the script starts it; the list is the page without it
    assert 'id="stadtkarte" class="city-map" hidden' in html
    assert "Als Liste anzeigen" in html


def test_map_page_loads_only_local_scripts_with_the_tile_settings(app, client, factories):
    for n, (lat, lon) in enumerate([(51.5236, 6.9292), (51.5227, 6.9236), (51.5262, 6.9331)]):
        factories.hotspot(f"WiFi4EU Innenstadt {n + 1}", lat=lat, lon=lon)
    db.session.commit()
    html = client.get("/karte").get_data(as_text=True)
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert all(src.startswith("/static/") for src in scripts), scripts
    assert "/static/vendor/leaflet-1.9.4/leaflet.js" in scripts
    assert "/static/vendor/leaflet.markercluster-1.5.3/leaflet.markercluster.js" in scripts
    assert f'data-tiles="{app.config["MAP_TILE_URL"]}"' in html
    assert "© OpenStreetMap-Mitwirkende" in html
    hotspots = json.loads(re.search(r'id="map-hotspots">(.*?)</script>', html, re.S).group(1))
    assert len(hotspots) == 3 and all(51.4 < h["lat"] < 51.7 for h in hotspots)
    # Leaflet is loaded on map pages only
    assert "leaflet" not in client.get("/suche").get_data(as_text=True)


@pytest.mark.parametrize("package", ["leaflet", "leaflet.markercluster"])
def test_vendored_libraries_match_the_lock_file(package):
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    version = lock["packages"][f"node_modules/{package}"]["version"]
    wanted = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"]
    assert wanted[package] == version
    folder = ROOT / "static" / "vendor" / f"{package}-{version}"
    assert folder.is_dir()
    assert any(p.name.upper().startswith(("LICENSE", "MIT-LICENCE")) for p in folder.iterdir())
    vendor = {p.name for p in (ROOT / "static" / "vendor").iterdir()}
    assert {v for v in vendor if v.startswith(package + "-")} == {f"{package}-{version}"}
    if package == "leaflet":
        assert f"Leaflet {version}" in (folder / "leaflet.js").read_text(encoding="utf-8")[:200]


def test_search_results_link_to_the_map_with_the_same_filters(client):
    html = client.get("/suche?q=b%C3%A4cker&lieferung=1").get_data(as_text=True)
    assert 'href="/karte?q=b%C3%A4cker&amp;lieferung=1"' in html


def test_a_weak_validator_in_if_none_match_also_answers_304(client):
    """If-None-Match compares weakly (RFC 9110, 13.1.2): a proxy that compressed the
    answer itself hands its clients the tag as W/"…", and they send it back so."""
    tag = client.get("/api/v1/businesses.geojson").headers["ETag"]
    weak = tag if tag.startswith("W/") else f"W/{tag}"
    again = client.get("/api/v1/businesses.geojson", headers={"If-None-Match": weak})
    assert again.status_code == 304


def test_gzip_refused_with_q0_is_not_sent_and_each_coding_has_its_own_validator(client):
    refused = client.get("/api/v1/businesses.geojson", headers={"Accept-Encoding": "gzip;q=0"})
    assert refused.content_encoding is None and json.loads(refused.data)["features"]
    plain = client.get("/api/v1/businesses.geojson")
    packed = client.get("/api/v1/businesses.geojson", headers={"Accept-Encoding": "gzip"})
    assert packed.content_encoding == "gzip"
    # a cache that holds both variants must tell them apart by their validators
    assert plain.headers["ETag"] != packed.headers["ETag"]
    assert refused.headers["ETag"] == plain.headers["ETag"]
