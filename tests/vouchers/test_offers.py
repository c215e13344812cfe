"""Voucher offers: owners create and change them, the moderation decides, the published
one stays public until a change is approved; the administration keeps the Bottrop-Gutschein.
Through the real HTTP forms (CSRF on), on the real database."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from hallobot.extensions import db
from hallobot.iban import compact_iban, grouped_iban, iban_problem
from hallobot.moderation.models import AuditEvent
from hallobot.money import parse_money
from hallobot.search.models import SearchDocument
from hallobot.vouchers import offer_fields, offer_rules, offers
from hallobot.vouchers.models import VoucherOffer
from tests.conftest import hidden_value, login_as, post_form
from tests.vouchers.helpers import form_data, make_offer, offers_of, text


@pytest.fixture
def list_url(bakery) -> str:
    """The owner's list of the bakery's offers (``/neu`` beside it: a new one)."""
    return f"/mein-betrieb/{bakery.slug}/gutscheinangebote"


@pytest.fixture
def other_owner(factories):
    """The owner of another business."""
    user = factories.owner(factories.business(name="Getränkewelt Batenbrock"))
    db.session.commit()
    return user


@pytest.fixture
def city_offer(factories):
    """The published Bottrop-Gutschein, kept by the administration."""
    offer = factories.orderable_offer(
        None,
        title="Bottrop-Gutschein",
        description="Der Gutschein für ganz Bottrop.",
        min_cents=1000,
        max_cents=25000,
        pay_in_shop=False,
        account_holder="Stadt Bottrop – Stadtkasse",
        iban="DE48424500400000815007",
    )
    db.session.commit()
    return offer


def _edit_url(offer: VoucherOffer) -> str:
    return f"/mein-betrieb/{offer.business.slug}/gutscheinangebote/{offer.id}/bearbeiten"


def _decide(client, offer_id: int, action: str, reason: str = "", seen: str | None = None):
    url = f"/moderation/gutscheinangebot/{offer_id}"
    page = client.get(url).get_data(as_text=True)
    data = {"reason": reason, "seen": seen or hidden_value(page, "seen")}
    endpoint = {"approve": "freigeben", "reject": "ablehnen"}[action]
    return post_form(client, url, data, post_url=f"{url}/{endpoint}")


def _audit(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


# --- reading what people type ---


@pytest.mark.parametrize(
    ("raw", "cents"),
    [("25", 2500), ("25,50", 2550), ("25,50 €", 2550), ("25.5", 2550), ("1.234,50", 123450)],
)
def test_money_is_read_like_a_german_would_write_it(raw, cents):
    assert parse_money(raw) == cents


@pytest.mark.parametrize("raw", ["abc", "25,505", "-5", "1e3"])
def test_money_that_is_not_an_amount_is_refused(raw):
    with pytest.raises(ValueError):
        parse_money(raw)


@pytest.mark.parametrize(
    ("raw", "cents"),
    [
        ("10; 25; 50", [1000, 2500, 5000]),
        ("10, 25, 50", [1000, 2500, 5000]),
        ("50 10 25 10", [1000, 2500, 5000]),
        ("12,50; 20 €", [1250, 2000]),
        ("", []),
    ],
)
def test_several_values_are_split_but_a_decimal_comma_is_kept(raw, cents):
    assert offer_rules.parse_values(raw) == cents


def test_iban_check():
    assert iban_problem("DE89370400440532013000") is None
    assert iban_problem(compact_iban("de89 3704 0044 0532 0130 00")) is None
    assert iban_problem("GB82WEST12345698765432") is None
    assert iban_problem("DE89370400440532013001") is not None  # one digit off
    assert iban_problem("DE89") is not None
    assert grouped_iban("DE89370400440532013000") == "DE89 3704 0044 0532 0130 00"


# --- owners: new offers wait for the moderation ---


def test_owner_creates_an_offer_that_waits_for_the_moderation(
    app, client, owner_account, moderator_account, bakery, list_url
):
    owner = login_as(app, owner_account)
    assert "Gutscheinangebote" in owner.get("/mein-betrieb").get_data(as_text=True)
    response = post_form(owner, f"{list_url}/neu", form_data(title="Frühstücksgutschein"))
    assert response.status_code == 302
    offer = offers_of(bakery)[-1]
    assert (offer.title, offer.status, offer.values_cents) == (
        "Frühstücksgutschein",
        "pending",
        [1000, 2500, 5000],
    )
    assert (offer.pay_in_shop, offer.pay_by_transfer, offer.iban) == (True, False, None)
    assert client.get(f"/gutscheine/{offer.id}").status_code == 404  # not public yet
    assert "Frühstücksgutschein" not in client.get("/gutscheine").get_data(as_text=True)
    preview = owner.get(f"/gutscheine/{offer.id}").get_data(as_text=True)
    assert "Vorschau" in preview and "Frühstücksgutschein" in preview
    assert "wartet auf Freigabe" in owner.get(list_url).get_data(as_text=True)
    queue = login_as(app, moderator_account).get("/moderation?art=offer").get_data(as_text=True)
    assert "Frühstücksgutschein" in queue and f"/moderation/gutscheinangebot/{offer.id}" in queue


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": "  "}, "title", "Bitte geben Sie einen Titel an"),
        ({"values": ""}, "values", "mindestens einen festen Betrag an oder einen freien Betrag"),
        ({"values": "10; zehn"}, "values", "Beträge bitte wie 10 oder 25,50 angeben"),
        ({"values": "10; 600"}, "values", "zwischen 0,01 € und 500,00 € liegen"),
        ({"values": "0"}, "values", "zwischen 0,01 € und 500,00 € liegen"),
        ({"values": "", "min_amount": "50", "max_amount": "20"}, "min_amount", "nicht größer"),
        ({"values": "", "min_amount": "10"}, "max_amount", "beide Grenzen"),
        ({"max_amount": "500,01", "min_amount": "5"}, "max_amount", "zwischen 0,01 €"),
        ({"validity": "fixed"}, "valid_until", "bis wann der Gutschein gilt"),
        ({"validity": "fixed", "valid_until": "2020-01-01"}, "valid_until", "in der Zukunft"),
        ({"validity": "fixed", "valid_until": "31.02.2099"}, "valid_until", "Datum wie"),
        ({"validity": "ewig"}, "validity", "wie lange der Gutschein gilt"),
        ({"how": "link", "link_url": "http://shop.example"}, "link_url", "https://"),
        ({"how": "link", "link_url": "https://"}, "link_url", "https://"),
        ({"how": "phone"}, "phone", "Bitte geben Sie eine Telefonnummer an"),
        ({"how": "phone", "phone": "ruf an"}, "phone", "wie 02041 123456"),
        ({"how": "phone", "phone": "------"}, "phone", "wie 02041 123456"),
        ({"how": "phone", "phone": "02041 1"}, "phone", "wie 02041 123456"),
        ({"how": "order", "pay_in_shop": None}, "pay_in_shop", "mindestens eine Zahlungsart"),
        ({"pay_by_transfer": "y"}, "account_holder", "wem das Konto gehört"),
        ({"pay_by_transfer": "y"}, "iban", "IBAN des Kontos"),
        (
            {"pay_by_transfer": "y", "account_holder": "Kruse", "iban": "DE89370400440532013001"},
            "iban",
            "Diese IBAN ist nicht gültig",
        ),
        (
            {"pay_by_transfer": "y", "account_holder": "Kruse", "iban": "DE8937040044053201300"},
            "iban",
            "Eine deutsche IBAN hat 22 Zeichen",
        ),
        (  # a German IBAN one digit short, with check digits that pass the mod-97 test
            {"pay_by_transfer": "y", "account_holder": "Kruse", "iban": "DE5137040044053201300"},
            "iban",
            "Eine deutsche IBAN hat 22 Zeichen",
        ),
        (  # no country has the code XX (the check digits pass the mod-97 test)
            {"pay_by_transfer": "y", "account_holder": "Kruse", "iban": "XX46370400440532013000"},
            "iban",
            "„XX“ ist kein Ländercode einer IBAN",
        ),
        (  # Austrian IBANs have 20 characters (the check digits pass the mod-97 test)
            {"pay_by_transfer": "y", "account_holder": "Kruse", "iban": "AT3319043002345732011"},
            "iban",
            "zu lang oder zu kurz für ihr Land",
        ),
        ({"how": "irgendwie"}, "how", "wie man den Gutschein kaufen kann"),
        # hostile input: every one a message at its field
        ({"title": "\x00\x1b"}, "title", "Bitte geben Sie einen Titel an"),
        ({"values": "1e9"}, "values", "Beträge bitte wie 10 oder 25,50 angeben"),
        ({"values": "99999999999999"}, "values", "Beträge bitte wie 10 oder 25,50 angeben"),
        ({"values": "-5"}, "values", "Beträge bitte wie 10 oder 25,50 angeben"),
        ({"values": "²"}, "values", "Beträge bitte wie 10 oder 25,50 angeben"),
        ({"min_amount": "99999999999999", "max_amount": "5"}, "min_amount", "Betrag wie 25"),
        ({"validity": "fixed", "valid_until": "9999-99-99"}, "valid_until", "Datum wie"),
        ({"validity": "fixed", "valid_until": "\x00"}, "valid_until", "Datum wie"),
        ({"how": "\x00"}, "how", "wie man den Gutschein kaufen kann"),
    ],
)
def test_mistakes_are_named_at_their_field_and_nothing_is_stored(
    app, changes, field, message, owner_account, bakery, list_url
):
    owner = login_as(app, owner_account)
    before = len(offers_of(bakery))
    response = post_form(owner, f"{list_url}/neu", form_data(**changes))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in page, page
    error = page[page.index(f'id="{field}-error"') :][:400]
    assert message in error
    assert len(offers_of(bakery)) == before


def test_the_form_keeps_what_was_typed(app, owner_account, list_url):
    owner = login_as(app, owner_account)
    typed = form_data(
        title="Mein Gutschein",
        values="10; 25,50; zwölf",
        terms="Gilt nicht an Feiertagen.",
        how="link",
        link_url="http://ohne-s.example",
    )
    page = post_form(owner, f"{list_url}/neu", typed).get_data(as_text=True)
    assert 'value="Mein Gutschein"' in page
    assert 'value="10; 25,50; zwölf"' in page
    assert 'value="http://ohne-s.example"' in page
    assert "Gilt nicht an Feiertagen." in page
    assert re.search(r'<input checked[^>]*name="how"[^>]*value="link"', page)


def test_the_ways_to_buy_are_stored_cleanly(app, owner_account, bakery, list_url):
    owner = login_as(app, owner_account)
    year = date.today().year + 3
    cases = [
        form_data(values="", min_amount="5", max_amount="150,00 €", pay_in_shop=None,
                  pay_by_transfer="y", account_holder="  Bäckerei   Kruse ",
                  iban="de89 3704 0044 0532 0130 00"),
        form_data(values="25,50 €, 10", validity="fixed", valid_until=f"31.12.{year}",
                  how="phone", phone="02041 123456"),
        form_data(how="link", link_url="https://shop.kruse.example/gutschein",
                  iban="DE89370400440532013000"),
    ]  # fmt: skip
    for data in cases:
        assert post_form(owner, f"{list_url}/neu", data).status_code == 302
    transfer, phone, link = offers_of(bakery)[-3:]
    assert (transfer.values_cents, transfer.min_cents, transfer.max_cents) == ([], 500, 15000)
    assert (transfer.pay_in_shop, transfer.pay_by_transfer) == (False, True)
    assert (transfer.account_holder, transfer.iban) == ("Bäckerei Kruse", "DE89370400440532013000")
    assert phone.values_cents == [1000, 2550]
    assert (phone.validity, phone.valid_until) == ("fixed", date(year, 12, 31))
    assert (phone.how, phone.phone, phone.pay_in_shop) == ("phone", "02041 123456", False)
    assert (link.link_url, link.iban) == ("https://shop.kruse.example/gutschein", None)


def test_only_the_businesss_owners_see_its_offer_pages(
    app, client, moderator_account, other_owner, bakery, list_url
):
    offer = make_offer(bakery, status="pending")
    for who in (other_owner, moderator_account):
        other = login_as(app, who)
        assert other.get(list_url).status_code == 404
        assert other.get(_edit_url(offer)).status_code == 404
        assert post_form(other, "/konto", {}, post_url=f"{list_url}/neu").status_code == 404
    assert client.get(list_url).status_code == 302  # anonymous: to the login page
    assert login_as(app, other_owner).get(f"/gutscheine/{offer.id}").status_code == 404
    assert (
        login_as(app, moderator_account).get(f"/gutscheine/{offer.id}").status_code == 200
    )  # preview


def test_the_service_checks_who_may_edit(app, factories, bakery):
    stranger = factories.user()
    with pytest.raises(offer_rules.OfferError):
        offers.create_offer(stranger, bakery, offer_fields.OfferInput(title="X"))


# --- the moderation decides ---


def test_moderator_approves_an_offer_and_the_owners_hear_of_it(
    app, client, smtp_server, owner_account, moderator_account, bakery, list_url
):
    owner = login_as(app, owner_account)
    post_form(owner, f"{list_url}/neu", form_data(title="Tortengutschein"))
    offer = offers_of(bakery)[-1]
    moderator = login_as(app, moderator_account)
    review = text(moderator.get(f"/moderation/gutscheinangebot/{offer.id}"))
    assert "Tortengutschein" in review and "10,00 € · 25,00 € · 50,00 €" in review
    response = _decide(moderator, offer.id, "approve")
    assert response.status_code == 302
    db.session.refresh(offer)
    assert offer.status == "published" and offer.published_at is not None
    assert client.get(f"/gutscheine/{offer.id}").status_code == 200
    assert "Tortengutschein" in client.get("/gutscheine").get_data(as_text=True)
    event = _audit("offer.approved")[-1]
    assert event.business_id == bakery.id and event.details["offer_id"] == offer.id
    mail = smtp_server.last_to(owner_account.email)
    assert "Tortengutschein" in mail["Subject"] and "online" in mail["Subject"]
    assert f"/gutscheine/{offer.id}" in smtp_server.body(mail)
    assert "Tortengutschein" not in moderator.get("/moderation").get_data(as_text=True)


def test_rejection_needs_a_reason_and_the_owner_can_try_again(
    app, smtp_server, owner_account, moderator_account, bakery, list_url
):
    offer = make_offer(bakery, status="pending", title="Wundergutschein")
    moderator = login_as(app, moderator_account)
    response = _decide(moderator, offer.id, "reject", reason="zu kurz")
    assert response.status_code == 422
    assert "mindestens 10 Zeichen" in response.get_data(as_text=True)
    db.session.refresh(offer)
    assert offer.status == "pending"
    reason = "Bitte die Bedingungen genauer beschreiben."
    assert _decide(moderator, offer.id, "reject", reason=reason).status_code == 302
    db.session.refresh(offer)
    assert (offer.status, offer.status_reason) == ("rejected", reason)
    assert _audit("offer.rejected")[-1].reason == reason
    assert reason in smtp_server.body(smtp_server.last_to(owner_account.email))
    owner = login_as(app, owner_account)
    assert reason in owner.get(list_url).get_data(as_text=True)
    page = owner.get(_edit_url(offer)).get_data(as_text=True)
    assert 'value="Wundergutschein"' in page
    data = form_data(title="Wundergutschein", terms="Einlösbar in der Filiale Hochstraße.")
    assert post_form(owner, _edit_url(offer), data).status_code == 302
    db.session.refresh(offer)
    assert (offer.status, offer.status_reason) == ("pending", None)  # in place, same row
    assert offer.terms == "Einlösbar in der Filiale Hochstraße."


def test_a_change_waits_while_the_published_offer_stays_public(
    app, client, owner_account, moderator_account, bakery
):
    kruse = bakery
    published = make_offer(kruse, title="Brötchen-Gutschein", values_cents=[500, 1000])
    owner = login_as(app, owner_account)
    page = owner.get(_edit_url(published)).get_data(as_text=True)
    assert 'value="5; 10"' in page and "bleibt das bisherige Angebot stehen" in page

    response = post_form(owner, _edit_url(published), form_data(title="Brötchen-Gutschein XL"))
    assert response.status_code == 302
    change = offers_of(kruse)[-1]
    assert (change.replaces_id, change.status, change.title) == (
        published.id,
        "pending",
        "Brötchen-Gutschein XL",
    )
    db.session.refresh(published)
    assert published.status == "published"
    public = client.get(f"/gutscheine/{published.id}").get_data(as_text=True)
    assert "Brötchen-Gutschein" in public and "XL" not in public
    assert "Brötchen-Gutschein XL" not in client.get("/gutscheine").get_data(as_text=True)

    # a second edit changes the waiting proposal (no third row), and the form shows it
    assert 'value="Brötchen-Gutschein XL"' in owner.get(_edit_url(published)).get_data(as_text=True)
    post_form(owner, _edit_url(published), form_data(title="Brötchen-Gutschein XXL"))
    assert [o.title for o in offers_of(kruse)[-2:]] == [
        "Brötchen-Gutschein",
        "Brötchen-Gutschein XXL",
    ]

    moderator = login_as(app, moderator_account)
    review = text(moderator.get(f"/moderation/gutscheinangebot/{change.id}"))
    assert "<del>Brötchen-Gutschein</del>" in review
    assert "<ins>Brötchen-Gutschein XXL</ins>" in review
    assert "<del>5,00 €, 10,00 €</del>" in review
    assert _decide(moderator, change.id, "approve").status_code == 302

    db.session.refresh(published)
    db.session.refresh(change)
    assert (published.status, change.status) == ("archived", "published")
    old_url = client.get(f"/gutscheine/{published.id}")
    assert old_url.status_code == 301
    assert old_url.headers["Location"].endswith(f"/gutscheine/{change.id}")
    market = client.get("/gutscheine").get_data(as_text=True)
    assert "Brötchen-Gutschein XXL" in market and f'/gutscheine/{published.id}"' not in market
    assert _audit("offer.approved")[-1].details["replaces"] == published.id


def test_a_rejected_change_leaves_the_published_offer(
    app, client, owner_account, moderator_account, bakery, list_url
):
    kruse = bakery
    published = make_offer(kruse, title="Kuchengutschein")
    owner = login_as(app, owner_account)
    post_form(owner, _edit_url(published), form_data(title="Kuchengutschein Gold"))
    change = offers_of(kruse)[-1]
    moderator = login_as(app, moderator_account)
    reason = "Der Titel verspricht mehr, als das Angebot hält."
    assert _decide(moderator, change.id, "reject", reason=reason).status_code == 302
    db.session.refresh(published)
    assert published.status == "published"
    assert client.get(f"/gutscheine/{published.id}").status_code == 200
    listing = owner.get(list_url).get_data(as_text=True)
    assert "nicht freigegeben" in listing and reason in listing


def test_a_decision_on_a_version_the_owner_changed_since_is_refused(
    app, owner_account, moderator_account, bakery
):
    offer = make_offer(bakery, status="pending", title="Alter Titel")
    moderator = login_as(app, moderator_account)
    page = moderator.get(f"/moderation/gutscheinangebot/{offer.id}").get_data(as_text=True)
    seen = hidden_value(page, "seen")
    owner = login_as(app, owner_account)
    assert post_form(owner, _edit_url(offer), form_data(title="Neuer Titel")).status_code == 302
    response = _decide(moderator, offer.id, "approve", seen=seen)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "geändert, während Sie es angesehen haben" in page and "Neuer Titel" in page
    db.session.refresh(offer)
    assert offer.status == "pending"
    assert _decide(moderator, offer.id, "approve").status_code == 302  # after a new look


def test_editing_back_to_the_public_version_drops_the_proposal(app, owner_account, bakery):
    kruse = bakery
    typed = offer_fields.OfferInput(**form_data_input())
    published = make_offer(kruse, **offer_rules.validate(typed))
    owner = login_as(app, owner_account)
    post_form(owner, _edit_url(published), form_data(title="Etwas anderes"))
    change = offers_of(kruse)[-1]
    response = post_form(owner, _edit_url(published), form_data(), follow_redirects=True)
    assert "Es gab nichts zu ändern." in response.get_data(as_text=True)
    db.session.refresh(change)
    assert change.status == "archived"


def form_data_input() -> dict:
    """form_data() as the service's OfferInput takes it."""
    data = form_data()
    return {
        **{k: v for k, v in data.items() if k not in ("pay_in_shop",)},
        "pay_in_shop": True,
    }


# --- withdrawing, and the search's "Gutschein" flag ---


def _index_flag(business_id: int) -> bool:
    db.session.expire_all()
    return db.session.get(SearchDocument, business_id).voucher


def test_approval_and_withdrawal_keep_the_search_flag_current(app, factories, moderator_account):
    user = factories.user(email="laden@beispiel.example", password="ein-sicheres-passwort")
    shop = factories.business(name="Laden ohne Gutscheininfo")
    shop.owners.append(user)
    db.session.commit()
    assert shop.voucher_info is None and _index_flag(shop.id) is False
    owner = login_as(app, "laden@beispiel.example", "ein-sicheres-passwort")
    base = f"/mein-betrieb/{shop.slug}/gutscheinangebote"
    assert post_form(owner, f"{base}/neu", form_data()).status_code == 302
    offer = offers_of(shop)[-1]
    assert _index_flag(shop.id) is False  # waiting: not yet
    _decide(login_as(app, moderator_account), offer.id, "approve")
    assert _index_flag(shop.id) is True
    document = db.session.get(SearchDocument, shop.id)
    assert "gutschein" in document.f_attributes
    search = {"q": "Gutscheininfo", "gutschein": "1"}
    found = owner.get("/suche", query_string=search).get_data(as_text=True)
    card = found[found.index("Laden ohne ") :]  # the name with the match highlighted
    assert "Gutscheine</li>" in card[: card.index("</article>")]  # the badge, too
    withdraw = post_form(owner, base, {}, post_url=f"{base}/{offer.id}/zurueckziehen")
    assert withdraw.status_code == 302
    db.session.refresh(offer)
    assert offer.status == "archived"
    assert _index_flag(shop.id) is False
    found = owner.get("/suche", query_string=search).get_data(as_text=True)
    assert "Laden ohne " not in found


def test_withdrawing_a_change_keeps_the_published_offer(
    app, client, owner_account, bakery, list_url
):
    kruse = bakery
    published = make_offer(kruse, title="Stollengutschein")
    owner = login_as(app, owner_account)
    post_form(owner, _edit_url(published), form_data(title="Stollengutschein neu"))
    change = offers_of(kruse)[-1]
    listing = owner.get(list_url).get_data(as_text=True)
    assert "Änderung verwerfen" in listing
    response = post_form(owner, list_url, {}, post_url=f"{list_url}/{change.id}/zurueckziehen")
    assert response.status_code == 302
    db.session.refresh(change)
    db.session.refresh(published)
    assert (change.status, published.status) == ("archived", "published")
    # withdrawing the published one takes it off the marketplace
    post_form(owner, list_url, {}, post_url=f"{list_url}/{published.id}/zurueckziehen")
    db.session.refresh(published)
    assert published.status == "archived"
    assert client.get(f"/gutscheine/{published.id}").status_code == 404
    assert owner.get(_edit_url(published)).status_code == 404


# --- the Bottrop-Gutschein ---


def _city() -> VoucherOffer | None:
    return offers.city_offer()


def test_admins_keep_the_bottrop_gutschein(
    app, client, moderator_account, admin_account, city_offer
):
    city = _city()
    assert city.id == city_offer.id and city.status == "published"
    assert login_as(app, moderator_account).get("/moderation/bottrop-gutschein").status_code == 403
    admin = login_as(app, admin_account)
    page = admin.get("/moderation/bottrop-gutschein").get_data(as_text=True)
    assert f'value="{city.title}"' in page and "DE48 4245 0040 0000 8150 07" in page
    data = {
        **form_data(
            title="Bottrop-Gutschein 2027",
            values="10; 20; 50",
            how="order",
            pay_in_shop=None,
            pay_by_transfer="y",
            account_holder="Stadt Bottrop",
            iban="DE48424500400000815007",
        ),
    }
    bad = post_form(admin, "/moderation/bottrop-gutschein", {**data, "iban": "DE00"})
    assert bad.status_code == 422 and "IBAN" in bad.get_data(as_text=True)
    assert post_form(admin, "/moderation/bottrop-gutschein", data).status_code == 302
    db.session.refresh(city)
    assert (city.title, city.values_cents, city.status) == (
        "Bottrop-Gutschein 2027",
        [1000, 2000, 5000],
        "published",
    )
    assert _city().id == city.id  # changed in place
    event = _audit("offer.city_saved")[-1]
    assert event.business_id is None and "title" in event.details["changes"]
    public = client.get(f"/gutscheine/{city.id}").get_data(as_text=True)
    assert "Bottrop-Gutschein 2027" in public and "Stadt Bottrop" in public

    withdraw = post_form(
        admin,
        "/moderation/bottrop-gutschein",
        {},
        post_url="/moderation/bottrop-gutschein/zurueckziehen",
    )
    assert withdraw.status_code == 302
    assert _city() is None
    assert "Bottrop-Gutschein 2027" not in client.get("/gutscheine").get_data(as_text=True)
    assert _audit("offer.city_withdrawn")

    # and a new one
    assert post_form(admin, "/moderation/bottrop-gutschein", data).status_code == 302
    assert _city() is not None and _city().id != city.id


def test_the_city_offer_cannot_be_changed_by_an_owner(app, owner_account, bakery, city_offer):
    city = _city()
    with pytest.raises(offer_rules.OfferError):
        offers.update_offer(
            owner_account,
            city,
            offer_fields.OfferInput(**form_data_input()),
        )


def test_each_owner_step_says_what_it_did(app, owner_account, bakery, list_url):
    """Saving, changing and withdrawing through the real forms, each with its message;
    withdrawing twice is refused with one."""
    owner = login_as(app, owner_account)
    saved = post_form(owner, f"{list_url}/neu", form_data(), follow_redirects=True)
    assert "Das Angebot ist gespeichert. Es erscheint, sobald" in text(saved)
    waiting = offers_of(bakery)[-1]
    changed = post_form(
        owner, _edit_url(waiting), form_data(title="Kuchengutschein"), follow_redirects=True
    )
    assert "Gespeichert. Das Angebot wartet auf die Freigabe." in text(changed)
    published = make_offer(bakery, title="Stollengutschein")
    proposed = post_form(
        owner, _edit_url(published), form_data(title="Stollengutschein 2"), follow_redirects=True
    )
    assert "Die Änderung wird nach Prüfung durch unsere Moderation öffentlich" in text(proposed)
    change = offers_of(bakery)[-1]
    for offer, message in (
        (change, "Die Änderung ist verworfen; das bisherige Angebot bleibt sichtbar."),
        (waiting, "Das Angebot ist zurückgezogen."),
        (waiting, "Dieses Angebot ist bereits zurückgezogen."),
    ):
        url = f"{list_url}/{offer.id}/zurueckziehen"
        response = post_form(owner, list_url, {}, post_url=url, follow_redirects=True)
        assert message in text(response)
    db.session.refresh(published)
    assert (waiting.status, change.status, published.status) == (
        "archived",
        "archived",
        "published",
    )
