"""Shared fixtures.

* ``app``: one application for the whole run, on a migrated database (a temporary SQLite
  file, or the PostgreSQL database in ``TEST_DATABASE_URL``) holding only the reference data
  (categories, districts, attributes, synonyms). No demo data: every test builds what it
  needs with ``factories`` (tests/factories.py); tests/test_seed.py loads the demo itself.
* ``db_session`` (automatic): every test runs inside a transaction that is rolled back
  afterwards; the code under test commits into a savepoint.
* ``shared_db``: for a module that builds its data once for all its tests (an autouse
  module fixture that depends on it): one transaction for the module, rolled back at its
  end; each test then runs in a savepoint inside it.
* ``client``, ``auth`` (log in through the real form, CSRF token read from the page; and
  ``login_as(app, user)`` for a client of one's own), ``factories``, ``committed`` (real
  commits, cleaned up, for ``no_db_session`` tests), ``count_queries``, ``smtp_server`` (a
  real SMTP server on 127.0.0.1), ``nominatim`` (a Nominatim stand-in on 127.0.0.1, which
  the ``app`` geocodes with).
* ``owner_account`` with its ``bakery`` (published) and ``draft_entry``;
  ``moderator_account``, ``admin_account``, ``shopper_account``: built and committed.
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
from tests.factories import PASSWORD, Factories

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

        seed.load_reference(SEED_DIR)
        db.session.commit()
        db.session.remove()
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture
def make_app(database_url):
    """Build a further application on the test database; its engine is closed afterwards
    (an open PostgreSQL connection left for the garbage collector raises a warning). The
    rate limiter is one object for every application, and building one sets whether it is
    on and where it counts: that is put back afterwards, for the tests that follow."""
    made = []
    limiter_state = {k: getattr(limiter, k) for k in ("enabled", "_storage", "_limiter")}

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
    for name, value in limiter_state.items():
        setattr(limiter, name, value)


def _bound_session(connection):
    return db._make_scoped_session(
        {"bind": connection, "join_transaction_mode": "create_savepoint", "class_": BoundSession}
    )


@pytest.fixture(scope="module")
def shared_db(app):
    """One connection and one transaction for a whole module, rolled back at its end. The
    module's data is built once (with ``db.session``, committed into a savepoint) by an
    autouse module fixture that depends on this one; ``db_session`` then runs each test in a
    savepoint of this transaction, so the tests see that data and leave it unchanged."""
    ctx = app.app_context()
    ctx.push()
    connection = db.engine.connect()
    outer = connection.begin()
    original = db.session
    db.session = _bound_session(connection)
    try:
        yield connection
    finally:
        db.session.remove()
        db.session = original
        outer.rollback()
        connection.close()
        ctx.pop()


@pytest.fixture(autouse=True)
def db_session(request, app):
    if "no_db_session" in request.keywords:
        yield None
        return
    shared = request.getfixturevalue("shared_db") if "shared_db" in request.fixturenames else None
    ctx = app.app_context()
    ctx.push()
    connection = shared if shared is not None else db.engine.connect()
    outer = connection.begin_nested() if shared is not None else connection.begin()
    original = db.session
    db.session = _bound_session(connection)
    limiter.reset()
    try:
        yield db.session
    finally:
        db.session.remove()
        db.session = original
        outer.rollback()
        if shared is None:
            connection.close()
        ctx.pop()


# the order in which rows made by ``committed`` are deleted again (children of these go with
# them by their cascades)
_CLEANUP_ORDER = (
    "Redemption",
    "Voucher",
    "VoucherOrder",
    "VoucherOffer",
    "Revision",
    "Report",
    "Claim",
    "Invitation",
    "Business",
    "Category",
    "District",
    "User",
)


@pytest.fixture
def committed(app):
    """For tests without the rolled-back session (``no_db_session``, e.g. several threads or
    applications at once): ``with committed() as factories:`` builds with the factories and
    commits for real (the built objects stay readable, detached); after the test those rows
    are deleted again."""
    made: list[tuple[type, object]] = []

    @contextmanager
    def build():
        with app.app_context():
            session = db.session()
            new: list = []

            def collect(session, _context):
                new.extend(session.new)

            event.listen(session, "after_flush", collect)
            try:
                yield Factories()
                session.expire_on_commit = False  # the test reads what it built afterwards
                db.session.commit()
            finally:
                event.remove(session, "after_flush", collect)
            made.extend((type(obj), obj.id) for obj in new if type(obj).__name__ in _CLEANUP_ORDER)
            db.session.remove()

    yield build
    with app.app_context():
        for name in _CLEANUP_ORDER:
            for model, key in made:
                if model.__name__ == name and (obj := db.session.get(model, key)) is not None:
                    db.session.delete(obj)
            db.session.flush()
        db.session.commit()
        db.session.remove()


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


def login_as(app, who, password: str = PASSWORD):
    """A new browser-like client, logged in through the real form. ``who``: a user (made by
    the factories, whose password is ``PASSWORD`` unless told otherwise) or an e-mail
    address."""
    email = getattr(who, "email", who)
    client = app.test_client()
    response = post_form(client, "/konto/anmelden", {"email": email, "password": password})
    assert response.status_code == 302, f"login of {email} failed"
    return client


class AuthActions:
    def __init__(self, client):
        self.client = client

    def login(self, who, password=PASSWORD, remember=False, follow_redirects=False):
        """Log in through the form; ``who`` is a user or an e-mail address."""
        data = {"email": getattr(who, "email", who), "password": password}
        if remember:
            data["remember"] = "y"
        return post_form(self.client, "/konto/anmelden", data, follow_redirects=follow_redirects)

    def logout(self):
        return post_form(self.client, "/konto", {}, post_url="/konto/abmelden")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def factories():
    """The builders of tests/factories.py (flush, never commit)."""
    return Factories()


# People and places many tests need, committed (requests may roll back their own work):
# an owner with a published bakery and a draft, and one account of every other role.


@pytest.fixture
def owner_account(factories):
    user = factories.owner()
    db.session.commit()
    return user


@pytest.fixture
def bakery(factories, owner_account):
    """A published bakery of ``owner_account`` with every section filled in."""
    business = factories.bakery(owner_account)
    db.session.commit()
    return business


@pytest.fixture
def draft_entry(factories, owner_account):
    """A draft (a beauty salon) of ``owner_account``."""
    business = factories.beauty_salon(owner_account)
    db.session.commit()
    return business


@pytest.fixture
def moderator_account(factories):
    user = factories.moderator()
    db.session.commit()
    return user


@pytest.fixture
def admin_account(factories):
    user = factories.admin()
    db.session.commit()
    return user


@pytest.fixture
def shopper_account(factories):
    user = factories.shopper()
    db.session.commit()
    return user


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
