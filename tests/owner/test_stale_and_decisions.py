"""Nobody's work is overwritten unseen: forms opened before a save in between are refused
(also across a rejected proposal), the photo list never drops photos it did not show, and
moderators only decide on what they saw."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from hallobot.extensions import db
from hallobot.models_base import utcnow
from hallobot.moderation.models import Report, Revision
from tests.conftest import browser_form, csrf_from, hidden_value, login_as, post_form
from tests.images import make_image_bytes


@pytest.fixture
def edit_url(bakery) -> str:
    return f"/mein-betrieb/{bakery.slug}/bearbeiten"


def _open_revision(business) -> Revision | None:
    return db.session.scalar(
        select(Revision).where(Revision.business_id == business.id, Revision.status == "open")
    )


def _decide(client, revision, action, reason="", seen=None):
    page = client.get(f"/moderation/aenderung/{revision.id}").get_data(as_text=True)
    endpoint = {"approve": "freigeben", "reject": "ablehnen"}[action]
    return client.post(
        f"/moderation/aenderung/{revision.id}/{endpoint}",
        data={
            "csrf_token": csrf_from(page),
            "reason": reason,
            "seen": seen if seen is not None else hidden_value(page, "seen"),
        },
    )


def test_a_form_from_before_a_rejected_proposal_is_still_stale(
    app, owner_account, bakery, edit_url, moderator_account
):
    edit = edit_url
    owner = login_as(app, owner_account)
    first = browser_form(owner.get(edit).get_data(as_text=True))
    assert owner.post(edit, data={**first, "phone": "02041 111111"}).status_code == 302
    old_tab = browser_form(owner.get(edit).get_data(as_text=True))  # opened at proposal 1
    moderator = login_as(app, moderator_account)
    revision = _open_revision(bakery)
    assert (
        _decide(moderator, revision, "reject", "Die Nummer ist nicht erreichbar.").status_code
        == 302
    )

    new_tab = browser_form(owner.get(edit).get_data(as_text=True))
    assert owner.post(edit, data={**new_tab, "phone": "02041 222222"}).status_code == 302
    response = owner.post(edit, data={**old_tab, "description": "Alter Tab"})
    assert response.status_code == 409
    assert _open_revision(bakery).changes == {"phone": "02041 222222"}


def _photo_page(client, slug):
    return client.get(f"/mein-betrieb/{slug}/fotos").get_data(as_text=True)


def _upload(client, slug, alt, marker):
    page = _photo_page(client, slug)
    return client.post(
        f"/mein-betrieb/{slug}/fotos/hochladen",
        data={
            "csrf_token": csrf_from(page),
            "marker": marker,
            "kind": "gallery",
            "alt_text": alt,
            "photo": (io.BytesIO(make_image_bytes("JPEG", (400, 300))), "foto.jpg"),
        },
        content_type="multipart/form-data",
    )


def test_the_photo_list_never_drops_a_photo_it_did_not_show(app, owner_account, draft_entry):
    draft = draft_entry
    owner = login_as(app, owner_account)
    page = _photo_page(owner, draft.slug)
    assert (
        _upload(owner, draft.slug, "Erstes Foto", hidden_value(page, "marker")).status_code == 302
    )
    tab_a = browser_form(_photo_page(owner, draft.slug))  # shows one photo
    tab_b = _photo_page(owner, draft.slug)
    assert (
        _upload(owner, draft.slug, "Zweites Foto", hidden_value(tab_b, "marker")).status_code == 302
    )

    tab_a.pop("q", None)
    tab_a["p0_alt"] = "Erstes Foto, neu beschrieben"
    refused = owner.post(f"/mein-betrieb/{draft.slug}/fotos", data=tab_a)
    assert refused.status_code == 409
    again = browser_form(refused.get_data(as_text=True))  # the owner saves the page again
    assert again["p0_alt"] == "Erstes Foto, neu beschrieben"  # what was typed is kept
    assert owner.post(f"/mein-betrieb/{draft.slug}/fotos", data=again).status_code == 302
    db.session.refresh(draft)
    assert [p.alt_text for p in draft.photos] == ["Erstes Foto, neu beschrieben", "Zweites Foto"]


def test_a_proposal_changed_while_the_moderator_looked_is_not_decided(
    app, owner_account, bakery, edit_url, moderator_account
):
    edit = edit_url
    owner = login_as(app, owner_account)
    form = browser_form(owner.get(edit).get_data(as_text=True))
    assert owner.post(edit, data={**form, "phone": "02041 333333"}).status_code == 302
    revision = _open_revision(bakery)
    moderator = login_as(app, moderator_account)
    seen = hidden_value(
        moderator.get(f"/moderation/aenderung/{revision.id}").get_data(as_text=True), "seen"
    )

    form = browser_form(owner.get(edit).get_data(as_text=True))
    assert owner.post(edit, data={**form, "website": "https://unseen.example"}).status_code == 302

    response = _decide(moderator, revision, "approve", seen=seen)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "während Sie ihn angesehen haben" in page
    assert "https://unseen.example" in page  # the page now shows what would be approved
    business = bakery
    db.session.refresh(business)
    assert business.website != "https://unseen.example"
    assert _open_revision(business).id == revision.id

    assert _decide(moderator, revision, "approve").status_code == 302  # after a fresh look
    db.session.refresh(business)
    assert business.website == "https://unseen.example"


def test_an_entry_changed_during_review_is_not_published(
    app, factories, owner_account, moderator_account
):
    pending = factories.business(
        name="Friseursalon Haarmonie",
        category="friseure",
        status="pending",
        owners=[owner_account],
        submitted_at=utcnow() - timedelta(days=2),
    )
    db.session.commit()
    moderator = login_as(app, moderator_account)
    review = moderator.get(f"/moderation/betrieb/{pending.id}").get_data(as_text=True)
    owner = login_as(app, owner_account)
    url = f"/mein-betrieb/{pending.slug}/bearbeiten"
    form = browser_form(owner.get(url).get_data(as_text=True))
    assert (
        owner.post(url, data={**form, "short_description": "Jetzt mit Barbier"}).status_code == 302
    )

    response = moderator.post(
        f"/moderation/betrieb/{pending.id}/freigeben",
        data={"csrf_token": csrf_from(review), "version": hidden_value(review, "version")},
        follow_redirects=True,
    )
    assert "während Sie ihn geprüft haben" in response.get_data(as_text=True)
    db.session.refresh(pending)
    assert pending.status == "pending"
    review = moderator.get(f"/moderation/betrieb/{pending.id}").get_data(as_text=True)
    assert "Jetzt mit Barbier" in review
    approved = moderator.post(
        f"/moderation/betrieb/{pending.id}/freigeben",
        data={"csrf_token": csrf_from(review), "version": hidden_value(review, "version")},
    )
    assert approved.status_code == 302
    db.session.refresh(pending)
    assert pending.status == "published"


def test_a_correction_from_before_an_approval_is_refused(
    app, client, owner_account, bakery, edit_url, moderator_account
):
    edit = edit_url
    post_form(
        client, f"/betrieb/{bakery.slug}/melden", {"reason": "sonstiges", "message": "Telefon?"}
    )
    report = db.session.scalar(select(Report).where(Report.business_id == bakery.id))
    moderator = login_as(app, moderator_account)
    report_page = moderator.get(f"/moderation/meldung/{report.id}").get_data(as_text=True)

    owner = login_as(app, owner_account)
    form = browser_form(owner.get(edit).get_data(as_text=True))
    assert owner.post(edit, data={**form, "phone": "02041 444444"}).status_code == 302
    assert _decide(moderator, _open_revision(bakery), "approve").status_code == 302

    data = {k: v for k, v in browser_form(report_page).items() if k.startswith("korrektur-")}
    data["korrektur-website"] = "https://korrigiert.example"
    data["korrektur-note"] = "Website laut Aushang korrigiert."
    response = moderator.post(f"/moderation/meldung/{report.id}/korrigieren", data=data)
    assert response.status_code == 409
    assert 'value="02041 444444"' in response.get_data(as_text=True)  # fresh values shown
    business = bakery
    db.session.refresh(business)
    assert business.phone == "02041 444444"  # the approved value was not undone
    assert business.website != "https://korrigiert.example"


def test_a_refused_row_gets_its_message_beside_it(app, owner_account, draft_entry):
    draft = draft_entry
    owner = login_as(app, owner_account)
    url = f"/mein-betrieb/{draft.slug}/leistungen"
    data = browser_form(owner.get(url).get_data(as_text=True))
    data["s1_price"] = "vier Euro"
    response = owner.post(url, data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    rows = re.findall(r"<tr[ >].*?</tr>", page.split("<tbody>")[1], re.S)
    assert 'class="row-invalid"' in rows[1] and 'value="vier Euro"' in rows[1]
    assert 'id="row-error"' in rows[2] and "Zeile 2: Preis bitte wie 4,20" in rows[2]

    hours = f"/mein-betrieb/{draft.slug}/oeffnungszeiten"
    data = browser_form(owner.get(hours).get_data(as_text=True))
    data["d2_0_von"], data["d2_0_bis"] = "10:00", ""
    page = owner.post(hours, data=data).get_data(as_text=True)
    assert re.search(r'class="row-invalid"[^>]*>\s*<th scope="row">Mittwoch', page)
    assert "Mittwoch: Bitte Beginn und Ende angeben." in page.split('id="row-error"')[1][:200]


def test_dashboard_offers_resubmission_and_shows_a_rejected_change(
    app, owner_account, bakery, edit_url, moderator_account
):
    edit = edit_url
    business = bakery
    owner = login_as(app, owner_account)
    form = browser_form(owner.get(edit).get_data(as_text=True))
    owner.post(edit, data={**form, "phone": "02041 555555"})
    moderator = login_as(app, moderator_account)
    _decide(moderator, _open_revision(business), "reject", "Bitte die Festnetznummer angeben.")
    dashboard = owner.get("/mein-betrieb").get_data(as_text=True)
    assert "wurden nicht freigegeben" in dashboard and "Bitte die Festnetznummer" in dashboard

    page = moderator.get(f"/moderation/betrieb/{business.id}").get_data(as_text=True)
    moderator.post(
        f"/moderation/betrieb/{business.id}/zuruecknehmen",
        data={"csrf_token": csrf_from(page), "reason": "Betrieb ist umgezogen, Adresse prüfen."},
    )
    dashboard = owner.get("/mein-betrieb").get_data(as_text=True)
    assert "Erneut zur Prüfung einreichen" in dashboard
    response = post_form(
        owner, "/mein-betrieb", {}, post_url=f"/mein-betrieb/{business.slug}/einreichen"
    )
    assert response.status_code == 302
    db.session.refresh(business)
    assert business.status == "pending"


def test_the_queue_is_one_list_oldest_first_with_filters(
    app, client, factories, bakery, moderator_account
):
    for days, name in ((9, "Friseursalon Haarmonie"), (5, "Kneipe Zur Zechenlampe")):
        factories.business(
            name=name, status="pending", submitted_at=utcnow() - timedelta(days=days)
        )
    db.session.commit()
    post_form(
        client, f"/betrieb/{bakery.slug}/melden", {"reason": "sonstiges", "message": "Prüfen"}
    )
    moderator = login_as(app, moderator_account)
    page = moderator.get("/moderation").get_data(as_text=True)
    assert page.count("<table") == 1
    kinds = re.findall(r'<tr class="queue-(\w+)">', page)
    assert kinds[:2] == ["business", "business"]  # the submitted entries have waited longest
    assert kinds[-1] == "report"  # the report just came in
    stamps = re.findall(r'<tr class="queue-\w+">\s*<td>([^<]+)</td>', page)
    assert len(stamps) == len(kinds)
    only_reports = moderator.get("/moderation?art=report").get_data(as_text=True)
    assert set(re.findall(r'<tr class="queue-(\w+)">', only_reports)) == {"report"}
    assert 'aria-current="page">Meldung' in only_reports


def test_the_dashboard_shows_a_rejection_until_a_later_proposal(
    app, factories, owner_account, bakery, edit_url, moderator_account
):
    other_owner = factories.owner(email="nebenan@beispiel.example")
    other = factories.bakery(other_owner, name="Bäckerei Nebenan")
    db.session.commit()
    moderator = login_as(app, moderator_account)
    neighbour = login_as(app, "nebenan@beispiel.example")
    other_edit = f"/mein-betrieb/{other.slug}/bearbeiten"
    form = browser_form(neighbour.get(other_edit).get_data(as_text=True))
    neighbour.post(other_edit, data={**form, "phone": "02041 666666"})
    _decide(moderator, _open_revision(other), "reject", "Nebenan bitte die Nummer prüfen.")

    owner = login_as(app, owner_account)
    form = browser_form(owner.get(edit_url).get_data(as_text=True))
    owner.post(edit_url, data={**form, "phone": "02041 555555"})
    _decide(moderator, _open_revision(bakery), "reject", "Bitte die Festnetznummer angeben.")
    dashboard = owner.get("/mein-betrieb").get_data(as_text=True)
    assert "Bitte die Festnetznummer" in dashboard
    assert "Nebenan bitte" not in dashboard  # another owner's entry

    form = browser_form(owner.get(edit_url).get_data(as_text=True))
    owner.post(edit_url, data={**form, "phone": "02041 777777"})
    dashboard = owner.get("/mein-betrieb").get_data(as_text=True)
    assert "Änderungen warten auf Freigabe" in dashboard
    assert "Bitte die Festnetznummer" not in dashboard  # while the next proposal waits
    assert _decide(moderator, _open_revision(bakery), "approve").status_code == 302
    assert "Bitte die Festnetznummer" not in owner.get("/mein-betrieb").get_data(as_text=True)
    assert "Nebenan bitte" in neighbour.get("/mein-betrieb").get_data(as_text=True)
