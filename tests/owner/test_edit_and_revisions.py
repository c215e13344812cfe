"""Journey 3: the owner edits a published entry; the public page keeps the approved text
until a moderator approves the change, shown field by field. Stale forms never overwrite."""

from __future__ import annotations

from sqlalchemy import select

from hallobot.extensions import db
from hallobot.moderation.models import AuditEvent, Revision
from tests.conftest import SMTPRecorder, browser_form, csrf_from, hidden_value, login_as


def _form_fields(html: str) -> dict:
    """The edit form as a browser would submit it."""
    return browser_form(html)


def test_published_edit_waits_for_approval(
    app, smtp_server, owner_account, bakery, moderator_account
):
    business = bakery
    old_description = business.description
    owner = login_as(app, owner_account)
    url = f"/mein-betrieb/{business.slug}/bearbeiten"
    form = _form_fields(owner.get(url).get_data(as_text=True))
    assert form["name"] == "Bäckerei Kruse" and form["postcode"] == business.postcode
    form["description"] = "Neu: jetzt auch mit Vollkorn-Croissants."
    form["phone"] = "02041 7654000"
    response = owner.post(url, data=form)
    assert response.status_code == 302
    public = app.test_client().get(f"/betrieb/{business.slug}").get_data(as_text=True)
    assert "Vollkorn-Croissants" not in public
    assert old_description.split("\n")[0][:40] in public.replace("&#39;", "'")
    revision = db.session.scalar(select(Revision).where(Revision.business_id == business.id))
    assert revision.status == "open"
    assert set(revision.changes) == {"description", "phone"}
    assert "Änderungen warten auf Freigabe" in owner.get("/mein-betrieb").get_data(as_text=True)
    # the form now shows the proposal; saving again updates the same revision
    form = _form_fields(owner.get(url).get_data(as_text=True))
    assert form["description"] == "Neu: jetzt auch mit Vollkorn-Croissants."
    form["short_description"] = "Handwerksbäckerei mit Sauerteig, sonntags geöffnet."
    assert owner.post(url, data=form).status_code == 302
    assert db.session.scalar(select(db.func.count(Revision.id))) == 1

    moderator = login_as(app, moderator_account)
    queue = moderator.get("/moderation").get_data(as_text=True)
    assert f"/moderation/aenderung/{revision.id}" in queue
    detail = moderator.get(f"/moderation/aenderung/{revision.id}").get_data(as_text=True)
    assert "<del>02041 7902661</del>" in detail and "<ins>02041 7654000</ins>" in detail
    assert "Vollkorn-Croissants" in detail
    token = csrf_from(detail)
    response = moderator.post(
        f"/moderation/aenderung/{revision.id}/freigeben",
        data={"csrf_token": token, "seen": hidden_value(detail, "seen")},
    )
    assert response.status_code == 302
    public = app.test_client().get(f"/betrieb/{business.slug}").get_data(as_text=True)
    assert "Vollkorn-Croissants" in public and "02041 7654000" in public
    db.session.refresh(revision)
    assert revision.status == "approved"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "revision.approved"))
    assert sorted(event.details["fields"]) == ["description", "phone", "short_description"]
    assert "sind online" in smtp_server.last_to(owner_account.email)["Subject"]


def test_rejected_revision_keeps_public_data(
    app, smtp_server, owner_account, bakery, moderator_account
):
    owner = login_as(app, owner_account)
    url = f"/mein-betrieb/{bakery.slug}/bearbeiten"
    form = _form_fields(owner.get(url).get_data(as_text=True))
    form["website"] = "https://anderswo.example"
    owner.post(url, data=form)
    revision = db.session.scalar(select(Revision))
    moderator = login_as(app, moderator_account)
    page = moderator.get(f"/moderation/aenderung/{revision.id}").get_data(as_text=True)
    reason = "Die neue Website gehört nicht zum Betrieb."
    response = moderator.post(
        f"/moderation/aenderung/{revision.id}/ablehnen",
        data={
            "csrf_token": csrf_from(page),
            "reason": reason,
            "seen": hidden_value(page, "seen"),
        },
    )
    assert response.status_code == 302
    assert "anderswo.example" not in app.test_client().get(f"/betrieb/{bakery.slug}").get_data(
        as_text=True
    )
    assert reason in SMTPRecorder.body(smtp_server.last_to(owner_account.email))


def test_stale_form_is_refused_and_keeps_the_input(app, owner_account, bakery):
    url = f"/mein-betrieb/{bakery.slug}/bearbeiten"
    tab_one, tab_two = login_as(app, owner_account), login_as(app, owner_account)
    first = _form_fields(tab_one.get(url).get_data(as_text=True))
    second = _form_fields(tab_two.get(url).get_data(as_text=True))
    first["description"] = "Version aus dem ersten Tab."
    assert tab_one.post(url, data=first).status_code == 302
    second["description"] = "Version aus dem zweiten Tab, lang überlegt."
    response = tab_two.post(url, data=second)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "inzwischen geändert" in html
    assert "Version aus dem zweiten Tab, lang überlegt." in html  # nothing typed is lost
    revision = db.session.scalar(select(Revision))
    assert revision.changes["description"] == "Version aus dem ersten Tab."
    # saving the refreshed form (it now carries the new marker) works
    again = _form_fields(html)
    assert tab_two.post(url, data=again).status_code == 302
    db.session.refresh(revision)
    assert revision.changes["description"] == "Version aus dem zweiten Tab, lang überlegt."


def test_draft_edits_apply_directly(app, owner_account, draft_entry):
    draft = draft_entry
    owner = login_as(app, owner_account)
    url = f"/mein-betrieb/{draft.slug}/bearbeiten"
    form = _form_fields(owner.get(url).get_data(as_text=True))
    form["short_description"] = "Kosmetik mit Naturprodukten, Termine nach Vereinbarung."
    assert owner.post(url, data=form).status_code == 302
    db.session.refresh(draft)
    assert draft.short_description.startswith("Kosmetik mit Naturprodukten")
    assert db.session.scalar(select(Revision)) is None


def test_other_owners_cannot_edit(app, factories, bakery):
    other_owner = factories.owner(factories.business(name="Pizzeria Da Franco"))
    db.session.commit()
    hofmann = login_as(app, other_owner)
    assert hofmann.get(f"/mein-betrieb/{bakery.slug}/bearbeiten").status_code == 404


def test_a_published_entry_is_not_submitted_again(app, owner_account, bakery):
    owner = login_as(app, owner_account)
    submitted_at = bakery.submitted_at
    page = owner.get(f"/mein-betrieb/{bakery.slug}/bearbeiten").get_data(as_text=True)
    response = owner.post(
        f"/mein-betrieb/{bakery.slug}/einreichen",
        data={"csrf_token": csrf_from(page)},
        follow_redirects=True,
    )
    assert "Dieser Eintrag kann gerade nicht eingereicht werden." in response.get_data(as_text=True)
    db.session.refresh(bakery)
    assert bakery.status == "published" and bakery.submitted_at == submitted_at
