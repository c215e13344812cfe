"""The English catalogue is complete; rate limits work with the Redis storage too."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tests.conftest import post_form, service_missing

ROOT = Path(__file__).resolve().parent.parent


def test_english_catalogue_translates_every_source_string():
    with open(ROOT / "hallobot/translations/en/LC_MESSAGES/messages.po", "rb") as fh:
        catalog = read_po(fh)
    method_map = [
        ("hallobot/**.py", "python"),
        ("templates/**.html", "jinja2"),
        ("templates/**.txt", "jinja2"),
    ]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
    missing = []
    for _file, _line, message, _comments, _ctx in extract_from_dir(
        str(ROOT), method_map=method_map, keywords=keywords
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        entry = catalog.get(msgid)
        strings = entry.string if entry else None
        if not strings or (isinstance(strings, tuple) and not all(strings)):
            missing.append(msgid)
    assert missing == [], f"not translated to English (run `make extract`): {missing}"


def test_english_pages(client):
    client.get("/sprache/en")
    html = client.get("/konto/anmelden").get_data(as_text=True)
    assert '<html lang="en">' in html and "Passwort vergessen?" not in html


@pytest.mark.no_db_session
def test_login_rate_limit_with_redis_storage(make_app, committed):
    import redis

    url = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        service_missing(f"Redis not reachable at {url}")
    redis.Redis.from_url(url).flushdb()
    with committed() as factories:
        shopper = factories.shopper()
    app = make_app(RATELIMIT_STORAGE_URI=url)
    client = app.test_client()
    statuses = [
        post_form(
            client,
            "/konto/anmelden",
            {"email": shopper.email, "password": "falsch-falsch"},
        ).status_code
        for _ in range(11)
    ]
    assert statuses[:10] == [200] * 10 and statuses[10] == 429
    assert redis.Redis.from_url(url).dbsize() > 0  # the counters live in Redis
    redis.Redis.from_url(url).flushdb()
