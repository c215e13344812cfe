"""Journey 1 in a real browser, as far as search goes: a shopper types in the search box
(suggestions as an ARIA combobox, used with the keyboard), searches "Baecker", narrows to
"Jetzt geöffnet" and opens a bakery."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips (or fails in CI) with the reason
    expect = None

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _in_town(live_town):
    """The live server holds the town of tests/town.py: six bakeries among them."""


def search_box(page: Page):
    return page.get_by_role("combobox").first  # on the home page the big search box


def test_suggestions_are_a_keyboard_combobox(page: Page):
    page.goto("/")
    box = search_box(page)
    box.fill("bäc")
    listbox = page.get_by_role("listbox", name="Vorschläge")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    options = listbox.get_by_role("option")
    expect(options.first).to_contain_text("Bäckereien")
    expect(options.nth(1)).to_contain_text("Bäckerei")

    box.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", "suggest-0")
    box.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    box.press("ArrowUp")
    expect(options.first).to_have_attribute("aria-selected", "true")
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")

    box.press("ArrowDown")  # opens the list again
    expect(listbox).to_be_visible()
    box.press("ArrowDown")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/kategorie/baeckereien$"))


def test_journey_1_search_filter_and_open_a_bakery(page: Page, artifacts):
    page.goto("/")
    search_box(page).fill("Baecker")
    search_box(page).press("Enter")  # no suggestion chosen: a normal search
    expect(page).to_have_url(re.compile(r"/suche\?q=Baecker"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ergebnisse für „Baecker“")
    results = page.locator(".search-results .business-card")
    expect(results.first.locator("mark").first).to_contain_text("Bäcker")
    found = results.count()
    assert found >= 3

    page.get_by_label(re.compile(r"^Jetzt geöffnet")).check()  # applies at once (script)
    expect(page).to_have_url(re.compile(r"offen=1"))
    expect(page.get_by_label(re.compile(r"^Jetzt geöffnet"))).to_be_checked()
    expect(page.get_by_role("list", name="Aktive Filter")).to_contain_text("Jetzt geöffnet")
    page.screenshot(path=artifacts / "search-results.png", full_page=True)

    count = page.locator(".search-results .business-card").count()
    assert count <= found
    if count:  # whether a bakery is open depends on the hour the test runs
        card = page.locator(".search-results .business-card").first
        name = card.get_by_role("heading").inner_text()
        card.get_by_role("link").first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text(name)
        expect(page.get_by_role("region", name="Öffnungszeiten")).to_be_visible()
    else:
        expect(page.get_by_text("Keine Betriebe gefunden.")).to_be_visible()
        expect(
            page.get_by_role("link", name="Ohne den Filter „Jetzt geöffnet“ suchen")
        ).to_be_visible()
