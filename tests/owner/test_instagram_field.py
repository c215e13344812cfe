"""The Instagram profile: a moderated business field added through its one declaration
(directory/fields.py). Owners type a name or an address; the public page shows the
profile only once a moderator approved it; moderators can correct it from a report."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hallobot.directory.fields import instagram_name, instagram_url
from hallobot.extensions import db
from hallobot.moderation.models import Report, Revision
from tests.conftest import browser_form, hidden_value, login_as, post_form

PASSWORD = "ein-sicheres-passwort"


@pytest.fixture
def entry(factories):
    owner = factories.user(role="owner")
    parent = factories.category()
    business = factories.business(
        name="Bäckerei Sonnenschein", category=factories.category(parent=parent)
    )
    business.owners.append(owner)
    db.session.flush()
    return business, owner


@pytest.mark.parametrize(
    "typed",
    [
        "@baeckerei.sonnenschein",
        "baeckerei.sonnenschein",
        "instagram.com/baeckerei.sonnenschein",
        "https://www.instagram.com/baeckerei.sonnenschein/",
        "http://instagram.com/baeckerei.sonnenschein/?hl=de",
    ],
)
def test_a_name_or_an_address_becomes_the_profile_address(typed):
    assert instagram_url(typed) == "https://www.instagram.com/baeckerei.sonnenschein/"


@pytest.mark.parametrize(
    "typed",
    ["javascript:alert(1)", "https://evil.example/x", "zwei worte", "@", "...", "a" * 31],
)
def test_anything_else_is_not_a_profile(typed):
    assert instagram_name(typed) is None


def test_owner_proposes_it_and_it_is_public_only_after_approval(app, factories, entry):
    business, owner = entry
    moderator = factories.user(role="moderator")
    client = login_as(app, owner.email, PASSWORD)
    url = f"/mein-betrieb/{business.slug}/bearbeiten"
    page = client.get(url).get_data(as_text=True)
    assert "Instagram-Profil" in page
    form = browser_form(page)
    form["instagram"] = "@baeckerei.sonnenschein"
    assert client.post(url, data=form).status_code == 302
    revision = db.session.scalar(select(Revision).where(Revision.business_id == business.id))
    assert revision.changes == {"instagram": "https://www.instagram.com/baeckerei.sonnenschein/"}
    public = app.test_client().get(f"/betrieb/{business.slug}").get_data(as_text=True)
    assert "instagram.com" not in public

    staff = login_as(app, moderator.email, PASSWORD)
    detail = staff.get(f"/moderation/aenderung/{revision.id}").get_data(as_text=True)
    assert "Instagram-Profil" in detail
    assert "<ins>https://www.instagram.com/baeckerei.sonnenschein/</ins>" in detail
    response = post_form(
        staff,
        f"/moderation/aenderung/{revision.id}",
        {"seen": hidden_value(detail, "seen")},
        post_url=f"/moderation/aenderung/{revision.id}/freigeben",
    )
    assert response.status_code == 302
    public = app.test_client().get(f"/betrieb/{business.slug}").get_data(as_text=True)
    assert (
        '<a href="https://www.instagram.com/baeckerei.sonnenschein/" rel="noopener nofollow" '
        'itemprop="sameAs">Instagram-Profil</a>' in public
    )


def test_a_wrong_profile_is_refused_beside_the_field_and_nothing_is_saved(app, entry):
    business, owner = entry
    client = login_as(app, owner.email, PASSWORD)
    url = f"/mein-betrieb/{business.slug}/bearbeiten"
    form = browser_form(client.get(url).get_data(as_text=True))
    form["instagram"] = "javascript:alert(1)"
    form["description"] = "Neuer Text, der nicht verloren gehen darf."
    response = client.post(url, data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="instagram-error"' in page and "Instagram-Namen" in page
    assert "Neuer Text, der nicht verloren gehen darf." in page
    assert db.session.scalar(select(Revision).where(Revision.business_id == business.id)) is None


def test_the_field_has_its_english_label(app, entry):
    business, owner = entry
    client = login_as(app, owner.email, PASSWORD)
    client.get("/sprache/en")
    page = client.get(f"/mein-betrieb/{business.slug}/bearbeiten").get_data(as_text=True)
    assert ">Instagram profile</label>" in page and "Instagram-Profil" not in page


def test_a_moderator_corrects_it_from_a_report(app, factories, entry):
    business, _owner = entry
    moderator = factories.user(role="moderator")
    report = Report(business=business, reason="falsche-angaben", message="Falsches Instagram")
    db.session.add(report)
    db.session.flush()
    staff = login_as(app, moderator.email, PASSWORD)
    page = staff.get(f"/moderation/meldung/{report.id}").get_data(as_text=True)
    form = {k: v for k, v in browser_form(page).items() if k.startswith("korrektur-")}
    form["korrektur-instagram"] = "@sonnenschein.backstube"
    form["korrektur-note"] = "Instagram-Profil nach Hinweis korrigiert."
    form["csrf_token"] = hidden_value(page, "csrf_token")
    response = staff.post(f"/moderation/meldung/{report.id}/korrigieren", data=form)
    assert response.status_code == 302
    db.session.refresh(business)
    assert business.instagram == "https://www.instagram.com/sonnenschein.backstube/"


def test_control_characters_in_basic_data_are_dropped_never_stored(app, entry):
    business, owner = entry
    business.status = "draft"  # a draft changes directly
    db.session.commit()
    client = login_as(app, owner.email, PASSWORD)
    url = f"/mein-betrieb/{business.slug}/bearbeiten"
    form = browser_form(client.get(url).get_data(as_text=True))
    form["name"] = "Bäckerei\x00 Sonnen\x1bschein"
    form["short_description"] = "Brot\x00 und\tBrötchen"
    form["description"] = "Erster\x00 Absatz.\r\n\r\nZweiter."
    assert client.post(url, data=form).status_code == 302
    db.session.refresh(business)
    assert business.name == "Bäckerei Sonnenschein"
    assert business.short_description == "Brot und Brötchen"
    assert business.description == "Erster Absatz.\n\nZweiter."
