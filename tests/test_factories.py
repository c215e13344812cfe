"""The builders of tests/factories.py make valid rows of every model, on SQLite and on
PostgreSQL (its constraints are the stricter), and their people can log in."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from hallobot import models
from hallobot.extensions import db
from hallobot.search.models import SearchDocument
from tests.conftest import login_as


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_every_model_can_be_built_and_committed(factories):
    owner = factories.owner()
    moderator = factories.moderator()
    category = factories.category("Prüfwaren", parent="lebensmittel")
    district = factories.district("Prüfviertel")
    attribute = factories.attribute("Hunde willkommen")
    business = factories.business(
        "Prüfladen", category, district, services=2, owners=[owner], attributes=[attribute]
    )
    factories.opening_hours(business, 6, "10:00", "12:00")
    factories.special_day(business, date(2026, 12, 31), opens="09:00", closes="13:00")
    factories.service(business, "Beratung", 1500, unit="Stunde")
    factories.delivery_option(business, "delivery", ["46236"], fee_cents=250)
    factories.current_offer(business, "Lieferung frei Haus")
    factories.news_post(business, "Neu im Sortiment", valid_until=date.today())
    factories.photo(business, kind="logo", alt_text="Unser Logo")
    factories.hotspot("WiFi4EU Rathaus")
    factories.synonym_group("Prüfwaren", "Testwaren")
    factories.geocode_result("Hochstraße 12, 46236 Bottrop")
    factories.geocode_result("Gibtsnichtweg 1, 46236 Bottrop", found=False)
    factories.audit_event("business.approved", actor=moderator, business=business)
    factories.report(business, "falsche-angaben", "Die Telefonnummer stimmt nicht.")
    factories.claim(business)
    factories.revision(business, {"phone": "02041 111111"}, author=owner)
    invitation, token = factories.invitation(business, invited_by=owner)
    offer = factories.orderable_offer(business)
    factories.voucher_offer(None, title="Bottrop-Gutschein")
    factories.voucher_order(offer, 2500)
    voucher = factories.voucher(business, 5000)
    factories.redemption(voucher, amount_cents=2000)
    factories.voucher(None, 1000, expires_on=date.today() + timedelta(days=30))
    factories.bakery(owner)
    factories.beauty_salon(owner)
    db.session.commit()

    for model in (
        models.User,
        models.Business,
        models.Category,
        models.District,
        models.Attribute,
        models.Hotspot,
        models.MediaFile,
        models.NewsPost,
        models.OpeningHours,
        models.Photo,
        models.Service,
        models.SpecialDay,
        models.CurrentOffer,
        models.DeliveryOption,
        models.GeocodeResult,
        models.AuditEvent,
        models.Claim,
        models.Report,
        models.Revision,
        models.Invitation,
        models.SynonymGroup,
        models.VoucherOffer,
        models.VoucherOrder,
        models.Voucher,
        models.Redemption,
    ):
        assert _count(model) >= 1, model.__name__
    assert business.category.parent.slug == "lebensmittel" and business.owners == [owner]
    assert voucher.balance_cents == 3000 and len(voucher.ledger) == 1
    assert invitation.is_open(invitation.created_at) and token not in invitation.token_hash
    assert db.session.get(SearchDocument, business.id) is not None  # indexed at commit
    assert len({b.slug for b in db.session.scalars(select(models.Business))}) == _count(
        models.Business
    )


def test_built_people_log_in_with_the_known_password(app, factories):
    people = [factories.owner(), factories.moderator(), factories.admin(), factories.shopper()]
    db.session.commit()
    for person in people:
        assert login_as(app, person).get("/konto").status_code == 200
