"""Co-owners: an owner invites someone by e-mail; the link works once, for 7 days, and only
for the account with the invited address."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from hallobot.extensions import db
from hallobot.moderation.models import AuditEvent
from hallobot.owner.models import Invitation
from tests.conftest import SMTPRecorder, csrf_from, login_as, post_form


@pytest.fixture
def url(bakery) -> str:
    return f"/mein-betrieb/{bakery.slug}/inhaber"


def _invite(client, url: str, email: str):
    return post_form(client, url, {"email": email})


def _path(link: str) -> str:
    return urlsplit(link).path


def test_invite_accept_and_edit(app, smtp_server, factories, owner_account, bakery, url):
    partner = factories.user(email="partner@beispiel.example", password="Partner-Passwort-1")
    db.session.commit()
    owner = login_as(app, owner_account)
    response = _invite(owner, url, "Partner@Beispiel.example")
    assert response.status_code == 302
    assert "Die Einladung an partner@beispiel.example ist versendet" in owner.get(url).get_data(
        as_text=True
    )
    mail = smtp_server.last_to("partner@beispiel.example")
    assert "Bäckerei Kruse" in mail["Subject"]
    link = SMTPRecorder.link(mail, "/mein-betrieb/einladung/")
    invitation = db.session.scalar(select(Invitation))
    assert invitation.token_hash not in link  # only the hash is stored

    anonymous = app.test_client()
    to_login = anonymous.get(_path(link))
    assert to_login.status_code == 302 and "/konto/anmelden" in to_login.headers["Location"]

    client = login_as(app, "partner@beispiel.example", "Partner-Passwort-1")
    page = client.get(_path(link))
    assert page.status_code == 200
    assert "Einladung zu „Bäckerei Kruse“" in page.get_data(as_text=True)
    accepted = post_form(client, _path(link), {})
    assert accepted.status_code == 302 and accepted.headers["Location"] == "/mein-betrieb"
    business = bakery
    db.session.refresh(business)
    assert partner in business.owners
    assert partner.role == "owner"
    assert client.get(f"/mein-betrieb/{business.slug}/bearbeiten").status_code == 200
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"owner.invited", "owner.joined"} <= actions

    assert client.get(_path(link)).status_code == 404  # the link works once


def test_invitation_for_another_address_is_refused(
    app, smtp_server, owner_account, bakery, url, shopper_account
):
    owner = login_as(app, owner_account)
    assert _invite(owner, url, "jemand@beispiel.example").status_code == 302
    link = SMTPRecorder.link(
        smtp_server.last_to("jemand@beispiel.example"), "/mein-betrieb/einladung/"
    )
    shopper = login_as(app, shopper_account)
    response = post_form(shopper, _path(link), {})
    assert response.status_code == 422
    assert "gilt für eine andere E-Mail-Adresse" in response.get_data(as_text=True)
    db.session.refresh(bakery)
    assert all(o.email != shopper_account.email for o in bakery.owners)


def test_expired_and_revoked_invitations_do_not_work(
    app, smtp_server, factories, owner_account, url
):
    factories.user(email="spaet@beispiel.example", password="Spaet-Passwort-12")
    factories.user(email="zurueck@beispiel.example", password="Zurueck-Passwort-1")
    db.session.commit()
    owner = login_as(app, owner_account)
    _invite(owner, url, "spaet@beispiel.example")
    late = SMTPRecorder.link(smtp_server.last_to("spaet@beispiel.example"), "/einladung/")
    _invite(owner, url, "zurueck@beispiel.example")
    revoked = SMTPRecorder.link(smtp_server.last_to("zurueck@beispiel.example"), "/einladung/")
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.email == "zurueck@beispiel.example")
    )
    page = owner.get(url).get_data(as_text=True)
    assert "zurueck@beispiel.example" in page
    response = owner.post(
        f"{url}/einladung/{invitation.id}/zurueckziehen", data={"csrf_token": csrf_from(page)}
    )
    assert response.status_code == 302
    assert "zurueck@beispiel.example" not in owner.get(url).get_data(as_text=True)

    client = login_as(app, "zurueck@beispiel.example", "Zurueck-Passwort-1")
    assert client.get(_path(revoked)).status_code == 404

    with freeze_time(invitation.created_at + timedelta(days=8)):
        client = login_as(app, "spaet@beispiel.example", "Spaet-Passwort-12")
        assert client.get(_path(late)).status_code == 404


def test_bad_address_and_existing_owner_get_messages(app, owner_account, url):
    owner = login_as(app, owner_account)
    response = _invite(owner, url, "kein-at-zeichen")
    assert response.status_code == 422
    assert "gültige E-Mail-Adresse" in response.get_data(as_text=True)
    response = _invite(owner, url, owner_account.email)
    assert response.status_code == 422
    assert "bereits Inhaber" in response.get_data(as_text=True)
    assert db.session.scalar(select(Invitation)) is None


def test_only_owners_can_invite(app, factories, url):
    other_owner = factories.owner(factories.business(name="Getränkewelt Batenbrock"))
    db.session.commit()
    other = login_as(app, other_owner)
    assert other.get(url).status_code == 404


def test_an_owner_can_leave_but_not_as_the_last_one(app, factories, owner_account, bakery, url):
    business = bakery
    partner = factories.user(email="zweite@beispiel.example", password="Zweite-Passwort-12")
    business.owners.append(partner)
    db.session.commit()
    client = login_as(app, "zweite@beispiel.example", "Zweite-Passwort-12")
    page = client.get(url).get_data(as_text=True)
    assert "Mich als Inhaber austragen" in page
    response = post_form(client, url, {}, post_url=f"{url}/austreten")
    assert response.status_code == 302
    db.session.refresh(business)
    assert partner not in business.owners
    assert client.get(url).status_code == 404

    owner = login_as(app, owner_account)
    assert "Mich als Inhaber austragen" not in owner.get(url).get_data(as_text=True)
    response = post_form(owner, url, {}, post_url=f"{url}/austreten", follow_redirects=True)
    assert "einzige Inhaber" in response.get_data(as_text=True)
    db.session.refresh(business)
    assert [o.email for o in business.owners] == [owner_account.email]


def test_the_invitation_mail_is_german_whatever_the_inviters_language(
    app, smtp_server, owner_account, url
):
    owner = login_as(app, owner_account)
    owner.get("/sprache/en")
    assert _invite(owner, url, "gast@beispiel.example").status_code == 302
    mail = smtp_server.last_to("gast@beispiel.example")
    assert mail["Subject"] == "Einladung: „Bäckerei Kruse“ auf hallobot mitverwalten"
    assert "/konto/registrieren" in SMTPRecorder.body(mail)


def test_an_invitation_whose_mail_fails_stands_and_says_so(app, owner_account, url):
    saved = {k: app.config[k] for k in ("MAIL_SERVER", "MAIL_PORT", "MAIL_TIMEOUT")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1, MAIL_TIMEOUT=2)  # nobody listens
    try:
        owner = login_as(app, owner_account)
        response = _invite(owner, url, "unerreichbar@beispiel.example")
        assert response.status_code == 302
        page = owner.get(url).get_data(as_text=True)
    finally:
        app.config.update(saved)
    assert "die E-Mail konnte nicht versendet werden" in page
    assert "unerreichbar@beispiel.example" in page  # listed as an open invitation
    invitation = db.session.scalar(select(Invitation))
    assert invitation.email == "unerreichbar@beispiel.example"


def test_an_invitation_that_is_not_open_here_cannot_be_revoked(
    app, smtp_server, factories, owner_account, bakery, url
):
    other = factories.bakery(factories.owner(email="andere@beispiel.example"), name="Andere")
    db.session.commit()
    elsewhere = login_as(app, "andere@beispiel.example")
    _invite(elsewhere, f"/mein-betrieb/{other.slug}/inhaber", "fremd@beispiel.example")
    foreign = db.session.scalar(select(Invitation).where(Invitation.business_id == other.id))
    owner = login_as(app, owner_account)
    _invite(owner, url, "einmal@beispiel.example")
    own = db.session.scalar(select(Invitation).where(Invitation.business_id == bakery.id))
    page = owner.get(url).get_data(as_text=True)

    def revoke(invitation_id):
        target = f"{url}/einladung/{invitation_id}/zurueckziehen"
        response = owner.post(target, data={"csrf_token": csrf_from(page)})
        assert response.status_code == 302 and response.headers["Location"] == url
        return owner.get(url).get_data(as_text=True)

    assert "Diese Einladung gibt es nicht." in revoke(foreign.id)
    assert "Die Einladung ist zurückgezogen." in revoke(own.id)
    assert "Diese Einladung ist nicht mehr offen." in revoke(own.id)
    db.session.refresh(foreign)
    assert foreign.revoked_at is None and foreign.is_open(foreign.created_at)
