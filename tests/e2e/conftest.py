"""Browser tests: a live server and a headless Chromium driven by Playwright.

* ``live_server``: a separate application on its own temporary SQLite file (migrated, with
  the reference data and a moderator account), CSRF on as in production, mail sent to
  a real SMTP server on loopback (``live_server.mail``), geocoding by the Nominatim
  stand-in and map tiles from a tile server, both on loopback, served by Werkzeug on
  127.0.0.1.
  Exceptions raised while it answers are collected and fail the test. Rate limits stay on
  as in production (memory storage, new when the app is built); the journeys stay far below.
  Each module builds what it needs there with ``build_live(live_server, make)`` (the
  factories of tests/factories.py, committed); ``live_town`` is the town of tests/town.py.
* ``browser``: Chromium from ``CHROMIUM_PATH`` (default: the Debian package's binary),
  without Playwright's own browser download. Missing Playwright or Chromium skips the tests,
  or fails them when ``HALLOBOT_REQUIRE_SERVICES=1`` (CI).
* ``browsing.new_page()``: a page in a fresh browser context (own cookies, German, the live
  server as base URL). JavaScript errors and console errors fail the test; after a failure
  every open page is saved as a screenshot in ``test-artifacts/``.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from flask import Flask, got_request_exception
from flask_migrate import upgrade
from werkzeug.serving import WSGIRequestHandler, make_server

from config import TestingConfig
from hallobot import create_app
from hallobot.extensions import db
from tests.conftest import SEED_DIR, SMTPRecorder, _free_port, service_missing
from tests.factories import PASSWORD, Factories
from tests.town import build_town

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

log = logging.getLogger("hallobot.live_server")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000  # per action or expectation; generous, but a hang ends quickly


@dataclass(frozen=True)
class Person:
    email: str
    password: str
    name: str


MODERATOR = Person("pruefung@hallobot.example", "Moderation-Bottrop-2026", "Jana Prüfer")


@dataclass
class LiveServer:
    url: str
    app: Flask
    mail: SMTPRecorder
    errors: list[BaseException] = field(default_factory=list)


@pytest.fixture(autouse=True)
def db_session():
    """Overrides the rolled-back session of the other tests: it swaps the global
    ``db.session``, which the live server's threads would then share."""
    yield None


@pytest.fixture(scope="module")
def live_mail():
    from aiosmtpd.controller import Controller

    recorder = SMTPRecorder(port=_free_port())
    controller = Controller(recorder, hostname="127.0.0.1", port=recorder.port)
    controller.start()
    try:
        yield recorder
    finally:
        for thread in threading.enumerate():  # mails still being delivered in the background
            if thread.name == "hallobot-mail":
                thread.join(timeout=10)
        controller.stop()


class LoggingHandler(WSGIRequestHandler):
    """Werkzeug's request handler, logging through ``logging`` only (pytest shows it when a
    test fails), without terminal colours."""

    def log_request(self, code="-", size="-") -> None:
        log.info("%s %s", self.requestline, code)

    def log(self, type: str, message: str, *args) -> None:
        log.log(logging.ERROR if type == "error" else logging.INFO, message.rstrip(), *args)


@pytest.fixture(scope="session")
def tile_server():
    """Map tiles from loopback (tests/standins.py): nothing goes to the internet."""
    from tests.standins import TileServer

    tiles = TileServer()
    tiles.start()
    try:
        yield tiles
    finally:
        tiles.stop()


@pytest.fixture(scope="module")
def live_server(live_mail, tmp_path_factory, nominatim_server, tile_server):
    folder = tmp_path_factory.mktemp("live-server")
    app = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'hallobot.sqlite3'}",
        GEOCODER_URL=nominatim_server.url,
        MAP_TILE_URL=tile_server.url_template,
        WTF_CSRF_ENABLED=True,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=live_mail.port,
        MAIL_USE_TLS=False,
        MAIL_USE_SSL=False,
        MAIL_OUTBOX_DIR=str(folder / "outbox"),
        MEDIA_DIR=str(folder / "media"),
    )
    with app.app_context():
        from hallobot.accounts.service import create_user
        from hallobot.importers import seed

        upgrade()
        seed.load_reference(SEED_DIR)
        db.session.commit()
        create_user(MODERATOR.email, MODERATOR.password, "moderator", MODERATOR.name)
        db.session.remove()

    errors: list[BaseException] = []

    def record(sender, exception, **extra):
        errors.append(exception)

    got_request_exception.connect(record, app, weak=False)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=LoggingHandler)
    thread = threading.Thread(target=server.serve_forever, name="hallobot-live", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.port}", app, live_mail, errors)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        got_request_exception.disconnect(record, app)
        with app.app_context():
            db.engine.dispose()


def build_live(live_server: LiveServer, make):
    """Build data on the live server's database: ``make(factories)`` with the builders of
    tests/factories.py, committed. What it returns stays readable (detached)."""
    with live_server.app.app_context():
        db.session().expire_on_commit = False
        try:
            made = make(Factories())
            db.session.commit()
        finally:
            db.session.remove()
    return made


@dataclass(frozen=True)
class LiveTown:
    """The town on the live server: its bakery ("Bäckerei Kruse") has an owner (``owner``,
    who logs in with ``PASSWORD``) and a published voucher offer (``offer_id``)."""

    slugs: dict[str, str]
    ids: dict[str, int]
    owner: Person
    offer_id: int


@pytest.fixture(scope="module")
def live_town(live_server) -> LiveTown:
    def make(factories):
        town = build_town(factories)
        kruse = town["Bäckerei Kruse"]
        owner = factories.owner(kruse, email="sabine.kruse@beispiel.example",
                                display_name="Sabine Kruse")  # fmt: skip
        offer = factories.orderable_offer(kruse, title="Brotzeit-Gutschein")
        return LiveTown(
            slugs={name: b.slug for name, b in town.items()},
            ids={name: b.id for name, b in town.items()},
            owner=Person(owner.email, PASSWORD, owner.display_name),
            offer_id=offer.id,
        )

    return build_live(live_server, make)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import Error, expect, sync_playwright
    except ImportError:
        service_missing("Playwright is not installed (pip install -e '.[dev]')")
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        service_missing(f"no Chromium at {path} (apt-get install chromium, or set CHROMIUM_PATH)")
    expect.set_options(timeout=TIMEOUT_MS)
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_ARGS, timeout=30_000
        )
    except Error as exc:
        playwright.stop()
        service_missing(f"Chromium at {path} did not start: {exc.message.splitlines()[0]}")
    try:
        yield chromium
    finally:
        chromium.close()
        playwright.stop()


class Browsing:
    """Opens pages in fresh contexts on the live server and remembers what went wrong."""

    def __init__(self, browser: Browser, base_url: str):
        self.browser, self.base_url = browser, base_url
        self.contexts: list = []
        self.pages: list[Page] = []
        self.problems: list[str] = []

    def new_page(self) -> Page:
        context = self.browser.new_context(
            base_url=self.base_url,
            locale="de-DE",
            timezone_id="Europe/Berlin",
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(2 * TIMEOUT_MS)
        self.contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: self.problems.append(f"{page.url}: {exc}"))
        page.on("console", lambda msg: self._console(page, msg))
        page.on("response", self._response)
        self.pages.append(page)
        return page

    def _console(self, page: Page, msg) -> None:
        # a page's own status is the test's business; failed resources are caught below
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            self.problems.append(f"{page.url}: {msg.text}")

    def _response(self, response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            self.problems.append(
                f"{response.request.resource_type} {response.url}: {response.status}"
            )

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture(scope="module")
def browsing(browser, live_server):
    pages = Browsing(browser, live_server.url)
    try:
        yield pages
    finally:
        pages.close()


@pytest.fixture
def page(browsing):
    return browsing.new_page()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed:
        item.stash[FAILED] = True
    return report


@pytest.fixture(autouse=True)
def _check_browser_and_server(request, browsing, live_server, artifacts):
    """After each test: screenshots when it failed; fail on server exceptions and on
    JavaScript or console errors in the pages."""
    yield
    if request.node.stash.get(FAILED, False):
        for n, open_page in enumerate(p for p in browsing.pages if not p.is_closed()):
            open_page.screenshot(path=artifacts / f"failed-{request.node.name}-{n}.png")
    errors, problems = list(live_server.errors), list(browsing.problems)
    live_server.errors.clear()
    browsing.problems.clear()
    assert not errors, f"the live server raised: {errors!r}"
    assert not problems, "errors in the browser:\n" + "\n".join(problems)
