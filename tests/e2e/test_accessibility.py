"""axe-core (shipped inside axe-playwright-python, nothing downloaded) on the pages of the
map, the delivery check and the vouchers, as a shopper and as an owner: no serious or
critical violation."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Person

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips (or fails in CI) with the reason
    expect = None

pytestmark = pytest.mark.e2e

OWNER = Person("inhaberin@hallobot.example", "Bottrop-Inhaberin-2026", "Sabine Kruse")
SHOPPER_PAGES = [
    "/karte",
    "/karte?lieferung=1",
    "/betrieb/pizzeria-da-franco",
    "/betrieb/pizzeria-da-franco/liefergebiet?adresse=46236",
    "/gutscheine",
    "/gutscheine/guthaben",
]
OWNER_PAGES = [
    "/mein-betrieb/baeckerei-kruse/gutscheine",
    "/mein-betrieb/baeckerei-kruse/gutscheine/einloesen",
    "/mein-betrieb/baeckerei-kruse/gutscheinangebote",
    "/mein-betrieb/baeckerei-kruse/bearbeiten",
]


@pytest.fixture(scope="module")
def axe():
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        pytest.skip("axe-playwright-python is not installed (pip install -e '.[dev]')")
    return Axe()


def _serious(axe, page) -> list[str]:
    page.wait_for_load_state("networkidle")
    violations = axe.run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {[n['html'][:120] for n in v['nodes']]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def _first_offer(live_server) -> str:
    from sqlalchemy import select

    from hallobot.extensions import db
    from hallobot.vouchers.models import VoucherOffer

    with live_server.app.app_context():
        offer_id = db.session.scalar(
            select(VoucherOffer.id).where(VoucherOffer.status == "published").limit(1)
        )
        db.session.remove()
    return f"/gutscheine/{offer_id}"


def test_shopper_pages(browsing, live_server, axe):
    page = browsing.new_page()
    offer = _first_offer(live_server)
    found = {}
    for path in [*SHOPPER_PAGES, offer, f"{offer}/kontakt"]:
        page.goto(path)
        found[path] = _serious(axe, page)
    assert not any(found.values()), found


def test_owner_pages(browsing, axe):
    page = browsing.new_page()
    page.goto("/konto/anmelden")
    page.get_by_label("E-Mail-Adresse", exact=True).fill(OWNER.email)
    page.get_by_label("Passwort", exact=True).fill(OWNER.password)
    page.get_by_role("button", name="Anmelden", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text(f"Willkommen, {OWNER.name}!")
    found = {}
    for path in OWNER_PAGES:
        page.goto(path)
        found[path] = _serious(axe, page)
    assert not any(found.values()), found
