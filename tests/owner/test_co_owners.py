"""Co-owners: an owner invites someone by e-mail; the link works once, for 7 days, and only
for the account with the invited address."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from freezegun import freeze_time
from sqlalchemy import select

from hallobot.directory.models import Business
from hallobot.extensions import db
from hallobot.moderation.models import AuditEvent
from hallobot.owner.models import Invitation
from tests.conftest import SMTPRecorder, csrf_from, login_as, post_form

OWNER = ("inhaberin@hallobot.example", "Bottrop-Inhaberin-2026")
URL = "/mein-betrieb/baeckerei-kruse/inhaber"


def _kruse() -> Business:
    return db.session.scalar(select(Business).where(Business.slug == "baeckerei-kruse"))


def _invite(client, email: str):
    return post_form(client, URL, {"email": email})


def _path(link: str) -> str:
    return urlsplit(link).path


def test_invite_accept_and_edit(app, smtp_server, factories):
    partner = factories.user(email="partner@beispiel.example", password="Partner-Passwort-1")
    db.session.commit()
    owner = login_as(app, *OWNER)
    response = _invite(owner, "Partner@Beispiel.example")
    assert response.status_code == 302
    assert "Die Einladung an partner@beispiel.example ist versendet" in owner.get(URL).get_data(
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
    business = _kruse()
    db.session.refresh(business)
    assert partner in business.owners
    assert partner.role == "owner"
    assert client.get("/mein-betrieb/baeckerei-kruse/bearbeiten").status_code == 200
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"owner.invited", "owner.joined"} <= actions

    assert client.get(_path(link)).status_code == 404  # the link works once


def test_invitation_for_another_address_is_refused(app, smtp_server):
    owner = login_as(app, *OWNER)
    assert _invite(owner, "jemand@beispiel.example").status_code == 302
    link = SMTPRecorder.link(
        smtp_server.last_to("jemand@beispiel.example"), "/mein-betrieb/einladung/"
    )
    shopper = login_as(app, "kundin@hallobot.example", "Bottrop-Kundin-2026")
    response = post_form(shopper, _path(link), {})
    assert response.status_code == 422
    assert "gilt für eine andere E-Mail-Adresse" in response.get_data(as_text=True)
    business = _kruse()
    assert all(o.email != "kundin@hallobot.example" for o in business.owners)


def test_expired_and_revoked_invitations_do_not_work(app, smtp_server, factories):
    factories.user(email="spaet@beispiel.example", password="Spaet-Passwort-12")
    factories.user(email="zurueck@beispiel.example", password="Zurueck-Passwort-1")
    db.session.commit()
    owner = login_as(app, *OWNER)
    _invite(owner, "spaet@beispiel.example")
    late = SMTPRecorder.link(smtp_server.last_to("spaet@beispiel.example"), "/einladung/")
    _invite(owner, "zurueck@beispiel.example")
    revoked = SMTPRecorder.link(smtp_server.last_to("zurueck@beispiel.example"), "/einladung/")
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.email == "zurueck@beispiel.example")
    )
    page = owner.get(URL).get_data(as_text=True)
    assert "zurueck@beispiel.example" in page
    response = owner.post(
        f"{URL}/einladung/{invitation.id}/zurueckziehen", data={"csrf_token": csrf_from(page)}
    )
    assert response.status_code == 302
    assert "zurueck@beispiel.example" not in owner.get(URL).get_data(as_text=True)

    client = login_as(app, "zurueck@beispiel.example", "Zurueck-Passwort-1")
    assert client.get(_path(revoked)).status_code == 404

    with freeze_time(invitation.created_at + timedelta(days=8)):
        client = login_as(app, "spaet@beispiel.example", "Spaet-Passwort-12")
        assert client.get(_path(late)).status_code == 404


def test_bad_address_and_existing_owner_get_messages(app):
    owner = login_as(app, *OWNER)
    response = _invite(owner, "kein-at-zeichen")
    assert response.status_code == 422
    assert "gültige E-Mail-Adresse" in response.get_data(as_text=True)
    response = _invite(owner, OWNER[0])
    assert response.status_code == 422
    assert "bereits Inhaber" in response.get_data(as_text=True)
    assert db.session.scalar(select(Invitation)) is None


def test_only_owners_can_invite(app):
    other = login_as(app, "hofmann@hallobot.example", "Bottrop-Hofmann-2026")
    assert other.get(URL).status_code == 404


def test_an_owner_can_leave_but_not_as_the_last_one(app, factories):
    business = _kruse()
    partner = factories.user(email="zweite@beispiel.example", password="Zweite-Passwort-12")
    business.owners.append(partner)
    db.session.commit()
    client = login_as(app, "zweite@beispiel.example", "Zweite-Passwort-12")
    page = client.get(URL).get_data(as_text=True)
    assert "Mich als Inhaber austragen" in page
    response = post_form(client, URL, {}, post_url=f"{URL}/austreten")
    assert response.status_code == 302
    db.session.refresh(business)
    assert partner not in business.owners
    assert client.get(URL).status_code == 404

    owner = login_as(app, *OWNER)
    assert "Mich als Inhaber austragen" not in owner.get(URL).get_data(as_text=True)
    response = post_form(owner, URL, {}, post_url=f"{URL}/austreten", follow_redirects=True)
    assert "einzige Inhaber" in response.get_data(as_text=True)
    db.session.refresh(business)
    assert [o.email for o in business.owners] == [OWNER[0]]


def test_the_invitation_mail_is_german_whatever_the_inviters_language(app, smtp_server):
    owner = login_as(app, *OWNER)
    owner.get("/sprache/en")
    assert _invite(owner, "gast@beispiel.example").status_code == 302
    mail = smtp_server.last_to("gast@beispiel.example")
    assert mail["Subject"] == "Einladung: „Bäckerei Kruse“ auf hallobot mitverwalten"
    assert "/konto/registrieren" in SMTPRecorder.body(mail)


def test_an_invitation_whose_mail_fails_stands_and_says_so(app):
    saved = {k: app.config[k] for k in ("MAIL_SERVER", "MAIL_PORT", "MAIL_TIMEOUT")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1, MAIL_TIMEOUT=2)  # nobody listens
    try:
        owner = login_as(app, *OWNER)
        response = _invite(owner, "unerreichbar@beispiel.example")
        assert response.status_code == 302
        page = owner.get(URL).get_data(as_text=True)
    finally:
        app.config.update(saved)
    assert "die E-Mail konnte nicht versendet werden" in page
    assert "unerreichbar@beispiel.example" in page  # listed as an open invitation
    invitation = db.session.scalar(select(Invitation))
    assert invitation.email == "unerreichbar@beispiel.example"
