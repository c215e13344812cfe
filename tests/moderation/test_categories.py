"""Moderators manage categories: create, rename, delete only when unused; all logged."""

from __future__ import annotations

from sqlalchemy import select

from hallobot.directory.models import Category
from hallobot.extensions import db
from hallobot.moderation.models import AuditEvent
from tests.conftest import login_as, post_form


def test_create_rename_and_delete_a_category(app, moderator_account):
    client = login_as(app, moderator_account)
    parent = db.session.scalar(select(Category).where(Category.slug == "handwerk"))
    response = post_form(
        client,
        "/moderation/kategorien",
        {
            "name": "Goldschmiede",
            "name_en": "Goldsmiths",
            "icon": "hammer",
            "parent_id": str(parent.id),
        },
    )
    assert response.status_code == 302
    created = db.session.scalar(select(Category).where(Category.slug == "goldschmiede"))
    assert created.parent_id == parent.id and created.name_en == "Goldsmiths"
    assert client.get("/kategorie/goldschmiede").status_code == 200

    url = f"/moderation/kategorien/{created.id}"
    response = post_form(
        client,
        url,
        {
            "name": "Gold- und Silberschmiede",
            "name_en": "Gold and silversmiths",
            "icon": "hammer",
        },
    )
    assert response.status_code == 302
    db.session.refresh(created)
    assert created.name == "Gold- und Silberschmiede"

    response = post_form(client, url, {}, post_url=f"{url}/loeschen")
    assert response.status_code == 302
    assert db.session.get(Category, created.id) is None
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.action.like("category.%"))
    ).all()
    assert sorted(actions) == ["category.created", "category.deleted", "category.updated"]


def test_a_used_category_cannot_be_deleted(app, bakery, moderator_account):
    client = login_as(app, moderator_account)
    used = db.session.scalar(select(Category).where(Category.slug == "baeckereien"))
    assert bakery.category_id == used.id
    url = f"/moderation/kategorien/{used.id}"
    response = post_form(client, url, {}, post_url=f"{url}/loeschen", follow_redirects=True)
    assert "noch von" in response.get_data(as_text=True)
    assert db.session.get(Category, used.id) is not None


def test_category_form_errors_stay_beside_the_fields(app, moderator_account):
    client = login_as(app, moderator_account)
    response = post_form(
        client,
        "/moderation/kategorien",
        {"name": "X", "name_en": "", "icon": "hammer", "parent_id": ""},
    )
    assert response.status_code == 422
    assert "2 bis 80 Zeichen" in response.get_data(as_text=True)
