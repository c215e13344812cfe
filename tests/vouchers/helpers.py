"""Helpers shared by the tests of the vouchers slice: offers and the marketplace (the
offers themselves are built with tests/factories.py), and requests at the same moment."""

from __future__ import annotations

import threading

from sqlalchemy import delete, select

from hallobot.directory.models import Business
from hallobot.extensions import db
from hallobot.vouchers.models import Redemption, VoucherOffer
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


# --- requests at the same moment (tests without the rolled-back session) ---


def run_at_once(n: int, work) -> list[str]:
    """``work(i)`` for i in 0 … n−1, each in its own thread, all let go at the same moment;
    what each returned ("error: …" for an exception)."""
    start = threading.Barrier(n)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(i: int) -> None:
        start.wait()
        try:
            outcome = work(i)
        except Exception as error:  # noqa: BLE001 - reported by the test
            outcome = f"error: {error!r}"
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def forget_ledger(app, voucher_id: int) -> None:
    """Delete a voucher's ledger (reversals first), so that the ``committed`` fixture can
    delete the voucher."""
    with app.app_context():
        rows = delete(Redemption).where(Redemption.voucher_id == voucher_id)
        db.session.execute(rows.where(Redemption.kind == "reversal"))
        db.session.execute(rows)
        db.session.commit()
        db.session.remove()
