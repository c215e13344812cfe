"""Redeeming: partial redemptions, undo as a reversal, every refusal with its message, a
double submit redeemed once — and the balance never below zero under 50 concurrent
redemptions, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from hallobot.directory.models import Attribute, Business
from hallobot.extensions import db
from hallobot.vouchers import service
from hallobot.vouchers.models import Voucher
from hallobot.vouchers.service import VoucherError
from tests.vouchers.helpers import forget_ledger, run_at_once

NOW = datetime(2026, 11, 25, 11, 0, tzinfo=UTC)


def _voucher(business: Business | None, value: int = 5000, **kwargs) -> Voucher:
    voucher = service.issue(
        value_cents=value,
        business_id=business.id if business else None,
        expires_on=kwargs.pop("expires_on", date(2029, 12, 31)),
        **kwargs,
    )
    db.session.commit()
    return voucher


def test_partial_redemptions_then_refused_when_used_up(app, bakery):
    kruse = bakery
    voucher = _voucher(kruse)
    first = service.redeem(None, kruse, voucher.id, 2000, "a", NOW)
    assert first.balance_cents == 3000 and not first.repeated
    second = service.redeem(None, kruse, voucher.id, 3000, "b", NOW)
    assert second.balance_cents == 0
    with pytest.raises(VoucherError, match="vollständig eingelöst"):
        service.redeem(None, kruse, voucher.id, 100, "c", NOW)
    assert service.ledger_balance(voucher.id) == 0


def test_more_than_the_balance_is_refused_and_nothing_changes(app, bakery):
    kruse = bakery
    voucher = _voucher(kruse, 2500)
    with pytest.raises(VoucherError, match="mehr als das Guthaben"):
        service.redeem(None, kruse, voucher.id, 2501, "x", NOW)
    db.session.refresh(voucher)
    assert voucher.balance_cents == 2500 and not voucher.ledger


def test_a_double_submit_redeems_once(app, bakery):
    kruse = bakery
    voucher = _voucher(kruse)
    once = service.redeem(None, kruse, voucher.id, 1000, "same-form", NOW)
    twice = service.redeem(None, kruse, voucher.id, 1000, "same-form", NOW)
    assert twice.repeated and twice.redemption.id == once.redemption.id
    assert twice.balance_cents == 4000
    assert len(voucher.ledger) == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": "cancelled"}, "storniert"),
        ({"expires_on": date(2026, 11, 24)}, "am 24.11.2026 abgelaufen"),
    ],
)
def test_cancelled_and_expired_vouchers_are_refused(app, change, message, bakery):
    kruse = bakery
    voucher = _voucher(kruse)
    for key, value in change.items():
        setattr(voucher, key, value)
    db.session.commit()
    with pytest.raises(VoucherError, match=message):
        service.redeem(None, kruse, voucher.id, 100, "k", NOW)


def test_another_businesss_voucher_is_refused(app, bakery, factories):
    voucher = _voucher(bakery)
    other = factories.business(name="Café Kaffeeklatsch", category="cafes")
    with pytest.raises(VoucherError, match="anderen Betrieb"):
        service.redeem(None, other, voucher.id, 100, "k", NOW)


def test_the_city_voucher_is_redeemed_where_it_is_accepted(app, bakery):
    voucher = _voucher(None)
    kruse = bakery
    with pytest.raises(VoucherError, match="Bottrop-Gutschein"):
        service.redeem(None, kruse, voucher.id, 100, "k", NOW)
    accepts = db.session.scalar(select(Attribute).where(Attribute.slug == "bottrop-gutschein"))
    kruse.attributes.append(accepts)
    db.session.commit()
    assert service.redeem(None, kruse, voucher.id, 100, "k", NOW).balance_cents == 4900


def test_undo_within_15_minutes_is_a_reversal(app, bakery):
    kruse = bakery
    voucher = _voucher(kruse)
    taken = service.redeem(None, kruse, voucher.id, 1500, "u", NOW).redemption
    reversal = service.undo(None, kruse, taken.id, NOW + timedelta(minutes=14))
    assert reversal.kind == "reversal" and reversal.reverses_id == taken.id
    db.session.refresh(voucher)
    assert voucher.balance_cents == 5000 == service.ledger_balance(voucher.id)
    assert [r.kind for r in voucher.ledger] == ["redemption", "reversal"]  # append-only
    with pytest.raises(VoucherError, match="bereits zurückgenommen"):
        service.undo(None, kruse, taken.id, NOW + timedelta(minutes=14))
    late = service.redeem(None, kruse, voucher.id, 500, "v", NOW).redemption
    with pytest.raises(VoucherError, match="ersten 15 Minuten"):
        service.undo(None, kruse, late.id, NOW + timedelta(minutes=16))


# --- concurrency: real threads, each with its own connection ---


def _redeem_at_once(app, business_id: int, voucher_id: int, requests) -> list[str]:
    """Each request (amount, request key) redeemed in its own thread, all at the same
    moment; what each was told: "ok", "repeated" (booked before) or the refusal."""

    def work(i: int) -> str:
        amount, key = requests[i]
        with app.app_context():
            try:
                business = db.session.get(Business, business_id)
                done = service.redeem(None, business, voucher_id, amount, key, NOW)
                return "repeated" if done.repeated else "ok"
            except VoucherError as error:
                return str(error.message)
            finally:
                db.session.remove()

    return run_at_once(len(requests), work)


@pytest.mark.no_db_session
def test_50_concurrent_redemptions_never_overdraw(app, committed):
    """€100, 50 requests of €10 each at the same moment: exactly 10 succeed."""
    with committed() as factories:
        kruse = factories.bakery()
        voucher = factories.voucher(kruse, 10_000, expires_on=date(2029, 12, 31))
    voucher_id, business_id = voucher.id, kruse.id
    requests = [(1000, f"thread-{n}") for n in range(50)]
    outcomes = _redeem_at_once(app, business_id, voucher_id, requests)
    try:
        assert len(outcomes) == 50
        assert not [o for o in outcomes if o.startswith("error")], outcomes
        assert outcomes.count("ok") == 10
        with app.app_context():
            voucher = db.session.get(Voucher, voucher_id)
            assert voucher.balance_cents == 0
            assert service.ledger_balance(voucher_id) == 0
            assert len(voucher.ledger) == 10
    finally:
        forget_ledger(app, voucher_id)


@pytest.mark.no_db_session
def test_the_same_form_sent_at_once_redeems_once_and_every_answer_says_so(app, committed):
    """A form sent several times at the same moment (a double click, a repeated request),
    each time for the whole balance: one redemption, and every other answer is "already
    booked" — never "fully redeemed", which would tell the cashier it failed."""
    with committed() as factories:
        kruse = factories.bakery()
        voucher = factories.voucher(kruse, 5000, expires_on=date(2029, 12, 31))
    voucher_id, business_id = voucher.id, kruse.id
    outcomes = _redeem_at_once(app, business_id, voucher_id, [(5000, "one-form")] * 8)
    try:
        assert sorted(outcomes) == ["ok"] + ["repeated"] * 7, outcomes
        with app.app_context():
            voucher = db.session.get(Voucher, voucher_id)
            assert voucher.balance_cents == 0 == service.ledger_balance(voucher_id)
            assert len(voucher.ledger) == 1
    finally:
        forget_ledger(app, voucher_id)
