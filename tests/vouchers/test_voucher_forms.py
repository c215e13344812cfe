"""The vouchers slice's forms (vouchers/forms.py) through real HTTP with CSRF on: hostile
input in every field — hidden ones too — gets a message or a clear 4xx, never a 500, and
leaves nothing behind; a posted form never falls back to what the page showed first. And
the e-mails of the voucher views when the mail server is away."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from hallobot.accounts.models import User
from hallobot.directory.hours import local_now
from hallobot.extensions import db
from hallobot.vouchers import codes, service
from hallobot.vouchers.models import Redemption, Voucher, VoucherOrder
from hallobot.vouchers.service import statutory_expiry
from tests.conftest import SMTPRecorder, _free_port, csrf_from, login_as, post_form
from tests.vouchers.helpers import form_data, make_offer, offers_of
from tests.vouchers.test_orders import _offer, _order

SHOPPER = "kunde@example.org"  # who orders in these tests (test_orders._order)
LATER = statutory_expiry(local_now().date())  # a voucher valid for years, from today
ADMIN_PAGE = "/moderation/gutscheine"
HOSTILE = [
    "\x00",
    "x" * 5000,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "1e9",
    "-5",
    "NaN",
]


def _orders_of(offer) -> int:
    return db.session.scalar(
        select(func.count()).select_from(VoucherOrder).where(VoucherOrder.offer_id == offer.id)
    )


def _mail_down(app, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", _free_port())  # nobody listens there
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 2)


# --- ordering (OrderForm) ---


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_order_fields_are_named_and_nothing_is_stored(app, client, hostile, bakery):
    offer = _offer(bakery)
    response = _order(
        client, offer, amount=hostile, amount_free=hostile, buyer_email=hostile, payment=hostile
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Bitte wählen Sie einen der angebotenen Beträge." in html
    assert "Bitte geben Sie eine gültige E-Mail-Adresse an." in html
    assert "Bitte wählen Sie, wie Sie bezahlen möchten." in html
    assert "<script>alert" not in html  # shown again, escaped
    assert _orders_of(offer) == 0


def test_control_characters_in_an_order_are_dropped(app, client, bakery):
    offer = _offer(bakery)
    response = _order(
        client,
        offer,
        buyer_name="Karla\x00 Kundin",
        recipient_name="Oma\x00Erna",
        message="Hi\x00!",
    )
    assert response.status_code == 302
    order = db.session.scalar(select(VoucherOrder).where(VoucherOrder.offer_id == offer.id))
    assert (order.buyer_name, order.recipient_name, order.message) == (
        "Karla Kundin",
        "OmaErna",
        "Hi!",
    )


def test_the_first_way_of_paying_is_chosen_but_a_post_without_one_is_refused(app, client, bakery):
    offer = _offer(bakery, pay_in_shop=False)  # by transfer only
    page = client.get(f"/gutscheine/{offer.id}/bestellen").get_data(as_text=True)
    assert re.search(r'<input type="radio" id="f-pay-transfer"[^>]*value="transfer" checked>', page)
    token = csrf_from(page)
    form = {
        "csrf_token": token,
        "amount": "25",
        "buyer_name": "Karla Kundin",
        "buyer_email": SHOPPER,
    }
    response = client.post(f"/gutscheine/{offer.id}/bestellen", data=form)
    assert response.status_code == 422
    assert "Bitte wählen Sie, wie Sie bezahlen möchten." in response.get_data(as_text=True)
    assert _orders_of(offer) == 0


def test_an_order_is_kept_when_the_mail_server_is_away(app, client, monkeypatch, bakery):
    _mail_down(app, monkeypatch)
    offer = _offer(bakery)
    assert _order(client, offer).status_code == 302
    page = client.get("/gutscheine/bestellt").get_data(as_text=True)
    assert "Vielen Dank für Ihre Bestellung" in page
    assert "E-Mail konnte gerade nicht verschickt werden" in page
    assert _orders_of(offer) == 1


# --- the balance check (VoucherCodeForm) ---


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_codes_get_the_unknown_answer(app, client, hostile):
    response = post_form(client, "/gutscheine/guthaben", {"code": hostile})
    assert response.status_code == 404
    assert "keinen Gutschein gefunden" in response.get_data(as_text=True)


def test_the_balance_form_shows_the_code_again(app, client, bakery):
    voucher = service.issue(value_cents=1500, business_id=bakery.id, expires_on=LATER)
    db.session.commit()
    typed = codes.grouped(voucher.code).lower()
    response = post_form(client, "/gutscheine/guthaben", {"code": f"  {typed} "})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "15,00\xa0€" in page
    assert f'value="  {typed} "' in page


# --- redeeming (RedeemForm) ---


@pytest.fixture
def counter(app, bakery, owner_account):
    """The owner at the counter with a €25 voucher of the business, on the redeem page."""
    voucher = service.issue(value_cents=2500, business_id=bakery.id, expires_on=LATER)
    db.session.commit()
    owner = login_as(app, owner_account)
    page = owner.get(f"/mein-betrieb/{bakery.slug}/gutscheine/einloesen?code={voucher.code}")
    page = page.get_data(as_text=True)
    key = re.search(r'name="request_key" value="([^"]+)"', page).group(1)
    form = {"csrf_token": csrf_from(page), "code": voucher.code, "request_key": key}
    return owner, voucher, form


def _redemptions(voucher) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Redemption).where(Redemption.voucher_id == voucher.id)
    )


@pytest.mark.parametrize("key", ["\x00", "k" * 65, "<x>", "a b", "ключ"])
def test_a_tampered_request_key_is_a_bad_request(counter, key, bakery):
    owner, voucher, form = counter
    response = owner.post(
        f"/mein-betrieb/{bakery.slug}/gutscheine/einloesen",
        data={**form, "amount": "10", "request_key": key},
    )
    assert response.status_code == 400
    assert _redemptions(voucher) == 0


def test_without_a_request_key_the_redemption_still_counts_once(counter, bakery):
    owner, voucher, form = counter
    response = owner.post(
        f"/mein-betrieb/{bakery.slug}/gutscheine/einloesen",
        data={**form, "amount": "10", "request_key": ""},
    )
    assert response.status_code == 302
    db.session.refresh(voucher)
    assert voucher.balance_cents == 1500 and _redemptions(voucher) == 1


@pytest.mark.parametrize(
    "amount", ["", "abc", "1e3", "-5", "25,505", "\x00", "x" * 5000, "99999999999999", "²"]
)
def test_an_amount_that_is_not_one_is_named_at_its_field(counter, amount, bakery):
    owner, voucher, form = counter
    response = owner.post(
        f"/mein-betrieb/{bakery.slug}/gutscheine/einloesen", data={**form, "amount": amount}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    message = "Bitte geben Sie einen Betrag ein, z. B. 20,00."
    assert re.search(r'id="f-amount-error"[^>]*>' + re.escape(message), html)
    assert _redemptions(voucher) == 0


def test_a_zero_amount_is_refused_by_the_service_at_the_amount_field(counter, bakery):
    owner, voucher, form = counter
    response = owner.post(
        f"/mein-betrieb/{bakery.slug}/gutscheine/einloesen", data={**form, "amount": "0"}
    )
    assert response.status_code == 422
    assert re.search(
        r'id="f-amount-error"[^>]*>Bitte geben Sie einen Betrag über 0 € ein.',
        response.get_data(as_text=True),
    )
    assert _redemptions(voucher) == 0


@pytest.mark.parametrize("code", HOSTILE)
def test_a_tampered_hidden_code_is_refused_at_the_code_field(counter, code, bakery):
    owner, voucher, form = counter
    response = owner.post(
        f"/mein-betrieb/{bakery.slug}/gutscheine/einloesen",
        data={**form, "code": code, "amount": "10"},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(r'id="f-code-error"[^>]*>Diesen Gutscheincode gibt es nicht.', html)
    assert _redemptions(voucher) == 0


@pytest.mark.parametrize("code", ["%00", "x" * 3000, "%3Cscript%3E"])
def test_hostile_codes_in_the_address_are_refused_with_a_message(app, code, owner_account, bakery):
    owner = login_as(app, owner_account)
    response = owner.get(f"/mein-betrieb/{bakery.slug}/gutscheine/einloesen?code={code}")
    assert response.status_code == 422
    assert "gibt es nicht" in response.get_data(as_text=True)


def test_the_address_gives_the_code_to_check_and_nothing_else(app, owner_account, bakery):
    """A link (or a QR code) opens the check of its code; an amount in it is not put into
    the amount field, where a cashier might redeem it unseen."""
    voucher = service.issue(value_cents=2500, business_id=bakery.id, expires_on=LATER)
    db.session.commit()
    owner = login_as(app, owner_account)
    url = f"/mein-betrieb/{bakery.slug}/gutscheine/einloesen"
    page = owner.get(url, query_string={"code": voucher.code, "amount": "25"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and codes.grouped(voucher.code) in html
    assert re.search(r'<input[^>]*id="f-amount"[^>]*value=""', html)


# --- cancelling an order (CancelOrderForm) ---


def _open_order(client, bakery) -> VoucherOrder:
    offer = _offer(bakery)
    _order(client, offer)
    return db.session.scalar(select(VoucherOrder).where(VoucherOrder.offer_id == offer.id))


def test_cancelling_through_the_form_on_the_overview(
    app, client, smtp_server, owner_account, bakery
):
    order = _open_order(client, bakery)
    owner = login_as(app, owner_account)
    page = owner.get(f"/mein-betrieb/{bakery.slug}/gutscheine").get_data(as_text=True)
    field = re.search(rf'<input[^>]*id="reason-{order.id}"[^>]*>', page).group(0)
    assert 'name="reason"' in field and "required" in field and 'minlength="5"' in field
    action = f"/mein-betrieb/{bakery.slug}/gutscheine/bestellung/{order.id}/stornieren"
    assert f'action="{action}"' in page
    response = owner.post(
        action,
        data={"csrf_token": csrf_from(page), "reason": "Keine\x00 Zahlung eingegangen."},
        follow_redirects=True,
    )
    assert f"Die Bestellung {order.reference} ist storniert." in response.get_data(as_text=True)
    db.session.refresh(order)
    assert order.status == "cancelled" and order.cancel_reason == "Keine Zahlung eingegangen."
    assert "Keine Zahlung eingegangen." in SMTPRecorder.body(smtp_server.last_to(SHOPPER))


@pytest.mark.parametrize("reason", ["\x00\x00\x00\x00\x00", "    ", ""])
def test_a_reason_of_nothing_is_refused(app, client, reason, owner_account, bakery):
    order = _open_order(client, bakery)
    owner = login_as(app, owner_account)
    page = owner.get(f"/mein-betrieb/{bakery.slug}/gutscheine").get_data(as_text=True)
    response = owner.post(
        f"/mein-betrieb/{bakery.slug}/gutscheine/bestellung/{order.id}/stornieren",
        data={"csrf_token": csrf_from(page), "reason": reason},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "Bitte nennen Sie der Kundin oder dem Kunden einen Grund." in response.get_data(
        as_text=True
    )
    db.session.refresh(order)
    assert order.status == "open"


# --- confirming: the voucher's e-mail ---


def test_a_confirmed_voucher_is_issued_when_the_mail_server_is_away(
    app, client, monkeypatch, owner_account, bakery
):
    order = _open_order(client, bakery)
    _mail_down(app, monkeypatch)
    owner = login_as(app, owner_account)
    page = owner.get(f"/mein-betrieb/{bakery.slug}/gutscheine").get_data(as_text=True)
    response = owner.post(
        f"/mein-betrieb/{bakery.slug}/gutscheine/bestellung/{order.id}/bezahlt",
        data={"csrf_token": csrf_from(page)},
        follow_redirects=True,
    )
    voucher = db.session.scalar(select(Voucher).where(Voucher.order_id == order.id))
    html = response.get_data(as_text=True)
    assert f"Gutschein {codes.grouped(voucher.code)} ausgestellt, aber die E-Mail" in html


# --- issuing a Bottrop-Gutschein (IssueForm) ---


def _city_vouchers() -> int:
    return db.session.scalar(
        select(func.count()).select_from(Voucher).where(Voucher.business_id.is_(None))
    )


def _issue(admin, **data):
    page = admin.get(ADMIN_PAGE).get_data(as_text=True)
    assert 'action="/moderation/gutscheine/ausgeben"' in page
    assert re.search(r'<input[^>]*id="f-amount"[^>]*name="amount"', page)
    return admin.post(
        "/moderation/gutscheine/ausgeben",
        data={"csrf_token": csrf_from(page), **data},
        follow_redirects=True,
    )


@pytest.mark.parametrize("amount", [*HOSTILE, "", "0", "500,01", "0,001"])
def test_hostile_amounts_issue_nothing(app, amount, admin_account):
    admin = login_as(app, admin_account)
    before = _city_vouchers()
    response = _issue(admin, amount=amount, holder_email="nicht-gültig")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Der Gutschein wurde nicht ausgestellt." in html
    assert "Bitte geben Sie einen Wert zwischen 0,01 € und 500,00 € ein." in html
    assert "Bitte geben Sie eine gültige E-Mail-Adresse an." in html
    assert _city_vouchers() == before


def test_issuing_mails_the_voucher_with_its_qr_code(app, smtp_server, admin_account):
    admin = login_as(app, admin_account)
    response = _issue(
        admin, amount="500", holder_email=f"  {SHOPPER} ", recipient_name="Opa\x00 " + "E" * 300
    )
    voucher = db.session.scalar(
        select(Voucher).where(Voucher.business_id.is_(None)).order_by(Voucher.id.desc())
    )
    grouped = codes.grouped(voucher.code)
    assert f"Bottrop-Gutschein {grouped} über 500,00\xa0€ ausgestellt." in response.get_data(
        as_text=True
    )
    assert voucher.holder_email == SHOPPER and voucher.title == "Bottrop-Gutschein"
    assert voucher.recipient_name.startswith("Opa EEE") and len(voucher.recipient_name) == 120
    assert voucher.expires_on == date(date.today().year + 3, 12, 31)
    mail = smtp_server.last_to(SHOPPER)
    assert mail["Subject"].startswith("Ihr Bottrop-Gutschein")
    assert grouped in SMTPRecorder.body(mail)
    assert [p.get_filename() for p in mail.iter_attachments()] == ["gutschein-qr.svg"]


def test_issuing_without_an_address_sends_nothing(app, smtp_server, admin_account):
    admin = login_as(app, admin_account)
    response = _issue(admin, amount="12,50")
    assert "über 12,50\xa0€ ausgestellt." in response.get_data(as_text=True)
    assert smtp_server.messages == []


def test_issuing_when_the_mail_server_is_away(app, monkeypatch, admin_account):
    _mail_down(app, monkeypatch)
    admin = login_as(app, admin_account)
    before = _city_vouchers()
    response = _issue(admin, amount="20", holder_email=SHOPPER)
    html = response.get_data(as_text=True)
    assert "Die E-Mail konnte nicht verschickt werden." in html and "ausgestellt." in html
    assert _city_vouchers() == before + 1


# --- the settlement: its month in the address, and its CSV ---

NOT_A_MONTH = ["2026-13", "2026-00", "1999-12", "11/2026", "2026-11-01", "\x00", "x" * 500]


@pytest.mark.parametrize("month", NOT_A_MONTH)
def test_a_month_that_is_not_one_is_named_and_the_csv_refused(
    app, month, admin_account, owner_account, bakery
):
    this_month = local_now().date().strftime("%Y-%m")
    message = f"Bitte einen Monat wie {this_month} angeben; gezeigt wird der laufende Monat."
    admin = login_as(app, admin_account)
    owner = login_as(app, owner_account)
    for client, page in (
        (admin, ADMIN_PAGE),
        (owner, f"/mein-betrieb/{bakery.slug}/gutscheine"),
    ):
        response = client.get(page, query_string={"monat": month})
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert re.search(r'id="f-monat-error"[^>]*>' + re.escape(message), html)
        assert f'name="monat" value="{this_month}" aria-invalid="true"' in html
        csv = client.get(f"{page}/abrechnung.csv", query_string={"monat": month})
        assert csv.status_code == 400
    fine = admin.get(ADMIN_PAGE, query_string={"monat": this_month}).get_data(as_text=True)
    assert "f-monat-error" not in fine


def test_a_business_name_is_never_a_formula_in_the_settlement(app, admin_account, factories):
    voucher = service.issue(value_cents=5000, business_id=None, expires_on=LATER)
    names = ["=HYPERLINK(1)", "+49 Laden", "-Rabatt-", "@Café", "Bäckerei = gut"]
    for name in names:
        shop = factories.business(name=name, attributes=["bottrop-gutschein"])
        db.session.commit()
        service.redeem(None, shop, voucher.id, 100, f"csv-{shop.id}")
    month = local_now().date().strftime("%Y-%m")
    admin = login_as(app, admin_account)
    csv = admin.get("/moderation/gutscheine/abrechnung.csv", query_string={"monat": month})
    rows = [line.split(";") for line in csv.get_data(as_text=True).lstrip("\ufeff").splitlines()]
    assert sorted(row[1] for row in rows[1:]) == sorted(
        ["'=HYPERLINK(1)", "'+49 Laden", "'-Rabatt-", "'@Café", "Bäckerei = gut"]
    )


# --- the offer views: a refusal that belongs to no field is flashed ---


def test_contact_with_nobody_to_write_to_is_refused_with_a_message(app, client):
    offer = make_offer(None, title="Bottrop-Gutschein")  # the city's: the administration answers
    for admin in db.session.scalars(select(User).where(User.role == "admin")):
        admin.active = False
    db.session.commit()
    message = {"name": "Petra Kundin", "email": "petra@example.org", "message": "Gibt es Karten?"}
    response = post_form(client, f"/gutscheine/{offer.id}/kontakt", message)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Dieser Betrieb ist gerade nicht per E-Mail erreichbar." in page
    assert "Gibt es Karten?" in page  # nothing typed is lost


def test_a_new_offer_of_an_archived_entry_is_refused_with_a_message(app, owner_account, bakery):
    kruse = bakery
    before = len(offers_of(kruse))
    owner = login_as(app, owner_account)
    url = f"/mein-betrieb/{bakery.slug}/gutscheinangebote/neu"
    page = owner.get(url).get_data(as_text=True)
    kruse.status = "archived"
    db.session.commit()
    response = owner.post(url, data={"csrf_token": csrf_from(page), **form_data()})
    assert response.status_code == 200
    assert "Der Eintrag ist nicht mehr öffentlich; Angebote sind gesperrt." in response.get_data(
        as_text=True
    )
    assert len(offers_of(kruse)) == before
