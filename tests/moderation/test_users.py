"""Managing accounts: roles and deactivation, with limits on who may do what; every change
is in the audit log."""

from __future__ import annotations

from sqlalchemy import select

from hallobot.extensions import db
from hallobot.moderation.models import AuditEvent
from tests.conftest import login_as, post_form
from tests.factories import PASSWORD


def test_moderator_changes_role_and_it_is_logged(app, factories, moderator_account):
    kundin = factories.shopper(email="kundin@beispiel.example")
    factories.owner(email="inhaberin@beispiel.example")
    db.session.commit()
    client = login_as(app, moderator_account)
    listing = client.get("/moderation/nutzer?q=kundin").get_data(as_text=True)
    assert "kundin@beispiel.example" in listing and "inhaberin@" not in listing
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
    assert event.actor.email == moderator_account.email
    log = client.get("/moderation/protokoll?aktion=user.role_changed").get_data(as_text=True)
    assert "Rolle geändert" in log and "shopper → owner" in log


def test_only_admins_grant_staff_roles(app, shopper_account, moderator_account, admin_account):
    kundin = shopper_account
    url = f"/moderation/nutzer/{kundin.id}"
    moderator = login_as(app, moderator_account)
    response = post_form(moderator, url, {"role": "moderator"}, post_url=f"{url}/rolle")
    assert response.status_code == 422
    assert "nur die Administration" in response.get_data(as_text=True)
    db.session.refresh(kundin)
    assert kundin.role == "shopper"
    admin = login_as(app, admin_account)
    assert post_form(admin, url, {"role": "moderator"}, post_url=f"{url}/rolle").status_code == 302
    db.session.refresh(kundin)
    assert kundin.role == "moderator"


def test_nobody_changes_their_own_account(app, admin_account):
    admin = login_as(app, admin_account)
    me = admin_account
    response = post_form(
        admin,
        f"/moderation/nutzer/{me.id}",
        {"role": "shopper"},
        post_url=f"/moderation/nutzer/{me.id}/rolle",
    )
    assert response.status_code == 422 and "eigenes Konto" in response.get_data(as_text=True)
    db.session.refresh(me)
    assert me.role == "admin"


def test_deactivation_ends_sessions_and_blocks_login(app, factories, moderator_account):
    hofmann = factories.owner(factories.business(name="Pizzeria Da Franco"))
    db.session.commit()
    owner = login_as(app, hofmann)
    assert owner.get("/mein-betrieb").status_code == 200
    moderator = login_as(app, moderator_account)
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
        app.test_client(), "/konto/anmelden", {"email": hofmann.email, "password": PASSWORD}
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


def test_moderator_cannot_touch_staff_accounts(app, moderator_account, admin_account):
    moderator = login_as(app, moderator_account)
    admin = admin_account
    response = post_form(
        moderator,
        f"/moderation/nutzer/{admin.id}",
        {"reason": "Nur ein Versuch, abzulehnen."},
        post_url=f"/moderation/nutzer/{admin.id}/sperren",
    )
    assert response.status_code == 422
    db.session.refresh(admin)
    assert admin.active
