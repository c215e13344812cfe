"""Opening hours: what is open when, computed in Europe/Berlin wall-clock time.

Inputs are plain values (weekly slots, special days, the holiday flag), so the logic is
testable without a database. Rules, in order, for a calendar date:

1. Special days on that date win: a closed one closes the day; otherwise their slots apply.
2. An NRW public holiday closes the day unless the business opens on holidays.
3. Otherwise the weekly slots of that weekday apply.

A slot whose closing time is not after its opening time runs past midnight; it belongs to
the day it starts on (a Friday 18:00–02:00 slot keeps the bar open early on Saturday).
All comparisons use naive local wall-clock datetimes, which keeps DST switch days right:
a slot 01:00–04:00 on the night the clocks change is open at 03:30 either way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo

import holidays as holidays_lib

BERLIN = ZoneInfo("Europe/Berlin")
LOOKAHEAD_DAYS = 14


class WeeklySlotLike(Protocol):
    weekday: int
    opens: time
    closes: time


class SpecialDayLike(Protocol):
    date: date
    closed: bool
    opens: time | None
    closes: time | None
    note: str


@lru_cache(maxsize=32)
def _nrw_holidays(year: int) -> dict[date, str]:
    return dict(holidays_lib.country_holidays("DE", subdiv="NW", years=year, language="de"))


def holiday_name(day: date) -> str | None:
    """The name of the NRW public holiday on ``day``, or None."""
    return _nrw_holidays(day.year).get(day)


def local_now(now: datetime | None = None) -> datetime:
    """Wall-clock time in Berlin as a naive datetime (``now`` may be aware or naive UTC)."""
    if now is None:
        now = datetime.now(BERLIN)
    elif now.tzinfo is None:
        now = now.replace(tzinfo=ZoneInfo("UTC"))
    return now.astimezone(BERLIN).replace(tzinfo=None)


@dataclass(frozen=True)
class Interval:
    start: datetime
    end: datetime


@dataclass(frozen=True)
class DayPlan:
    """The effective hours of one date, and why."""

    day: date
    slots: tuple[tuple[time, time], ...]
    holiday: str | None = None
    special: bool = False
    note: str = ""

    @property
    def closed(self) -> bool:
        return not self.slots


@dataclass(frozen=True)
class OpenState:
    """Whether a business is open at a moment, and the next change."""

    known: bool
    is_open: bool
    closes_at: datetime | None = None
    opens_at: datetime | None = None
    now: datetime | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)


class Schedule:
    """The opening hours of one business."""

    def __init__(
        self,
        weekly: Iterable[WeeklySlotLike] | Mapping[int, Sequence[tuple[time, time]]],
        special_days: Iterable[SpecialDayLike] = (),
        holidays_open: bool = False,
    ) -> None:
        if isinstance(weekly, Mapping):
            self.weekly = {d: [tuple(s) for s in slots] for d, slots in weekly.items()}
        else:
            self.weekly = {}
            for slot in weekly:
                self.weekly.setdefault(slot.weekday, []).append((slot.opens, slot.closes))
        for slots in self.weekly.values():
            slots.sort()
        self.special: dict[date, list[SpecialDayLike]] = {}
        for sd in special_days:
            self.special.setdefault(sd.date, []).append(sd)
        self.holidays_open = holidays_open

    @property
    def has_hours(self) -> bool:
        return any(self.weekly.values())

    def plan(self, day: date) -> DayPlan:
        holiday = holiday_name(day)
        specials = self.special.get(day)
        if specials:
            note = "; ".join(s.note for s in specials if s.note)
            if any(s.closed for s in specials):
                return DayPlan(day, (), holiday, special=True, note=note)
            slots = tuple(sorted((s.opens, s.closes) for s in specials if s.opens and s.closes))
            return DayPlan(day, slots, holiday, special=True, note=note)
        if holiday and not self.holidays_open:
            return DayPlan(day, (), holiday)
        return DayPlan(day, tuple(self.weekly.get(day.weekday(), ())), holiday)

    def intervals(self, day: date) -> list[Interval]:
        result = []
        for opens, closes in self.plan(day).slots:
            start = datetime.combine(day, opens)
            end_day = day if closes > opens else day + timedelta(days=1)
            result.append(Interval(start, datetime.combine(end_day, closes)))
        return result

    def state(self, now: datetime | None = None) -> OpenState:
        """The state at ``now`` (aware, or naive UTC; default: the current time)."""
        local = local_now(now)
        if not self.has_hours and not self.special:
            return OpenState(known=False, is_open=False, now=local)
        today = local.date()
        intervals: list[Interval] = []
        for offset in range(-1, LOOKAHEAD_DAYS + 1):
            intervals.extend(self.intervals(today + timedelta(days=offset)))
        intervals.sort(key=lambda i: i.start)
        current = next((i for i in intervals if i.start <= local < i.end), None)
        if current is not None:
            end = current.end
            for nxt in intervals:  # slots that join up (…–24:00, 00:00–…) keep it open
                if nxt.start <= end < nxt.end:
                    end = nxt.end
            return OpenState(known=True, is_open=True, closes_at=end, now=local)
        upcoming = next((i for i in intervals if i.start > local), None)
        return OpenState(
            known=True, is_open=False, opens_at=upcoming.start if upcoming else None, now=local
        )

    def week(self, today: date) -> list[DayPlan]:
        """Monday to Sunday of the week containing ``today``, as effective plans."""
        monday = today - timedelta(days=today.weekday())
        return [self.plan(monday + timedelta(days=i)) for i in range(7)]

    def upcoming_exceptions(self, today: date, days: int = 30) -> list[DayPlan]:
        """Special days and public holidays in the next ``days`` days."""
        result = []
        for offset in range(days + 1):
            day = today + timedelta(days=offset)
            plan = self.plan(day)
            if plan.special or plan.holiday:
                result.append(plan)
        return result


def schedule_for(business) -> Schedule:
    """The schedule of a Business model (its hours and special days must be loaded)."""
    return Schedule(business.opening_hours, business.special_days, business.holidays_open)
