"""Delivery, pickup and shipping options, edited by the owner."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hallobot.extensions import db
from hallobot.moderation.models import Revision
from hallobot.owner.errors import OwnerError
from hallobot.owner.rows import delivery_from_form
from tests.conftest import browser_form, login_as


def _form(page: str) -> dict:
    return browser_form(page)


def test_delivery_on_a_draft(app, owner_account, draft_entry):
    draft = draft_entry
    client = login_as(app, owner_account)
    url = f"/mein-betrieb/{draft.slug}/lieferung"
    data = _form(client.get(url).get_data(as_text=True))
    rows = int(data["rows"])
    for i in range(rows):
        data[f"l{i}_remove"] = "1" if data.get(f"l{i}_kind") else ""
    data.update(
        {
            "l0_remove": "",
            "l0_kind": "delivery",
            "l0_postcodes": "46236, 46238",
            "l0_radius": "3,5",
            "l0_fee": "2,50",
            "l0_minimum": "15",
            "l0_free_from": "40",
            "l0_note": "Mo–Fr ab 10 Uhr",
        }
    )
    data.update(
        {
            "l1_remove": "",
            "l1_kind": "pickup",
            "l1_postcodes": "",
            "l1_radius": "",
            "l1_fee": "",
            "l1_minimum": "",
            "l1_free_from": "",
            "l1_note": "",
        }
    )
    assert client.post(url, data=data).status_code == 302
    db.session.refresh(draft)
    options = {d.kind: d for d in draft.delivery_options}
    assert set(options) == {"delivery", "pickup"}
    d = options["delivery"]
    assert d.postcodes == ["46236", "46238"] and d.radius_km == 3.5
    assert (d.fee_cents, d.min_order_cents, d.free_from_cents) == (250, 1500, 4000)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"kind": "delivery"}, "Postleitzahlen oder einen Umkreis"),
        ({"kind": "delivery", "postcodes": "4623"}, "fünf Ziffern"),
        ({"kind": "delivery", "radius": "500"}, "zwischen 0 und 100"),
        ({"kind": "pickup", "fee": "zwei"}, "wie 2,50"),
        ({"kind": "teleport"}, "Art wählen"),
    ],
)
def test_delivery_validation(row, message):
    with pytest.raises(OwnerError) as info:
        delivery_from_form([row])
    assert message in str(info.value.message)


def test_published_delivery_waits_for_moderation(app, owner_account, bakery):
    business = bakery
    client = login_as(app, owner_account)
    url = f"/mein-betrieb/{business.slug}/lieferung"
    data = _form(client.get(url).get_data(as_text=True))
    data["l0_fee"] = "1,80"
    assert client.post(url, data=data).status_code == 302
    db.session.refresh(business)
    assert business.delivery_options[0].fee_cents == 150
    revision = db.session.scalar(select(Revision).where(Revision.business_id == business.id))
    assert revision.changes["delivery_options"][0]["fee_cents"] == 180
