"""The rows of the section editors, checked: what a person typed into the opening hours,
services, special days, delivery options, news and current offers becomes the stored
value, or an OwnerError naming the row. Plain functions: no request, no database.

Text is cleaned the shared way (``hallobot.text``: no control characters, a name on one
line); dates and times are read as the pages' date and time fields send them, with ASCII
digits only."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, time
from typing import Any

from flask_babel import lazy_gettext as _l

from hallobot.money import parse_money
from hallobot.owner.errors import OwnerError
from hallobot.text import one_line, plain_text


@contextmanager
def in_row(index: int) -> Iterator[None]:
    """Errors raised while checking one row of a list editor name that row."""
    try:
        yield
    except OwnerError as exc:
        exc.row = exc.row or index
        raise


def row_position(raw: str | None, index: int) -> int:
    """The position typed into row ``index`` of a list that the owner orders; the row's own
    place when it is empty or no whole number."""
    try:
        return int(raw or index)
    except ValueError:
        return index


# What <input type="date"> and <input type="time"> send: no time zone, no week date, no
# Unicode digit; seconds only from a time field that asks for them (they are dropped).
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_CLOCK = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])(?::[0-5][0-9])?")


def typed_date(raw: str | None) -> date:
    """'2027-01-04' → that day; anything else ('2027-02-30', '20270104', '') raises
    ValueError."""
    text = (raw or "").strip()
    if not _DATE.fullmatch(text):
        raise ValueError(raw)
    return date.fromisoformat(text)


def typed_time(raw: str | None) -> time:
    """'09:30' (or '09:30:00') → 09:30; anything else ('25:99', '09:30+01:00', '') raises
    ValueError."""
    match = _CLOCK.fullmatch((raw or "").strip())
    if match is None:
        raise ValueError(raw)
    return time(int(match[1]), int(match[2]))


def _period(first: str, last: str | None, unreadable, backwards, field: str):
    """Two typed dates, the second (``None``: none, an open end) not before the first."""
    try:
        starts = typed_date(first)
        ends = None if last is None else typed_date(last)
    except ValueError as exc:
        raise OwnerError(unreadable, field) from exc
    if ends is not None and ends < starts:
        raise OwnerError(backwards, field)
    return starts, ends


WEEKDAY_NAMES = (
    _l("Montag"),
    _l("Dienstag"),
    _l("Mittwoch"),
    _l("Donnerstag"),
    _l("Freitag"),
    _l("Samstag"),
    _l("Sonntag"),
)


def hours_from_form(days: dict[int, list[tuple[str, str]]]) -> list[list]:
    """Check a week of slots typed by a person; raises OwnerError naming the day (its row)."""
    result: list[list] = []
    for day in range(7):
        with in_row(day + 1):
            slots = _day_slots(days.get(day, []), WEEKDAY_NAMES[day], f"day{day}")
        result.extend([day, o.strftime("%H:%M"), c.strftime("%H:%M")] for o, c in slots)
    return result


def _day_slots(typed: list[tuple[str, str]], name, field: str) -> list[tuple[time, time]]:
    """One day's slots, checked and sorted; only the last may go past midnight."""
    parsed = []
    for opens, closes in typed:
        if not opens and not closes:
            continue
        if not opens or not closes:
            raise OwnerError(_l("%(day)s: Bitte Beginn und Ende angeben.", day=name), field)
        try:
            o, c = typed_time(opens), typed_time(closes)
        except ValueError as exc:
            raise OwnerError(
                _l("%(day)s: Uhrzeit im Format 09:30 angeben.", day=name), field
            ) from exc
        if o == c:
            raise OwnerError(_l("%(day)s: Beginn und Ende sind gleich.", day=name), field)
        parsed.append((o, c))
    parsed.sort()
    for index, (o, c) in enumerate(parsed):
        if c < o and index != len(parsed) - 1:
            raise OwnerError(
                _l("%(day)s: Nur der letzte Zeitraum darf über Mitternacht gehen.", day=name),
                field,
            )
        if index and o < parsed[index - 1][1] and parsed[index - 1][1] > parsed[index - 1][0]:
            raise OwnerError(_l("%(day)s: Die Zeiträume überschneiden sich.", day=name), field)
    return parsed


def _checked_rows(rows: list[dict], check_row: Callable[[int, dict], Any]) -> list:
    """What ``check_row(n, row)`` makes of each row (numbered from 1) not ticked for
    removal, leaving out those it finds empty (None); an OwnerError it raises names the row."""
    items = []
    for index, row in enumerate(rows, start=1):
        if row.get("remove"):
            continue
        with in_row(index):
            item = check_row(index, row)
        if item is not None:
            items.append(item)
    return items


def _at_most(items: list, most: int, message, field: str) -> list:
    """A list editor takes at most ``most`` items (its page shows them all at once)."""
    if len(items) > most:
        raise OwnerError(message, field)
    return items


# --- services and products ---

MAX_SERVICES = 60


def services_from_form(rows: list[dict]) -> list[dict]:
    """Rows typed by a person (name, description, price, unit, position, remove) → the
    ordered service list; raises OwnerError naming the row."""
    kept = _checked_rows(rows, _service)
    _at_most(kept, MAX_SERVICES, _l("Höchstens %(n)d Leistungen.", n=MAX_SERVICES), "services")
    return [item for _pos, _idx, item in sorted(kept, key=lambda k: k[:2])]


def _service(n: int, row: dict) -> tuple[int, int, dict] | None:
    """A service with where it goes in the list: its typed position, then its row."""
    name = one_line(row.get("name"))
    if not (name or row.get("price") or row.get("description")):
        return None
    if not name:
        raise OwnerError(_l("Zeile %(n)d: Bitte einen Namen angeben.", n=n), "services")
    if len(name) > 120:
        raise OwnerError(_l("Zeile %(n)d: Der Name ist zu lang.", n=n), "services")
    try:
        price = parse_money(row.get("price", ""))
    except ValueError as exc:
        raise OwnerError(_l("Zeile %(n)d: Preis bitte wie 4,20 angeben.", n=n), "services") from exc
    item = {
        "name": name,
        "description": one_line(row.get("description"))[:1000],
        "price_cents": price,
        "unit": one_line(row.get("unit"))[:40],
    }
    return row_position(row.get("position"), n), n, item


# --- special days (holidays, vacation, other hours) ---

MAX_SPECIAL_DAYS = 200


def special_days_from_form(rows: list[dict]) -> list[dict]:
    """Rows (date, closed, opens, closes, note, remove) → sorted special days; raises
    OwnerError naming the row."""
    result = _checked_rows(rows, _special_day)
    if len({(d["date"], d["opens"]) for d in result}) != len(result):
        raise OwnerError(_l("Ein Datum ist doppelt eingetragen."), "special_days")
    message = _l("Höchstens %(n)d besondere Tage.", n=MAX_SPECIAL_DAYS)
    _at_most(result, MAX_SPECIAL_DAYS, message, "special_days")
    return sorted(result, key=lambda d: (d["date"], d["opens"] or ""))


def _special_day(n: int, row: dict) -> dict | None:
    raw_date = (row.get("date") or "").strip()
    if not (raw_date or row.get("opens") or row.get("note")):
        return None
    try:
        day = typed_date(raw_date)
    except ValueError as exc:
        raise OwnerError(_l("Zeile %(n)d: Bitte ein Datum angeben.", n=n), "special_days") from exc
    closed = bool(row.get("closed"))
    opens = closes = None
    if not closed:
        try:
            opens = typed_time(row.get("opens")).strftime("%H:%M")
            closes = typed_time(row.get("closes")).strftime("%H:%M")
        except ValueError as exc:
            raise OwnerError(
                _l("Zeile %(n)d: Geschlossen ankreuzen oder Beginn und Ende angeben.", n=n),
                "special_days",
            ) from exc
        if opens == closes:
            raise OwnerError(_l("Zeile %(n)d: Beginn und Ende sind gleich.", n=n), "special_days")
    return {
        "date": day.isoformat(),
        "closed": closed,
        "opens": opens,
        "closes": closes,
        "note": one_line(row.get("note"))[:200],
    }


# --- delivery, pickup, shipping ---

DELIVERY_KINDS = ("delivery", "pickup", "shipping")
MAX_DELIVERY_OPTIONS = 20


def delivery_from_form(rows: list[dict]) -> list[dict]:
    """Rows (kind, postcodes, radius, fee, minimum, free_from, note, remove) → options;
    raises OwnerError naming the row."""
    message = _l("Höchstens %(n)d Angaben zu Lieferung und Abholung.", n=MAX_DELIVERY_OPTIONS)
    return _at_most(
        _checked_rows(rows, _delivery_option), MAX_DELIVERY_OPTIONS, message, "delivery"
    )


def _delivery_option(n: int, row: dict) -> dict | None:
    kind = row.get("kind") or ""
    if not kind:
        return None
    if kind not in DELIVERY_KINDS:
        raise OwnerError(_l("Zeile %(n)d: Bitte die Art wählen.", n=n), "delivery")
    postcodes, radius = _postcodes(n, row.get("postcodes")), _radius(n, row.get("radius"))
    if kind == "delivery" and not postcodes and radius is None:
        raise OwnerError(
            _l(
                "Zeile %(n)d: Für Lieferung bitte Postleitzahlen oder einen Umkreis angeben.",
                n=n,
            ),
            "delivery",
        )
    try:
        fee = parse_money(row.get("fee", "")) or 0
        minimum = parse_money(row.get("minimum", "")) or 0
        free_from = parse_money(row.get("free_from", ""))
    except ValueError as exc:
        raise OwnerError(
            _l("Zeile %(n)d: Beträge bitte wie 2,50 angeben.", n=n), "delivery"
        ) from exc
    return {
        "kind": kind,
        "postcodes": postcodes,
        "radius_km": radius,
        "fee_cents": fee,
        "min_order_cents": minimum,
        "free_from_cents": free_from,
        "note": one_line(row.get("note"))[:500],
    }


def _postcodes(n: int, raw: str | None) -> list[str]:
    """Five-digit postcodes, separated by commas, semicolons or spaces."""
    postcodes = [p for p in re.split(r"[\s,;]+", raw or "") if p]
    if any(not re.fullmatch(r"[0-9]{5}", p) for p in postcodes):
        raise OwnerError(
            _l("Zeile %(n)d: Postleitzahlen mit fünf Ziffern, durch Komma getrennt.", n=n),
            "delivery",
        )
    return postcodes


_KILOMETRES = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,9})?")


def _radius(n: int, raw: str | None) -> float | None:
    """Kilometres typed like 2,5 or 2.5, above 0 and up to 100, to the metre; None when
    empty. (Rounded, a radius is shown again as typed, never as 1e-05.)"""
    km = (raw or "").strip().replace(",", ".")
    if not km:
        return None
    radius = round(float(km), 3) if _KILOMETRES.fullmatch(km) else -1.0
    if not 0 < radius <= 100:
        raise OwnerError(_l("Zeile %(n)d: Umkreis zwischen 0 und 100 km.", n=n), "delivery")
    return radius


# --- news posts ---

MAX_NEWS = 50


def news_from_form(rows: list[dict], today: date) -> list[dict]:
    """Rows (title, body, published, valid_until, remove) → news posts, the newest first; an
    empty publication date is ``today``. Raises OwnerError naming the row."""
    result = _checked_rows(rows, lambda n, row: _news_post(n, row, today))
    _at_most(result, MAX_NEWS, _l("Höchstens %(n)d Meldungen.", n=MAX_NEWS), "news")
    return sorted(result, key=lambda n: (n["published"], n["title"]), reverse=True)


def _news_post(n: int, row: dict, today: date) -> dict | None:
    title, body = one_line(row.get("title")), plain_text(row.get("body"))
    if not (title or body):
        return None
    if not title or len(title) > 160:
        raise OwnerError(
            _l("Meldung %(n)d: Bitte einen Titel (bis 160 Zeichen) angeben.", n=n), "news"
        )
    published, until = _period(
        row.get("published") or today.isoformat(),
        row.get("valid_until") or None,
        _l("Meldung %(n)d: Bitte gültige Daten angeben.", n=n),
        _l("Meldung %(n)d: Das Enddatum liegt vor dem Veröffentlichungsdatum.", n=n),
        "news",
    )
    return {
        "title": title,
        "body": body[:5000],
        "published": published.isoformat(),
        "valid_until": until.isoformat() if until else None,
    }


# --- current special services (date-ranged badges) ---

MAX_OFFERS = 30


def offers_from_form(rows: list[dict]) -> list[dict]:
    """Rows (label, starts, ends, remove) → current offers; raises OwnerError naming the row."""
    result = _checked_rows(rows, _offer)
    _at_most(result, MAX_OFFERS, _l("Höchstens %(n)d aktuelle Angebote.", n=MAX_OFFERS), "offers")
    return sorted(result, key=lambda o: (o["starts"], o["label"]))


def _offer(n: int, row: dict) -> dict | None:
    label = one_line(row.get("label"))
    if not (label or row.get("starts") or row.get("ends")):
        return None
    if not label or len(label) > 80:
        raise OwnerError(
            _l("Zeile %(n)d: Bitte eine Bezeichnung (bis 80 Zeichen) angeben.", n=n), "offers"
        )
    starts, ends = _period(
        row.get("starts") or "",
        row.get("ends") or "",
        _l("Zeile %(n)d: Bitte Beginn und Ende als Datum angeben.", n=n),
        _l("Zeile %(n)d: Das Ende liegt vor dem Beginn.", n=n),
        "offers",
    )
    return {"label": label, "starts": starts.isoformat(), "ends": ends.isoformat()}
