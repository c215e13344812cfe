"""Moderation forms under altered pages: the hidden version a decision carries, a row of
synonyms, a role, a reason — any text, huge numbers, Unicode digits and control
characters get a clear answer (refused as changed, a form error, a 4xx), never a server
error, and nothing changes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hallobot.directory.models import Business
from hallobot.extensions import db
from hallobot.moderation.forms import seen_version
from hallobot.moderation.models import Report
from hallobot.search.models import SynonymGroup
from tests.conftest import csrf_from, hidden_value, login_as

HOSTILE = [
    "",
    "abc",
    "-1",
    "1.0",
    "²",
    "١٢",
    "99999999999999999999",
    "1\x00",
    "\x1b[2J",
    "x" * 5000,
]


@pytest.mark.parametrize("raw", HOSTILE)
def test_only_ascii_digits_are_a_version(raw):
    assert seen_version(raw) is None


def test_a_version_is_read_as_a_number():
    assert seen_version("7") == 7


@pytest.mark.parametrize("version", HOSTILE)
def test_approving_with_a_hostile_version_changes_nothing(
    app, factories, moderator_account, version
):
    business = factories.business(status="pending")
    db.session.commit()
    staff = login_as(app, moderator_account)
    page = staff.get(f"/moderation/betrieb/{business.id}").get_data(as_text=True)
    response = staff.post(
        f"/moderation/betrieb/{business.id}/freigeben",
        data={"csrf_token": csrf_from(page), "version": version},
    )
    assert response.status_code == 302  # back to the entry, with "changed meanwhile"
    db.session.expire_all()
    assert db.session.get(Business, business.id).status == "pending"


@pytest.mark.parametrize("version", HOSTILE)
def test_correcting_with_a_hostile_version_changes_nothing(app, bakery, moderator_account, version):
    report = Report(business=bakery, reason="sonstiges", message="Telefon stimmt nicht")
    db.session.add(report)
    db.session.commit()
    staff = login_as(app, moderator_account)
    url = f"/moderation/meldung/{report.id}"
    page = staff.get(url).get_data(as_text=True)
    response = staff.post(
        f"{url}/korrigieren",
        data={
            "korrektur-csrf_token": hidden_value(page, "korrektur-csrf_token"),
            "korrektur-version": version,
            "korrektur-name": "Umbenannt",
            "korrektur-short_description": bakery.short_description,
            "korrektur-street": bakery.street,
            "korrektur-house_number": bakery.house_number,
            "korrektur-postcode": bakery.postcode,
            "korrektur-note": "Name nach Hinweis korrigiert.",
        },
    )
    assert response.status_code == 409
    db.session.expire_all()
    assert db.session.get(Business, bakery.id).name == "Bäckerei Kruse"


@pytest.mark.parametrize("seen", HOSTILE)
def test_deciding_a_revision_on_a_hostile_version_is_refused_as_changed(
    app, factories, bakery, moderator_account, seen
):
    from hallobot.moderation.models import Revision

    revision = Revision(business=bakery, changes={"phone": "02041 999999"})
    db.session.add(revision)
    db.session.commit()
    staff = login_as(app, moderator_account)
    url = f"/moderation/aenderung/{revision.id}"
    page = staff.get(url).get_data(as_text=True)
    response = staff.post(
        f"{url}/freigeben", data={"csrf_token": csrf_from(page), "seen": seen, "reason": seen}
    )
    assert response.status_code == 409
    db.session.refresh(revision)
    assert revision.status == "open"


@pytest.mark.parametrize("terms", ["\x00\x1b", "x" * 5000, "١٢, ²", "Brot\x00, Brötchen"])
def test_a_hostile_synonym_row_is_refused_or_cleaned(app, moderator_account, terms):
    group = SynonymGroup(terms="schuster, schuhmacher")
    db.session.add(group)
    db.session.commit()
    staff = login_as(app, moderator_account)
    page = staff.get("/moderation/synonyme").get_data(as_text=True)
    response = staff.post(
        f"/moderation/synonyme/{group.id}",
        data={"csrf_token": csrf_from(page), "terms": terms},
    )
    assert response.status_code in (302, 422)
    db.session.refresh(group)
    assert "\x00" not in group.terms and "\x1b" not in group.terms
    if response.status_code == 422:
        assert group.terms == "schuster, schuhmacher"


@pytest.mark.parametrize("role", ["root", "\x00", "admin\x00", "x" * 5000, "١"])
def test_a_role_not_in_the_list_is_a_form_error(app, shopper_account, admin_account, role):
    staff = login_as(app, admin_account)
    url = f"/moderation/nutzer/{shopper_account.id}"
    page = staff.get(url).get_data(as_text=True)
    response = staff.post(f"{url}/rolle", data={"csrf_token": csrf_from(page), "role": role})
    assert response.status_code == 422
    db.session.refresh(shopper_account)
    assert shopper_account.role == "shopper"


@pytest.mark.parametrize("group_id", ["abc", "99999999999999999999", "-1"])
def test_a_synonym_group_that_cannot_exist_is_not_found(app, moderator_account, group_id):
    staff = login_as(app, moderator_account)
    page = staff.get("/moderation/synonyme").get_data(as_text=True)
    response = staff.post(
        f"/moderation/synonyme/{group_id}/loeschen", data={"csrf_token": csrf_from(page)}
    )
    assert response.status_code == 404
    assert db.session.scalar(select(SynonymGroup.id).where(SynonymGroup.id == -1)) is None


@pytest.mark.parametrize("parent", ["99999999999999999999", "abc", "١", "-1"])
def test_a_category_with_control_characters_and_a_foreign_parent(app, moderator_account, parent):
    from hallobot.directory.models import Category

    staff = login_as(app, moderator_account)
    page = staff.get("/moderation/kategorien").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "name": "Gold\x00schmiede\x1b", "name_en": "Gold"}
    response = staff.post(
        "/moderation/kategorien", data={**data, "icon": "tag", "parent_id": parent}
    )
    assert response.status_code == 422  # not a parent in the list
    response = staff.post("/moderation/kategorien", data={**data, "icon": "tag", "parent_id": ""})
    assert response.status_code == 302
    created = db.session.scalar(select(Category).where(Category.name_en == "Gold"))
    assert created.name == "Goldschmiede"
