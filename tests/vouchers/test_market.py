"""The marketplace /gutscheine, offer pages, offers on business pages, and "Kontakt
aufnehmen" (a real SMTP server on loopback receives the mail)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from hallobot.extensions import db
from hallobot.models_base import utcnow
from tests.conftest import _free_port, post_form
from tests.factories import IBAN
from tests.vouchers.helpers import make_offer, text

MARKET = "/gutscheine"


def _titles(page: str) -> list[str]:
    return re.findall(r'<h3 class="card-title"><a href="/gutscheine/\d+">([^<]+)</a>', page)


@pytest.fixture
def market(factories, bakery):
    """What a small town offers: vouchers of five businesses and the Bottrop-Gutschein."""
    cafe = factories.business(name="Café Kaffeeklatsch", category="cafes", district="stadtmitte")
    pizzeria = factories.business(
        name="Pizzeria Da Franco", category="restaurants", district="eigen"
    )
    books = factories.business(
        name="Buchhandlung Seitenwind", category="buecher", district="stadtmitte"
    )
    flowers = factories.business(name="Blumenhaus Wiesengrün", category="blumen", district="boy")
    offer = factories.voucher_offer
    offer(
        bakery,
        title="Brotzeit-Gutschein",
        values_cents=[1000, 2500, 5000],
        how="order",
        pay_in_shop=True,
        pay_by_transfer=True,
        account_holder=bakery.name,
        iban=IBAN,
    )
    offer(
        cafe,
        title="Kaffee & Kuchen für zwei",
        values_cents=[1500, 3000],
        min_cents=500,
        max_cents=10000,
    )
    offer(
        pizzeria,
        title="Pizza-Abend-Gutschein",
        values_cents=[],
        min_cents=1000,
        max_cents=20000,
        how="phone",
        phone="02041 4749886",
    )
    offer(
        books,
        title="Büchergutschein",
        values_cents=[1000, 2000, 5000],
        how="link",
        link_url="https://www.buchhandlung-seitenwind.example/gutscheine",
    )
    offer(
        flowers,
        title="Blumengutschein",
        values_cents=[1500, 2500, 4000],
        validity="fixed",
        valid_until=date.today() + timedelta(days=3 * 365),
        how="order",
        pay_in_shop=True,
    )
    offer(
        None,
        title="Bottrop-Gutschein",
        values_cents=[1000, 2500, 5000],
        min_cents=1000,
        max_cents=25000,
        how="order",
        pay_by_transfer=True,
        account_holder="Stadt Bottrop",
        iban="DE48424500400000815007",
    )
    db.session.commit()


@pytest.fixture
def shelf(factories):
    """A top-level category of its own with three offers in two districts:
    20 € (A), 30–60 € (B), 80/100 € (C); published one after the other."""
    top = factories.category(name="Prüfregal")
    sub = factories.category(name="Prüffach", parent=top)
    north, south = factories.district(name="Nordprüf"), factories.district(name="Südprüf")
    now = utcnow()
    made = {}
    for n, (title, district, kwargs) in enumerate(
        [
            ("Anton-Gutschein", north, {"values_cents": [2000]}),
            (
                "Berta-Gutschein",
                south,
                {"values_cents": [], "min_cents": 3000, "max_cents": 6000},
            ),
            ("Caesar-Gutschein", north, {"values_cents": [8000, 10000]}),
        ]
    ):
        biz = factories.business(name=f"Prüfladen {title[0]}", category=sub, district=district)
        made[title[0]] = make_offer(
            biz, title=title, published_at=now - timedelta(days=10 - n), **kwargs
        )
    return top, north, south, made


def test_the_marketplace_lists_public_offers_and_the_city_voucher(
    client, factories, market, bakery
):
    draft = factories.business(status="draft")
    make_offer(draft, title="Entwurfsbetrieb-Gutschein")
    make_offer(bakery, status="pending", title="Wartender Gutschein")
    make_offer(bakery, status="archived", title="Alter Gutschein")
    page = text(client.get(MARKET))
    titles = _titles(page)
    assert {"Brotzeit-Gutschein", "Büchergutschein", "Bottrop-Gutschein"} <= set(titles)
    assert not {"Entwurfsbetrieb-Gutschein", "Wartender Gutschein", "Alter Gutschein"} & set(titles)
    assert "6 Gutscheinangebote" in page
    assert "10,00 € · 25,00 € · 50,00 €" in page
    assert "freier Betrag von 10,00 € bis 200,00 €" in page


def test_filters_by_category_district_and_amount(client, shelf, market):
    top, north, south, _made = shelf

    def titles(**args) -> list[str]:
        response = client.get(MARKET, query_string={"kategorie": top.slug, **args})
        assert response.status_code == 200
        return _titles(response.get_data(as_text=True))

    assert titles() == ["Anton-Gutschein", "Berta-Gutschein", "Caesar-Gutschein"]
    assert titles(stadtteil=north.slug) == ["Anton-Gutschein", "Caesar-Gutschein"]
    assert titles(stadtteil=south.slug) == ["Berta-Gutschein"]
    assert titles(betrag="bis-25") == ["Anton-Gutschein"]
    assert titles(betrag="bis-50") == ["Anton-Gutschein", "Berta-Gutschein"]
    assert titles(betrag="ueber-50") == ["Berta-Gutschein", "Caesar-Gutschein"]
    assert titles(wunschbetrag="45") == ["Berta-Gutschein"]  # within the free range
    assert titles(wunschbetrag="80,00 €") == ["Caesar-Gutschein"]  # a fixed value
    assert titles(wunschbetrag="20") == ["Anton-Gutschein"]
    assert titles(wunschbetrag="90") == []
    # the category choice lists only categories with offers, with counts; the page shows
    # the chosen filters (a GET form: the URL is the state)
    page = client.get(
        MARKET, query_string={"kategorie": top.slug, "stadtteil": north.slug, "betrag": "bis-50"}
    ).get_data(as_text=True)
    assert f'<option value="{top.slug}" selected>Prüfregal (1)</option>' in page
    assert f'<option value="{north.slug}" selected>Nordprüf (1)</option>' in page
    assert 'value="bis-50" checked' in page
    # everything in Bottrop, without a category
    assert "Brotzeit-Gutschein" in _titles(client.get(MARKET).get_data(as_text=True))
    assert _titles(client.get(MARKET, query_string={"kategorie": "lebensmittel"}).text) == [
        "Brotzeit-Gutschein"
    ]


def test_a_typed_amount_that_is_no_amount_is_named_and_ignored(client, shelf):
    top = shelf[0]
    response = client.get(MARKET, query_string={"kategorie": top.slug, "wunschbetrag": "viel"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Bitte einen Betrag zwischen 0,01 € und 500 € angeben" in page.replace("\xa0", " ")
    assert 'value="viel"' in page
    assert len(_titles(page)) == 3


def test_sorting(client, shelf):
    top = shelf[0]

    def titles(sort: str) -> list[str]:
        return _titles(client.get(MARKET, query_string={"kategorie": top.slug, "sort": sort}).text)

    assert titles("name") == ["Anton-Gutschein", "Berta-Gutschein", "Caesar-Gutschein"]
    assert titles("betrag") == ["Anton-Gutschein", "Berta-Gutschein", "Caesar-Gutschein"]
    assert titles("neu") == ["Caesar-Gutschein", "Berta-Gutschein", "Anton-Gutschein"]
    assert titles("unbekannt") == titles("name")
    shelf[3]["A"].values_cents = [9000]  # A now the dearest
    db.session.commit()
    assert titles("betrag") == ["Berta-Gutschein", "Caesar-Gutschein", "Anton-Gutschein"]


def _fill(factories, category, n: int) -> None:
    for i in range(n):
        biz = factories.business(name=f"Seitenladen {i:02d}", category=category, hours=False)
        make_offer(biz, title=f"Seitengutschein {i:02d}")


def test_pages_keep_the_filters(client, factories):
    top = factories.category(name="Seitenregal")
    _fill(factories, factories.category(name="Seitenfach", parent=top), 30)
    first = client.get(MARKET, query_string={"kategorie": top.slug}).get_data(as_text=True)
    assert len(_titles(first)) == 24 and "30 Gutscheinangebote" in first
    link = re.search(r'<a rel="next" href="([^"]+)"', first).group(1)
    assert f"kategorie={top.slug}" in link and "seite=2" in link
    second = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert _titles(second) == [f"Seitengutschein {i:02d}" for i in range(24, 30)]
    beyond = client.get(MARKET, query_string={"kategorie": top.slug, "seite": "99"})
    assert beyond.status_code == 200 and len(_titles(beyond.text)) == 6


def test_the_marketplace_runs_a_constant_number_of_queries(client, factories, count_queries):
    counts = []
    for n in (2, 30):
        top = factories.category(name=f"Zählregal {n}")
        sub = factories.category(name=f"Zählfach {n}", parent=top)
        _fill(factories, sub, n)
        for args in ({}, {"kategorie": top.slug, "sort": "betrag", "wunschbetrag": "10"}):
            with count_queries() as statements:
                response = client.get(MARKET, query_string=args)
            assert response.status_code == 200
            counts.append(len(statements))
    assert counts[0] == counts[2] and counts[1] == counts[3], counts
    assert max(counts) <= 3, counts


@pytest.mark.parametrize("path", [MARKET, "/gutscheine/{id}", "/betrieb/{slug}"])
def test_anonymous_readers_get_no_cookie(client, path, bakery):
    offer = make_offer(bakery, title="Keks-Gutschein")
    response = client.get(path.format(id=offer.id, slug=bakery.slug))
    assert response.status_code == 200
    assert response.headers.getlist("Set-Cookie") == []


# --- an offer's page ---


def test_offer_page_shows_amounts_validity_terms_and_the_order_button(
    client, app, monkeypatch, bakery
):
    offer = make_offer(
        bakery,
        title="Sonntagsfrühstück",
        values_cents=[1500],
        min_cents=500,
        max_cents=5000,
        terms="Nur sonntags.",
        how="order",
        pay_in_shop=True,
        pay_by_transfer=True,
        account_holder="Bäckerei Kruse",
        iban="DE89370400440532013000",
    )
    page = text(client.get(f"/gutscheine/{offer.id}"))
    assert "15,00 € oder freier Betrag von 5,00 € bis 50,00 €" in page
    assert "gültig bis 31.12. des dritten Jahres nach dem Kauf" in page
    assert "Nur sonntags." in page and "im Geschäft oder per Überweisung" in page
    assert f'href="/betrieb/{bakery.slug}"' in page
    assert f'href="/gutscheine/{offer.id}/bestellen">Hier bestellen</a>' in page
    assert f'href="/gutscheine/{offer.id}/kontakt"' in page
    assert "DE89" not in page  # bank details come with the order, not on the page
    # until ordering exists, the page does without the button
    monkeypatch.delitem(app.view_functions, "vouchers.order")
    page = client.get(f"/gutscheine/{offer.id}").get_data(as_text=True)
    assert "Hier bestellen</a>" not in page and "gerade nicht möglich" in page


def test_offer_page_for_phone_link_and_a_fixed_date(client, bakery):
    until = date(date.today().year + 3, 6, 30)
    phone = make_offer(
        bakery, how="phone", phone="02041 123456", validity="fixed", valid_until=until
    )
    page = client.get(f"/gutscheine/{phone.id}").get_data(as_text=True)
    assert 'href="tel:+492041123456">02041 123456</a>' in page
    assert f"gültig bis 30.06.{until.year}" in page
    link = make_offer(bakery, how="link", link_url="https://shop.kruse.example/g")
    page = client.get(f"/gutscheine/{link.id}").get_data(as_text=True)
    assert '<a class="button" href="https://shop.kruse.example/g" rel="noopener nofollow">' in page


def test_the_city_offer_page(client):
    city = make_offer(None, title="Stadtgutschein", how="contact")
    page = client.get(f"/gutscheine/{city.id}").get_data(as_text=True)
    assert "Stadtgutschein" in page and "einlösbar in allen Betrieben" in page
    assert "bottrop-gutschein=1" in page


def test_unknown_and_withdrawn_offers_are_not_found(client, factories, bakery):
    assert client.get("/gutscheine/999999").status_code == 404
    gone = make_offer(bakery, status="archived")
    assert client.get(f"/gutscheine/{gone.id}").status_code == 404
    hidden = make_offer(factories.business(status="draft"))
    assert client.get(f"/gutscheine/{hidden.id}").status_code == 404
    assert client.get(f"/gutscheine/{hidden.id}/kontakt").status_code == 404


# --- the business page ---


def test_business_page_shows_its_published_offers(client, bakery):
    make_offer(bakery, title="Brotzeit-Gutschein")
    make_offer(bakery, status="pending", title="Noch geheim")
    page = client.get(f"/betrieb/{bakery.slug}").get_data(as_text=True)
    section = page[page.index('id="gutscheinangebote"') :]
    assert "Brotzeit-Gutschein" in section and "Noch geheim" not in section
    assert re.search(r'href="/gutscheine/\d+">Brotzeit-Gutschein</a>', section)


def test_business_page_leaves_out_an_offer_whose_fixed_date_has_passed(client, bakery):
    """As the marketplace does: its page is not found any more, so no link leads there."""
    yesterday, tomorrow = date.today() - timedelta(days=1), date.today() + timedelta(days=1)
    lapsed = make_offer(bakery, title="Sommergutschein", validity="fixed", valid_until=yesterday)
    make_offer(bakery, title="Herbstgutschein", validity="fixed", valid_until=tomorrow)
    make_offer(bakery, title="Dauergutschein")
    page = client.get(f"/betrieb/{bakery.slug}").get_data(as_text=True)
    section = page[page.index('id="gutscheinangebote"') :]
    assert "Herbstgutschein" in section and "Dauergutschein" in section
    assert "Sommergutschein" not in section
    assert client.get(f"/gutscheine/{lapsed.id}").status_code == 404


def test_business_page_query_count_does_not_grow_with_offers(client, factories, count_queries):
    counts = []
    for n in (1, 8):
        biz = factories.business(services=2)
        for i in range(n):
            make_offer(biz, title=f"Gutschein {i}")
        url = f"/betrieb/{biz.slug}"
        with count_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200 and f"Gutschein {n - 1}" in response.text
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 10, counts


# --- "Kontakt aufnehmen" ---


def _contact_url(offer) -> str:
    return f"/gutscheine/{offer.id}/kontakt"


MESSAGE = {
    "name": "Petra Kundin",
    "email": "Petra@Beispiel.example",
    "message": "Gibt es den Gutschein auch als hübsche Karte?\r\nDanke!",
    "homepage": "",
}


def test_contact_mails_the_business_with_the_shopper_as_reply_to(client, smtp_server, bakery):
    kruse = bakery
    offer = make_offer(kruse, title="Brezel-Gutschein")
    response = post_form(client, _contact_url(offer), MESSAGE)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/gutscheine/{offer.id}")
    assert "Ihre Nachricht an Bäckerei Kruse ist verschickt" in client.get(
        response.headers["Location"]
    ).get_data(as_text=True)
    mail = smtp_server.last_to(kruse.email)
    assert mail["Reply-To"] == "Petra Kundin <Petra@beispiel.example>"
    assert "Brezel-Gutschein" in mail["Subject"]
    body = smtp_server.body(mail)
    assert "Gibt es den Gutschein auch als hübsche Karte?" in body
    assert f"/gutscheine/{offer.id}" in body


def test_contact_goes_to_the_owners_without_a_business_address(
    client, app, smtp_server, bakery, owner_account
):
    kruse = bakery
    kruse.email = None
    offer = make_offer(kruse)
    assert post_form(client, _contact_url(offer), MESSAGE).status_code == 302
    assert smtp_server.last_to(owner_account.email)["Reply-To"].endswith("<Petra@beispiel.example>")


def test_contact_for_the_city_voucher_goes_to_the_administration(
    client, smtp_server, admin_account
):
    offer = make_offer(None, title="Stadtgutschein")
    assert post_form(client, _contact_url(offer), MESSAGE).status_code == 302
    assert "Stadtgutschein" in smtp_server.last_to(admin_account.email)["Subject"]


def test_contact_needs_name_address_and_a_message(client, smtp_server, bakery):
    offer = make_offer(bakery)
    response = post_form(
        client, _contact_url(offer), {"name": "", "email": "keine-adresse", "message": "Hi"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Bitte geben Sie Ihren Namen an" in page
    assert "Bitte geben Sie eine gültige E-Mail-Adresse an." in page
    assert "mindestens 10 Zeichen" in page
    assert 'value="keine-adresse"' in page
    assert smtp_server.messages == []


def test_contact_honeypot_sends_nothing(client, smtp_server, bakery):
    offer = make_offer(bakery)
    response = post_form(client, _contact_url(offer), {**MESSAGE, "homepage": "http://spam"})
    assert response.status_code == 302  # looks accepted …
    assert smtp_server.messages == []  # … but nothing was sent


def test_contact_is_rate_limited(client, bakery):
    offer = make_offer(bakery)
    statuses = [post_form(client, _contact_url(offer), MESSAGE).status_code for _ in range(6)]
    assert statuses == [302] * 5 + [429]


def test_contact_without_a_mail_server_keeps_the_message(client, app, monkeypatch, bakery):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", _free_port())  # nobody listens there
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 2)
    offer = make_offer(bakery)
    response = post_form(client, _contact_url(offer), MESSAGE)
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "konnte gerade nicht verschickt werden" in page
    assert 'value="Petra Kundin"' in page and "als hübsche Karte?" in page


def test_contact_form_page(client, bakery):
    offer = make_offer(bakery, title="Kranz-Gutschein")
    page = client.get(_contact_url(offer)).get_data(as_text=True)
    assert "Kontakt aufnehmen" in page and "Bäckerei Kruse" in page
    assert 'name="homepage"' in page and 'class="trap"' in page
    assert 'name="csrf_token"' in page


def test_a_post_without_csrf_token_is_refused(client, bakery):
    offer = make_offer(bakery)
    assert client.post(_contact_url(offer), data=MESSAGE).status_code == 400
