"""The one diff engine (hallobot/diffs.py), for revisions of businesses and changes of
voucher offers alike: field by field, list entries one by one, long texts word by word."""

from __future__ import annotations

from sqlalchemy import select

from hallobot.diffs import DiffItem, field_changes, item_changes, word_changes
from hallobot.extensions import db
from hallobot.moderation.models import Revision
from tests.conftest import browser_form, login_as

PASSWORD = "ein-sicheres-passwort"
OLD_TEXT = (
    "Wir backen jeden Morgen frisches Brot aus regionalem Mehl.\n\n"
    "Sonntags haben wir von 8 bis 11 Uhr geöffnet."
)
NEW_TEXT = (
    "Wir backen jeden Morgen frisches Brot und Brötchen aus regionalem Mehl.\n\n"
    "Sonntags haben wir von 8 bis 12 Uhr geöffnet."
)


def _show(name, value):
    return "–" if value in (None, "") else str(value)


def test_long_texts_are_compared_word_by_word():
    old, new = word_changes(OLD_TEXT, NEW_TEXT)
    assert "".join(r.text for r in old) == OLD_TEXT
    assert "".join(r.text for r in new) == NEW_TEXT
    assert [r.text for r in old if r.change == "removed"] == ["11"]
    assert [r.text for r in new if r.change == "added"] == [" und Brötchen", "12"]


def test_short_values_are_compared_whole_and_unchanged_ones_left_out():
    changes = field_changes(
        {"phone": "02041 1", "name": "Kruse", "description": OLD_TEXT},
        {"phone": "02041 2", "name": "Kruse", "description": NEW_TEXT, "secret": "x"},
        {"phone": "Telefon", "name": "Name", "description": "Beschreibung"},
        _show,
    )
    assert [c.field for c in changes] == ["phone", "description"]  # unlabelled: left out
    phone, description = changes
    assert (phone.old, phone.new, phone.new_words) == ("02041 1", "02041 2", None)
    assert description.new_words is not None and description.items is None


def test_list_entries_are_paired_by_key():
    before = [DiffItem("a", "Brot 3 €"), DiffItem("b", "Kuchen"), DiffItem("c", "Kaffee")]
    after = [DiffItem("c", "Kaffee"), DiffItem("a", "Brot 3,50 €"), DiffItem("d", "Tee")]
    changes = item_changes(before, after)
    kinds = [(c.change, (c.old or c.new).key) for c in changes[:-1]]
    assert kinds == [("changed", "a"), ("added", "d"), ("removed", "b")]
    assert changes[-1].change == "order"


def test_moderators_see_a_long_description_change_word_by_word(app, factories):
    owner = factories.user(role="owner")
    moderator = factories.user(role="moderator")
    business = factories.business(category=factories.category(parent=factories.category()))
    business.description = OLD_TEXT
    business.owners.append(owner)
    db.session.flush()
    client = login_as(app, owner.email, PASSWORD)
    url = f"/mein-betrieb/{business.slug}/bearbeiten"
    form = browser_form(client.get(url).get_data(as_text=True))
    form["description"] = NEW_TEXT
    assert client.post(url, data=form).status_code == 302
    revision = db.session.scalar(select(Revision).where(Revision.business_id == business.id))
    page = login_as(app, moderator.email, PASSWORD).get(f"/moderation/aenderung/{revision.id}")
    html = page.get_data(as_text=True)
    assert "<del>11</del>" in html and "<ins>12</ins>" in html
    assert "<ins> und Brötchen</ins>" in html
