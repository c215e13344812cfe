"""Every public page answers 200 in German; unpublished entries stay hidden."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from hallobot.directory.models import Business, Category, District, Status
from hallobot.extensions import db


def assert_german_page(response):
    assert response.status_code == 200, response.status_code
    html = response.get_data(as_text=True)
    assert '<html lang="de">' in html
    assert len(re.findall(r"<h1[\s>]", html)) == 1, "exactly one <h1>"
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    assert title and title.group(1).strip()
    return html


STATIC_PAGES = [
    "/",
    "/impressum",
    "/datenschutz",
    "/suche",
    "/suche?q=b%C3%A4cker",
    "/konto/anmelden",
    "/konto/registrieren",
    "/konto/passwort-vergessen",
]


@pytest.mark.parametrize("path", STATIC_PAGES)
def test_static_pages(client, path):
    assert_german_page(client.get(path))


def test_every_category_page(client):
    slugs = db.session.scalars(select(Category.slug)).all()
    assert len(slugs) >= 40
    for slug in slugs:
        assert_german_page(client.get(f"/kategorie/{slug}"))


def test_every_district_page(client):
    districts = db.session.scalars(select(District)).all()
    assert len(districts) == 17
    for d in districts:
        html = assert_german_page(client.get(f"/stadtteil/{d.slug}"))
        assert d.name in html


@pytest.fixture
def town(factories, owner_account):
    """Entries as varied as a city's: every section filled in, hours past midnight, open on
    holidays, no hours at all, no place on the map, photos, news, special offers and voucher
    offers, odd characters in names; and some that are not public."""
    today = date.today()
    built = [
        factories.bakery(owner_account),
        factories.business(
            name="Kneipe Zur Zechenlampe",
            category="kneipen-bars",
            district="batenbrock",
            hours={4: [("18:00", "02:00")], 5: [("18:00", "03:00")]},
            attributes=["wlan"],
            news=[{"title": "Quiz am Donnerstag", "valid_until": today + timedelta(days=3)}],
        ),
        factories.business(
            name="Kamm & Co.",
            category="friseure",
            district="kirchhellen",
            holidays_open=True,
            services=[("Herrenhaarschnitt", 2600), ("Färben", None)],
            special_days=[{"date": today + timedelta(days=2), "opens": "10:00", "closes": "14:00"}],
            delivery=[],
        ),
        factories.business(
            name="O'Briens Teestube", category="cafes", hours=False, lat=None, lon=None
        ),
        factories.business(
            name="Blumenhaus Wiesengrün",
            category="blumen",
            district="boy",
            delivery=[{"kind": "delivery", "radius_km": 5, "fee_cents": 390}],
            instagram="https://www.instagram.com/wiesengruen.example/",
            website="https://www.wiesengruen.example",
            email="hallo@wiesengruen.example",
        ),
    ]
    factories.current_offer(built[1], "Happy Hour", today, today + timedelta(days=7))
    factories.photo(built[4], kind="logo", alt_text="Logo des Blumenhauses")
    factories.photo(built[4], alt_text="Sträuße im Schaufenster")
    factories.voucher_offer(built[4], title="Blumengutschein")
    factories.business(name="Noch nicht fertig", status="draft")
    factories.business(name="Wartet auf Prüfung", status="pending")
    db.session.commit()
    return built


def test_every_published_business_page(client, town):
    businesses = db.session.scalars(
        select(Business).where(Business.status == Status.PUBLISHED)
    ).all()
    assert {b.id for b in businesses} == {b.id for b in town}
    for b in businesses:
        html = assert_german_page(client.get(f"/betrieb/{b.slug}"))
        assert b.name.replace("&", "&amp;").replace("'", "&#39;") in html


def test_home_shows_categories_districts_and_newest(client, town):
    html = assert_german_page(client.get("/"))
    for text in (
        "Kategorien",
        "Essen &amp; Trinken",
        "Stadtteile",
        "Kirchhellen",
        "Neu im Verzeichnis",
        'role="search"',
    ):
        assert text in html


def test_category_pagination(client, factories):
    for i in range(25):  # more than a page (20)
        factories.business(name=f"Imbiss Nr. {i}", category="imbiss", hours=False)
    db.session.commit()
    first = client.get("/kategorie/essen-trinken").get_data(as_text=True)
    assert 'rel="next"' in first and "seite=2" in first
    second = client.get("/kategorie/essen-trinken?seite=2")
    html = assert_german_page(second)
    assert 'rel="prev"' in html
    assert client.get("/kategorie/essen-trinken?seite=99").status_code == 404
    assert client.get("/kategorie/essen-trinken?seite=abc").status_code == 200


def test_top_category_lists_subcategory_businesses(client, bakery):
    assert bakery.category.slug == "baeckereien"  # under "Lebensmittel"
    html = client.get("/kategorie/lebensmittel").get_data(as_text=True)
    assert "Bäckerei Kruse" in html


@pytest.mark.parametrize("status", ["draft", "pending", "rejected", "archived"])
def test_unpublished_business_is_404(client, factories, status):
    biz = factories.business(name="Geheimer Laden", status=status)
    db.session.commit()
    response = client.get(f"/betrieb/{biz.slug}")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.get_data(as_text=True)
    assert biz.name not in client.get(f"/kategorie/{biz.category.slug}").get_data(as_text=True)
    assert biz.name not in client.get("/suche?q=geheimer").get_data(as_text=True)


def test_a_draft_is_hidden_from_public_but_visible_to_its_owner(
    client, auth, owner_account, draft_entry
):
    draft = draft_entry
    assert client.get(f"/betrieb/{draft.slug}").status_code == 404
    auth.login(owner_account)
    response = client.get(f"/betrieb/{draft.slug}")
    assert response.status_code == 200
    assert "nicht öffentlich" in response.get_data(as_text=True)


def test_unknown_pages_are_german_404(client):
    for path in ("/gibt-es-nicht", "/betrieb/gibt-es-nicht", "/kategorie/x", "/stadtteil/x"):
        response = client.get(path)
        assert response.status_code == 404
        html = response.get_data(as_text=True)
        assert '<html lang="de">' in html and "Seite nicht gefunden" in html


def test_500_page_is_german(make_app, monkeypatch):
    from hallobot.accounts.permissions import ENDPOINT_ACCESS, PUBLIC

    monkeypatch.setitem(ENDPOINT_ACCESS, "boom", PUBLIC)
    other = make_app(TESTING=False, PROPAGATE_EXCEPTIONS=False)

    @other.route("/_test-boom")
    def boom():
        raise RuntimeError("boom")

    response = other.test_client().get("/_test-boom")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert '<html lang="de">' in html and "Ein Fehler ist aufgetreten" in html
    assert "RuntimeError" not in html


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_legal_pages_use_config(app, client):
    app.config["LEGAL_OPERATOR"] = "Wirtschaftsförderung Musterstadt"
    try:
        html = client.get("/impressum").get_data(as_text=True)
    finally:
        app.config["LEGAL_OPERATOR"] = "hallobot – Demo-Instanz"
    assert "Wirtschaftsförderung Musterstadt" in html


def test_business_page_shows_every_section(client, bakery):
    biz = bakery
    html = client.get(f"/betrieb/{biz.slug}").get_data(as_text=True)
    assert biz.short_description in html
    assert 'href="tel:+49' in html
    if biz.email:
        assert f'href="mailto:{biz.email}"' in html
    assert 'class="hours"' in html and 'aria-current="date"' in html
    assert "Jetzt geöffnet" in html or "Geschlossen" in html
    for service in biz.services:
        assert service.name.replace("&", "&amp;") in html
    if biz.delivery_options:
        assert "Lieferung und Abholung" in html
    assert biz.street in html and biz.postcode in html


def test_open_state_uses_berlin_time_and_holidays(client, factories, monkeypatch):
    from datetime import datetime

    import hallobot.directory.hours as hours

    biz = factories.business(name="Uhrwerk")
    db.session.commit()
    frozen = {"now": datetime(2026, 11, 25, 9, 30)}  # 10:30 in Berlin (CET), Wednesday

    real_local_now = hours.local_now

    def fake_local_now(now=None):
        return real_local_now(now or frozen["now"])

    monkeypatch.setattr(hours, "local_now", fake_local_now)
    monkeypatch.setattr("hallobot.directory.routes.local_now", fake_local_now)
    html = client.get(f"/betrieb/{biz.slug}").get_data(as_text=True)
    assert "Jetzt geöffnet" in html and "schließt um 18:00" in html
    frozen["now"] = datetime(2026, 12, 25, 9, 30)  # Christmas: closed, opens Mon 28th
    html = client.get(f"/betrieb/{biz.slug}").get_data(as_text=True)
    assert "Geschlossen" in html and "öffnet Mo 09:00" in html
    assert "Erster Weihnachtstag" in html


def test_the_privacy_page_names_the_map_and_address_services_and_voucher_data(app, client):
    html = client.get("/datenschutz").get_data(as_text=True)
    tile_host = app.config["MAP_TILE_URL"].split("/")[2]
    geocoder_host = app.config["GEOCODER_URL"].split("/")[2]
    assert f"von {tile_host};" in html and f"Adressdienst {geocoder_host}" in html
    assert "Wenn Sie einen Gutschein bestellen" in html
