"""axe-core (shipped inside axe-playwright-python, nothing downloaded) on the pages of the
map, the delivery check and the vouchers, as a shopper and as an owner: no serious or
critical violation."""

from __future__ import annotations

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips (or fails in CI) with the reason
    expect = None

pytestmark = pytest.mark.e2e

SHOPPER_PAGES = [  # {pizzeria}: the town's pizzeria, which delivers
    "/karte",
    "/karte?lieferung=1",
    "/betrieb/{pizzeria}",
    "/betrieb/{pizzeria}/liefergebiet?adresse=46236",
    "/gutscheine",
    "/gutscheine/guthaben",
]
OWNER_PAGES = [  # {bakery}: the town's bakery, of the owner who logs in
    "/mein-betrieb/{bakery}/gutscheine",
    "/mein-betrieb/{bakery}/gutscheine/einloesen",
    "/mein-betrieb/{bakery}/gutscheinangebote",
    "/mein-betrieb/{bakery}/bearbeiten",
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


def test_shopper_pages(browsing, live_town, axe):
    page = browsing.new_page()
    offer = f"/gutscheine/{live_town.offer_id}"
    found = {}
    for path in [*SHOPPER_PAGES, offer, f"{offer}/kontakt"]:
        page.goto(path.format(pizzeria=live_town.slugs["Pizzeria Da Franco"]))
        found[path] = _serious(axe, page)
    assert not any(found.values()), found


def test_owner_pages(browsing, live_town, axe):
    owner = live_town.owner
    page = browsing.new_page()
    page.goto("/konto/anmelden")
    page.get_by_label("E-Mail-Adresse", exact=True).fill(owner.email)
    page.get_by_label("Passwort", exact=True).fill(owner.password)
    page.get_by_role("button", name="Anmelden", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text(f"Willkommen, {owner.name}!")
    found = {}
    for path in OWNER_PAGES:
        page.goto(path.format(bakery=live_town.slugs["Bäckerei Kruse"]))
        found[path] = _serious(axe, page)
    assert not any(found.values()), found
