"""Services and products: add, edit, remove, reorder; prices in euros; moderation for
published entries."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hallobot.extensions import db
from hallobot.moderation.models import Revision
from hallobot.money import parse_money as parse_price
from hallobot.owner.errors import OwnerError
from hallobot.owner.rows import services_from_form
from tests.conftest import browser_form, login_as


def _form(page: str) -> dict:
    return browser_form(page)


@pytest.mark.parametrize(
    ("raw", "cents"),
    [("4,20", 420), ("4.20", 420), ("4", 400), ("1.234,50", 123450), ("32,00 €", 3200), ("", None)],
)
def test_parse_price(raw, cents):
    assert parse_price(raw) == cents


def test_bad_price_names_the_row():
    with pytest.raises(OwnerError) as info:
        services_from_form([{"name": "Brot", "price": "vier Euro"}])
    assert "Zeile 1" in str(info.value.message)


def test_add_edit_remove_and_reorder_on_a_draft(app, owner_account, draft_entry):
    draft = draft_entry
    names_before = [s.name for s in draft.services]
    assert len(names_before) >= 2
    client = login_as(app, owner_account)
    url = f"/mein-betrieb/{draft.slug}/leistungen"
    data = _form(client.get(url).get_data(as_text=True))
    data["s0_remove"] = "1"  # remove the first
    data["s1_position"] = "9"  # move the second to the end
    new_row = len(names_before)
    data[f"s{new_row}_name"] = "Augenbrauen färben"
    data[f"s{new_row}_price"] = "12,50"
    data[f"s{new_row}_unit"] = "pauschal"
    response = client.post(url, data=data)
    assert response.status_code == 302
    db.session.refresh(draft)
    names = [s.name for s in draft.services]
    assert names_before[0] not in names
    assert names[-1] == names_before[1]
    added = next(s for s in draft.services if s.name == "Augenbrauen färben")
    assert added.price_cents == 1250 and added.unit == "pauschal"


def test_published_services_wait_for_moderation(app, owner_account, bakery):
    business = bakery
    client = login_as(app, owner_account)
    url = f"/mein-betrieb/{business.slug}/leistungen"
    data = _form(client.get(url).get_data(as_text=True))
    data["s0_price"] = "4,50"
    assert client.post(url, data=data).status_code == 302
    db.session.refresh(business)
    assert business.services[0].price_cents == 420  # public value unchanged
    revision = db.session.scalar(select(Revision).where(Revision.business_id == business.id))
    assert revision.changes["services"][0]["price_cents"] == 450


def test_error_keeps_the_rows(app, owner_account, draft_entry):
    draft = draft_entry
    client = login_as(app, owner_account)
    url = f"/mein-betrieb/{draft.slug}/leistungen"
    data = _form(client.get(url).get_data(as_text=True))
    data["s0_price"] = "teuer"
    response = client.post(url, data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Preis bitte wie 4,20" in html and 'value="teuer"' in html
