"""Journey 5: a shopper reports a wrong entry; the moderator resolves it; everything is in
the audit log. Moderators can also take a published entry offline with a reason."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hallobot.extensions import db
from hallobot.moderation.models import AuditEvent, Report
from tests.conftest import SMTPRecorder, browser_form, login_as, post_form


@pytest.fixture
def report_url(bakery) -> str:
    return f"/betrieb/{bakery.slug}/melden"


def test_report_resolved_by_unpublishing(
    app, client, smtp_server, bakery, report_url, owner_account, moderator_account
):
    page = client.get(f"/betrieb/{bakery.slug}").get_data(as_text=True)
    assert f'href="{report_url}"' in page
    response = post_form(
        client,
        report_url,
        {
            "reason": "geschlossen",
            "message": "Der Laden ist seit Oktober zu.",
            "email": "Hinweis@Beispiel.example",
            "homepage": "",
        },
    )
    assert response.status_code == 302
    assert "Danke für Ihre Meldung" in client.get(f"/betrieb/{bakery.slug}").get_data(as_text=True)
    report = db.session.scalar(select(Report).where(Report.business_id == bakery.id))
    assert report.status == "open" and report.reporter_email == "hinweis@beispiel.example"

    moderator = login_as(app, moderator_account)
    queue = moderator.get("/moderation").get_data(as_text=True)
    assert f"/moderation/meldung/{report.id}" in queue
    detail_url = f"/moderation/meldung/{report.id}"
    detail = moderator.get(detail_url).get_data(as_text=True)
    assert "Der Laden ist seit Oktober zu." in detail and "hinweis@beispiel.example" in detail

    refused = post_form(moderator, detail_url, {"outcome": "unpublish", "note": "kurz"})
    assert refused.status_code == 422 and "mindestens 10 Zeichen" in refused.get_data(as_text=True)
    db.session.refresh(bakery)
    assert bakery.status == "published"

    note = "Telefonisch bestätigt: Betrieb geschlossen."
    response = post_form(moderator, detail_url, {"outcome": "unpublish", "note": note})
    assert response.status_code == 302
    db.session.refresh(report)
    business = bakery
    db.session.refresh(business)
    assert report.status == "resolved" and report.resolution_note == note
    assert business.status == "archived" and business.status_reason == note
    assert client.get(f"/betrieb/{bakery.slug}").status_code == 404
    assert note in SMTPRecorder.body(smtp_server.last_to(owner_account.email))

    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.business_id == business.id)
    ).all()
    assert sorted(actions) == ["business.unpublished", "report.resolved"]
    log = moderator.get("/moderation/protokoll?aktion=report.resolved").get_data(as_text=True)
    assert "Meldung erledigt" in log and note in log


def test_report_dismissed(app, auth, bakery, report_url, moderator_account):
    client = auth.client
    post_form(client, report_url, {"reason": "sonstiges", "message": "Nur ein Test"})
    report = db.session.scalar(select(Report).where(Report.business_id == bakery.id))
    auth.login(moderator_account)
    url = f"/moderation/meldung/{report.id}"
    response = post_form(
        client, url, {"outcome": "dismissed", "note": "Keine Beanstandung gefunden."}
    )
    assert response.status_code == 302
    db.session.refresh(report)
    db.session.refresh(bakery)
    assert report.status == "dismissed" and bakery.status == "published"
    again = client.get(url)
    assert "Meldung abschließen" not in again.get_data(as_text=True)  # closed: no form


def test_report_needs_a_reason_and_honeypot_stores_nothing(client, report_url):
    response = post_form(client, report_url, {"reason": "", "message": "x"})
    assert response.status_code == 200
    assert "Bitte wählen Sie einen Grund." in response.get_data(as_text=True)
    response = post_form(client, report_url, {"reason": "sonstiges", "homepage": "http://spam"})
    assert response.status_code == 302  # looks accepted …
    assert db.session.scalar(select(Report)) is None  # … but nothing is stored


def test_reports_are_rate_limited(client, report_url):
    statuses = [
        post_form(client, report_url, {"reason": "sonstiges", "message": f"Nr. {i}"}).status_code
        for i in range(6)
    ]
    assert statuses == [302] * 5 + [429]


def test_unpublished_business_cannot_be_reported(client, draft_entry):
    draft = draft_entry
    assert client.get(f"/betrieb/{draft.slug}/melden").status_code == 404


def test_moderator_takes_a_published_entry_offline(
    app, auth, smtp_server, bakery, owner_account, moderator_account
):
    business = bakery
    auth.login(moderator_account)
    url = f"/moderation/betrieb/{business.id}"
    response = post_form(auth.client, url, {"reason": "zu kurz"}, post_url=f"{url}/zuruecknehmen")
    assert response.status_code == 422
    reason = "Mehrere Beschwerden über falsche Preise; bitte korrigieren."
    response = post_form(auth.client, url, {"reason": reason}, post_url=f"{url}/zuruecknehmen")
    assert response.status_code == 302
    db.session.refresh(business)
    assert business.status == "archived" and business.status_reason == reason
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.business_id == business.id))
    assert event.action == "business.unpublished" and event.reason == reason
    assert "nicht mehr öffentlich" in smtp_server.last_to(owner_account.email)["Subject"]


def test_report_resolved_by_correcting_the_entry(
    app, auth, smtp_server, bakery, report_url, owner_account, moderator_account
):
    """The "edit" outcome: the moderator corrects the phone number; it is public at once,
    the owner's open form notices, the owners get an e-mail, the log keeps old and new."""
    client = auth.client
    post_form(client, report_url, {"reason": "falsche-angaben", "message": "Telefon falsch"})
    business = bakery
    old_phone, old_version = business.phone, business.version
    report = db.session.scalar(select(Report).where(Report.business_id == business.id))
    auth.login(moderator_account)
    url = f"/moderation/meldung/{report.id}"
    page = client.get(url).get_data(as_text=True)
    assert 'name="korrektur-phone"' in page and f'value="{old_phone}"' in page
    data = {k: v for k, v in browser_form(page).items() if k.startswith("korrektur-")}
    data["korrektur-phone"] = "02041 7654321"

    data["korrektur-note"] = "kurz"
    refused = client.post(f"{url}/korrigieren", data=data)
    assert refused.status_code == 422
    assert "mindestens 10 Zeichen" in refused.get_data(as_text=True)
    assert 'value="02041 7654321"' in refused.get_data(as_text=True)  # typed value kept
    db.session.refresh(business)
    assert business.phone == old_phone

    data["korrektur-postcode"] = "12345"
    data["korrektur-note"] = "Nummer laut Aushang im Laden korrigiert."
    refused = client.post(f"{url}/korrigieren", data=data)
    assert refused.status_code == 422 and "Bottroper Postleitzahl" in refused.get_data(as_text=True)

    data["korrektur-postcode"] = business.postcode
    response = client.post(f"{url}/korrigieren", data=data)
    assert response.status_code == 302
    db.session.refresh(business)
    db.session.refresh(report)
    assert business.phone == "02041 7654321" and business.version == old_version + 1
    assert report.status == "resolved"
    assert "02041 7654321" in app.test_client().get(f"/betrieb/{bakery.slug}").get_data(
        as_text=True
    )
    mail = SMTPRecorder.body(smtp_server.last_to(owner_account.email))
    assert f"Telefon: {old_phone} → 02041 7654321" in mail
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "business.corrected"))
    assert event.details["changes"] == {"phone": [old_phone, "02041 7654321"]}
    assert event.reason == "Nummer laut Aushang im Laden korrigiert."
    log = client.get("/moderation/protokoll?aktion=business.corrected").get_data(as_text=True)
    assert "Eintrag von der Moderation korrigiert" in log


def test_correction_without_change_is_refused(app, auth, bakery, report_url, moderator_account):
    client = auth.client
    post_form(client, report_url, {"reason": "sonstiges", "message": "Bitte prüfen"})
    report = db.session.scalar(select(Report).where(Report.business_id == bakery.id))
    auth.login(moderator_account)
    url = f"/moderation/meldung/{report.id}"
    page = client.get(url).get_data(as_text=True)
    data = {k: v for k, v in browser_form(page).items() if k.startswith("korrektur-")}
    data["korrektur-note"] = "Alles geprüft, nichts zu ändern."
    response = client.post(f"{url}/korrigieren", data=data)
    assert response.status_code == 422
    assert "Sie haben nichts geändert" in response.get_data(as_text=True)
    db.session.refresh(report)
    assert report.status == "open"
