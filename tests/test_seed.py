"""The demo data: complete, plausible, and idempotent to load.

The only tests that use the demo: the module loads it once (``demo``) into its own
transaction, rolled back after the module; every other test builds its own data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from hallobot.accounts.models import User
from hallobot.directory.models import (
    Attribute,
    Business,
    Category,
    DeliveryOption,
    District,
    Hotspot,
    Service,
    Status,
)
from hallobot.extensions import db
from hallobot.importers import seed
from hallobot.search.models import SearchDocument
from hallobot.vouchers import offers
from hallobot.vouchers.models import VoucherOffer
from tests.conftest import copy_seed_files

SEED_DIR = Path(__file__).resolve().parent.parent / "seed_data"


@pytest.fixture(scope="module", autouse=True)
def demo(shared_db):
    """The demo data (``flask seed --demo``) on top of the reference data, for this module."""
    report = seed.load_demo(SEED_DIR)
    db.session.commit()
    return report


def counts() -> dict[str, int]:
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (
            User,
            Business,
            Category,
            District,
            Attribute,
            Service,
            DeliveryOption,
            Hotspot,
        )
    }


def test_seed_is_idempotent(app, demo):
    assert "Betriebe" in demo.created and "Demo-Konten" in demo.created  # the first load
    before = counts()
    report = seed.load_reference(SEED_DIR)
    seed.load_demo(SEED_DIR, report)
    db.session.commit()
    assert counts() == before
    assert "Betriebe" not in report.created and "Demo-Konten" not in report.created


def test_seed_command_twice_changes_nothing(app):
    before = counts()
    runner = app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["seed", "--demo"])
        assert result.exit_code == 0, result.output
    assert counts() == before
    result = runner.invoke(args=["seed", "--demo", "--if-empty"])
    assert "nicht erneut geladen" in result.output


def test_broken_seed_file_leaves_nothing_half_written(app, tmp_path):
    copy_seed_files(tmp_path)
    items = json.loads((SEED_DIR / "businesses.json").read_text())[:3]
    items[0]["name"] = "Ganz Neuer Betrieb"
    items[1]["name"] = "Kaputter Betrieb"
    items[1]["category"] = "gibt-es-nicht"
    (tmp_path / "businesses.json").write_text(json.dumps(items))
    before = counts()
    result = app.test_cli_runner().invoke(args=["seed", "--demo", "--data-dir", str(tmp_path)])
    assert result.exit_code != 0 and "unbekannte Kategorie" in result.output
    assert counts() == before


def test_demo_refused_in_production(app):
    app.config["ENV_NAME"] = "production"
    try:
        result = app.test_cli_runner().invoke(args=["seed", "--demo"])
    finally:
        app.config["ENV_NAME"] = "testing"
    assert result.exit_code != 0 and "Produktion" in result.output


def _published():
    return db.session.scalars(select(Business).where(Business.status == Status.PUBLISHED)).all()


def test_demo_data_is_credible(app):
    """The smoke test of the demo seed: what ``make run`` shows is complete and plausible."""
    businesses = db.session.scalars(select(Business)).all()
    assert len(businesses) >= 120
    districts = db.session.scalars(select(District)).all()
    assert len(districts) == 17
    used_districts = {b.district_id for b in businesses}
    assert {d.id for d in districts} <= used_districts
    tops = db.session.scalars(select(Category).where(Category.parent_id.is_(None))).all()
    used_tops = {b.category.parent_id or b.category_id for b in businesses}
    assert {c.id for c in tops} <= used_tops
    for b in businesses:
        assert 46236 <= int(b.postcode) <= 46244, b.name
        assert 51.48 <= b.lat <= 51.66 and 6.83 <= b.lon <= 7.02, b.name
        assert b.city == "Bottrop"
        for url in filter(None, [b.website, b.email, b.instagram]):
            assert ".example" in url, url  # fictional: never a real domain
    assert sum(1 for b in businesses if b.delivery_options) >= 30
    assert sum(1 for b in businesses if b.voucher_info) >= 25
    assert sum(1 for b in businesses if "fairtrade" in b.attribute_slugs) >= 15
    assert sum(1 for b in businesses if b.news_posts) >= 5
    assert any(not b.owners for b in businesses)
    past_midnight = [b for b in businesses if any(h.closes <= h.opens for h in b.opening_hours)]
    assert len(past_midnight) >= 3
    assert db.session.scalar(select(func.count(Hotspot.id))) == 6


@pytest.mark.parametrize(
    ("email", "role", "owned"),
    [
        ("inhaberin@hallobot.example", "owner", 5),
        ("hofmann@hallobot.example", "owner", 3),
        ("moderation@hallobot.example", "moderator", 0),
        ("admin@hallobot.example", "admin", 0),
    ],
)
def test_demo_accounts(app, auth, email, role, owned):
    user = db.session.scalar(select(User).where(User.email == email))
    assert user.role == role and user.confirmed_at is not None
    n = db.session.scalar(
        select(func.count()).select_from(Business).where(Business.owners.any(User.id == user.id))
    )
    assert n == owned
    passwords = {
        u["email"]: u["password"] for u in json.loads((SEED_DIR / "demo_users.json").read_text())
    }
    assert auth.login(email, passwords[email]).status_code == 302
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    assert email in readme and passwords[email] in readme


def test_demo_offers_are_published_and_loading_twice_adds_nothing(app):
    count = db.session.scalar(select(func.count(VoucherOffer.id)))
    report = seed.load_demo(SEED_DIR)
    assert "Gutscheinangebote" not in report.created
    assert db.session.scalar(select(func.count(VoucherOffer.id))) == count
    kruse = db.session.scalar(select(Business).where(Business.slug == "baeckerei-kruse"))
    demo = list(
        db.session.scalars(
            select(VoucherOffer)
            .where(VoucherOffer.business_id == kruse.id)
            .order_by(VoucherOffer.id)
        )
    )
    assert [o.title for o in demo if o.status == "published"] == ["Brotzeit-Gutschein"]
    assert demo[0].pay_by_transfer and demo[0].iban == "DE89370400440532013000"
    assert offers.city_offer().title == "Bottrop-Gutschein"
    db.session.expire_all()
    assert db.session.get(SearchDocument, kruse.id).voucher is True


def test_every_published_demo_business_page_answers(client):
    """Every entry of the demo renders (the public pages' own tests build their data)."""
    businesses = db.session.scalars(
        select(Business).where(Business.status == Status.PUBLISHED)
    ).all()
    assert len(businesses) >= 120
    for b in businesses:
        response = client.get(f"/betrieb/{b.slug}")
        assert response.status_code == 200, b.slug
        html = response.get_data(as_text=True)
        assert '<html lang="de">' in html
        assert b.name.replace("&", "&amp;").replace("'", "&#39;") in html


def test_slugs_are_german_friendly():
    from hallobot.directory.slugs import make_slug

    assert make_slug("Bäckerei Müller") == "baeckerei-mueller"
    assert make_slug("Straßen & Größen") == "strassen-und-groessen"
    assert make_slug("Öko-Laden Übach") == "oeko-laden-uebach"
