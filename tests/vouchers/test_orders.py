"""Journey 4 through real HTTP: order, payment instructions by mail, the owner confirms, the
voucher (code + QR) is mailed, redeemed in parts, refused, checked — and the pages around
it: cancelling, the balance check without enumeration, the printable voucher, the city
voucher with its settlement, reminders."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from hallobot.directory.models import Attribute, Business
from hallobot.extensions import db
from hallobot.vouchers import codes, reports, service
from hallobot.vouchers.models import Redemption, Voucher, VoucherOffer, VoucherOrder
from tests.conftest import SMTPRecorder, csrf_from, login_as, post_form
from tests.factories import Factories

SHOPPER = "kunde@example.org"
IN_THREE_YEARS = timedelta(days=3 * 365)


def _offer(business: Business | None = None, **changes) -> VoucherOffer:
    """An offer ordered here (``Factories.orderable_offer``), committed."""
    offer = Factories().orderable_offer(business, **changes)
    db.session.commit()
    return offer


def _order(client, offer, **data):
    form = {
        "amount": "50,00",
        "buyer_name": "Karla Kundin",
        "buyer_email": SHOPPER,
        "recipient_name": "Oma Erna",
        "message": "Alles Gute!",
        "payment": "transfer",
        **data,
    }
    return post_form(client, f"/gutscheine/{offer.id}/bestellen", form)


def _token(html: str) -> str:
    """The CSRF token of any form on the page (the logout form has one on every page)."""
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def _owner_post(owner, path: str, data: dict | None = None):
    token = _token(owner.get("/mein-betrieb").get_data(as_text=True))
    return owner.post(path, data={"csrf_token": token, **(data or {})})


def test_ordering_mails_payment_instructions(app, client, smtp_server, bakery, owner_account):
    offer = _offer(bakery)
    response = _order(client, offer)
    assert response.status_code == 302 and response.location.endswith("/gutscheine/bestellt")
    page = client.get("/gutscheine/bestellt").get_data(as_text=True)
    order = db.session.scalar(select(VoucherOrder).where(VoucherOrder.offer_id == offer.id))
    assert re.fullmatch(r"GS-[0-9A-Z]{4}-[0-9A-Z]{4}", order.reference)
    assert order.reference in page and "DE89370400440532013000" in page and "50,00" in page
    assert order.status == "open" and order.amount_cents == 5000
    mail = SMTPRecorder.body(smtp_server.last_to(SHOPPER))
    assert order.reference in mail and "Verwendungszweck" in mail and "50,00\xa0€" in mail
    notice = smtp_server.last_to(owner_account.email)
    assert order.reference in notice["Subject"]


def test_a_free_amount_within_the_range(app, client, bakery):
    offer = _offer(bakery)
    assert _order(client, offer, amount="", amount_free="37,50").status_code == 302
    assert (
        db.session.scalar(
            select(VoucherOrder.amount_cents).where(VoucherOrder.offer_id == offer.id)
        )
        == 3750
    )


def test_bad_orders_are_refused_with_messages_and_nothing_stored(app, client, bakery):
    offer = _offer(bakery, pay_by_transfer=False)
    response = _order(
        client, offer, amount="", amount_free="999", buyer_email="nicht-gültig", payment="transfer"
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Bitte wählen Sie einen der angebotenen Beträge." in html
    assert "Bitte geben Sie eine gültige E-Mail-Adresse an." in html
    assert "Bitte wählen Sie, wie Sie bezahlen möchten." in html
    assert 'value="Karla Kundin"' in html  # nothing typed is lost
    assert db.session.scalar(select(VoucherOrder).where(VoucherOrder.offer_id == offer.id)) is None


def test_only_orderable_offers_have_an_order_form(app, client, bakery):
    kruse = bakery
    assert (
        client.get(
            f"/gutscheine/{_offer(kruse, how='phone', phone='02041 1').id}/bestellen"
        ).status_code
        == 404
    )
    assert (
        client.get(f"/gutscheine/{_offer(kruse, status='pending').id}/bestellen").status_code == 404
    )
    assert client.get("/gutscheine/999999/bestellen").status_code == 404


def test_only_public_offers_can_be_ordered(app, client, factories, bakery):
    """Not one past its fixed date (the voucher would be void) nor one of a business that
    is not public; the city's can."""
    lapsed = _offer(bakery, validity="fixed", valid_until=date.today() - timedelta(days=1))
    hidden = _offer(factories.business(status="draft"))
    city = client.get(f"/gutscheine/{_offer(None).id}/bestellen")
    assert city.status_code == 200
    form = {"csrf_token": csrf_from(city.get_data(as_text=True)), "amount": "10"}
    for offer in (lapsed, hidden):
        assert client.get(f"/gutscheine/{offer.id}/bestellen").status_code == 404
        assert client.post(f"/gutscheine/{offer.id}/bestellen", data=form).status_code == 404
    assert db.session.scalar(select(func.count()).select_from(VoucherOrder)) == 0


def test_journey_confirm_issue_redeem_refuse_check(app, client, smtp_server, bakery, owner_account):
    offer = _offer(bakery)
    _order(client, offer)
    order = db.session.scalar(select(VoucherOrder).where(VoucherOrder.offer_id == offer.id))
    owner = login_as(app, owner_account)
    overview = owner.get(f"/mein-betrieb/{bakery.slug}/gutscheine").get_data(as_text=True)
    assert order.reference in overview and "Karla Kundin" in overview

    base = f"/mein-betrieb/{bakery.slug}/gutscheine/bestellung/{order.id}"
    assert _owner_post(owner, f"{base}/bezahlt").status_code == 302
    assert _owner_post(owner, f"{base}/bezahlt").status_code == 302  # twice: issued once
    vouchers = db.session.scalars(select(Voucher).where(Voucher.order_id == order.id)).all()
    assert len(vouchers) == 1
    voucher = vouchers[0]
    assert voucher.value_cents == voucher.balance_cents == 5000
    assert voucher.expires_on == date(date.today().year + 3, 12, 31)

    mail = smtp_server.last_to(SHOPPER)
    body = SMTPRecorder.body(mail)
    grouped = codes.grouped(voucher.code)
    assert (
        grouped in body and "50,00\xa0€" in body and voucher.expires_on.strftime("%d.%m.%Y") in body
    )
    qr = [part for part in mail.iter_attachments() if part.get_filename() == "gutschein-qr.svg"]
    assert qr and qr[0].get_content_type() == "image/svg+xml"
    link = SMTPRecorder.link(mail, "/gutschein/")
    assert link.endswith(f"/gutschein/{grouped}")

    # the printable voucher, as the buyer sees it
    printable = client.get(f"/gutschein/{grouped}").get_data(as_text=True)
    assert grouped in printable and "<svg" in printable and "Oma Erna" in printable
    # the owner who scans the QR code lands on redeeming
    scanned = owner.get(f"/gutschein/{grouped}")
    assert scanned.status_code == 302 and "/gutscheine/einloesen?code=" in scanned.location

    redeem = f"/mein-betrieb/{bakery.slug}/gutscheine/einloesen"
    page = owner.get(f"{redeem}?code={grouped.lower()}").get_data(as_text=True)
    assert "50,00\xa0€" in page
    key = re.search(r'name="request_key" value="([^"]+)"', page).group(1)
    token = csrf_from(page)
    form = {"csrf_token": token, "code": voucher.code, "amount": "20", "request_key": key}
    first = owner.post(redeem, data=form)
    assert first.status_code == 302
    again = owner.post(redeem, data=form)  # the same form sent twice
    assert again.status_code == 302
    db.session.refresh(voucher)
    assert voucher.balance_cents == 3000 and len(voucher.ledger) == 1
    page = owner.get(f"{redeem}?code={voucher.code}").get_data(as_text=True)
    key = re.search(r'name="request_key" value="([^"]+)"', page).group(1)
    owner.post(redeem, data={**form, "amount": "30,00", "request_key": key})
    page = owner.get(f"{redeem}?code={voucher.code}").get_data(as_text=True)
    assert "vollständig eingelöst" in page
    third = owner.post(redeem, data={**form, "amount": "1", "request_key": "third"})
    assert third.status_code == 422
    assert "vollständig eingelöst" in third.get_data(as_text=True)

    check = post_form(client, "/gutscheine/guthaben", {"code": grouped})
    assert check.status_code == 200 and "0,00\xa0€" in check.get_data(as_text=True)


def test_redeeming_refuses_more_than_the_balance_and_can_be_undone(app, bakery, owner_account):
    kruse = bakery
    voucher = service.issue(
        value_cents=2500,
        business_id=kruse.id,
        expires_on=date.today() + IN_THREE_YEARS,
    )
    db.session.commit()
    owner = login_as(app, owner_account)
    redeem = f"/mein-betrieb/{bakery.slug}/gutscheine/einloesen"
    page = owner.get(f"{redeem}?code={voucher.code}").get_data(as_text=True)
    form = {"csrf_token": csrf_from(page), "code": voucher.code, "request_key": "k1"}
    too_much = owner.post(redeem, data={**form, "amount": "25,01"})
    assert too_much.status_code == 422
    assert "mehr als das Guthaben" in too_much.get_data(as_text=True)
    assert owner.post(redeem, data={**form, "amount": "10"}).status_code == 302
    taken = db.session.scalar(select(Redemption).where(Redemption.voucher_id == voucher.id))
    page = owner.get(f"{redeem}?code={voucher.code}").get_data(as_text=True)
    assert "Zurücknehmen" in page
    undo = owner.post(
        f"/mein-betrieb/{bakery.slug}/gutscheine/einloesung/{taken.id}/zuruecknehmen",
        data={"csrf_token": csrf_from(page)},
    )
    assert undo.status_code == 302
    db.session.refresh(voucher)
    assert voucher.balance_cents == 2500 == service.ledger_balance(voucher.id)
    assert "Rücknahme" in owner.get(f"{redeem}?code={voucher.code}").get_data(as_text=True)


def test_another_businesss_voucher_and_typos_are_refused(app, owner_account, bakery, factories):
    other = factories.business(name="Café Kaffeeklatsch", category="cafes")
    voucher = service.issue(
        value_cents=1000, business_id=other.id, expires_on=date.today() + IN_THREE_YEARS
    )
    db.session.commit()
    owner = login_as(app, owner_account)
    redeem = f"/mein-betrieb/{bakery.slug}/gutscheine/einloesen"
    refused = owner.get(f"{redeem}?code={voucher.code}")
    assert refused.status_code == 422 and "anderen Betrieb" in refused.get_data(as_text=True)
    typo = voucher.code[:-1] + ("A" if voucher.code[-1] != "A" else "B")
    assert "gibt es nicht" in owner.get(f"{redeem}?code={typo}").get_data(as_text=True)


def test_owner_pages_are_only_for_owners(app, bakery, shopper_account):
    shopper = login_as(app, shopper_account)
    assert shopper.get(f"/mein-betrieb/{bakery.slug}/gutscheine").status_code == 404
    assert shopper.get(f"/mein-betrieb/{bakery.slug}/gutscheine/einloesen").status_code == 404


def test_cancelling_an_order_needs_a_reason_and_tells_the_buyer(
    app, client, smtp_server, bakery, owner_account
):
    offer = _offer(bakery)
    _order(client, offer)
    order = db.session.scalar(select(VoucherOrder).where(VoucherOrder.offer_id == offer.id))
    owner = login_as(app, owner_account)
    path = f"/mein-betrieb/{bakery.slug}/gutscheine/bestellung/{order.id}/stornieren"
    _owner_post(owner, path, {"reason": "ok"})
    db.session.refresh(order)
    assert order.status == "open"
    _owner_post(owner, path, {"reason": "Leider keine Zahlung eingegangen."})
    db.session.refresh(order)
    assert order.status == "cancelled"
    assert "keine Zahlung eingegangen" in SMTPRecorder.body(smtp_server.last_to(SHOPPER))
    confirm = f"/mein-betrieb/{bakery.slug}/gutscheine/bestellung/{order.id}/bezahlt"
    _owner_post(owner, confirm)
    assert db.session.scalar(select(Voucher).where(Voucher.order_id == order.id)) is None


def test_the_balance_check_does_not_tell_unknown_from_mistyped(app, client):
    unknown = codes.new_code()
    mistyped = unknown[:-1] + ("A" if unknown[-1] != "A" else "B")
    answers = []
    for code in (unknown, mistyped, "kurz"):
        response = post_form(client, "/gutscheine/guthaben", {"code": code})
        html = response.get_data(as_text=True)
        answers.append(
            (
                response.status_code,
                re.search(r'<div class="result-box".*?</div>', html, re.S).group(0),
            )
        )
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][0] == 404


def test_the_balance_check_is_rate_limited(app, client):
    statuses = [
        post_form(client, "/gutscheine/guthaben", {"code": "X"}).status_code for _ in range(11)
    ]
    assert statuses[-1] == 429


def test_the_city_voucher_issue_redeem_and_settle(
    app, smtp_server, bakery, owner_account, admin_account
):
    admin = login_as(app, admin_account)
    page = admin.get("/moderation/gutscheine").get_data(as_text=True)
    issued = admin.post(
        "/moderation/gutscheine/ausgeben",
        data={"csrf_token": csrf_from(page), "amount": "40", "holder_email": SHOPPER},
    )
    assert issued.status_code == 302
    voucher = db.session.scalar(
        select(Voucher).where(Voucher.business_id.is_(None)).order_by(Voucher.id.desc())
    )
    assert voucher.value_cents == 4000
    assert codes.grouped(voucher.code) in SMTPRecorder.body(smtp_server.last_to(SHOPPER))

    kruse = bakery
    kruse.attributes.append(
        db.session.scalar(select(Attribute).where(Attribute.slug == "bottrop-gutschein"))
    )
    db.session.commit()
    service.redeem(None, kruse, voucher.id, 1250, "city-1")
    service.redeem(None, kruse, voucher.id, 250, "city-2")
    month = date.today().strftime("%Y-%m")
    csv = admin.get(f"/moderation/gutscheine/abrechnung.csv?monat={month}")
    assert csv.mimetype == "text/csv"
    text = csv.get_data(as_text=True)
    assert f"{month};Bäckerei Kruse;2;15,00" in text
    owner = login_as(app, owner_account)
    own = owner.get(f"/mein-betrieb/{bakery.slug}/gutscheine?monat={month}").get_data(as_text=True)
    assert "15,00\xa0€" in own
    assert owner.get("/moderation/gutscheine").status_code == 403


def test_overview_shows_sold_redeemed_outstanding_and_expiring(app, bakery, owner_account):
    kruse = bakery
    soon = date.today() + timedelta(days=40)
    a = service.issue(value_cents=5000, business_id=kruse.id, expires_on=soon)
    later = date.today() + IN_THREE_YEARS
    service.issue(value_cents=2000, business_id=kruse.id, expires_on=later)
    db.session.commit()
    service.redeem(None, kruse, a.id, 1500, "o-1")
    owner = login_as(app, owner_account)
    html = owner.get(f"/mein-betrieb/{bakery.slug}/gutscheine").get_data(as_text=True)
    overview = re.search(r'<dl class="facts totals">.*?</dl>', html, re.S).group(0)
    assert "2 Gutscheine" in overview and "70,00\xa0€" in overview
    assert "15,00\xa0€" in overview and "55,00\xa0€" in overview
    expiring = re.search(r'id="bald-ablaufend".*?</section>', html, re.S).group(0)
    assert soon.strftime("%d.%m.%Y") in expiring and "35,00\xa0€" in expiring


def test_totals_are_the_business_own_and_everyone_for_the_administration(app, factories, bakery):
    today = date.today()
    later = today + IN_THREE_YEARS
    other = factories.business(name="Café Kaffeeklatsch", category="cafes")
    own = service.issue(value_cents=5000, business_id=bakery.id, expires_on=later)
    service.issue(value_cents=2000, business_id=other.id, expires_on=later)
    service.issue(value_cents=700, business_id=None, expires_on=later)
    db.session.commit()
    service.redeem(None, bakery, own.id, 1500, "t-1")
    mine = reports.totals(bakery.id, today)
    assert (mine.sold, mine.sold_cents, mine.redeemed_cents, mine.outstanding_cents) == (
        1,
        5000,
        1500,
        3500,
    )
    everyone = reports.totals_by_business(today)
    assert {k: t.sold_cents for k, t in everyone.items()} == {
        bakery.id: 5000,
        other.id: 2000,
        None: 700,
    }
    assert everyone[bakery.id] == mine


def test_reminders_go_out_once(app, smtp_server, bakery):
    kruse = bakery
    soon = service.issue(
        value_cents=3000,
        business_id=kruse.id,
        expires_on=date.today() + timedelta(days=20),
        holder_email="erinnerung@example.org",
    )
    service.issue(
        value_cents=3000,
        business_id=kruse.id,
        expires_on=date.today() + timedelta(days=200),
        holder_email="spaeter@example.org",
    )
    db.session.commit()
    runner = CliRunner()
    first = runner.invoke(app.cli, ["vouchers", "remind"])
    assert first.exit_code == 0, first.output
    mail = smtp_server.last_to("erinnerung@example.org")
    assert codes.grouped(soon.code) in SMTPRecorder.body(mail)
    assert not [m for m in smtp_server.messages if "spaeter@" in m["To"]]
    count = len(smtp_server.messages)
    second = runner.invoke(app.cli, ["vouchers", "remind"])
    assert second.exit_code == 0 and "Erinnerungen verschickt: 0" in second.output
    assert len(smtp_server.messages) == count


@pytest.mark.parametrize("path", ["/gutschein/NICHT-DA", "/gutschein/" + "0" * 17])
def test_unknown_voucher_pages_are_not_found(client, path):
    assert client.get(path).status_code == 404


def test_search_and_map_filter_businesses_that_take_the_city_voucher(app, client, bakery):
    from hallobot.search.query import SearchQuery
    from hallobot.search.service import search

    kruse = bakery
    assert search(SearchQuery(flags=frozenset({"city_voucher"}))).total == 0
    kruse.attributes.append(
        db.session.scalar(select(Attribute).where(Attribute.slug == "bottrop-gutschein"))
    )
    db.session.commit()
    result = search(SearchQuery(flags=frozenset({"city_voucher"})))
    assert [h.business.slug for h in result.hits] == [kruse.slug]
    page = client.get("/suche?bottrop-gutschein=1").get_data(as_text=True)
    assert "Akzeptiert den Bottrop-Gutschein" in page and "Bäckerei Kruse" in page
    geo = client.get("/api/v1/businesses.geojson?bottrop-gutschein=1").get_json()
    assert [f["id"] for f in geo["features"]] == [kruse.id]


def test_an_undo_after_midnight_counts_in_the_month_of_its_redemption(app, bakery):
    from datetime import UTC, datetime

    kruse = bakery
    kruse.attributes.append(
        db.session.scalar(select(Attribute).where(Attribute.slug == "bottrop-gutschein"))
    )
    voucher = service.issue(value_cents=3000, business_id=None, expires_on=date(2031, 1, 1))
    db.session.commit()
    # 30 Nov 2026, 23:55 in Bottrop, undone at 00:05 on 1 December
    taken = service.redeem(
        None, kruse, voucher.id, 1000, "m", datetime(2026, 11, 30, 22, 55, tzinfo=UTC)
    ).redemption
    service.undo(None, kruse, taken.id, datetime(2026, 11, 30, 23, 5, tzinfo=UTC))
    service.redeem(None, kruse, voucher.id, 500, "n", datetime(2026, 11, 30, 22, 56, tzinfo=UTC))
    november = reports.settlement(date(2026, 11, 1), kruse.id)
    assert [(r.redemptions, r.cents) for r in november] == [(1, 500)]
    assert reports.settlement(date(2026, 12, 1), kruse.id) == []


def test_offers_past_their_fixed_date_leave_the_market(app, client, bakery):
    kruse = bakery
    gone = _offer(kruse, title="Sommeraktion", validity="fixed", valid_until=date(2020, 8, 31))
    kept = _offer(
        kruse, title="Winteraktion", validity="fixed", valid_until=date.today() + IN_THREE_YEARS
    )
    market = client.get("/gutscheine").get_data(as_text=True)
    assert "Winteraktion" in market and "Sommeraktion" not in market
    assert client.get(f"/gutscheine/{gone.id}").status_code == 404
    assert client.get(f"/gutscheine/{kept.id}").status_code == 200


def test_admins_see_what_expires_soon_everywhere(app, bakery, admin_account):
    kruse = bakery
    soon = date.today() + timedelta(days=30)
    service.issue(value_cents=1100, business_id=kruse.id, expires_on=soon)
    service.issue(value_cents=2200, business_id=None, expires_on=soon)
    db.session.commit()
    html = login_as(app, admin_account).get("/moderation/gutscheine").get_data(as_text=True)
    expiring = re.search(r'id="bald-ablaufend".*?</section>', html, re.S).group(0)
    assert "11,00\xa0€" in expiring and "Bäckerei Kruse" in expiring
    assert "22,00\xa0€" in expiring and "Bottrop-Gutschein" in expiring


def test_city_orders_are_announced_to_active_admins_only(app, bakery, owner_account, admin_account):
    from hallobot.accounts.models import User
    from hallobot.vouchers import orders

    admin = db.session.scalar(select(User).where(User.email == admin_account.email))
    assert orders.confirmers(None) == [admin_account.email]
    admin.active = False
    db.session.commit()
    assert orders.confirmers(None) == []
    assert orders.confirmers(bakery) == [owner_account.email]
