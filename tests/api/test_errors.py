"""The JSON API under /api/v1 answers its errors as JSON (German, or English when chosen);
the rest of the site keeps its German HTML error pages."""

from __future__ import annotations

import pytest

from config import TestingConfig
from hallobot import create_app
from hallobot.extensions import db
from hallobot.i18n import LANG_COOKIE


def _error(response, status: int) -> str:
    """The message of a JSON error answer, after checking its form."""
    assert response.status_code == status
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"} and body["error"]["status"] == status
    return body["error"]["message"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nope",
        "/api/v1/businesses/999999/popup",
        "/api/v1/businesses/99999999999999/popup",  # beyond the id column: not found
        "/api/v1/businesses/abc/popup",
        "/api/v1/suggest/",
        "/api/v2/suggest",
    ],
)
def test_unknown_api_paths_answer_json_404(client, path):
    assert _error(client.get(path), 404) == "Nicht gefunden."


def test_unpublished_business_popup_is_a_json_404(client, factories):
    pending = factories.business(status="pending")
    db.session.commit()
    assert _error(client.get(f"/api/v1/businesses/{pending.id}/popup"), 404) == "Nicht gefunden."


def test_api_errors_speak_english_when_chosen(client):
    client.set_cookie(LANG_COOKIE, "en")
    assert _error(client.get("/api/v1/nope"), 404) == "Not found."
    assert _error(client.post("/api/v1/suggest"), 405) == "This method is not allowed here."


@pytest.mark.parametrize(
    "path", ["/api/v1/suggest?q=bae", "/api/v1/businesses.geojson", "/api/v1/businesses/1/popup"]
)
@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_wrong_method_is_a_json_405_naming_the_allowed_ones(client, path, method):
    response = getattr(client, method)(path)
    assert _error(response, 405) == "Diese Methode ist hier nicht erlaubt."
    assert "GET" in response.headers["Allow"]


@pytest.mark.parametrize(
    "query",
    [
        "q=%00%27%22%3Cscript%3E",
        "q=" + "b%C3%A4" * 400,
        "q=%25_%25",
        "q=%F0%9F%8D%9E",
        "q=%ff%fe",
    ],
)
def test_hostile_suggestion_queries_answer_json(client, query):
    response = client.get(f"/api/v1/suggest?{query}")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert len(response.get_json()["query"]) <= 100


@pytest.mark.parametrize(
    "query",
    [
        "lat=nan&lon=inf&sort=entfernung",
        "seite=-5&sort=%27%3B%20DROP%20TABLE%20businesses",
        "kategorie=%00&stadtteil=..%2F..&ort=%25%25",
        "q=%00&offen=1&lieferung=%00",
        "lat=1e999&lon=-1e999&ort=" + "x" * 5000,
    ],
)
def test_hostile_map_filters_answer_geojson(client, query):
    response = client.get(f"/api/v1/businesses.geojson?{query}")
    assert response.status_code == 200 and response.mimetype == "application/geo+json"


def test_suggestions_rate_limit_answers_json_429(client):
    statuses = [client.get("/api/v1/suggest?q=b").status_code for _ in range(300)]
    assert statuses == [200] * 300
    refused = client.get("/api/v1/suggest?q=b")
    assert _error(refused, 429) == "Zu viele Anfragen. Bitte warten Sie einen Moment."
    assert int(refused.headers["Retry-After"]) > 0


@pytest.mark.parametrize("path", ["/gibt-es-nicht", "/apix", "/betrieb/gibt-es-nicht"])
def test_other_404s_stay_german_html_pages(client, path):
    response = client.get(path)
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "Seite nicht gefunden" in response.get_data(as_text=True)


def test_other_405s_stay_html_pages(client):
    response = client.get("/konto/abmelden")
    assert response.status_code == 405 and response.mimetype == "text/html"
    assert "Nicht erlaubt" in response.get_data(as_text=True)


@pytest.mark.no_db_session
def test_a_failing_database_is_a_json_500_in_the_api_and_a_page_elsewhere(tmp_path):
    """The database cannot be opened (a file in a folder that does not exist): the API
    answers JSON 500, the site its German error page."""
    broken = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'missing' / 'hallobot.sqlite3'}",
        PROPAGATE_EXCEPTIONS=False,
    )
    client = broken.test_client()
    try:
        response = client.get("/api/v1/suggest?q=bae")
        assert _error(response, 500) == "Ein Fehler ist aufgetreten."
        page = client.get("/suche?q=bae")
        assert page.status_code == 500 and page.mimetype == "text/html"
        assert "Ein Fehler ist aufgetreten" in page.get_data(as_text=True)
    finally:
        with broken.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.mark.parametrize("business_id", ["١٢", "１２", "²"])
def test_ids_in_urls_are_ascii_digits(client, business_id):
    """Python's \\d would read "١٢" as 12: an id is written with 0-9 only."""
    assert _error(client.get(f"/api/v1/businesses/{business_id}/popup"), 404) == "Nicht gefunden."
