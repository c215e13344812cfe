"""Attributes (Fairtrade, barrierefrei …), coordinates as a text pair within Bottrop, and
opening on public holidays — edited by the owner like every other field."""

from __future__ import annotations

from sqlalchemy import select

from hallobot.extensions import db
from hallobot.moderation.models import Revision
from tests.conftest import browser_form, login_as


def test_attributes_and_coordinates_on_a_draft(app, owner_account, draft_entry):
    draft = draft_entry
    client = login_as(app, owner_account)
    url = f"/mein-betrieb/{draft.slug}/bearbeiten"
    page = client.get(url).get_data(as_text=True)
    assert 'value="fairtrade"' in page and "Breitengrad" in page
    data = browser_form(page)
    data["attributes"] = ["fairtrade", "barrierefrei"]
    data["lat"], data["lon"] = "51,52361", "6.92917"
    assert client.post(url, data=data).status_code == 302
    db.session.refresh(draft)
    assert sorted(a.slug for a in draft.attributes) == ["barrierefrei", "fairtrade"]
    assert (draft.lat, draft.lon) == (51.52361, 6.92917)
    again = client.get(url).get_data(as_text=True)
    assert 'value="51,52361"' in again  # shown the German way


def test_bad_coordinates_get_messages_and_nothing_changes(app, owner_account, draft_entry):
    draft = draft_entry
    before = (draft.lat, draft.lon, draft.version)
    client = login_as(app, owner_account)
    url = f"/mein-betrieb/{draft.slug}/bearbeiten"
    data = browser_form(client.get(url).get_data(as_text=True))
    for lat, lon, message in [
        ("52,5200", "13,4050", "nicht in Bottrop"),  # Berlin
        ("51,52", "", "Breiten- und Längengrad"),
        ("nördlich", "6,93", "Bitte eine Zahl angeben"),
    ]:
        response = client.post(url, data={**data, "lat": lat, "lon": lon})
        assert response.status_code == 422, (lat, lon)
        page = response.get_data(as_text=True)
        assert message in page, (lat, lon)
        assert f'value="{lat}"' in page  # what was typed stays
    db.session.refresh(draft)
    assert (draft.lat, draft.lon, draft.version) == before


def test_unknown_attribute_is_refused(app, owner_account, draft_entry):
    draft = draft_entry
    client = login_as(app, owner_account)
    url = f"/mein-betrieb/{draft.slug}/bearbeiten"
    data = browser_form(client.get(url).get_data(as_text=True))
    data["attributes"] = ["fairtrade", "gibt-es-nicht"]
    assert client.post(url, data=data).status_code == 422


def test_attribute_change_of_a_published_entry_is_shown_in_the_diff(
    app, owner_account, bakery, moderator_account
):
    business = bakery
    had = sorted(a.slug for a in business.attributes)
    client = login_as(app, owner_account)
    url = f"/mein-betrieb/{business.slug}/bearbeiten"
    data = browser_form(client.get(url).get_data(as_text=True))
    added = next(s for s in ("fairtrade", "wlan", "parkplaetze") if s not in had)
    data["attributes"] = [*had, added]
    assert client.post(url, data=data).status_code == 302
    db.session.refresh(business)
    assert sorted(a.slug for a in business.attributes) == had  # public data unchanged
    revision = db.session.scalar(select(Revision).where(Revision.business_id == business.id))
    assert set(revision.changes) == {"attributes"}
    moderator = login_as(app, moderator_account)
    diff = moderator.get(f"/moderation/aenderung/{revision.id}").get_data(as_text=True)
    assert "Merkmale" in diff and 'class="diff-added"' in diff


def test_open_on_public_holidays(app, owner_account, draft_entry):
    draft = draft_entry
    assert draft.holidays_open is False
    client = login_as(app, owner_account)
    url = f"/mein-betrieb/{draft.slug}/oeffnungszeiten"
    data = browser_form(client.get(url).get_data(as_text=True))
    data["holidays_open"] = "1"
    assert client.post(url, data=data).status_code == 302
    db.session.refresh(draft)
    assert draft.holidays_open is True
    assert "checked" in client.get(url).get_data(as_text=True).split('id="holidays_open"')[1][:40]
