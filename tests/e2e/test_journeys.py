"""Journeys 2 and 3 in a real browser: a new owner registers, confirms the e-mail, enters a
bakery with hours, services, delivery and a photo and submits it; it stays private until a
moderator approves it; a later change (new description, another photo) stays private until
the moderator approves the change, shown as a diff with the photo's thumbnail."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from tests.conftest import SMTPRecorder
from tests.e2e.conftest import MODERATOR, Person
from tests.images import make_image_bytes

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips (or fails in CI) with the reason
    expect = None

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e

OWNER = Person("lena.sonnenschein@beispiel.example", "Sonnenschein-Bottrop-2026", "Lena Sommer")
NAME = "Bäckerei Sonnenschein"
SLUG = "baeckerei-sonnenschein"
DESCRIPTION = (
    "Seit 1987 backen wir in der Bottroper Innenstadt jeden Morgen Brot und Brötchen "
    "mit Natursauerteig."
)
NEW_DESCRIPTION = (
    "Seit 1987 backen wir in der Bottroper Innenstadt Brot und Brötchen mit Natursauerteig – "
    "jetzt auch glutenfreies Dinkelbrot."
)
PHOTO_ALT = "Verkaufstheke mit frischen Brötchen"
NEW_PHOTO_ALT = "Glutenfreies Dinkelbrot im Regal"
WEEKDAYS = ("Dienstag", "Mittwoch", "Donnerstag", "Freitag")


def flash(page: Page):
    return page.get_by_role("status")


def nav_link(page: Page, name: str | re.Pattern):
    return page.get_by_role("navigation", name="Konto").get_by_role("link", name=name)


def entry_row(page: Page):
    return page.get_by_role("row").filter(has_text=NAME)


def log_in(page: Page, person: Person) -> None:
    if not page.url.endswith("/konto/anmelden"):
        page.goto("/")
        nav_link(page, "Anmelden").click()
    page.get_by_label("E-Mail-Adresse", exact=True).fill(person.email)
    page.get_by_label("Passwort", exact=True).fill(person.password)
    page.get_by_role("button", name="Anmelden", exact=True).click()
    expect(flash(page)).to_contain_text(f"Willkommen, {person.name}!")


def register_and_confirm(page: Page, live_server) -> None:
    page.goto("/")
    nav_link(page, "Registrieren").click()
    expect(page).to_have_url(f"{live_server.url}/konto/registrieren")
    page.get_by_label("E-Mail-Adresse", exact=True).fill(OWNER.email)
    page.get_by_label("Name (optional)", exact=True).fill(OWNER.name)
    page.get_by_label("Passwort (mindestens 10 Zeichen)", exact=True).fill(OWNER.password)
    page.get_by_label("Passwort wiederholen", exact=True).fill(OWNER.password)
    page.get_by_label("Ich habe die Datenschutzerklärung gelesen.").check()
    page.get_by_role("button", name="Registrieren", exact=True).click()
    expect(flash(page)).to_contain_text(f"Wir haben eine E-Mail an {OWNER.email} geschickt")

    mail = live_server.mail.last_to(OWNER.email)
    assert mail["Subject"] == "Bitte bestätigen Sie Ihre E-Mail-Adresse"
    link = SMTPRecorder.link(mail, "/konto/bestaetigen/")
    assert link.startswith(f"{live_server.url}/konto/bestaetigen/")
    page.goto(link)  # the owner clicks the link in the mail
    expect(flash(page)).to_contain_text("Ihre E-Mail-Adresse ist bestätigt")


def create_entry(page: Page) -> None:
    nav_link(page, "Mein Betrieb").click()
    page.get_by_role("link", name="Neuen Betrieb eintragen").click()
    page.get_by_label("Name des Betriebs", exact=True).fill(NAME)
    page.get_by_label("Kategorie", exact=True).select_option(label="Bäckereien")
    page.get_by_label("Stadtteil", exact=True).select_option(label="Stadtmitte")
    page.get_by_label("Kurzbeschreibung (eine Zeile)", exact=True).fill(
        "Handwerksbäckerei mit Sauerteigbrot und Frühstücksbrötchen am Altmarkt."
    )
    page.get_by_label("Beschreibung", exact=True).fill(DESCRIPTION)
    page.get_by_label("Straße", exact=True).fill("Hochstraße")
    page.get_by_label("Hausnummer", exact=True).fill("12")
    page.get_by_label("Postleitzahl", exact=True).fill("46236")
    page.get_by_label("Telefon", exact=True).fill("02041 765432")
    page.get_by_label("E-Mail", exact=True).fill("info@baeckerei-sonnenschein.example")
    page.get_by_label("Website", exact=True).fill("https://baeckerei-sonnenschein.example")
    page.get_by_role("button", name="Als Entwurf speichern").click()
    expect(flash(page)).to_contain_text(f"Ihr Eintrag „{NAME}“ ist als Entwurf gespeichert.")
    expect(entry_row(page)).to_contain_text("Entwurf")


def add_hours(page: Page, base_url: str) -> None:
    entry_row(page).get_by_role("link", name="Öffnungszeiten", exact=True).click()
    expect(page).to_have_url(f"{base_url}/mein-betrieb/{SLUG}/oeffnungszeiten")

    def slot(day: str, n: int, opens: str, closes: str) -> None:
        page.get_by_label(f"{day}, Zeitraum {n}, von", exact=True).fill(opens)
        page.get_by_label(f"{day}, Zeitraum {n}, bis", exact=True).fill(closes)

    slot("Montag", 1, "06:30", "13:00")
    slot("Montag", 2, "14:00", "18:00")
    for day in WEEKDAYS:
        page.get_by_label(f"{day}: wie Montag", exact=True).check()
    slot("Samstag", 1, "07:00", "12:00")
    page.get_by_role("button", name="Öffnungszeiten speichern").click()
    expect(flash(page)).to_contain_text("Die Öffnungszeiten sind gespeichert.")

    # "wie Montag" copied both of Monday's periods; Sunday stays closed
    entry_row(page).get_by_role("link", name="Öffnungszeiten", exact=True).click()
    for day in WEEKDAYS:
        expect(page.get_by_label(f"{day}, Zeitraum 1, von", exact=True)).to_have_value("06:30")
        expect(page.get_by_label(f"{day}, Zeitraum 2, bis", exact=True)).to_have_value("18:00")
    expect(page.get_by_label("Samstag, Zeitraum 2, von", exact=True)).to_have_value("")
    expect(page.get_by_label("Sonntag, Zeitraum 1, von", exact=True)).to_have_value("")
    nav_link(page, "Mein Betrieb").click()


def add_services(page: Page, base_url: str) -> None:
    entry_row(page).get_by_role("link", name="Leistungen", exact=True).click()
    expect(page).to_have_url(f"{base_url}/mein-betrieb/{SLUG}/leistungen")
    rows = [
        ("Roggenmischbrot", "Mit Natursauerteig, 1 kg", "4,20", "Laib"),
        ("Kaiserbrötchen", "", "0,45", "Stück"),
        ("Geburtstagstorte auf Bestellung", "Bitte zwei Tage vorher bestellen", "", ""),
    ]
    for n, (name, text, price, unit) in enumerate(rows, start=1):
        page.get_by_label(f"Zeile {n}: Name", exact=True).fill(name)
        page.get_by_label(f"Zeile {n}: Beschreibung", exact=True).fill(text)
        page.get_by_label(f"Zeile {n}: Preis", exact=True).fill(price)
        page.get_by_label(f"Zeile {n}: Einheit", exact=True).fill(unit)
    page.get_by_role("button", name="Leistungen speichern").click()
    expect(flash(page)).to_contain_text("Die Leistungen sind gespeichert.")


def add_delivery(page: Page, base_url: str) -> None:
    entry_row(page).get_by_role("link", name="Lieferung", exact=True).click()
    expect(page).to_have_url(f"{base_url}/mein-betrieb/{SLUG}/lieferung")
    page.get_by_label("Zeile 1: Art", exact=True).select_option(label="Lieferung")
    page.get_by_label("Zeile 1: PLZ", exact=True).fill("46236, 46238")
    page.get_by_label("Zeile 1: Kosten", exact=True).fill("2,50")
    page.get_by_label("Zeile 1: Mindestbestellwert", exact=True).fill("15,00")
    page.get_by_label("Zeile 1: Kostenlos ab", exact=True).fill("30,00")
    page.get_by_label("Zeile 1: Hinweis", exact=True).fill("Frühstückslieferung Di–Sa bis 9 Uhr")
    page.get_by_label("Zeile 2: Art", exact=True).select_option(label="Abholung")
    page.get_by_role("button", name="Speichern", exact=True).click()
    expect(flash(page)).to_contain_text("Lieferung und Abholung sind gespeichert.")


def photo_file(tmp_path_factory, name: str, color: tuple[int, int, int]) -> str:
    """A JPEG made here (a phone photo's shape: 1600 × 1200)."""
    path = tmp_path_factory.mktemp("fotos") / name
    path.write_bytes(make_image_bytes("JPEG", (1600, 1200), color=color))
    return str(path)


def add_photo(page: Page, base_url: str, path: str, alt: str) -> None:
    entry_row(page).get_by_role("link", name="Fotos", exact=True).click()
    expect(page).to_have_url(f"{base_url}/mein-betrieb/{SLUG}/fotos")
    page.get_by_label("Bilddatei (JPEG, PNG oder WebP, höchstens 5 MB)").set_input_files(path)
    page.get_by_label("Galeriefoto", exact=True).check()
    page.get_by_label("Bildtext (was ist zu sehen?)").fill(alt)
    page.get_by_role("button", name="Foto hochladen").click()
    expect(flash(page)).to_contain_text("Das Foto ist")
    expect(page.get_by_role("table", name="Ihre Fotos").locator("tbody tr")).not_to_have_count(0)
    page.get_by_role("link", name="Mein Betrieb", exact=True).first.click()


@pytest.fixture(scope="module")
def owner_page(browsing, live_server, tmp_path_factory) -> Page:
    """Journey 2 clicked through up to the submission: the owner's page, still logged in."""
    page = browsing.new_page()
    register_and_confirm(page, live_server)
    log_in(page, OWNER)
    create_entry(page)
    add_hours(page, live_server.url)
    add_services(page, live_server.url)
    add_delivery(page, live_server.url)
    add_photo(
        page,
        live_server.url,
        photo_file(tmp_path_factory, "theke.jpg", (214, 170, 110)),
        PHOTO_ALT,
    )
    entry_row(page).get_by_role("button", name="Zur Prüfung einreichen").click()
    expect(flash(page)).to_contain_text(f"Danke! „{NAME}“ wird jetzt von unserer Moderation")
    return page


def expect_not_public(page: Page) -> None:
    response = page.goto(f"/betrieb/{SLUG}")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Seite nicht gefunden")
    expect(page.get_by_text(NAME)).to_have_count(0)


def test_journey_2_new_owner_submits_an_entry_that_stays_private(owner_page, browsing, artifacts):
    expect_not_public(browsing.new_page())

    owner = owner_page
    row = entry_row(owner)
    expect(row.locator(".status")).to_have_text("in Prüfung")
    expect(row).to_contain_text("Unsere Moderation prüft den Eintrag")
    expect(row.get_by_role("button", name="Zur Prüfung einreichen")).to_have_count(0)
    owner.screenshot(path=artifacts / "owner-dashboard.png", full_page=True)

    # the owner's preview shows everything that was entered
    row.get_by_role("link", name=NAME).click()
    expect(owner.get_by_role("note")).to_contain_text("Dieser Eintrag ist nicht öffentlich")
    expect(owner.get_by_role("region", name="Öffnungszeiten")).to_contain_text(
        "06:30–13:00, 14:00–18:00"
    )
    expect(owner.get_by_role("region", name="Leistungen und Produkte")).to_contain_text(
        "Roggenmischbrot"
    )
    expect(owner.get_by_role("region", name="Lieferung und Abholung")).to_contain_text(
        "46236, 46238"
    )
    expect(owner.get_by_role("region", name="Fotos").get_by_alt_text(PHOTO_ALT)).to_be_visible()


def test_journey_3_moderator_approves_the_entry_and_then_its_change(
    owner_page, browsing, live_server, artifacts, tmp_path_factory
):
    moderator = browsing.new_page()
    visitor = browsing.new_page()
    owner = owner_page

    # the moderator finds the new entry in the queue and approves it
    log_in(moderator, MODERATOR)
    nav_link(moderator, re.compile(r"^Moderation")).click()
    waiting = moderator.get_by_role("table", name="Alles Wartende, älteste zuerst")
    waiting.get_by_role("row").filter(has_text="Neuer Eintrag").get_by_role(
        "link", name=NAME
    ).click()
    expect(moderator.get_by_role("heading", level=1)).to_have_text(f"Prüfen: {NAME}")
    expect(moderator.locator("dl.facts")).to_contain_text(DESCRIPTION)
    moderator.get_by_role("button", name="Freigeben", exact=True).click()
    expect(flash(moderator)).to_contain_text(f"„{NAME}“ ist veröffentlicht.")
    expect(waiting.get_by_role("link", name=NAME)).to_have_count(0)
    assert "ist freigegeben" in live_server.mail.last_to(OWNER.email)["Subject"]

    # now anyone sees it
    response = visitor.goto(f"/betrieb/{SLUG}")
    assert response is not None and response.status == 200
    expect(visitor.get_by_role("heading", level=1)).to_have_text(NAME)
    about = visitor.get_by_role("region", name="Über uns")
    expect(about).to_contain_text(DESCRIPTION)
    expect(visitor.get_by_role("note")).to_have_count(0)  # no preview notice
    expect(visitor.get_by_alt_text(PHOTO_ALT)).to_be_visible()

    # the owner changes the description: a proposal, the public page keeps the approved text
    nav_link(owner, "Mein Betrieb").click()
    expect(entry_row(owner).locator(".status")).to_have_text("veröffentlicht")
    entry_row(owner).get_by_role("link", name="Bearbeiten", exact=True).click()
    expect(owner).to_have_url(f"{live_server.url}/mein-betrieb/{SLUG}/bearbeiten")
    description = owner.get_by_label("Beschreibung", exact=True)
    expect(description).to_have_value(DESCRIPTION)
    description.fill(NEW_DESCRIPTION)
    owner.get_by_role("button", name="Speichern", exact=True).click()
    expect(flash(owner)).to_contain_text("Die Änderungen werden nach Prüfung")
    expect(entry_row(owner)).to_contain_text("Änderungen warten auf Freigabe")
    add_photo(
        owner,
        live_server.url,
        photo_file(tmp_path_factory, "dinkelbrot.jpg", (150, 110, 60)),
        NEW_PHOTO_ALT,
    )

    visitor.reload()
    expect(about).to_contain_text(DESCRIPTION)
    expect(about).not_to_contain_text(NEW_DESCRIPTION)
    expect(visitor.get_by_alt_text(NEW_PHOTO_ALT)).to_have_count(0)

    # the moderator sees the change as a diff and approves it
    nav_link(moderator, re.compile(r"^Moderation")).click()
    changes = moderator.get_by_role("table", name="Alles Wartende, älteste zuerst")
    change_row = changes.get_by_role("row").filter(has_text=NAME).filter(has_text="Neue Fotos")
    expect(change_row).to_contain_text("1 neues Foto")
    change_row.get_by_role("link").click()
    expect(moderator.get_by_role("heading", level=1)).to_have_text(f"Änderung an „{NAME}“")
    diff = moderator.get_by_role("row").filter(
        has=moderator.get_by_role("rowheader", name="Beschreibung", exact=True)
    )
    # a long text is compared word by word: the whole texts, what changed marked
    expect(diff.locator("td").nth(0)).to_have_text(DESCRIPTION)
    expect(diff.locator("td").nth(1)).to_have_text(NEW_DESCRIPTION)
    expect(diff.locator("del").first).to_be_visible()
    expect(diff.locator("ins").first).to_be_visible()
    photos = moderator.locator("tr.diff-added")
    expect(photos).to_have_count(1)  # the new photo, shown as a thumbnail; nothing else
    expect(photos).to_contain_text(f"Galerie: {NEW_PHOTO_ALT}")
    expect(photos.locator("img.diff-thumb")).to_be_visible()
    expect(moderator.get_by_role("table").locator("tbody tr")).to_have_count(2)
    moderator.screenshot(path=artifacts / "moderation-diff.png", full_page=True)
    moderator.get_by_role("button", name="Freigeben und veröffentlichen").click()
    expect(flash(moderator)).to_contain_text("Über die Änderung ist entschieden.")

    visitor.reload()
    expect(about).to_contain_text(NEW_DESCRIPTION)
    expect(about).not_to_contain_text(DESCRIPTION)
    expect(visitor.get_by_alt_text(NEW_PHOTO_ALT)).to_be_visible()
