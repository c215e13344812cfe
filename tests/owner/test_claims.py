"""Claiming an unclaimed business: request with a message, a moderator decides, the
claimant becomes an owner; every decision is logged and e-mailed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hallobot.extensions import db
from hallobot.moderation.models import AuditEvent, Claim
from tests.conftest import SMTPRecorder, login_as, post_form

MESSAGE = "Ich bin seit 2019 Inhaberin, Gewerbeschein liegt vor."


@pytest.fixture
def unowned(factories):
    """A published entry nobody has claimed yet."""
    business = factories.business(name="Getränke Kleinespel", category="getraenke")
    db.session.commit()
    return business


def test_claim_approved_makes_the_claimant_an_owner(
    app, smtp_server, factories, unowned, shopper_account, moderator_account
):
    business = unowned
    rival = factories.user(email="rivale@beispiel.example", password="gutes-passwort-123")
    db.session.add(Claim(business=business, user=rival, message="Ich bin auch zuständig, ehrlich."))
    db.session.commit()

    anonymous = app.test_client()
    assert "Eintrag übernehmen" in anonymous.get(f"/betrieb/{business.slug}").get_data(as_text=True)
    shopper = login_as(app, shopper_account)
    url = f"/mein-betrieb/uebernehmen/{business.slug}"
    short = post_form(shopper, url, {"message": "Das bin ich."})
    assert short.status_code == 422 and "mindestens 20 Zeichen" in short.get_data(as_text=True)
    assert post_form(shopper, url, {"message": MESSAGE}).status_code == 302
    twice = post_form(shopper, url, {"message": MESSAGE}, follow_redirects=True)
    assert "bereits geprüft" in twice.get_data(as_text=True)
    assert "wird geprüft" in shopper.get("/mein-betrieb").get_data(as_text=True)

    claim = db.session.scalar(select(Claim).where(Claim.message == MESSAGE))
    moderator = login_as(app, moderator_account)
    assert f"/moderation/antrag/{claim.id}" in moderator.get("/moderation").get_data(as_text=True)
    detail = f"/moderation/antrag/{claim.id}"
    assert MESSAGE in moderator.get(detail).get_data(as_text=True)
    approve = post_form(moderator, detail, {}, post_url=f"{detail}/bestaetigen")
    assert approve.status_code == 302

    db.session.refresh(business)
    kundin = shopper_account
    db.session.refresh(kundin)
    assert [o.email for o in business.owners] == [kundin.email]
    assert kundin.role == "owner"
    rival_claim = db.session.scalar(select(Claim).where(Claim.user_id == rival.id))
    assert rival_claim.status == "rejected"
    assert "Inhaber/in" in smtp_server.last_to(kundin.email)["Subject"]
    assert "anderer Antrag" in SMTPRecorder.body(smtp_server.last_to("rivale@beispiel.example"))
    actions = sorted(
        db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.business_id == business.id)
        ).all()
    )
    assert actions == ["claim.approved", "claim.rejected"]
    assert business.name in shopper.get("/mein-betrieb").get_data(as_text=True)
    assert "Eintrag übernehmen" not in anonymous.get(f"/betrieb/{business.slug}").get_data(
        as_text=True
    )
    assert shopper.get(f"/mein-betrieb/uebernehmen/{business.slug}").status_code == 404


def test_claim_rejected_needs_a_reason(
    app, smtp_server, unowned, shopper_account, moderator_account
):
    business = unowned
    shopper = login_as(app, shopper_account)
    post_form(shopper, f"/mein-betrieb/uebernehmen/{business.slug}", {"message": MESSAGE})
    claim = db.session.scalar(select(Claim).where(Claim.message == MESSAGE))
    moderator = login_as(app, moderator_account)
    detail = f"/moderation/antrag/{claim.id}"
    reject = f"{detail}/ablehnen"
    response = post_form(moderator, detail, {"reason": "nein"}, post_url=reject)
    assert response.status_code == 422
    reason = "Die Telefonnummer im Eintrag gehört jemand anderem."
    assert post_form(moderator, detail, {"reason": reason}, post_url=reject).status_code == 302
    db.session.refresh(claim)
    db.session.refresh(business)
    assert claim.status == "rejected" and not business.owners
    assert reason in SMTPRecorder.body(smtp_server.last_to(shopper_account.email))
    assert reason in shopper.get("/mein-betrieb").get_data(as_text=True)


def test_owned_or_unpublished_businesses_cannot_be_claimed(app, shopper_account, bakery, factories):
    draft = factories.business(name="Unfertiger Laden", status="draft")
    db.session.commit()
    shopper = login_as(app, shopper_account)
    assert shopper.get(f"/mein-betrieb/uebernehmen/{bakery.slug}").status_code == 404
    assert shopper.get(f"/mein-betrieb/uebernehmen/{draft.slug}").status_code == 404
