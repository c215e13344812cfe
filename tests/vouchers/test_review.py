"""Regression tests for defects found in review of the voucher slice."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from hallobot.directory.hours import local_now
from hallobot.directory.models import Attribute, Business
from hallobot.extensions import db
from hallobot.vouchers import service
from hallobot.vouchers.models import Voucher, VoucherOrder
from tests.conftest import csrf_from, login_as
from tests.vouchers.helpers import forget_ledger, run_at_once
from tests.vouchers.test_orders import SHOPPER, _offer, _order, _owner_post

REDEEM = "/mein-betrieb/{slug}/gutscheine/einloesen"
IN_THREE_YEARS = timedelta(days=3 * 365)


def _accept_city_voucher(business: Business) -> None:
    business.attributes.append(
        db.session.scalar(select(Attribute).where(Attribute.slug == "bottrop-gutschein"))
    )
    db.session.commit()


def test_no_undo_button_for_another_businesss_redemption(app, factories, owner_account, bakery):
    cafe, kruse = factories.business(name="Café Kaffeeklatsch", owners=[owner_account]), bakery
    _accept_city_voucher(cafe)
    _accept_city_voucher(kruse)
    voucher = service.issue(
        value_cents=5000, business_id=None, expires_on=date.today() + IN_THREE_YEARS
    )
    db.session.commit()
    service.redeem(None, cafe, voucher.id, 1000, "at-the-cafe")
    owner = login_as(app, owner_account)
    page = owner.get(REDEEM.format(slug=kruse.slug) + f"?code={voucher.code}")
    html = page.get_data(as_text=True)
    assert "Café Kaffeeklatsch" in html  # the history shows where it was redeemed
    assert "zuruecknehmen" not in html  # but only the cafe may undo it, on its own page


def test_a_double_confirmation_mails_the_voucher_once(
    app, client, smtp_server, owner_account, bakery
):
    offer = _offer(bakery)
    _order(client, offer)
    order = db.session.scalar(select(VoucherOrder).where(VoucherOrder.offer_id == offer.id))
    owner = login_as(app, owner_account)
    path = f"/mein-betrieb/{bakery.slug}/gutscheine/bestellung/{order.id}/bezahlt"
    _owner_post(owner, path)
    smtp_server.last_to(SHOPPER)
    before = len(smtp_server.messages)
    _owner_post(owner, path)
    issued = [m for m in smtp_server.messages[before:] if m["To"] == SHOPPER]
    assert not issued


def test_an_offer_past_its_fixed_date_cannot_be_ordered_or_issued(
    app, client, owner_account, bakery
):
    today = local_now().date()
    offer = _offer(bakery, validity="fixed", valid_until=today + timedelta(days=10))
    _order(client, offer)
    order = db.session.scalar(select(VoucherOrder).where(VoucherOrder.offer_id == offer.id))
    offer.valid_until = today - timedelta(days=1)
    db.session.commit()
    assert client.get(f"/gutscheine/{offer.id}/bestellen").status_code == 404
    owner = login_as(app, owner_account)
    path = f"/mein-betrieb/{bakery.slug}/gutscheine/bestellung/{order.id}/bezahlt"
    _owner_post(owner, path)
    assert db.session.scalar(select(Voucher).where(Voucher.order_id == order.id)) is None


def test_a_city_voucher_is_not_redeemed_at_an_unpublished_business(app, owner_account, draft_entry):
    draft = draft_entry
    assert draft.status == "draft"
    _accept_city_voucher(draft)
    voucher = service.issue(
        value_cents=5000, business_id=None, expires_on=date.today() + IN_THREE_YEARS
    )
    db.session.commit()
    owner = login_as(app, owner_account)
    page = owner.get(REDEEM.format(slug=draft.slug) + f"?code={voucher.code}")
    assert page.status_code == 422


@pytest.mark.no_db_session
def test_concurrent_redemptions_through_http_never_overdraw(make_app, committed):
    """20 owners' browsers redeem €10 each of a €100 voucher at once, through the real
    request path (its write mode, the access check's transaction): exactly 10 succeed."""
    other = make_app(RATELIMIT_ENABLED=False)
    with committed() as factories:
        owner_account = factories.owner()
        kruse = factories.bakery(owner_account)
        voucher = factories.voucher(kruse, value_cents=10_000)
    voucher_id, code = voucher.id, voucher.code
    try:
        owner = login_as(other, owner_account)
        url = REDEEM.format(slug=kruse.slug)
        token = csrf_from(owner.get(f"{url}?code={code}").get_data(as_text=True))
        cookie = owner.get_cookie("session").value
        clients = []
        for _ in range(20):
            browser = other.test_client()
            browser.set_cookie("session", cookie)
            clients.append(browser)

        def work(i: int) -> str:
            data = {"csrf_token": token, "code": code, "amount": "10", "request_key": f"r{i}"}
            return str(clients[i].post(url, data=data).status_code)

        outcomes = run_at_once(20, work)
        assert sorted(outcomes) == ["302"] * 10 + ["422"] * 10, outcomes
        with other.app_context():
            assert db.session.get(Voucher, voucher_id).balance_cents == 0
            assert service.ledger_balance(voucher_id) == 0
            db.session.remove()
    finally:
        forget_ledger(other, voucher_id)


@pytest.mark.no_db_session
def test_concurrent_undos_of_one_redemption_reverse_it_once(app, committed):
    """Ten undos of the same redemption at once: one reversal, the others a clear refusal
    (not an error from the balance's CHECK constraint)."""
    with committed() as factories:
        kruse = factories.bakery()
        voucher = factories.voucher(kruse, value_cents=5000)
    voucher_id, business_id = voucher.id, kruse.id
    with app.app_context():
        business = db.session.get(Business, business_id)
        taken = service.redeem(None, business, voucher_id, 5000, "all").redemption
        taken_id = taken.id
        db.session.remove()

    def work(i: int) -> str:
        with app.app_context():
            try:
                business = db.session.get(Business, business_id)
                service.undo(None, business, taken_id)
                return "ok"
            except service.VoucherError as refused:
                return str(refused.message)
            finally:
                db.session.remove()

    try:
        outcomes = run_at_once(10, work)
        assert outcomes.count("ok") == 1, outcomes
        assert not [o for o in outcomes if o.startswith("error")], outcomes
        with app.app_context():
            assert db.session.get(Voucher, voucher_id).balance_cents == 5000
            db.session.remove()
    finally:
        forget_ledger(app, voucher_id)


@pytest.mark.parametrize(
    "path",
    [
        "/gutscheine/99999999999999999999999",
        "/gutscheine/99999999999999999999999/bestellen",
        "/gutscheine/99999999999999999999999/kontakt",
        "/gutscheine/2147483648",
    ],
)
def test_an_id_beyond_the_database_integers_is_not_found(client, path):
    assert client.get(path).status_code == 404


def test_an_id_beyond_the_database_integers_is_not_found_for_owners(app, owner_account, bakery):
    owner = login_as(app, owner_account)
    page = owner.get(REDEEM.format(slug=bakery.slug)).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    path = f"/mein-betrieb/{bakery.slug}/gutscheine/einloesung/99999999999999999999/zuruecknehmen"
    assert owner.post(path, data={"csrf_token": token}).status_code == 404
