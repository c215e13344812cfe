"""The site's one helper of each kind: money (Babel), German folding, telephone numbers
(phonenumbers), IBANs (schwifty) and the plain-text normaliser — as functions, and through
the real forms and pages that use them."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from hallobot.directory.models import Business
from hallobot.directory.slugs import make_slug
from hallobot.extensions import db
from hallobot.geo.service import normalise_address
from hallobot.iban import COUNTRY, INVALID, LENGTH, compact_iban, grouped_iban, iban_problem
from hallobot.moderation.models import Report
from hallobot.money import format_money, money_input, parse_money
from hallobot.phone import international, tel_href
from hallobot.text import fold, one_line, plain_text
from tests.conftest import browser_form, login_as, post_form

NBSP = "\xa0"
MAX_CENTS = 99_999_999  # parse_money reads at most 999.999,99 €


def _kruse(bakery) -> Business:
    return db.session.get(Business, bakery.id)


# --- money ---


@pytest.mark.parametrize(
    ("cents", "german", "english"),
    [
        (123450, f"1.234,50{NBSP}€", "€1,234.50"),
        (420, f"4,20{NBSP}€", "€4.20"),
        (5000, f"50,00{NBSP}€", "€50.00"),
        (0, f"0,00{NBSP}€", "€0.00"),
    ],
)
def test_money_is_written_in_the_reader_s_language(cents, german, english):
    assert format_money(cents, "de") == german
    assert format_money(cents, "en") == english
    assert format_money(None, "de") == ""


def test_money_follows_the_request_and_is_german_outside_one(app):
    assert format_money(250) == f"2,50{NBSP}€"  # no request: German
    with app.test_request_context("/"):
        assert format_money(250) == f"2,50{NBSP}€"
        with force_locale("en"):
            assert format_money(250) == "€2.50"
            assert money_input(250) == "2.50"


def test_plain_amounts_for_a_csv_have_two_decimals_and_no_grouping():
    assert format_money(123450, "de", plain=True) == "1234,50"
    assert format_money(1500, "de", plain=True) == "15,00"
    assert format_money(1500, "en", plain=True) == "15.00"


@pytest.mark.parametrize(
    ("cents", "german", "english"),
    [
        (420, "4,20", "4.20"),
        (2500, "25", "25"),
        (2550, "25,50", "25.50"),
        (123450, "1234,50", "1234.50"),
        (7, "0,07", "0.07"),
        (None, "", ""),
    ],
)
def test_a_form_field_shows_what_people_type(cents, german, english):
    assert money_input(cents, "de") == german
    assert money_input(cents, "en") == english


@given(st.integers(min_value=0, max_value=MAX_CENTS), st.sampled_from(["de", "en"]))
def test_what_a_form_field_shows_is_read_back(cents, locale):
    assert parse_money(money_input(cents, locale)) == cents


@given(st.integers(min_value=0, max_value=MAX_CENTS))
def test_a_german_amount_as_shown_is_read_back(cents):
    assert parse_money(format_money(cents, "de")) == cents


@pytest.mark.parametrize(
    "raw", ["abc", "25,505", "-5", "1e3", "1,234.50", "1.234", "١٢", "١٢,٥٠", "１２", "²"]
)
def test_what_is_not_an_amount_is_refused(raw):
    with pytest.raises(ValueError):
        parse_money(raw)


def test_the_services_form_shows_prices_as_they_are_typed(app, bakery, owner_account):
    owner = login_as(app, owner_account)
    url = f"/mein-betrieb/{bakery.slug}/leistungen"
    fields = browser_form(owner.get(url).get_data(as_text=True))
    prices = [s.price_cents for s in _kruse(bakery).services]
    shown = [fields[f"s{i}_price"] for i in range(len(prices))]
    assert shown == [money_input(p, "de") for p in prices]
    assert all(re.fullmatch(r"\d+(,\d\d)?|", value) for value in shown)
    # an unchanged form is no change at all
    response = owner.post(url, data=fields)
    assert response.status_code == 302
    assert [s.price_cents for s in _kruse(bakery).services] == prices


def test_a_price_in_other_digits_is_a_form_error(app, bakery, owner_account):
    owner = login_as(app, owner_account)
    url = f"/mein-betrieb/{bakery.slug}/leistungen"
    fields = browser_form(owner.get(url).get_data(as_text=True))
    prices = [s.price_cents for s in _kruse(bakery).services]
    response = owner.post(url, data={**fields, "s0_price": "١٢,٥٠"})
    assert response.status_code == 422
    assert [s.price_cents for s in _kruse(bakery).services] == prices


# --- German folding ---


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Bäckerei Müller", "baeckerei mueller"),
        ("BAECKEREI MUELLER", "baeckerei mueller"),
        ("BÄCKEREI MÜLLER", "baeckerei mueller"),
        ("Straße", "strasse"),
        ("Café Crème", "cafe creme"),
        ("Ba\u0308ckerei", "baeckerei"),  # a decomposed ä (a + combining diaeresis)
        ("İstanbul Grill", "istanbul grill"),  # its lower case is i + combining dot
        ("Smørrebrød & Œuvre", "smorrebrod oeuvre"),
        ("'; DROP TABLE --%_\x00", "drop table"),
        ("", ""),
        (None, ""),
    ],
)
def test_one_folding_for_search_and_everything_else(text, folded):
    assert fold(text) == folded


def test_slugs_and_the_geocoding_cache_use_the_same_table():
    assert make_slug("Bäckerei Müller") == "baeckerei-mueller"
    assert make_slug("ÄRZTEHAUS an der Straße") == "aerztehaus-an-der-strasse"
    assert make_slug("Kaffee & Kuchen") == "kaffee-und-kuchen"
    assert make_slug("Smørrebrød Æble") == "smorrebrod-aeble"
    assert normalise_address("Lützowstraße 5, Bottrop") == fold("Lützowstraße 5, Bottrop")
    assert normalise_address("Lu\u0308tzowstr. 5") == normalise_address("Lützowstraße 5")


@pytest.mark.parametrize(
    "query", ["Bäckerei Kruse", "BAECKEREI kruse", "BÄCKEREI KRUSE", "Ba\u0308ckerei Kruse"]
)
def test_every_spelling_finds_the_bakery(client, bakery, query):
    page = client.get("/suche", query_string={"q": query}).get_data(as_text=True)
    assert f'href="/betrieb/{bakery.slug}"' in page
    assert "<mark>Bäckerei</mark>" in page


# --- telephone numbers ---


@pytest.mark.parametrize(
    "typed",
    [
        "+49 (0) 2041 123456",
        "02041 123456",
        "0049 2041 123456",
        "(02041) 12 34 56",
        "02041/123456",
        "+49-2041-123456",
    ],
)
def test_a_bottrop_number_in_any_spelling_is_one_number(typed):
    assert international(typed) == "+492041123456"
    assert tel_href(typed) == "tel:+492041123456"


@pytest.mark.parametrize(
    "typed",
    [
        "------",
        "123",
        "110",
        "02041 1",
        "ruf an",
        "Tel. 02041 123456",
        "0",
        "",
        None,
        "02041 123456 <script>",
        "0" * 41,
        "٠٢٠٤١ ١٢٣٤٥٦",  # Arabic-Indic digits, which phonenumbers would read
        "０２０４１ １２３４５６",  # full-width digits
    ],
)
def test_what_is_not_a_telephone_number_gets_no_link(typed):
    assert international(typed) is None
    assert tel_href(typed) == ""


def test_other_countries_keep_their_code():
    assert international("+44 20 7946 0958") == "+442079460958"


def test_the_owner_s_phone_is_checked_beside_the_field(app, bakery, owner_account):
    owner = login_as(app, owner_account)
    EDIT = f"/mein-betrieb/{bakery.slug}/bearbeiten"
    fields = browser_form(owner.get(EDIT).get_data(as_text=True))
    response = owner.post(EDIT, data={**fields, "phone": "------"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    error = page[page.index('id="phone-error"') :][:200]
    assert "Bitte eine gültige Telefonnummer angeben" in error
    assert 'value="------"' in page  # what was typed stays in the field
    before = _kruse(bakery).phone
    response = owner.post(EDIT, data={**fields, "phone": "٠٢٠٤١ ١٢٣٤٥٦"})
    assert response.status_code == 422 and _kruse(bakery).phone == before
    response = owner.post(EDIT, data={**fields, "phone": "+49 (0) 2041 123456"})
    assert response.status_code == 302


def test_the_public_page_links_the_number_as_typed(app, client, bakery):
    kruse = _kruse(bakery)
    kruse.phone = "+49 (0) 2041 123456"
    db.session.commit()
    page = client.get(f"/betrieb/{kruse.slug}").get_data(as_text=True)
    assert '<a href="tel:+492041123456" itemprop="telephone">+49 (0) 2041 123456</a>' in page


def test_a_stored_number_that_is_not_valid_is_shown_without_a_link(app, client, bakery):
    kruse = _kruse(bakery)
    kruse.phone = "siehe Website"  # imported or stored before the check
    db.session.commit()
    page = client.get(f"/betrieb/{kruse.slug}").get_data(as_text=True)
    assert '<span itemprop="telephone">siehe Website</span>' in page
    assert 'href="tel:' not in page and 'href=""' not in page


# --- IBANs ---


def _mod97_ok(iban: str) -> bool:
    """The ISO 13616 checksum alone (what the site checked before schwifty)."""
    return int("".join(str(int(c, 36)) for c in iban[4:] + iban[:4])) % 97 == 1


def _with_check_digits(country: str, bban: str) -> str:
    digits = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{country}{98 - int(digits) % 97:02d}{bban}"


def test_a_valid_iban_passes_and_is_shown_grouped():
    assert iban_problem("DE89370400440532013000") is None
    assert iban_problem(compact_iban(" de89 3704-0044 0532 0130 00 ")) is None
    assert iban_problem("GB82WEST12345698765432") is None
    assert grouped_iban("DE89370400440532013000") == "DE89 3704 0044 0532 0130 00"
    assert grouped_iban(None) == ""


def test_the_checksum_alone_is_not_enough():
    short_german = _with_check_digits("DE", "37040044053201300")  # 21 characters
    long_austrian = _with_check_digits("AT", "19043002345732011")  # AT has 20
    unknown_country = _with_check_digits("XX", "370400440532013000")
    assert all(_mod97_ok(i) for i in (short_german, long_austrian, unknown_country))
    assert iban_problem(short_german) == LENGTH
    assert iban_problem(long_austrian) == LENGTH
    assert iban_problem(unknown_country) == COUNTRY
    assert iban_problem("DE89370400440532013001") == INVALID  # one digit off
    assert iban_problem("DE89 3704") is not None and iban_problem("") is not None


# --- plain text ---


@pytest.mark.parametrize(
    ("typed", "plain"),
    [
        ("Zeile 1\r\nZeile 2\rZeile 3\nZeile 4", "Zeile 1\nZeile 2\nZeile 3\nZeile 4"),
        ("  eingerückt\r\n\r\n", "eingerückt"),
        ("a\x00b\x1b[31mc\x7fd\x9be", "ab[31mcde"),
        ("Spalte\tSpalte", "Spalte\tSpalte"),
        ("eins\u2028zwei\u2029drei\x85vier", "eins\nzwei\ndrei\nvier"),
        ("\x0bvertikal\x0c", "vertikal"),
        (None, ""),
    ],
)
def test_plain_text_has_lf_line_ends_and_no_control_characters(typed, plain):
    assert plain_text(typed) == plain


@pytest.mark.parametrize(
    ("typed", "line"),
    [
        ("  Anna\r\n\tMüller\x00 ", "Anna Müller"),
        ("Geschenk\u2028gutschein", "Geschenk gutschein"),
        ("a  b\x1b", "a b"),
        (None, ""),
    ],
)
def test_one_line_is_one_line(typed, line):
    assert one_line(typed) == line


@given(st.text())
def test_no_control_character_survives(text):
    plain = plain_text(text)
    assert "\r" not in plain and plain_text(plain) == plain
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]", plain)
    line = one_line(text)
    assert line == " ".join(line.split()) and one_line(line) == line
    assert not re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", line)


def test_a_report_s_message_is_stored_as_plain_text(client, bakery):
    response = post_form(
        client,
        f"/betrieb/{bakery.slug}/melden",
        {
            "reason": "falsche-angaben",
            "message": "Die Nummer\r\nstimmt nicht.\x00\x1b[2J\r\n",
            "email": "",
            "homepage": "",
        },
    )
    assert response.status_code == 302
    report = db.session.scalar(select(Report).where(Report.business_id == bakery.id))
    assert report.message == "Die Nummer\nstimmt nicht.[2J"


def test_the_owner_s_description_is_stored_as_plain_text(app, draft_entry, owner_account):
    owner = login_as(app, owner_account)
    draft = draft_entry
    url = f"/mein-betrieb/{draft.slug}/bearbeiten"
    fields = browser_form(owner.get(url).get_data(as_text=True))
    typed = "Erster Absatz.\r\n\r\nZweiter\x00 Absatz.\x1b\r\n"
    assert owner.post(url, data={**fields, "description": typed}).status_code == 302
    db.session.refresh(draft)
    assert draft.description == "Erster Absatz.\n\nZweiter Absatz."
