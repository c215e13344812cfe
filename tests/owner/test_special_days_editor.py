"""Special days: vacation closures and holiday openings, edited by the owner; the public
hours follow (after moderation for published entries)."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import select

from hallobot.directory.hours import schedule_for
from hallobot.extensions import db
from hallobot.moderation.models import Revision
from hallobot.owner.errors import OwnerError
from hallobot.owner.rows import special_days_from_form
from tests.conftest import browser_form, login_as


def _form(page: str) -> dict:
    return browser_form(page)


def test_vacation_and_holiday_opening_on_a_draft(app, owner_account, draft_entry):
    draft = draft_entry
    client = login_as(app, owner_account)
    url = f"/mein-betrieb/{draft.slug}/besondere-tage"
    data = _form(client.get(url).get_data(as_text=True))
    rows = int(data["rows"])
    for i in range(rows):
        data[f"t{i}_remove"] = "1" if data.get(f"t{i}_date") else ""
    data.update(
        {"t0_remove": "", "t0_date": "2027-01-04", "t0_closed": "1", "t0_note": "Betriebsferien"}
    )
    data.update(
        {
            "t1_remove": "",
            "t1_date": "2027-05-27",
            "t1_opens": "10:00",
            "t1_closes": "14:00",
            "t1_note": "Fronleichnam geöffnet",
        }
    )
    response = client.post(url, data=data)
    assert response.status_code == 302
    db.session.refresh(draft)
    assert [(d.date, d.closed, d.opens) for d in draft.special_days] == [
        (date(2027, 1, 4), True, None),
        (date(2027, 5, 27), False, time(10)),
    ]
    schedule = schedule_for(draft)
    assert schedule.plan(date(2027, 1, 4)).closed
    assert schedule.plan(date(2027, 5, 27)).slots == ((time(10), time(14)),)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([{"date": "", "note": "x"}], "Datum"),
        ([{"date": "2027-01-04"}], "Geschlossen ankreuzen"),
        ([{"date": "2027-01-04", "closed": "1"}, {"date": "2027-01-04", "closed": "1"}], "doppelt"),
    ],
)
def test_special_day_validation(rows, message):
    with pytest.raises(OwnerError) as info:
        special_days_from_form(rows)
    assert message in str(info.value.message)


def test_published_special_days_wait_for_moderation(app, owner_account, bakery):
    business = bakery
    before = len(business.special_days)
    client = login_as(app, owner_account)
    url = f"/mein-betrieb/{business.slug}/besondere-tage"
    data = _form(client.get(url).get_data(as_text=True))
    empty = next(i for i in range(int(data["rows"])) if not data.get(f"t{i}_date"))
    data.update(
        {f"t{empty}_date": "2027-02-15", f"t{empty}_closed": "1", f"t{empty}_note": "Inventur"}
    )
    assert client.post(url, data=data).status_code == 302
    db.session.refresh(business)
    assert len(business.special_days) == before
    revision = db.session.scalar(select(Revision).where(Revision.business_id == business.id))
    assert any(d["note"] == "Inventur" for d in revision.changes["special_days"])
