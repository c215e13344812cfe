"""Managing accounts: roles and deactivation, with limits on who may do what; every change
is in the audit log."""

from __future__ import annotations

from sqlalchemy import select

from hallobot.accounts.models import User
from hallobot.extensions import db
from hallobot.moderation.models import AuditEvent
from tests.conftest import post_form

MOD = ("moderation@hallobot.example", "Bottrop-Moderation-2026")
ADMIN = ("admin@hallobot.example", "Bottrop-Admin-2026")


def _user(email):
    return db.session.scalar(select(User).where(User.email == email))


def _login(app, who):
    client = app.test_client()
    post_form(client, "/konto/anmelden", {"email": who[0], "password": who[1]})
    return client


def test_moderator_changes_role_and_it_is_logged(app):
    client = _login(app, MOD)
    kundin = _user("kundin@hallobot.example")
    listing = client.get("/moderation/nutzer?q=kundin").get_data(as_text=True)
    assert "kundin@hallobot.example" in listing and "inhaberin@" not in listing
    url = f"/moderation/nutzer/{kundin.id}"
    response = post_form(client, url, {"role": "owner"}, post_url=f"{url}/rolle")
    assert response.status_code == 302
    db.session.refresh(kundin)
    assert kundin.role == "owner"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.role_changed"))
    assert event.details == {
        "user_id": kundin.id,
        "email": kundin.email,
        "old": "shopper",
        "new": "owner",
    }
    assert event.actor.email == MOD[0]
    log = client.get("/moderation/protokoll?aktion=user.role_changed").get_data(as_text=True)
    assert "Rolle geändert" in log and "shopper → owner" in log


def test_only_admins_grant_staff_roles(app):
    kundin = _user("kundin@hallobot.example")
    url = f"/moderation/nutzer/{kundin.id}"
    moderator = _login(app, MOD)
    response = post_form(moderator, url, {"role": "moderator"}, post_url=f"{url}/rolle")
    assert response.status_code == 422
    assert "nur die Administration" in response.get_data(as_text=True)
    db.session.refresh(kundin)
    assert kundin.role == "shopper"
    admin = _login(app, ADMIN)
    assert post_form(admin, url, {"role": "moderator"}, post_url=f"{url}/rolle").status_code == 302
    db.session.refresh(kundin)
    assert kundin.role == "moderator"


def test_nobody_changes_their_own_account(app):
    admin = _login(app, ADMIN)
    me = _user(ADMIN[0])
    response = post_form(
        admin,
        f"/moderation/nutzer/{me.id}",
        {"role": "shopper"},
        post_url=f"/moderation/nutzer/{me.id}/rolle",
    )
    assert response.status_code == 422 and "eigenes Konto" in response.get_data(as_text=True)
    db.session.refresh(me)
    assert me.role == "admin"


def test_deactivation_ends_sessions_and_blocks_login(app):
    owner = _login(app, ("hofmann@hallobot.example", "Bottrop-Hofmann-2026"))
    assert owner.get("/mein-betrieb").status_code == 200
    hofmann = _user("hofmann@hallobot.example")
    moderator = _login(app, MOD)
    url = f"/moderation/nutzer/{hofmann.id}"
    short = post_form(moderator, url, {"reason": "weil"}, post_url=f"{url}/sperren")
    assert short.status_code == 422
    response = post_form(
        moderator,
        url,
        {"reason": "Wiederholt falsche Angaben gemacht."},
        post_url=f"{url}/sperren",
    )
    assert response.status_code == 302
    db.session.refresh(hofmann)
    assert not hofmann.active
    assert owner.get("/mein-betrieb").status_code == 302  # the running session has ended
    again = post_form(
        app.test_client(),
        "/konto/anmelden",
        {"email": "hofmann@hallobot.example", "password": "Bottrop-Hofmann-2026"},
    )
    assert "E-Mail-Adresse oder Passwort ist falsch." in again.get_data(as_text=True)
    response = post_form(
        moderator,
        url,
        {"reason": "Klärendes Gespräch geführt."},
        post_url=f"{url}/entsperren",
    )
    db.session.refresh(hofmann)
    assert hofmann.active
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.action.like("user.%"))
    ).all()
    assert sorted(actions) == ["user.deactivated", "user.reactivated"]


def test_moderator_cannot_touch_staff_accounts(app):
    moderator = _login(app, MOD)
    admin = _user(ADMIN[0])
    response = post_form(
        moderator,
        f"/moderation/nutzer/{admin.id}",
        {"reason": "Nur ein Versuch, abzulehnen."},
        post_url=f"/moderation/nutzer/{admin.id}/sperren",
    )
    assert response.status_code == 422
    db.session.refresh(admin)
    assert admin.active
