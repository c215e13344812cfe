"""Shared fixtures.

* ``app``: one application for the whole run, on a migrated database (a temporary SQLite
  file, or the PostgreSQL database in ``TEST_DATABASE_URL``) with the demo data loaded.
* ``db_session`` (automatic): every test runs inside a transaction that is rolled back
  afterwards; the code under test commits into a savepoint.
* ``client``, ``auth`` (log in through the real form, CSRF token read from the page),
  ``factories``, ``count_queries``, ``smtp_server`` (a real SMTP server on 127.0.0.1),
  ``nominatim`` (a Nominatim stand-in on 127.0.0.1, which the ``app`` geocodes with).
"""

from __future__ import annotations

import os
import re
import socket
import tempfile
import threading
import time as _time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import time
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from flask import g, has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event, text

from config import TestingConfig
from hallobot import create_app
from hallobot.extensions import db, limiter

REQUIRE_SERVICES = os.environ.get("HALLOBOT_REQUIRE_SERVICES") == "1"
SEED_DIR = Path(__file__).resolve().parent.parent / "seed_data"


def pytest_report_header(config):
    url = os.environ.get("TEST_DATABASE_URL")
    return f"hallobot database: {'PostgreSQL (' + url.split('@')[-1] + ')' if url else 'SQLite'}"


def service_missing(reason: str):
    """Skip with a plain reason, or fail when CI demands every service."""
    if REQUIRE_SERVICES:
        pytest.fail(f"required service unavailable in CI: {reason}")
    pytest.skip(reason)


class FreshGlobalsClient(FlaskClient):
    """The tests keep an app context pushed (for the rolled-back session); Flask then reuses it
    for requests, and ``g`` (CSRF token, logged-in user) would leak from one request into the
    next. Each request starts with an empty ``g``, as in production."""

    def open(self, *args, **kwargs):
        if has_app_context():
            vars(g).clear()
        return super().open(*args, **kwargs)


class BoundSession(FlaskSession):
    """A Flask-SQLAlchemy session that always uses the test's connection."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        return self.bind


def _reset_postgres(engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))


def copy_seed_files(target: Path) -> None:
    """Copy the reference and account seed files into ``target`` (tests then write their own
    businesses.json beside them)."""
    for name in (
        "districts.json",
        "categories.json",
        "attributes.json",
        "demo_users.json",
        "wifi4eu.json",
    ):
        (target / name).write_text((SEED_DIR / name).read_text())


@pytest.fixture(scope="session")
def database_url():
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        yield url
        return
    with tempfile.TemporaryDirectory(prefix="hallobot-test-") as tmp:
        yield f"sqlite:///{tmp}/test.sqlite3"


@pytest.fixture(scope="session")
def nominatim_server():
    """The Nominatim stand-in (tests/standins.py) on 127.0.0.1, for the whole run."""
    from tests.standins import NominatimStandIn

    standin = NominatimStandIn()
    standin.start()
    try:
        yield standin
    finally:
        standin.stop()


@pytest.fixture
def nominatim(nominatim_server):
    """The stand-in with no recorded requests and no forced answers or failures."""
    nominatim_server.reset()
    yield nominatim_server
    nominatim_server.reset()


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory, nominatim_server):
    outbox = tmp_path_factory.mktemp("outbox")
    application = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=database_url,
        MAIL_OUTBOX_DIR=str(outbox),
        MEDIA_DIR=str(tmp_path_factory.mktemp("media")),
        GEOCODER_URL=nominatim_server.url,
    )
    application.test_client_class = FreshGlobalsClient
    with application.app_context():
        if db.engine.dialect.name == "postgresql":
            _reset_postgres(db.engine)
        upgrade()
        from hallobot.importers import seed

        report = seed.load_reference(SEED_DIR)
        seed.load_demo(SEED_DIR, report)
        db.session.commit()
        db.session.remove()
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture
def make_app(database_url):
    """Build a further application on the test database; its engine is closed afterwards
    (an open PostgreSQL connection left for the garbage collector raises a warning)."""
    made = []

    def factory(**overrides):
        application = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=database_url, **overrides)
        application.test_client_class = FreshGlobalsClient
        made.append(application)
        return application

    yield factory
    for application in made:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(autouse=True)
def db_session(request, app):
    if "no_db_session" in request.keywords:
        yield None
        return
    ctx = app.app_context()
    ctx.push()
    connection = db.engine.connect()
    outer = connection.begin()
    original = db.session
    db.session = db._make_scoped_session(
        {"bind": connection, "join_transaction_mode": "create_savepoint", "class_": BoundSession}
    )
    limiter.reset()
    try:
        yield db.session
    finally:
        db.session.remove()
        db.session = original
        outer.rollback()
        connection.close()
        ctx.pop()


@pytest.fixture
def client(app):
    return app.test_client()


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


def hidden_value(html: str, name: str) -> str:
    """The value of the hidden input ``name`` (as a browser would send it)."""
    for tag in re.findall(r"<input[^>]*>", html):
        if 'type="hidden"' in tag and f'name="{name}"' in tag:
            value = re.search(r'value="([^"]*)"', tag)
            return value.group(1) if value else ""
    raise AssertionError(f"page has no hidden field {name!r}")


def post_form(client, page_url: str, data: dict, post_url: str | None = None, **kwargs):
    """Load the page like a browser, take its CSRF token, and submit the form."""
    page = client.get(page_url)
    token = csrf_from(page.get_data(as_text=True))
    return client.post(post_url or page_url, data={"csrf_token": token, **data}, **kwargs)


def browser_form(page: str) -> dict:
    """The fields a browser would submit from ``page``: inputs (ticked boxes only), the
    selected options and text areas (with CRLF line ends, as browsers send them); the header
    search box is left out."""
    import html as html_lib

    data = {}
    for tag in re.findall(r"<input[^>]*>", page):
        if 'type="checkbox"' in tag and "checked" not in tag:
            continue
        match = re.search(r'name="([^"]+)"[^>]*value="([^"]*)"', tag)
        if match:
            name, value = match.group(1), html_lib.unescape(match.group(2))
            if 'type="checkbox"' in tag and name in data:  # several ticked boxes, one name
                previous = data[name] if isinstance(data[name], list) else [data[name]]
                data[name] = [*previous, value]
            else:
                data[name] = value
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        options = [
            opt for opt in re.findall(r"<option[^>]*>", body) if re.search(r"\bselected\b", opt)
        ]
        chosen = re.search(r'value="([^"]*)"', options[0]) if options else None
        data[name] = chosen.group(1) if chosen else ""
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
        text = html_lib.unescape(body)
        text = text.removeprefix("\r\n") if text.startswith("\r\n") else text.removeprefix("\n")
        data[name] = text.replace("\r\n", "\n").replace("\n", "\r\n")  # as browsers send it
    data.pop("q", None)
    return data


def login_as(app, email: str, password: str):
    """A new browser-like client, logged in through the real form."""
    client = app.test_client()
    response = post_form(client, "/konto/anmelden", {"email": email, "password": password})
    assert response.status_code == 302, f"login of {email} failed"
    return client


class AuthActions:
    def __init__(self, client):
        self.client = client

    def login(
        self,
        email="inhaberin@hallobot.example",
        password="Bottrop-Inhaberin-2026",
        remember=False,
        follow_redirects=False,
    ):
        data = {"email": email, "password": password}
        if remember:
            data["remember"] = "y"
        return post_form(self.client, "/konto/anmelden", data, follow_redirects=follow_redirects)

    def logout(self):
        return post_form(self.client, "/konto", {}, post_url="/konto/abmelden")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@dataclass
class Factories:
    """Small builders with sensible defaults; objects are flushed, not committed."""

    counter: list[int] = field(default_factory=lambda: [0])

    def _next(self) -> int:
        self.counter[0] += 1
        return self.counter[0]

    def user(self, email=None, password="ein-sicheres-passwort", role="shopper", confirmed=True):
        from hallobot.accounts.models import User
        from hallobot.accounts.service import hash_password
        from hallobot.models_base import utcnow

        user = User(
            email=email or f"person{self._next()}@beispiel.example",
            password_hash=hash_password(password),
            role=role,
            confirmed_at=utcnow() if confirmed else None,
        )
        db.session.add(user)
        db.session.flush()
        return user

    def category(self, name=None, parent=None):
        from hallobot.directory.models import Category
        from hallobot.directory.slugs import make_slug

        n = self._next()
        name = name or f"Testkategorie {n}"
        cat = Category(slug=make_slug(name), name=name, name_en=name, icon="tag", parent=parent)
        db.session.add(cat)
        db.session.flush()
        return cat

    def district(self, name=None):
        from hallobot.directory.models import District
        from hallobot.directory.slugs import make_slug

        name = name or f"Testviertel {self._next()}"
        d = District(
            slug=make_slug(name),
            name=name,
            borough="Mitte",
            lat=51.52,
            lon=6.92,
            postcodes=["46236"],
        )
        db.session.add(d)
        db.session.flush()
        return d

    def business(
        self,
        name=None,
        category=None,
        district=None,
        status="published",
        services=0,
        hours=True,
        **kwargs,
    ):
        from hallobot.directory.models import (
            Business,
            DeliveryOption,
            OpeningHours,
            Service,
            SpecialDay,
        )
        from hallobot.directory.slugs import make_slug
        from hallobot.models_base import utcnow

        n = self._next()
        name = name or f"Testbetrieb {n}"
        biz = Business(
            name=name,
            slug=make_slug(f"{name}-{n}"),
            category=category or self.category(),
            district=district,
            short_description="Ein Betrieb zum Testen.",
            description="Beschreibung.",
            street="Hochstraße",
            house_number=str(n),
            postcode="46236",
            lat=51.5245,
            lon=6.9275,
            phone="02041 123456",
            status=status,
            published_at=utcnow() if status == "published" else None,
            **kwargs,
        )
        for i in range(services):
            biz.services.append(Service(name=f"Leistung {i}", price_cents=100 * i, position=i))
        if hours:
            for day in range(6):
                biz.opening_hours.append(OpeningHours(weekday=day, opens=time(9), closes=time(18)))
            biz.special_days.append(
                SpecialDay(date=__import__("datetime").date(2026, 12, 24), closed=True, note="")
            )
            biz.delivery_options.append(DeliveryOption(kind="pickup", postcodes=[]))
        db.session.add(biz)
        db.session.flush()
        return biz


@pytest.fixture
def factories():
    return Factories()


@pytest.fixture
def count_queries(app):
    """Context manager that counts the SQL statements run inside it."""

    @contextmanager
    def counter():
        statements: list[str] = []

        def before(conn, cursor, statement, parameters, context, executemany):
            if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
                statements.append(statement)

        engine = db.engine
        event.listen(engine, "before_cursor_execute", before)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", before)

    return counter


# --- a real SMTP server on loopback ---


@dataclass
class SMTPRecorder:
    port: int
    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler API
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def last_to(self, address: str, wait: float = 5.0) -> EmailMessage:
        """The newest mail to ``address``; waits for mails sent in the background."""
        deadline = _time.monotonic() + wait
        while True:
            for msg in reversed(self.messages):
                if address.lower() in msg["To"].lower():
                    return msg
            if _time.monotonic() > deadline:
                break
            _time.sleep(0.02)
        raise AssertionError(f"no mail to {address}; got {[m['To'] for m in self.messages]}")

    @staticmethod
    def body(msg: EmailMessage) -> str:
        return msg.get_body(preferencelist=("plain",)).get_content()

    @staticmethod
    def link(msg: EmailMessage, pattern: str) -> str:
        match = re.search(r"https?://\S*" + pattern + r"\S*", SMTPRecorder.body(msg))
        assert match, f"no link matching {pattern!r} in mail"
        return match.group(0)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server(app):
    from aiosmtpd.controller import Controller

    recorder = SMTPRecorder(port=_free_port())
    controller = Controller(recorder, hostname="127.0.0.1", port=recorder.port)
    controller.start()
    saved = {k: app.config[k] for k in ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=recorder.port, MAIL_USE_TLS=False)
    try:
        yield recorder
    finally:
        for thread in threading.enumerate():  # mails still being delivered in the background
            if thread.name == "hallobot-mail":
                thread.join(timeout=10)
        app.config.update(saved)
        controller.stop()
