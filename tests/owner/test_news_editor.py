"""News posts with an end date: written by the owner, they lapse by themselves."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from hallobot.extensions import db
from hallobot.moderation.models import Revision
from hallobot.owner.errors import OwnerError
from hallobot.owner.rows import news_from_form
from tests.conftest import browser_form, login_as


def test_new_post_on_a_draft_and_its_end_date(app, owner_account, draft_entry):
    draft = draft_entry
    client = login_as(app, owner_account)
    url = f"/mein-betrieb/{draft.slug}/neuigkeiten"
    data = browser_form(client.get(url).get_data(as_text=True))
    today = date.today()
    data.update(
        {
            "n0_title": "Adventsaktion",
            "n0_body": "10 % auf alle Gutscheine.",
            "n0_published": today.isoformat(),
            "n0_valid_until": (today + timedelta(days=20)).isoformat(),
        }
    )
    assert client.post(url, data=data).status_code == 302
    db.session.refresh(draft)
    post = next(n for n in draft.news_posts if n.title == "Adventsaktion")
    assert post.body == "10 % auf alle Gutscheine."
    assert post.valid_until == today + timedelta(days=20)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"title": "", "body": "Nur Text"}, "Titel"),
        ({"title": "A", "published": "gestern"}, "gültige Daten"),
        ({"title": "A", "published": "2027-01-10", "valid_until": "2027-01-01"}, "Enddatum"),
    ],
)
def test_news_validation(row, message):
    with pytest.raises(OwnerError) as info:
        news_from_form([row], date(2026, 11, 25))
    assert message in str(info.value.message)


def test_lapsed_news_disappears_from_the_public_page(app, factories):
    from hallobot.directory.models import NewsPost
    from hallobot.models_base import utcnow

    business = factories.business(name="Aktionsladen")
    business.news_posts.append(
        NewsPost(
            title="Läuft noch", published_at=utcnow(), valid_until=date.today() + timedelta(days=1)
        )
    )
    business.news_posts.append(
        NewsPost(
            title="Schon vorbei",
            published_at=utcnow(),
            valid_until=date.today() - timedelta(days=1),
        )
    )
    db.session.commit()
    html = app.test_client().get(f"/betrieb/{business.slug}").get_data(as_text=True)
    assert "Läuft noch" in html and "Schon vorbei" not in html


def test_published_news_waits_for_moderation(app, owner_account, bakery):
    business = bakery
    before = len(business.news_posts)
    assert before >= 1  # the form shows the published posts to keep
    client = login_as(app, owner_account)
    url = f"/mein-betrieb/{business.slug}/neuigkeiten"
    page = client.get(url).get_data(as_text=True)
    data = browser_form(page)
    import html as html_lib
    import re

    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
        data[name] = html_lib.unescape(body)
    data.update({"n0_title": "Neu: Dinkelbrötchen", "n0_body": "Ab Montag jeden Tag."})
    assert client.post(url, data=data).status_code == 302
    db.session.refresh(business)
    assert len(business.news_posts) == before
    revision = db.session.scalar(select(Revision).where(Revision.business_id == business.id))
    titles = [n["title"] for n in revision.changes["news_posts"]]
    assert "Neu: Dinkelbrötchen" in titles and len(titles) == before + 1
