"""Builders and logins shared by the tests of voucher offers and the marketplace."""

from __future__ import annotations

from sqlalchemy import select

from hallobot.directory.models import Business
from hallobot.extensions import db
from hallobot.models_base import utcnow
from hallobot.vouchers.models import VoucherOffer
from hallobot.vouchers.offers import refresh_teasers
from tests.conftest import login_as

OWNER = ("inhaberin@hallobot.example", "Bottrop-Inhaberin-2026")  # Bäckerei Kruse & more
OTHER_OWNER = ("hofmann@hallobot.example", "Bottrop-Hofmann-2026")
MODERATOR = ("moderation@hallobot.example", "Bottrop-Moderation-2026")
ADMIN = ("admin@hallobot.example", "Bottrop-Admin-2026")
SHOPPER = ("kundin@hallobot.example", "Bottrop-Kundin-2026")


def text(response) -> str:
    """A response's page, with the no-break spaces of amounts ("10,00 €") as spaces."""
    return response.get_data(as_text=True).replace("\xa0", " ")


def login(app, who: tuple[str, str]):
    return login_as(app, *who)


def business(slug: str = "baeckerei-kruse") -> Business:
    return db.session.scalar(select(Business).where(Business.slug == slug))


def make_offer(biz: Business | None, status: str = "published", **kwargs) -> VoucherOffer:
    """An offer straight in the database (committed), valid unless told otherwise."""
    values = {
        "title": "Testgutschein",
        "description": "Ein Gutschein zum Testen.",
        "values_cents": [1000, 2500],
        "validity": "statutory",
        "terms": "",
        "how": "contact",
        "pay_in_shop": False,
        "published_at": utcnow() if status == "published" else None,
    } | kwargs
    offer = VoucherOffer(business_id=biz.id if biz else None, status=status, **values)
    db.session.add(offer)
    if biz is not None:  # as the offer service does: the business lists its published offers
        refresh_teasers(db.session, [biz.id])
    db.session.commit()
    return offer


def form_data(**changes) -> dict:
    """What a browser sends from the offer form, filled in validly (ticked boxes only)."""
    data = {
        "title": "Geschenkgutschein",
        "description": "Für alles aus unserem Laden.",
        "values": "10; 25; 50",
        "min_amount": "",
        "max_amount": "",
        "validity": "statutory",
        "valid_until": "",
        "terms": "Nicht gegen Bargeld einlösbar.",
        "how": "order",
        "link_url": "",
        "phone": "",
        "pay_in_shop": "y",
        "account_holder": "",
        "iban": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def offers_of(biz: Business) -> list[VoucherOffer]:
    return list(
        db.session.scalars(
            select(VoucherOffer)
            .where(VoucherOffer.business_id == biz.id)
            .order_by(VoucherOffer.id)
            .execution_options(populate_existing=True)
        )
    )
