"""Section editors under altered pages: hidden fields (the number of rows, the marker, a
photo's key, positions, kinds) that no honest page sends get a clear 4xx answer or are
ignored, never a server error, and nothing is saved that the owner did not see."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from hallobot.directory.models import Business, MediaFile
from hallobot.directory.service import current_values
from hallobot.extensions import db
from hallobot.moderation.models import Revision
from hallobot.owner.photo_routes import PHOTOS
from hallobot.owner.section_routes import DELIVERY, NEWS, OFFERS, SERVICES, SPECIAL_DAYS
from tests.conftest import browser_form, csrf_from, hidden_value, login_as
from tests.images import make_image_bytes

INCOMPLETE = "Die Seite ist unvollständig angekommen; gespeichert wurde nichts."
STALE = "Der Eintrag wurde inzwischen geändert"

# the list editors: path below /mein-betrieb/<slug>/ → their declaration
LIST_EDITORS = {
    "leistungen": SERVICES,
    "besondere-tage": SPECIAL_DAYS,
    "lieferung": DELIVERY,
    "neuigkeiten": NEWS,
    "aktuelle-angebote": OFFERS,
    "fotos": PHOTOS,
}


def _stored(business: Business) -> dict:
    db.session.refresh(business)
    return current_values(business)


def _open_revisions(business: Business) -> int:
    return db.session.scalar(
        select(func.count(Revision.id)).where(
            Revision.business_id == business.id, Revision.status == "open"
        )
    )


def _page(client, url: str) -> tuple[str, dict]:
    html = client.get(url).get_data(as_text=True)
    return html, browser_form(html)


def _set(data: dict, name: str, value: str | None) -> dict:
    """The form data with the field ``name`` set to ``value``, or left out for None."""
    data = {k: v for k, v in data.items() if k != name}
    return data if value is None else data | {name: value}


def _upload(client, business: Business, alt: str = "Verkaufstheke mit Brötchen", kind="gallery"):
    page = client.get(f"/mein-betrieb/{business.slug}/fotos").get_data(as_text=True)
    return client.post(
        f"/mein-betrieb/{business.slug}/fotos/hochladen",
        data={
            "csrf_token": csrf_from(page),
            "marker": hidden_value(page, "marker"),
            "kind": kind,
            "alt_text": alt,
            "photo": (io.BytesIO(make_image_bytes("JPEG", (400, 300))), "foto.jpg"),
        },
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize("path", LIST_EDITORS)
@pytest.mark.parametrize("rows", ["abc", "-5", "10000000", "", "2.5", "0x10", None])
def test_an_unreadable_row_count_is_refused_and_nothing_is_saved(
    app, path, rows, owner_account, draft_entry
):
    draft = draft_entry
    client = login_as(app, owner_account)
    url = f"/mein-betrieb/{draft.slug}/{path}"
    before = _stored(draft)
    html, data = _page(client, url)
    shown = hidden_value(html, "rows")
    prefix = LIST_EDITORS[path].prefix
    for name in [k for k in data if k.startswith(prefix) and k[len(prefix) :][:1].isdigit()]:
        data[name] = ""  # every row emptied: saved, this would delete the whole list
    response = client.post(url, data=_set(data, "rows", rows))
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert INCOMPLETE in text
    assert hidden_value(text, "rows") == shown  # the stored rows, shown afresh
    assert _stored(draft) == before


@pytest.mark.parametrize("path", LIST_EDITORS)
def test_a_page_never_posts_more_rows_than_its_editor_takes(app, path, owner_account, draft_entry):
    draft = draft_entry
    client = login_as(app, owner_account)
    url = f"/mein-betrieb/{draft.slug}/{path}"
    _html, data = _page(client, url)
    section = LIST_EDITORS[path]
    assert int(data["rows"]) <= section.limit
    data["rows"] = str(section.limit + 1)
    response = client.post(url, data=data)
    assert response.status_code == 422 and INCOMPLETE in response.get_data(as_text=True)
    data["rows"] = str(section.limit)  # as many as the editor takes: the extra rows are empty
    assert client.post(url, data=data).status_code == 302


@pytest.mark.parametrize("path", [*LIST_EDITORS, "oeffnungszeiten"])
@pytest.mark.parametrize(
    "marker", ["", "999999:-", "x" * 5000, '"><script>alert(1)</script>', None]
)
def test_a_foreign_marker_is_a_stale_edit(app, path, marker, owner_account, bakery):
    business = bakery
    client = login_as(app, owner_account)
    url = f"/mein-betrieb/{business.slug}/{path}"
    before = _stored(business)
    html, data = _page(client, url)
    response = client.post(url, data=_set(data, "marker", marker))
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert STALE in text
    assert "<script>alert(1)" not in text
    assert hidden_value(text, "marker") == hidden_value(html, "marker")  # the current one
    assert _stored(business) == before
    assert _open_revisions(business) == 0


@pytest.mark.parametrize(
    "position", ["abc", "-5", "1e5", "99999999999999999999999", "9" * 5000, "٣", ""]
)
def test_odd_positions_keep_every_service(app, position, owner_account, draft_entry):
    draft = draft_entry
    names = sorted(s["name"] for s in _stored(draft)["services"])
    client = login_as(app, owner_account)
    url = f"/mein-betrieb/{draft.slug}/leistungen"
    _html, data = _page(client, url)
    data["s0_position"] = position
    assert client.post(url, data=data).status_code == 302
    assert sorted(s["name"] for s in _stored(draft)["services"]) == names


def test_photo_keys_and_positions_not_on_the_page_are_ignored(app, owner_account, draft_entry):
    draft = draft_entry
    client = login_as(app, owner_account)
    assert _upload(client, draft, "Die Theke am Morgen").status_code == 302
    assert _upload(client, draft, "Das Schaufenster").status_code == 302
    before = _stored(draft)["photos"]
    url = f"/mein-betrieb/{draft.slug}/fotos"
    _html, data = _page(client, url)
    foreign = {"p0_key": "../../../etc/passwd", "p0_remove": "1", "p1_key": "", "p1_remove": "1"}
    data.update(foreign, p0_position="abc", p1_position="-99999999999999999999")
    response = client.post(url, data=data)
    assert response.status_code == 302  # nothing the page showed was removed
    assert _stored(draft)["photos"] == before

    _html, data = _page(client, url)
    data.update(p0_position="9" * 5000, p1_position="½")  # unreadable positions: order kept
    assert client.post(url, data=data).status_code == 302
    assert _stored(draft)["photos"] == before


def test_an_unknown_delivery_kind_names_its_row(app, owner_account, draft_entry):
    draft = draft_entry
    before = _stored(draft)
    client = login_as(app, owner_account)
    url = f"/mein-betrieb/{draft.slug}/lieferung"
    _html, data = _page(client, url)
    empty = next(i for i in range(int(data["rows"])) if not data.get(f"l{i}_kind"))
    data[f"l{empty}_kind"] = "teleport"
    response = client.post(url, data=data)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert f"Zeile {empty + 1}: Bitte die Art wählen." in text
    assert 'id="row-error"' in text
    assert _stored(draft) == before


@pytest.mark.parametrize("kind", ["banner", "", "logo\x00"])
def test_an_unknown_photo_kind_is_refused_and_nothing_is_written(
    app, kind, owner_account, draft_entry
):
    draft = draft_entry
    client = login_as(app, owner_account)
    response = _upload(client, draft, kind=kind)
    assert response.status_code == 422
    assert "Das Foto wurde nicht gespeichert" in response.get_data(as_text=True)
    count = select(func.count(MediaFile.id)).where(MediaFile.business_id == draft.id)
    assert db.session.scalar(count) == 0


@pytest.mark.parametrize("rows", ["-1", "1000", "abc"])
def test_the_hours_editor_has_no_row_count_to_break(app, rows, owner_account, draft_entry):
    draft = draft_entry
    before = _stored(draft)
    client = login_as(app, owner_account)
    url = f"/mein-betrieb/{draft.slug}/oeffnungszeiten"
    _html, data = _page(client, url)
    data["rows"] = rows  # not one of its fields: ignored
    data["d0_0_von"], data["d0_0_bis"] = "25:99", "abc"
    response = client.post(url, data=data)
    assert response.status_code == 422
    assert "Montag: Uhrzeit im Format 09:30 angeben." in response.get_data(as_text=True)
    assert _stored(draft) == before


def test_a_list_holds_at_most_its_number_of_entries(app, owner_account, draft_entry):
    draft = draft_entry
    client = login_as(app, owner_account)
    url = f"/mein-betrieb/{draft.slug}/aktuelle-angebote"
    _html, data = _page(client, url)
    rows = OFFERS.most + 1
    data = {"csrf_token": data["csrf_token"], "marker": data["marker"], "rows": str(rows)}
    for i in range(rows):
        data[f"o{i}_label"] = f"Angebot {i + 1}"
        data[f"o{i}_starts"], data[f"o{i}_ends"] = "2027-01-01", "2027-01-31"
    response = client.post(url, data=data)
    assert response.status_code == 422
    assert f"Höchstens {OFFERS.most} aktuelle Angebote." in response.get_data(as_text=True)

    data["rows"] = str(OFFERS.most)  # a full list is saved …
    assert client.post(url, data=data).status_code == 302
    assert len(_stored(draft)["current_offers"]) == OFFERS.most
    _html, full = _page(client, url)  # … and its page, with the blank rows, saves again
    assert int(full["rows"]) == OFFERS.limit
    full["o0_remove"] = "1"
    assert client.post(url, data=full).status_code == 302
    assert len(_stored(draft)["current_offers"]) == OFFERS.most - 1
