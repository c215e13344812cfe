"""Section editors under odd typed values: times, dates and numbers that no date, time or
number field of the page sends (a time zone, an ISO week, Unicode digits, impossible days)
get the row's message and a 422, never a server error, and nothing is saved. Control
characters in typed text are dropped (PostgreSQL refuses NUL in text), and a text area's
CRLF line ends are stored as LF."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from hallobot.directory.service import current_values
from hallobot.extensions import db
from hallobot.moderation.models import Revision
from tests.conftest import browser_form, csrf_from, hidden_value, login_as
from tests.images import make_image_bytes

ODD_TIMES = ["09:30+01:00", "0930", "T09:30", "09", "٠٩:٣٠", "25:99", "09:30:00.5", "9" * 5000]
ODD_DATES = ["2027-02-30", "20270104", "2027-W01-1", "٢٠٢٧-٠١-٠٤", "2027-01-04T10:00", "9" * 5000]


def _post(app, owner, business, path: str, typed: dict):
    """The editor's page as the browser shows it, with ``typed`` filled in; the answer."""
    client = login_as(app, owner)
    url = f"/mein-betrieb/{business.slug}/{path}"
    data = browser_form(client.get(url).get_data(as_text=True))
    return client.post(url, data=data | typed)


def _stored(business) -> dict:
    db.session.refresh(business)
    return current_values(business)


@pytest.mark.parametrize("odd", ODD_TIMES)
def test_a_time_the_time_field_never_sends_is_refused(app, odd, owner_account, draft_entry):
    before = _stored(draft_entry)
    # the odd time beside a good slot: a time zone once made sorting the slots fail
    typed = {"d2_0_von": odd, "d2_0_bis": "13:00", "d2_1_von": "14:00", "d2_1_bis": "18:00"}
    response = _post(app, owner_account, draft_entry, "oeffnungszeiten", typed)
    assert response.status_code == 422
    assert "Mittwoch: Uhrzeit im Format 09:30 angeben." in response.get_data(as_text=True)
    assert _stored(draft_entry) == before


def test_a_time_field_with_seconds_is_read_to_the_minute(app, owner_account, draft_entry):
    typed = {"d2_0_von": "09:30:00", "d2_0_bis": "13:00:59"}
    assert _post(app, owner_account, draft_entry, "oeffnungszeiten", typed).status_code == 302
    assert [2, "09:30", "13:00"] in _stored(draft_entry)["opening_hours"]


@pytest.mark.parametrize("odd", ODD_TIMES)
def test_a_special_day_with_an_odd_time_is_refused(app, odd, owner_account, draft_entry):
    before = _stored(draft_entry)
    typed = {"t0_date": "2027-01-04", "t0_closed": "", "t0_opens": odd, "t0_closes": "12:00"}
    response = _post(app, owner_account, draft_entry, "besondere-tage", typed)
    assert response.status_code == 422
    assert "Zeile 1: Geschlossen ankreuzen oder Beginn" in response.get_data(as_text=True)
    assert _stored(draft_entry) == before


@pytest.mark.parametrize(
    ("path", "typed", "message"),
    [
        ("besondere-tage", {"t0_date": "{odd}", "t0_closed": "1"}, "Zeile 1: Bitte ein Datum"),
        (
            "neuigkeiten",
            {"n0_title": "Neu", "n0_published": "{odd}"},
            "Meldung 1: Bitte gültige Daten angeben.",
        ),
        (
            "neuigkeiten",
            {"n0_title": "Neu", "n0_published": "2027-01-01", "n0_valid_until": "{odd}"},
            "Meldung 1: Bitte gültige Daten angeben.",
        ),
        (
            "aktuelle-angebote",
            {"o0_label": "Abholung", "o0_starts": "{odd}", "o0_ends": "2027-12-31"},
            "Zeile 1: Bitte Beginn und Ende als Datum angeben.",
        ),
        (
            "aktuelle-angebote",
            {"o0_label": "Abholung", "o0_starts": "2027-01-01", "o0_ends": "{odd}"},
            "Zeile 1: Bitte Beginn und Ende als Datum angeben.",
        ),
    ],
)
@pytest.mark.parametrize("odd", ODD_DATES)
def test_a_date_the_date_field_never_sends_is_refused(
    app, path, typed, message, odd, owner_account, draft_entry
):
    before = _stored(draft_entry)
    typed = {name: value.replace("{odd}", odd) for name, value in typed.items()}
    response = _post(app, owner_account, draft_entry, path, typed)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _stored(draft_entry) == before


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ({"l0_postcodes": "٤٦٢٣٦"}, "Postleitzahlen mit fünf Ziffern"),
        ({"l0_postcodes": "46236, ４６２３８"}, "Postleitzahlen mit fünf Ziffern"),
        ({"l0_postcodes": "4623²"}, "Postleitzahlen mit fünf Ziffern"),
        ({"l0_radius": "١٢"}, "Umkreis zwischen 0 und 100 km"),
        ({"l0_radius": "1_0"}, "Umkreis zwischen 0 und 100 km"),
        ({"l0_radius": "1e1"}, "Umkreis zwischen 0 und 100 km"),
        ({"l0_radius": "nan"}, "Umkreis zwischen 0 und 100 km"),
        ({"l0_radius": "inf"}, "Umkreis zwischen 0 und 100 km"),
        ({"l0_radius": "99999999999999999999"}, "Umkreis zwischen 0 und 100 km"),
        ({"l0_radius": "0"}, "Umkreis zwischen 0 und 100 km"),
        ({"l0_radius": "100,5"}, "Umkreis zwischen 0 und 100 km"),
        ({"l0_radius": "0,0004"}, "Umkreis zwischen 0 und 100 km"),
        ({"l0_radius": "2,5" + "0" * 5000}, "Umkreis zwischen 0 und 100 km"),
    ],
)
def test_odd_postcodes_and_radii_are_refused(app, typed, message, owner_account, draft_entry):
    before = _stored(draft_entry)
    typed = {"l0_kind": "delivery", "l0_postcodes": "46236"} | typed
    response = _post(app, owner_account, draft_entry, "lieferung", typed)
    assert response.status_code == 422
    assert f"Zeile 1: {message}" in response.get_data(as_text=True)
    assert _stored(draft_entry) == before


def test_a_radius_typed_with_a_comma_or_a_point_is_kept_to_the_metre(
    app, owner_account, draft_entry
):
    typed = {"l0_kind": "delivery", "l0_postcodes": "", "l0_radius": "100"}
    typed |= {"l1_kind": "pickup", "l1_postcodes": "", "l1_radius": "0.00051"}
    assert _post(app, owner_account, draft_entry, "lieferung", typed).status_code == 302
    radii = {o["kind"]: o["radius_km"] for o in _stored(draft_entry)["delivery_options"]}
    assert radii == {"delivery": 100, "pickup": 0.001}
    client = login_as(app, owner_account)
    page = client.get(f"/mein-betrieb/{draft_entry.slug}/lieferung").get_data(as_text=True)
    assert 'value="0,001"' in page  # shown as typed, and saved again unchanged
    response = client.post(f"/mein-betrieb/{draft_entry.slug}/lieferung", data=browser_form(page))
    assert response.status_code == 302


CONTROL = "\x00\x1b[31m\x07"


@pytest.mark.parametrize(
    ("path", "typed", "section", "stored"),
    [
        (
            "leistungen",
            {
                "s0_name": f"Peeling{CONTROL}",
                "s0_description": f"sanft{CONTROL}",
                "s0_unit": "Std\x00",
            },
            "services",
            {"name": "Peeling[31m", "description": "sanft[31m", "unit": "Std"},
        ),
        (
            "besondere-tage",
            {"t0_date": "2027-01-04", "t0_closed": "1", "t0_note": f"Ferien{CONTROL}"},
            "special_days",
            {"note": "Ferien[31m"},
        ),
        (
            "lieferung",
            {"l0_kind": "pickup", "l0_note": "Abholung\x00 am Tresen"},
            "delivery_options",
            {"note": "Abholung am Tresen"},
        ),
        (
            "neuigkeiten",
            {"n0_title": f"Neu{CONTROL}", "n0_body": "Zeile 1\x00\r\nZeile 2"},
            "news_posts",
            {"title": "Neu[31m", "body": "Zeile 1\nZeile 2"},
        ),
        (
            "aktuelle-angebote",
            {"o0_label": f"Abholung{CONTROL}", "o0_starts": "2027-01-01", "o0_ends": "2027-01-31"},
            "current_offers",
            {"label": "Abholung[31m"},
        ),
    ],
)
def test_control_characters_in_typed_text_are_dropped(
    app, path, typed, section, stored, owner_account, draft_entry
):
    assert _post(app, owner_account, draft_entry, path, typed).status_code == 302
    items = _stored(draft_entry)[section]
    assert any(stored.items() <= item.items() for item in items), items


def test_an_unchanged_page_with_a_text_of_several_lines_changes_nothing(
    app, factories, owner_account, bakery
):
    factories.news_post(bakery, "Zwei Zeilen", "Erste Zeile\nZweite Zeile")
    db.session.commit()
    client = login_as(app, owner_account)
    url = f"/mein-betrieb/{bakery.slug}/neuigkeiten"
    data = browser_form(client.get(url).get_data(as_text=True))  # the text area sends CRLF
    response = client.post(url, data=data, follow_redirects=True)
    assert "Es gab nichts zu ändern." in response.get_data(as_text=True)
    opened = select(func.count(Revision.id)).where(Revision.business_id == bakery.id)
    assert db.session.scalar(opened) == 0


def test_control_characters_in_a_photos_text_are_dropped(app, owner_account, draft_entry):
    client = login_as(app, owner_account)
    url = f"/mein-betrieb/{draft_entry.slug}/fotos"
    page = client.get(url).get_data(as_text=True)
    upload = {
        "csrf_token": csrf_from(page),
        "marker": hidden_value(page, "marker"),
        "kind": "gallery",
        "alt_text": "Die Theke\x00 am Morgen\x1b",
        "photo": (io.BytesIO(make_image_bytes("JPEG", (400, 300))), "foto.jpg"),
    }
    assert client.post(f"{url}/hochladen", data=upload).status_code == 302
    assert [p["alt"] for p in _stored(draft_entry)["photos"]] == ["Die Theke am Morgen"]
    data = browser_form(client.get(url).get_data(as_text=True))
    data["p0_alt"] = "Die Theke\x00 am Abend\x07"
    assert client.post(url, data=data).status_code == 302
    assert [p["alt"] for p in _stored(draft_entry)["photos"]] == ["Die Theke am Abend"]
