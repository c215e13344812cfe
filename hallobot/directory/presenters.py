"""Turning opening-hours states into the short German (or English) sentences people read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _

from hallobot.directory.hours import OpenState, Schedule, schedule_for
from hallobot.web import hhmm, weekday_short


@dataclass(frozen=True)
class StateLabel:
    css: str  # "open", "closed", "unknown"
    headline: str  # "Jetzt geöffnet" / "Geschlossen"
    detail: str  # "schließt um 18:30" / "öffnet Mo 09:00"

    @property
    def text(self) -> str:
        return f"{self.headline} · {self.detail}" if self.detail else self.headline


def describe(state: OpenState) -> StateLabel:
    if not state.known:
        return StateLabel("unknown", _("Keine Öffnungszeiten angegeben"), "")
    now = state.now
    if state.is_open:
        closes = state.closes_at
        if closes is None or closes - now > timedelta(days=6):
            return StateLabel("open", _("Jetzt geöffnet"), "")
        if closes.date() == now.date() or (closes - now) < timedelta(hours=12):
            detail = _("schließt um %(time)s", time=hhmm(closes))
        else:
            detail = _("schließt %(day)s %(time)s", day=weekday_short(closes), time=hhmm(closes))
        return StateLabel("open", _("Jetzt geöffnet"), detail)
    opens = state.opens_at
    if opens is None:
        return StateLabel("closed", _("Geschlossen"), "")
    if opens.date() == now.date():
        detail = _("öffnet um %(time)s", time=hhmm(opens))
    elif opens - now < timedelta(days=6):
        detail = _("öffnet %(day)s %(time)s", day=weekday_short(opens), time=hhmm(opens))
    else:
        detail = _("öffnet am %(date)s %(time)s", date=opens.strftime("%d.%m."), time=hhmm(opens))
    return StateLabel("closed", _("Geschlossen"), detail)


def state_label(business, now=None) -> StateLabel:
    return describe(schedule_for(business).state(now))


def schedule_state(schedule: Schedule, now=None) -> StateLabel:
    return describe(schedule.state(now))
