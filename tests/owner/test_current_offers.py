"""Current special services: date-ranged badges on the business page and in listings that
disappear by themselves when they lapse."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from hallobot.directory.models import CurrentOffer
from hallobot.extensions import db
from hallobot.owner.errors import OwnerError
from hallobot.owner.rows import offers_from_form
from tests.conftest import browser_form, login_as


def test_badges_show_while_active_and_lapse(app, factories):
    category = factories.category(name="Angebotskategorie")
    business = factories.business(name="Mittagsküche", category=category)
    today = date.today()
    business.current_offers.append(
        CurrentOffer(
            label="Mittagstisch zum Mitnehmen",
            starts=today - timedelta(days=1),
            ends=today + timedelta(days=5),
        )
    )
    business.current_offers.append(
        CurrentOffer(
            label="Lieferung bis Neujahr",
            starts=today - timedelta(days=10),
            ends=today - timedelta(days=1),
        )
    )
    business.current_offers.append(
        CurrentOffer(
            label="Nur Abholung ab nächster Woche",
            starts=today + timedelta(days=3),
            ends=today + timedelta(days=9),
        )
    )
    db.session.commit()
    client = app.test_client()
    page = client.get(f"/betrieb/{business.slug}").get_data(as_text=True)
    listing = client.get(f"/kategorie/{category.slug}").get_data(as_text=True)
    for html in (page, listing):
        assert "Mittagstisch zum Mitnehmen" in html
        assert "Lieferung bis Neujahr" not in html
        assert "Nur Abholung ab nächster Woche" not in html


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"label": "", "starts": "2027-01-01", "ends": "2027-01-31"}, "Bezeichnung"),
        ({"label": "Lieferung", "starts": "", "ends": "2027-01-31"}, "als Datum"),
        ({"label": "Lieferung", "starts": "2027-02-01", "ends": "2027-01-31"}, "vor dem Beginn"),
    ],
)
def test_offer_validation(row, message):
    with pytest.raises(OwnerError) as info:
        offers_from_form([row])
    assert message in str(info.value.message)


def test_owner_adds_an_offer_to_a_draft(app, owner_account, draft_entry):
    draft = draft_entry
    client = login_as(app, owner_account)
    url = f"/mein-betrieb/{draft.slug}/aktuelle-angebote"
    data = browser_form(client.get(url).get_data(as_text=True))
    data.update({"o0_label": "Nur Abholung", "o0_starts": "2026-12-01", "o0_ends": "2026-12-31"})
    assert client.post(url, data=data).status_code == 302
    db.session.refresh(draft)
    assert [(o.label, o.starts, o.ends) for o in draft.current_offers] == [
        ("Nur Abholung", date(2026, 12, 1), date(2026, 12, 31))
    ]
