"""The weekly hours editor: several slots a day, "wie Montag", closed days, past midnight;
clear messages for bad input; published entries go through moderation."""

from __future__ import annotations

from datetime import time

import pytest
from sqlalchemy import select

from hallobot.extensions import db
from hallobot.moderation.models import Revision
from hallobot.owner.errors import OwnerError
from hallobot.owner.rows import hours_from_form
from tests.conftest import csrf_from, hidden_value, login_as


def _empty_week(page: str) -> dict:
    data = {"csrf_token": csrf_from(page), "marker": hidden_value(page, "marker")}
    for day in range(7):
        for n in range(3):
            data[f"d{day}_{n}_von"] = data[f"d{day}_{n}_bis"] = ""
    return data


def test_draft_hours_with_lunch_break_copy_and_midnight(app, owner_account, draft_entry):
    draft = draft_entry
    client = login_as(app, owner_account)
    url = f"/mein-betrieb/{draft.slug}/oeffnungszeiten"
    data = _empty_week(client.get(url).get_data(as_text=True))
    data.update(
        {"d0_0_von": "09:00", "d0_0_bis": "13:00", "d0_1_von": "14:30", "d0_1_bis": "18:30"}
    )
    for day in (1, 2, 3, 4):
        data[f"d{day}_wie_montag"] = "1"
    data.update({"d5_0_von": "18:00", "d5_0_bis": "02:00"})  # Saturday past midnight
    response = client.post(url, data=data)
    assert response.status_code == 302
    db.session.refresh(draft)
    by_day = {}
    for slot in draft.opening_hours:
        by_day.setdefault(slot.weekday, []).append((slot.opens, slot.closes))
    assert by_day[0] == by_day[4] == [(time(9), time(13)), (time(14, 30), time(18, 30))]
    assert by_day[5] == [(time(18), time(2))]
    assert 6 not in by_day  # Sunday closed


def test_bad_input_gets_a_clear_message_and_nothing_is_saved(app, owner_account, draft_entry):
    draft = draft_entry
    before = sorted((h.weekday, h.opens, h.closes) for h in draft.opening_hours)
    client = login_as(app, owner_account)
    url = f"/mein-betrieb/{draft.slug}/oeffnungszeiten"
    data = _empty_week(client.get(url).get_data(as_text=True))
    data.update(
        {"d2_0_von": "09:00", "d2_0_bis": "13:00", "d2_1_von": "12:00", "d2_1_bis": "18:00"}
    )
    response = client.post(url, data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Mittwoch: Die Zeiträume überschneiden sich." in html
    assert 'value="12:00"' in html  # the input is kept
    db.session.refresh(draft)
    assert sorted((h.weekday, h.opens, h.closes) for h in draft.opening_hours) == before


@pytest.mark.parametrize(
    ("days", "message"),
    [
        ({0: [("09:00", "")]}, "Beginn und Ende"),
        ({0: [("09:00", "09:00")]}, "gleich"),
        ({0: [("9 Uhr", "12:00")]}, "Format"),
        ({0: [("22:00", "02:00"), ("23:00", "23:30")]}, "über Mitternacht"),
    ],
)
def test_hours_validation(days, message):
    with pytest.raises(OwnerError) as info:
        hours_from_form(days)
    assert message in str(info.value.message)


def test_published_hours_change_waits_for_moderation(app, owner_account, bakery, moderator_account):
    business = bakery
    before = sorted((h.weekday, h.opens, h.closes) for h in business.opening_hours)
    client = login_as(app, owner_account)
    url = f"/mein-betrieb/{business.slug}/oeffnungszeiten"
    page = client.get(url).get_data(as_text=True)
    assert 'value="06:00"' in page  # the current hours are filled in
    data = _empty_week(page)
    data.update({"d0_0_von": "07:00", "d0_0_bis": "12:00"})
    assert client.post(url, data=data).status_code == 302
    db.session.refresh(business)
    assert sorted((h.weekday, h.opens, h.closes) for h in business.opening_hours) == before
    revision = db.session.scalar(select(Revision).where(Revision.business_id == business.id))
    assert revision.changes == {"opening_hours": [[0, "07:00", "12:00"]]}
    moderator = login_as(app, moderator_account)
    detail = moderator.get(f"/moderation/aenderung/{revision.id}").get_data(as_text=True)
    assert "Öffnungszeiten" in detail and "<ins>Mo 07:00–12:00</ins>" in detail
    moderator.post(
        f"/moderation/aenderung/{revision.id}/freigeben",
        data={
            "csrf_token": csrf_from(detail),
            "seen": hidden_value(detail, "seen"),
        },
    )
    db.session.refresh(business)
    assert [(h.weekday, h.opens, h.closes) for h in business.opening_hours] == [
        (0, time(7), time(12))
    ]
