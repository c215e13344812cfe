"""/mein-betrieb/<slug>/…: the section editors of an entry — opening hours, services, special
days, delivery and pickup, news, current offers (and the photo list, in ``photo_routes``).

Each is declared once (what it edits, its page, how a stored item becomes a row of fields
``<prefix><i>_<field>``, the check that turns posted rows into the value) and runs through
one flow, ``section_page``. The hidden fields (marker, number of rows) are a WTForms form."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from hallobot.directory.hours import local_now
from hallobot.directory.loaders import owned_business_or_404
from hallobot.directory.models import Business
from hallobot.money import money_input
from hallobot.owner import rows as row_checks
from hallobot.owner.blueprint import bp, flash_outcome
from hallobot.owner.editing import edit_marker, open_revision, save_values, values_for_form
from hallobot.owner.errors import OwnerError, StaleEdit
from hallobot.owner.forms import PAGE_INCOMPLETE, RowsForm, SectionForm


@dataclass(frozen=True)
class ListSection:
    """A list editor: the value it edits (``name``, as declared in directory/fields.py), its
    page, the fields of a row and how a stored item fills them, how many blank rows it
    offers for new items, the most items it takes (``most``), and the check that turns the
    posted rows into the value (raising OwnerError naming the row)."""

    name: str
    template: str
    prefix: str
    fields: tuple[str, ...]
    row: Callable[[dict], dict]
    check: Callable[[list[dict]], list] | None
    most: int
    saved: str
    proposed: str
    blank: int = 2
    blank_first: bool = False

    @property
    def limit(self) -> int:
        """The most rows a page of this editor shows: every item and the blank rows."""
        return self.most + self.blank

    def form(self, **kwargs) -> RowsForm:
        return RowsForm(limit=self.limit, **kwargs)

    def shown(self, values: dict) -> dict:
        """The template's rows for the stored ``values`` (with any pending proposal)."""
        empty = dict.fromkeys(self.fields, "")
        rows = [empty | self.row(item) for item in values[self.name]]
        blank = [dict(empty) for _ in range(self.blank)]
        rows = blank + rows if self.blank_first else rows + blank
        if "position" in self.fields:
            rows = [row | {"position": str(i)} for i, row in enumerate(rows, start=1)]
        return {"rows": rows}

    def posted(self, form: RowsForm) -> dict:
        """The rows as posted: ``<prefix><i>_<field>`` for each of the form's rows."""
        return {
            "rows": [
                {f: request.form.get(f"{self.prefix}{i}_{f}", "") for f in self.fields}
                for i in range(form.rows.data)
            ]
        }

    def save(self, business: Business, typed: dict, marker: str) -> str:
        wanted = {self.name: self.check(typed["rows"])}
        return save_values(current_user, business, wanted, marker)

    def more(self, business: Business, marker: str) -> dict:
        """What else the page shows besides the rows."""
        return {}


def render_section(business, section, typed: dict, marker: str, error=None, status=200, **extra):
    """The editor's page with ``typed`` (its rows and what else it shows as typed) and, on an
    error, the message (in the row it names); ``extra`` replaces what ``section.more`` gives."""
    page = render_template(
        section.template,
        business=business,
        form=section.form(formdata=None, marker=marker, rows=len(typed["rows"])),
        error=error.message if error else None,
        error_row=error.row if error else None,
        **typed,
        **section.more(business, marker) | extra,
    )
    return page, status


def section_page(business: Business, section):
    """The flow every section editor shares: show the values (with any pending proposal),
    or take the posted rows, save them (directly or as a proposal) and say what happened.
    On an error the typed rows are shown again with the message (409 when the entry changed
    in between, else 422); nothing is half-saved. A post whose hidden fields cannot be read
    shows the stored values afresh with a message (422)."""
    form = section.form()
    if form.validate_on_submit():
        typed, marker = section.posted(form), form.marker.data or ""
        try:
            outcome = section.save(business, typed, marker)
        except StaleEdit as exc:
            marker = edit_marker(business, open_revision(business))
            return render_section(business, section, typed, marker, exc, 409)
        except OwnerError as exc:
            return render_section(business, section, typed, marker, exc, 422)
        flash_outcome(outcome, section.saved, section.proposed)
        return redirect(url_for("owner.dashboard"))
    revision = open_revision(business)
    typed = section.shown(values_for_form(business, revision))
    error = OwnerError(PAGE_INCOMPLETE) if form.is_submitted() else None
    marker, status = edit_marker(business, revision), 422 if error else 200
    return render_section(business, section, typed, marker, error, status)


# --- opening hours: up to three slots a day, "wie Montag", public holidays ---

SLOTS_PER_DAY = 3


@dataclass(frozen=True)
class HoursSection:
    """The weekly hours: a fixed table of days and slots (``d<day>_<n>_von``/``_bis``), a
    "wie Montag" box per day and whether the business opens on public holidays."""

    template: str = "owner/hours.html"
    saved: str = _l("Die Öffnungszeiten sind gespeichert.")
    proposed: str = _l(
        "Gespeichert. Die neuen Öffnungszeiten werden nach Prüfung durch unsere Moderation "
        "öffentlich."
    )

    def form(self, **kwargs) -> SectionForm:
        return SectionForm(**kwargs)

    def shown(self, values: dict) -> dict:
        rows: dict[int, list[tuple[str, str]]] = {day: [] for day in range(7)}
        for weekday, opens, closes in values["opening_hours"]:
            rows[weekday].append((opens, closes))
        return self._typed(rows, set(), values["holidays_open"])

    def posted(self, form: SectionForm) -> dict:
        rows, same = {}, set()
        for day in range(7):
            rows[day] = [
                (
                    request.form.get(f"d{day}_{n}_von", "").strip(),
                    request.form.get(f"d{day}_{n}_bis", "").strip(),
                )
                for n in range(SLOTS_PER_DAY)
            ]
            if day and request.form.get(f"d{day}_wie_montag"):
                same.add(day)
        for day in same:  # "wie Montag": the day takes Monday's slots
            rows[day] = list(rows[0])
        return self._typed(rows, same, bool(request.form.get("holidays_open")))

    def save(self, business: Business, typed: dict, marker: str) -> str:
        slots = row_checks.hours_from_form(typed["rows"])
        wanted = {"opening_hours": slots, "holidays_open": typed["holidays_open"]}
        return save_values(current_user, business, wanted, marker)

    def more(self, business: Business, marker: str) -> dict:
        return {"slots": SLOTS_PER_DAY, "day_names": row_checks.WEEKDAY_NAMES}

    @staticmethod
    def _typed(rows: dict, same: set[int], holidays_open: bool) -> dict:
        return {"rows": rows, "same": same, "holidays_open": holidays_open}


HOURS = HoursSection()


# --- the list editors ---


def _service_row(service: dict) -> dict:
    return {
        "name": service["name"],
        "description": service.get("description") or "",
        "price": money_input(service.get("price_cents")),
        "unit": service.get("unit") or "",
    }


def _special_day_row(day: dict) -> dict:
    return {
        "date": day["date"],
        "closed": "1" if day["closed"] else "",
        "opens": day["opens"] or "",
        "closes": day["closes"] or "",
        "note": day.get("note") or "",
    }


def _delivery_row(option: dict) -> dict:
    radius = option["radius_km"]
    return {
        "kind": option["kind"],
        "postcodes": ", ".join(option["postcodes"]),
        "radius": "" if radius is None else str(radius).replace(".", ","),
        "fee": money_input(option["fee_cents"]),
        "minimum": money_input(option["min_order_cents"]),
        "free_from": money_input(option["free_from_cents"]),
        "note": option.get("note") or "",
    }


def _news_row(post: dict) -> dict:
    return {
        "title": post["title"],
        "body": post.get("body") or "",
        "published": post["published"] or "",
        "valid_until": post.get("valid_until") or "",
    }


SERVICES = ListSection(
    name="services",
    template="owner/services.html",
    prefix="s",
    fields=("name", "description", "price", "unit", "position", "remove"),
    row=_service_row,
    check=row_checks.services_from_form,
    most=row_checks.MAX_SERVICES,
    blank=3,
    saved=_l("Die Leistungen sind gespeichert."),
    proposed=_l(
        "Gespeichert. Die Leistungen werden nach Prüfung durch unsere Moderation öffentlich."
    ),
)
SPECIAL_DAYS = ListSection(
    name="special_days",
    template="owner/special_days.html",
    prefix="t",
    fields=("date", "closed", "opens", "closes", "note", "remove"),
    row=_special_day_row,
    check=row_checks.special_days_from_form,
    most=row_checks.MAX_SPECIAL_DAYS,
    blank=3,
    saved=_l("Die besonderen Tage sind gespeichert."),
    proposed=_l(
        "Gespeichert. Die besonderen Tage werden nach Prüfung durch unsere Moderation öffentlich."
    ),
)
DELIVERY = ListSection(
    name="delivery_options",
    template="owner/delivery.html",
    prefix="l",
    fields=("kind", "postcodes", "radius", "fee", "minimum", "free_from", "note", "remove"),
    row=_delivery_row,
    check=row_checks.delivery_from_form,
    most=row_checks.MAX_DELIVERY_OPTIONS,
    saved=_l("Lieferung und Abholung sind gespeichert."),
    proposed=_l(
        "Gespeichert. Die Angaben zu Lieferung und Abholung werden nach Prüfung durch unsere "
        "Moderation öffentlich."
    ),
)
NEWS = ListSection(
    name="news_posts",
    template="owner/news.html",
    prefix="n",
    fields=("title", "body", "published", "valid_until", "remove"),
    row=_news_row,
    check=lambda rows: row_checks.news_from_form(rows, local_now().date()),
    most=row_checks.MAX_NEWS,
    blank=1,
    blank_first=True,  # the first row is for a new post
    saved=_l("Die Neuigkeiten sind gespeichert."),
    proposed=_l(
        "Gespeichert. Die Neuigkeiten werden nach Prüfung durch unsere Moderation öffentlich."
    ),
)
OFFERS = ListSection(
    name="current_offers",
    template="owner/offers.html",
    prefix="o",
    fields=("label", "starts", "ends", "remove"),
    row=dict,
    check=row_checks.offers_from_form,
    most=row_checks.MAX_OFFERS,
    saved=_l("Die aktuellen Angebote sind gespeichert."),
    proposed=_l(
        "Gespeichert. Die aktuellen Angebote werden nach Prüfung durch unsere Moderation "
        "öffentlich."
    ),
)


def editor_view(section):
    """The view of one section editor: the owner's business (404 for anyone else) through
    the one flow."""

    def view(slug: str):
        return section_page(owned_business_or_404(slug), section)

    return view


# The editors' endpoints (owner.<name>) and URLs; each answers GET and POST.
EDITORS = (
    ("hours", "/<slug>/oeffnungszeiten", HOURS),
    ("services", "/<slug>/leistungen", SERVICES),
    ("special_days", "/<slug>/besondere-tage", SPECIAL_DAYS),
    ("delivery", "/<slug>/lieferung", DELIVERY),
    ("news", "/<slug>/neuigkeiten", NEWS),
    ("offers", "/<slug>/aktuelle-angebote", OFFERS),
)
for endpoint, rule, section in EDITORS:
    bp.add_url_rule(rule, endpoint, editor_view(section), methods=["GET", "POST"])
