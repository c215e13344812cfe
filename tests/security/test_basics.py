"""Security basics: no cookies for anonymous readers, headers, CSRF, redirects, escaping."""

from __future__ import annotations

import pytest

from hallobot.extensions import db
from hallobot.web import is_safe_next
from tests.factories import PASSWORD


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/kategorie/essen-trinken",
        "/stadtteil/eigen",
        "/betrieb/{slug}",
        "/suche?q=pizza",
        "/impressum",
    ],
)
def test_anonymous_readers_get_no_cookie(client, factories, path):
    pizzeria = factories.business(
        name="Pizzeria Da Franco", category="restaurants", district="eigen", services=2
    )
    db.session.commit()
    response = client.get(path.format(slug=pizzeria.slug))
    assert response.status_code == 200
    assert response.headers.getlist("Set-Cookie") == []


def test_security_headers(client):
    headers = client.get("/").headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_post_without_csrf_token_is_refused(client, factories):
    shopper = factories.shopper()
    db.session.commit()
    response = client.post("/konto/anmelden", data={"email": shopper.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "Formular ist abgelaufen" in response.get_data(as_text=True)
    assert client.get("/konto").status_code == 302  # not logged in


def test_logout_needs_post(client, auth, factories):
    shopper = factories.shopper()
    db.session.commit()
    auth.login(shopper)
    assert client.get("/konto/abmelden").status_code == 405
    assert client.get("/konto").status_code == 200


@pytest.mark.parametrize("target", ["/", "/betrieb/x", "/suche?q=a%20b"])
def test_safe_next_accepts_local_paths(target):
    assert is_safe_next(target)


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "/\x00x",
        "/\tevil",
        "",
        None,
        "evil.example",
    ],
)
def test_safe_next_refuses_everything_else(target):
    assert not is_safe_next(target)


def test_user_text_is_escaped(client, factories):
    biz = factories.business(name="<script>alert(1)</script> Laden")
    biz.description = '<img src=x onerror="alert(2)">\n\nZweiter Absatz'
    db.session.commit()
    html = client.get(f"/betrieb/{biz.slug}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html and "<p>Zweiter Absatz</p>" in html


def test_language_switch_sets_cookie_and_english(client):
    response = client.get("/sprache/en?next=/impressum")
    assert response.headers["Location"] == "/impressum"
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert client.get("/sprache/de?next=//evil.example").headers["Location"] == "/"


def test_forwarded_headers_trusted_only_when_configured(make_app, monkeypatch):
    from werkzeug.middleware.proxy_fix import ProxyFix

    from hallobot.accounts.permissions import ENDPOINT_ACCESS, PUBLIC

    monkeypatch.setitem(ENDPOINT_ACCESS, "remote", PUBLIC)
    assert not isinstance(make_app().wsgi_app, ProxyFix)
    behind_proxy = make_app(TRUSTED_PROXIES=1)
    assert isinstance(behind_proxy.wsgi_app, ProxyFix)

    @behind_proxy.route("/_test-remote")
    def remote():
        from flask import request

        return request.remote_addr or ""

    response = behind_proxy.test_client().get(
        "/_test-remote", headers={"X-Forwarded-For": "203.0.113.7"}
    )
    assert response.get_data(as_text=True) == "203.0.113.7"
