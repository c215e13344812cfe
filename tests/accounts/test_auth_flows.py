"""Registration, confirmation, login/logout, password reset — end to end through HTTP,
with the e-mails delivered to a real SMTP server on 127.0.0.1."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from sqlalchemy import select

from hallobot.accounts.models import User
from hallobot.extensions import db
from tests.conftest import SMTPRecorder, post_form
from tests.factories import PASSWORD


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def register(client, email="neu@beispiel.example", password=PASSWORD, **extra):
    data = {
        "email": email,
        "display_name": "Nina Neu",
        "password": password,
        "password_confirm": password,
        "accept_privacy": "y",
        **extra,
    }
    return post_form(client, "/konto/registrieren", data)


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email.lower()))


def test_register_confirm_login_logout(client, auth, smtp_server):
    response = register(client, email="Nina.Neu@Beispiel.example")
    assert response.status_code == 302 and response.headers["Location"] == "/konto/anmelden"
    page = client.get("/konto/anmelden").get_data(as_text=True)
    assert "Fast geschafft" in page

    user = user_by_email("nina.neu@beispiel.example")
    assert user is not None and user.confirmed_at is None and user.role == "shopper"
    assert user.password_hash.startswith("$argon2id$")

    mail = smtp_server.last_to("nina.neu@beispiel.example")
    assert mail["Subject"] == "Bitte bestätigen Sie Ihre E-Mail-Adresse"
    link = SMTPRecorder.link(mail, "/konto/bestaetigen/")
    confirmed = client.get(path_of(link), follow_redirects=True)
    assert "Ihre E-Mail-Adresse ist bestätigt" in confirmed.get_data(as_text=True)
    db.session.refresh(user)
    assert user.confirmed_at is not None

    login = auth.login("NINA.NEU@beispiel.example", PASSWORD)
    assert login.status_code == 302 and login.headers["Location"] == "/konto"
    account = client.get("/konto").get_data(as_text=True)
    assert "nina.neu@beispiel.example" in account and "ja, am" in account

    logout = auth.logout()
    assert logout.status_code == 302
    assert client.get("/konto").status_code == 302  # back to the login page


def test_register_with_existing_address_reveals_nothing(client, smtp_server, factories):
    factories.shopper(email="kundin@beispiel.example")
    db.session.commit()
    first = register(client, email="kundin@beispiel.example")
    assert first.status_code == 302
    page = client.get("/konto/anmelden").get_data(as_text=True)
    assert "Fast geschafft" in page  # the same answer as for a new address
    mail = smtp_server.last_to("kundin@beispiel.example")
    assert mail["Subject"] == "Sie haben bereits ein Konto bei hallobot"
    assert "/konto/passwort-vergessen" in SMTPRecorder.body(mail)
    assert (
        db.session.scalar(
            select(db.func.count(User.id)).where(User.email == "kundin@beispiel.example")
        )
        == 1
    )


def test_register_validation_messages_beside_fields(client, smtp_server):
    response = register(client, email="kein-at-zeichen", password="kurz")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Bitte geben Sie eine gültige E-Mail-Adresse ein." in html
    response = register(client, email="kurz@beispiel.example", password="kurz")
    html = response.get_data(as_text=True)
    assert "mindestens 10 Zeichen" in html
    assert 'aria-invalid="true"' in html
    response = post_form(
        client,
        "/konto/registrieren",
        {
            "email": "x@beispiel.example",
            "password": PASSWORD,
            "password_confirm": "anders-123456",
            "accept_privacy": "y",
        },
    )
    assert "Die Passwörter stimmen nicht überein." in response.get_data(as_text=True)
    assert user_by_email("kurz@beispiel.example") is None
    assert user_by_email("x@beispiel.example") is None
    assert smtp_server.messages == []


def test_login_errors_do_not_enumerate(client, auth, factories):
    shopper = factories.shopper()
    db.session.commit()
    wrong_password = auth.login(shopper, "falsches-passwort").get_data(as_text=True)
    unknown = auth.login("niemand@beispiel.example", "falsches-passwort").get_data(as_text=True)
    message = "E-Mail-Adresse oder Passwort ist falsch."
    assert message in wrong_password and message in unknown


def test_inactive_user_cannot_log_in(client, auth, factories):
    factories.user(email="gesperrt@beispiel.example", password=PASSWORD).active = False
    db.session.commit()
    html = auth.login("gesperrt@beispiel.example", PASSWORD).get_data(as_text=True)
    assert "E-Mail-Adresse oder Passwort ist falsch." in html


def test_remember_me_sets_a_lax_httponly_cookie(client, auth, factories):
    shopper = factories.shopper()
    db.session.commit()
    response = auth.login(shopper, remember=True)
    cookies = response.headers.getlist("Set-Cookie")
    remember = [c for c in cookies if c.startswith("remember_token=")]
    assert remember, cookies
    assert "HttpOnly" in remember[0] and "SameSite=Lax" in remember[0]
    plain = auth.login  # a login without the box sets no remember cookie
    client.delete_cookie("remember_token")
    auth.logout()
    response = plain(shopper)
    assert not [
        c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token=")
    ]


def test_login_redirects_only_to_local_next(client, factories):
    shopper = factories.shopper()
    db.session.commit()
    for target, expected in [
        ("/betrieb/backstube-am-markt", "/betrieb/backstube-am-markt"),
        ("//evil.example/", "/konto"),
        ("/\\evil.example", "/konto"),
        ("https://evil.example/", "/konto"),
    ]:
        response = post_form(
            client,
            "/konto/anmelden",
            {"email": shopper.email, "password": PASSWORD},
            post_url=f"/konto/anmelden?next={target}",
        )
        assert response.headers["Location"] == expected, target
        post_form(client, "/konto", {}, post_url="/konto/abmelden")


def test_password_reset_flow(client, auth, smtp_server, factories):
    factories.user(email="vergesslich@beispiel.example", password=PASSWORD)
    db.session.commit()
    response = post_form(
        client, "/konto/passwort-vergessen", {"email": "Vergesslich@beispiel.example"}
    )
    assert response.status_code == 302
    mail = smtp_server.last_to("vergesslich@beispiel.example")
    assert mail["Subject"] == "Passwort zurücksetzen"
    link = path_of(SMTPRecorder.link(mail, "/konto/passwort-neu/"))

    response = post_form(
        client, link, {"password": "neues-passwort-456", "password_confirm": "neues-passwort-456"}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/konto/anmelden"
    assert auth.login("vergesslich@beispiel.example", PASSWORD).status_code == 200  # old refused
    assert auth.login("vergesslich@beispiel.example", "neues-passwort-456").status_code == 302
    auth.logout()

    reused = client.get(link, follow_redirects=True).get_data(as_text=True)
    assert "bereits verwendet" in reused


def test_forgot_password_unknown_address_same_answer_no_mail(client, smtp_server):
    response = post_form(
        client, "/konto/passwort-vergessen", {"email": "unbekannt@beispiel.example"}
    )
    assert response.status_code == 302
    page = client.get("/konto/anmelden").get_data(as_text=True)
    assert "Wenn ein Konto mit dieser Adresse existiert" in page
    assert smtp_server.messages == []


def test_expired_and_forged_confirmation_links(app, client, factories):
    from hallobot.accounts.service import make_confirm_token

    user = factories.user(email="spaet@beispiel.example", confirmed=False)
    db.session.commit()
    token = make_confirm_token(user)
    app.config["EMAIL_CONFIRM_MAX_AGE"] = timedelta(seconds=-1)
    try:
        html = client.get(f"/konto/bestaetigen/{token}", follow_redirects=True).get_data(
            as_text=True
        )
    finally:
        app.config["EMAIL_CONFIRM_MAX_AGE"] = timedelta(days=2)
    assert "abgelaufen" in html
    forged = client.get(f"/konto/bestaetigen/{token[:-3]}abc", follow_redirects=True)
    assert "Der Link ist ungültig." in forged.get_data(as_text=True)
    db.session.refresh(user)
    assert user.confirmed_at is None


def test_resend_confirmation(client, auth, smtp_server, factories):
    factories.user(email="unbestaetigt@beispiel.example", password=PASSWORD, confirmed=False)
    db.session.commit()
    auth.login("unbestaetigt@beispiel.example", PASSWORD)
    html = client.get("/konto").get_data(as_text=True)
    assert "Bestätigungslink erneut senden" in html
    response = post_form(client, "/konto", {}, post_url="/konto/bestaetigung-senden")
    assert response.status_code == 302
    assert smtp_server.last_to("unbestaetigt@beispiel.example")["Subject"].startswith(
        "Bitte bestätigen"
    )


def test_change_password_ends_other_sessions(app, auth, factories):
    factories.user(email="zwei@beispiel.example", password=PASSWORD)
    db.session.commit()
    first, second = app.test_client(), app.test_client()
    for c in (first, second):
        post_form(c, "/konto/anmelden", {"email": "zwei@beispiel.example", "password": PASSWORD})
        assert c.get("/konto").status_code == 200
    response = post_form(
        first,
        "/konto",
        {
            "current_password": PASSWORD,
            "password": "ganz-neues-pw-789",
            "password_confirm": "ganz-neues-pw-789",
        },
        post_url="/konto/passwort",
    )
    assert response.status_code == 302
    assert first.get("/konto").status_code == 200  # this session continues
    assert second.get("/konto").status_code == 302  # the other one is logged out


def test_login_is_rate_limited(client, auth, factories):
    shopper = factories.shopper()
    db.session.commit()
    statuses = [auth.login(shopper, "falsch-falsch").status_code for _ in range(11)]
    assert statuses[-1] == 429
    assert "Zu viele Versuche" in auth.login(shopper, "x").get_data(as_text=True)


def test_mail_without_smtp_goes_to_outbox(app, client):
    from pathlib import Path

    outbox = Path(app.config["MAIL_OUTBOX_DIR"])
    before = set(outbox.glob("*.eml"))
    register(client, email="outbox@beispiel.example")
    new = set(outbox.glob("*.eml")) - before
    assert len(new) == 1
    content = new.pop().read_text()
    assert "To: outbox@beispiel.example" in content and "/konto/bestaetigen/" in content


def test_create_user_command(app, monkeypatch):
    monkeypatch.setenv("HALLOBOT_PASSWORD", "admin-passwort-2026")
    result = app.test_cli_runner().invoke(
        args=["create-user", "Chefin@Beispiel.example", "--role", "admin"]
    )
    assert result.exit_code == 0, result.output
    user = user_by_email("chefin@beispiel.example")
    assert user.role == "admin" and user.confirmed_at is not None
    again = app.test_cli_runner().invoke(args=["create-user", "chefin@beispiel.example"])
    assert again.exit_code != 0 and "bereits registriert" in again.output
    monkeypatch.setenv("HALLOBOT_PASSWORD", "kurz")
    short = app.test_cli_runner().invoke(args=["create-user", "b@beispiel.example"])
    assert short.exit_code != 0 and "mindestens 10 Zeichen" in short.output
