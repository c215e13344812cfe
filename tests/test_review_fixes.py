"""Regression tests for defects found in review."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from hallobot.directory.hours import Schedule
from hallobot.directory.models import NewsPost
from hallobot.directory.presenters import describe
from hallobot.extensions import db
from hallobot.models_base import utcnow
from tests.conftest import copy_seed_files, post_form
from tests.factories import PASSWORD

SEED_DIR = Path(__file__).resolve().parent.parent / "seed_data"


def _more_than_a_page_in(factories, district: str, n: int = 21) -> None:
    for i in range(n):
        factories.business(name=f"Laden an der Straße {i:02d}", district=district, hours=False)
    db.session.commit()


def test_logout_deletes_the_remember_cookie(client, auth, factories):
    shopper = factories.shopper()
    db.session.commit()
    auth.login(shopper, remember=True)
    response = auth.logout()
    cleared = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token=")]
    assert cleared and "Expires=Thu, 01 Jan 1970" in cleared[0]
    assert client.get("/konto").status_code == 302
    assert "Mein Konto" not in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    "query", ["endpoint=x", "_method=POST", "_external=1", "slug=kirchhellen", "seite=abc"]
)
def test_pagination_links_ignore_hostile_query_keys(client, factories, query):
    _more_than_a_page_in(factories, "stadtmitte")
    response = client.get(f"/stadtteil/stadtmitte?{query}", headers={"Host": "evil.example"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'href="/stadtteil/stadtmitte?' in html and "seite=2" in html
    assert "evil.example" not in html and "/stadtteil/kirchhellen?" not in html


def test_pagination_keeps_filters(client, factories):
    _more_than_a_page_in(factories, "stadtmitte")
    html = client.get("/suche?q=strasse&stadtteil=stadtmitte").get_data(as_text=True)
    assert "/suche?q=strasse&amp;stadtteil=stadtmitte&amp;seite=2" in html


def test_next_day_late_opening_names_the_right_weekday(app):
    class Slot:
        def __init__(self, weekday, opens, closes):
            self.weekday, self.opens, self.closes = weekday, opens, closes

    schedule = Schedule([Slot(5, time(23), time(3))])  # Saturday 23:00–03:00
    with app.test_request_context("/"):
        # Friday 12:00 Berlin in summer (10:00 UTC)
        label = describe(schedule.state(datetime(2026, 7, 3, 10, 0)))
    assert label.detail == "öffnet Sa 23:00", label.detail


def test_future_news_is_not_shown_yet(client, factories):
    biz = factories.business(name="Zukunftsladen")
    biz.news_posts.append(NewsPost(title="Heute schon", body="", published_at=utcnow()))
    biz.news_posts.append(
        NewsPost(title="Erst morgen", body="", published_at=utcnow() + timedelta(days=1))
    )
    biz.news_posts.append(
        NewsPost(
            title="Abgelaufen",
            body="",
            published_at=utcnow() - timedelta(days=9),
            valid_until=date.today() - timedelta(days=2),
        )
    )
    db.session.commit()
    html = client.get(f"/betrieb/{biz.slug}").get_data(as_text=True)
    assert "Heute schon" in html
    assert "Erst morgen" not in html and "Abgelaufen" not in html


def test_non_http_links_are_not_linked(client, factories):
    biz = factories.business(
        name="Linkprobe",
        website="javascript:alert(1)",
        instagram="data:text/html,x",
    )
    db.session.commit()
    html = client.get(f"/betrieb/{biz.slug}").get_data(as_text=True)
    assert "javascript:" not in html and "data:text/html" not in html
    biz.instagram = "https://www.instagram.com/linkprobe/"
    db.session.commit()
    html = client.get(f"/betrieb/{biz.slug}").get_data(as_text=True)
    assert 'href="https://www.instagram.com/linkprobe/"' in html


def test_reset_mails_per_address_are_limited_across_ips(client, smtp_server, factories):
    shopper = factories.shopper()
    db.session.commit()
    statuses = []
    for i in range(4):
        response = post_form(
            client,
            "/konto/passwort-vergessen",
            {"email": shopper.email},
            environ_base={"REMOTE_ADDR": f"10.0.0.{i + 1}"},
        )
        statuses.append(response.status_code)
    assert statuses == [302, 302, 302, 429]


def test_registration_mail_failure_shows_one_honest_message(app, client):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1, MAIL_TIMEOUT=2)
    try:
        data = {
            "email": "fehlschlag@beispiel.example",
            "password": "gutes-passwort-123",
            "password_confirm": "gutes-passwort-123",
            "accept_privacy": "y",
        }
        response = post_form(client, "/konto/registrieren", data, follow_redirects=True)
    finally:
        app.config.update(MAIL_SERVER=None, MAIL_PORT=587, MAIL_TIMEOUT=10)
    html = response.get_data(as_text=True)
    assert "konnte gerade nicht versendet werden" in html
    assert "Fast geschafft" not in html


def test_seed_refuses_duplicate_names_and_incomplete_special_days(app, tmp_path):
    copy_seed_files(tmp_path)
    items = json.loads((SEED_DIR / "businesses.json").read_text())[:2]
    items[1]["name"] = items[0]["name"]
    (tmp_path / "businesses.json").write_text(json.dumps(items))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed", "--demo", "--data-dir", str(tmp_path)])
    assert result.exit_code != 0 and "doppelt" in result.output
    items = json.loads((SEED_DIR / "businesses.json").read_text())[:1]
    items[0]["name"] = "Neuer Probeladen"
    items[0]["special_days"] = [{"date": "2026-12-24", "closed": False}]
    (tmp_path / "businesses.json").write_text(json.dumps(items))
    result = runner.invoke(args=["seed", "--demo", "--data-dir", str(tmp_path)])
    assert result.exit_code != 0 and "braucht Zeiten" in result.output


def test_unchanged_multiline_description_from_a_browser_is_no_change(app, factories):
    """Browsers send text areas with CRLF line ends; saving the edit form of a published
    entry without changing anything must not propose a phantom description change."""
    from hallobot.moderation.models import Revision
    from tests.conftest import browser_form, login_as

    owner = factories.owner()
    business = factories.bakery(owner)
    db.session.commit()
    assert "\n" in business.description  # the text has paragraphs
    client = login_as(app, owner)
    url = f"/mein-betrieb/{business.slug}/bearbeiten"
    data = browser_form(client.get(url).get_data(as_text=True))
    assert "\r\n" in data["description"]
    response = client.post(url, data=data, follow_redirects=True)
    assert "Es gab nichts zu ändern" in response.get_data(as_text=True)
    assert db.session.scalar(select(Revision).where(Revision.business_id == business.id)) is None


@pytest.mark.no_db_session
def test_a_logged_in_post_starts_its_transaction_immediate(make_app, committed):
    """Loading the user for the access check must already happen in the writing transaction
    (BEGIN IMMEDIATE on SQLite); otherwise two saves at once end in "database is locked"."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from hallobot.extensions import _immediate

    other = make_app()
    with other.app_context():
        dialect = db.engine.dialect.name
    if dialect != "sqlite":
        pytest.skip("BEGIN IMMEDIATE is SQLite's; PostgreSQL locks rows instead")
    with committed() as factories:  # no rolled-back session here: real commits
        owner = factories.owner()
        slug = factories.business(name="Sofortladen", owners=[owner]).slug
    begins: list[bool] = []

    def remember(conn):  # runs beside the hook that emits BEGIN [IMMEDIATE]
        begins.append(_immediate.get())

    event.listen(Engine, "begin", remember)
    try:  # requests outside an app context of the test: each has its own session
        client = other.test_client()
        post_form(client, "/konto/anmelden", {"email": owner.email, "password": PASSWORD})
        page = client.get(f"/mein-betrieb/{slug}/fotos").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        begins.clear()
        response = client.post(f"/mein-betrieb/{slug}/fotos/hochladen", data={"csrf_token": token})
        assert response.status_code == 422  # no file: nothing is written
        assert begins and all(begins), begins  # every transaction of the POST: IMMEDIATE
    finally:
        event.remove(Engine, "begin", remember)
