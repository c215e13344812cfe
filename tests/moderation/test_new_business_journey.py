"""Journeys 2 and 3 (first part): an owner registers a business, it stays private until a
moderator approves it; a rejection needs a reason; every decision is in the audit log and
the owners are e-mailed."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from hallobot.directory.models import Business, Category, District
from hallobot.extensions import db
from hallobot.models_base import utcnow
from hallobot.moderation.models import AuditEvent
from tests.conftest import SMTPRecorder, hidden_value, post_form
from tests.factories import PASSWORD


def _waiting(factories, name: str, days: int, **kwargs) -> Business:
    """An entry submitted for review ``days`` ago."""
    return factories.business(
        name=name, status="pending", submitted_at=utcnow() - timedelta(days=days), **kwargs
    )


def _form_data(**overrides):
    category = db.session.scalar(select(Category).where(Category.slug == "baeckereien"))
    district = db.session.scalar(select(District).where(District.slug == "boy"))
    data = {
        "name": "Backstube am Boyer Markt",
        "category_id": str(category.id),
        "district_id": str(district.id),
        "short_description": "Frische Brötchen und Kuchen aus der eigenen Backstube in Boy.",
        "description": "Seit 1998 backen wir jeden Morgen frisch.",
        "street": "Boyer Markt",
        "house_number": "3",
        "postcode": "46240",
        "phone": "02041 555123",
        "email": "info@backstube-boy.example",
        "website": "https://backstube-boy.example",
    }
    data.update(overrides)
    return data


def _login(client, email, password):
    response = post_form(client, "/konto/anmelden", {"email": email, "password": password})
    assert response.status_code == 302


def test_owner_creates_submits_and_moderator_approves(
    app, factories, smtp_server, moderator_account
):
    factories.user(email="neue.inhaberin@beispiel.example", password=PASSWORD)
    _waiting(factories, "Friseursalon Haarmonie", days=3)
    db.session.commit()
    owner = app.test_client()
    _login(owner, "neue.inhaberin@beispiel.example", PASSWORD)

    response = post_form(owner, "/mein-betrieb/neu", _form_data())
    assert response.status_code == 302 and response.headers["Location"] == "/mein-betrieb"
    business = db.session.scalar(
        select(Business).where(Business.name == "Backstube am Boyer Markt")
    )
    assert business.status == "draft" and business.slug == "backstube-am-boyer-markt"
    assert business.owners[0].email == "neue.inhaberin@beispiel.example"
    assert business.owners[0].role == "owner"
    dashboard = owner.get("/mein-betrieb").get_data(as_text=True)
    assert "Entwurf" in dashboard and "Zur Prüfung einreichen" in dashboard

    anonymous = app.test_client()
    assert anonymous.get(f"/betrieb/{business.slug}").status_code == 404

    response = post_form(
        owner, "/mein-betrieb", {}, post_url=f"/mein-betrieb/{business.slug}/einreichen"
    )
    assert response.status_code == 302
    db.session.refresh(business)
    assert business.status == "pending" and business.submitted_at is not None
    assert anonymous.get(f"/betrieb/{business.slug}").status_code == 404
    assert "in Prüfung" in owner.get("/mein-betrieb").get_data(as_text=True)

    moderator = app.test_client()
    _login(moderator, moderator_account.email, PASSWORD)
    queue = moderator.get("/moderation").get_data(as_text=True)
    assert "<title>Moderation · hallobot</title>" in queue
    assert len(re.findall(r"<h1[\s>]", queue)) == 1
    assert "Backstube am Boyer Markt" in queue
    names = re.findall(r'<a href="/moderation/betrieb/\d+">([^<]+)</a>', queue)
    assert names[-1] == "Backstube am Boyer Markt"  # oldest first: the new one comes last
    review = moderator.get(f"/moderation/betrieb/{business.id}").get_data(as_text=True)
    assert "Seit 1998 backen wir" in review and "Freigeben" in review

    response = post_form(
        moderator,
        f"/moderation/betrieb/{business.id}",
        {"version": hidden_value(review, "version")},
        post_url=f"/moderation/betrieb/{business.id}/freigeben",
    )
    assert response.status_code == 302
    db.session.refresh(business)
    assert business.status == "published" and business.published_at is not None
    page = anonymous.get(f"/betrieb/{business.slug}")
    assert page.status_code == 200
    assert "Backstube am Boyer Markt" in anonymous.get("/stadtteil/boy").get_data(as_text=True)
    assert "Backstube" in anonymous.get("/suche?q=backstube").get_data(as_text=True)

    mail = smtp_server.last_to("neue.inhaberin@beispiel.example")
    assert "ist freigegeben" in mail["Subject"]
    assert "/mein-betrieb" in SMTPRecorder.body(mail)

    event = db.session.scalar(select(AuditEvent).where(AuditEvent.business_id == business.id))
    assert event.action == "business.approved" and event.actor.email == moderator_account.email
    log = moderator.get(f"/moderation/protokoll?betrieb={business.id}").get_data(as_text=True)
    assert "Betrieb freigegeben" in log and "Team Moderation" in log


def test_rejection_needs_a_reason_and_reaches_the_owner(
    app, auth, smtp_server, factories, owner_account, moderator_account
):
    pending = _waiting(factories, "Friseursalon Haarmonie", days=2, owners=[owner_account])
    db.session.commit()
    assert pending.status == "pending"
    auth.login(moderator_account)
    client = auth.client
    url = f"/moderation/betrieb/{pending.id}"
    response = post_form(client, url, {"reason": "zu kurz"}, post_url=f"{url}/ablehnen")
    assert response.status_code == 422
    assert "mindestens 10 Zeichen" in response.get_data(as_text=True)
    db.session.refresh(pending)
    assert pending.status == "pending"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.business_id == pending.id)) is None

    reason = "Bitte ergänzen Sie die Öffnungszeiten und eine Telefonnummer."
    response = post_form(client, url, {"reason": reason}, post_url=f"{url}/ablehnen")
    assert response.status_code == 302
    db.session.refresh(pending)
    assert pending.status == "rejected" and pending.status_reason == reason
    mail = smtp_server.last_to(owner_account.email)
    assert reason in SMTPRecorder.body(mail)

    auth.logout()
    auth.login(owner_account)  # the owner sees the reason and may submit again
    dashboard = client.get("/mein-betrieb").get_data(as_text=True)
    assert "abgelehnt" in dashboard and reason in dashboard
    response = post_form(
        client, "/mein-betrieb", {}, post_url=f"/mein-betrieb/{pending.slug}/einreichen"
    )
    db.session.refresh(pending)
    assert pending.status == "pending"


def test_a_decision_on_a_published_business_is_refused(app, auth, bakery, moderator_account):
    published = bakery
    auth.login(moderator_account)
    url = f"/moderation/betrieb/{published.id}"
    # the review page offers no decision for it; a forged POST is refused
    assert "Freigeben" not in auth.client.get(url).get_data(as_text=True)
    response = post_form(
        auth.client, "/konto", {}, post_url=f"{url}/freigeben", follow_redirects=True
    )
    assert "wartet nicht" in response.get_data(as_text=True)
    assert (
        db.session.scalar(select(AuditEvent).where(AuditEvent.business_id == published.id)) is None
    )


def test_new_business_form_errors_keep_the_input(app, auth, factories):
    factories.user(email="tippfehler@beispiel.example", password=PASSWORD)
    db.session.commit()
    auth.login("tippfehler@beispiel.example", PASSWORD)
    data = _form_data(postcode="45127", website="javascript:alert(1)", category_id="")
    response = post_form(auth.client, "/mein-betrieb/neu", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Bottroper Postleitzahl" in html
    assert "https:// oder http://" in html
    assert "Bitte wählen Sie eine Kategorie." in html
    assert 'value="Backstube am Boyer Markt"' in html  # nothing the user typed is lost
    assert (
        db.session.scalar(select(Business).where(Business.name == "Backstube am Boyer Markt"))
        is None
    )


def test_unconfirmed_user_cannot_create(app, auth, factories):
    factories.user(email="unbestaetigt2@beispiel.example", password=PASSWORD, confirmed=False)
    db.session.commit()
    auth.login("unbestaetigt2@beispiel.example", PASSWORD)
    response = post_form(auth.client, "/mein-betrieb/neu", _form_data(name="Nicht Erlaubt"))
    assert "bestätigen Sie zuerst" in response.get_data(as_text=True)
    assert db.session.scalar(select(Business).where(Business.name == "Nicht Erlaubt")) is None


def test_moderation_count_in_navigation(app, auth, factories, moderator_account):
    _waiting(factories, "Friseursalon Haarmonie", days=9)
    _waiting(factories, "Kneipe Zur Zechenlampe", days=4)
    db.session.commit()
    auth.login(moderator_account)
    html = auth.client.get("/").get_data(as_text=True)
    assert re.search(r'href="/moderation">Moderation <span class="chip-count"[^>]*>2</span>', html)
