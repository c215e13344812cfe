"""Journey 4 in a real browser, with the e-mails received by a real SMTP server: a shopper
orders a €50 voucher; the owner confirms the payment; the voucher (code + QR) is mailed;
the owner redeems €20, then €30; a third redemption is refused; the balance check shows
€0."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from tests.conftest import SMTPRecorder
from tests.e2e.conftest import Person, build_live
from tests.factories import PASSWORD

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips (or fails in CI) with the reason
    expect = None

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e

OWNER = Person("sabine.kruse@beispiel.example", PASSWORD, "Sabine Kruse")
SHOPPER = "geschenk@example.org"
EUR = "\xa0€"


@pytest.fixture
def bakery(live_server) -> tuple[str, int]:
    """Bäckerei Kruse of OWNER, with an offer ordered here: its slug and the offer's id."""

    def make(factories):
        owner = factories.owner(email=OWNER.email, display_name=OWNER.name)
        kruse = factories.bakery(owner)
        offer = factories.orderable_offer(kruse, values_cents=[1000, 2500, 5000], min_cents=None,
                                          max_cents=None)  # fmt: skip
        return kruse.slug, offer.id

    return build_live(live_server, make)


def log_in(page: Page, person: Person) -> None:
    page.goto("/konto/anmelden")
    page.get_by_label("E-Mail-Adresse", exact=True).fill(person.email)
    page.get_by_label("Passwort", exact=True).fill(person.password)
    page.get_by_role("button", name="Anmelden", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text(f"Willkommen, {person.name}!")


def redeem(page: Page, amount: str) -> None:
    page.get_by_label(re.compile(r"^Betrag in Euro")).fill(amount)
    page.get_by_role("button", name="Einlösen", exact=True).click()


def test_journey_4_order_confirm_redeem_and_check(browsing, live_server, bakery, artifacts):
    slug, offer_id = bakery
    shopper = browsing.new_page()
    shopper.goto(f"/gutscheine/{offer_id}/bestellen")
    shopper.get_by_label(f"50,00{EUR}").check()
    shopper.get_by_label("Ihr Name").fill("Karla Kundin")
    shopper.get_by_label("Ihre E-Mail-Adresse").fill(SHOPPER)
    shopper.get_by_label(re.compile(r"^Für wen")).fill("Oma Erna")
    shopper.get_by_label(re.compile(r"^Persönlicher Gruß")).fill("Alles Gute zum Geburtstag!")
    shopper.get_by_label("Per Überweisung").check()
    shopper.get_by_role("button", name="Zahlungspflichtig bestellen").click()
    expect(shopper.get_by_role("heading", level=1)).to_have_text("Vielen Dank für Ihre Bestellung")
    reference = re.search(r"GS-[0-9A-Z]{4}-[0-9A-Z]{4}", shopper.content()).group(0)
    expect(shopper.locator(".facts")).to_contain_text("DE89370400440532013000")
    shopper.screenshot(path=artifacts / "voucher-ordered.png")
    instructions = SMTPRecorder.body(live_server.mail.last_to(SHOPPER))
    assert reference in instructions and f"50,00{EUR}" in instructions

    owner = browsing.new_page()
    log_in(owner, OWNER)
    owner.goto(f"/mein-betrieb/{slug}/gutscheine")
    row = owner.get_by_role("row").filter(has_text=reference)
    row.get_by_role("button", name="Zahlung bestätigen und Gutschein ausstellen").click()
    expect(owner.get_by_role("status").first).to_contain_text(f"an {SHOPPER} geschickt")

    mail = live_server.mail.last_to(SHOPPER)
    assert "Ihr Gutschein ist da" in mail["Subject"]
    body = SMTPRecorder.body(mail)
    code = re.search(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]", body).group(0)
    assert any(p.get_filename() == "gutschein-qr.svg" for p in mail.iter_attachments())

    # the printable voucher the mail links to
    shopper.goto(SMTPRecorder.link(mail, "/gutschein/"))
    expect(shopper.locator(".voucher-code")).to_have_text(code)
    expect(shopper.locator(".voucher-qr svg")).to_be_visible()
    shopper.screenshot(path=artifacts / "voucher-printable.png")

    owner.goto(f"/mein-betrieb/{slug}/gutscheine/einloesen")
    owner.get_by_label(re.compile(r"^Gutscheincode")).fill(code.lower())
    owner.get_by_role("button", name="Gutschein prüfen").click()
    expect(owner.locator(".voucher-balance")).to_have_text(f"50,00{EUR}")
    redeem(owner, "20")
    expect(owner.get_by_role("status").first).to_contain_text(
        f"20,00{EUR} eingelöst. Restguthaben: 30,00{EUR}."
    )
    redeem(owner, "30,00")
    expect(owner.get_by_role("status").first).to_contain_text(f"Restguthaben: 0,00{EUR}.")
    # a third redemption: refused
    expect(owner.get_by_text("Dieser Gutschein ist vollständig eingelöst.")).to_be_visible()
    expect(owner.get_by_role("button", name="Einlösen", exact=True)).to_have_count(0)
    expect(owner.get_by_role("row")).to_have_count(3)  # header and two redemptions
    owner.screenshot(path=artifacts / "voucher-redeemed.png")

    shopper.goto("/gutscheine/guthaben")
    shopper.get_by_label("Gutscheincode").fill(code)
    shopper.get_by_role("button", name="Guthaben prüfen").click()
    expect(shopper.locator(".voucher-balance")).to_have_text(f"0,00{EUR}")
