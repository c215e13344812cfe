"""Helpers shared by the tests of voucher offers and the marketplace (the offers themselves
are built with tests/factories.py)."""

from __future__ import annotations

from sqlalchemy import select

from hallobot.directory.models import Business
from hallobot.extensions import db
from hallobot.vouchers.models import VoucherOffer
from hallobot.vouchers.offers import refresh_teasers
from tests.factories import Factories


def text(response) -> str:
    """A response's page, with the no-break spaces of amounts ("10,00 €") as spaces."""
    return response.get_data(as_text=True).replace("\xa0", " ")


def make_offer(biz: Business | None, status: str = "published", **kwargs) -> VoucherOffer:
    """An offer (``Factories.voucher_offer``), committed: the pages under test see it."""
    offer = Factories().voucher_offer(biz, status, **kwargs)
    if biz is not None:  # as the offer service does: the business lists its published offers
        refresh_teasers([biz.id])
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
