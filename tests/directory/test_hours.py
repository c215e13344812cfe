"""Opening-hours logic: weekly slots, past midnight, holidays, special days, DST."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from hallobot.directory.hours import Schedule, holiday_name, local_now

BERLIN = ZoneInfo("Europe/Berlin")


@dataclass
class Slot:
    weekday: int
    opens: time
    closes: time


@dataclass
class Special:
    date: date
    closed: bool = False
    opens: time | None = None
    closes: time | None = None
    note: str = ""


def at(y, mo, d, h, mi=0) -> datetime:
    """A Berlin wall-clock moment as an aware datetime."""
    return datetime(y, mo, d, h, mi, tzinfo=BERLIN)


SHOP = [Slot(d, time(9), time(13)) for d in range(6)] + [
    Slot(d, time(14, 30), time(18, 30)) for d in range(5)
]
BAR = [Slot(4, time(18), time(2)), Slot(5, time(18), time(2))]  # Fri, Sat past midnight


def test_open_during_slot_with_closing_time():
    state = Schedule(SHOP).state(at(2026, 11, 25, 10, 0))  # Wednesday
    assert state.is_open
    assert state.closes_at == datetime(2026, 11, 25, 13, 0)


def test_lunch_break_reports_reopening_today():
    state = Schedule(SHOP).state(at(2026, 11, 25, 13, 30))
    assert not state.is_open
    assert state.opens_at == datetime(2026, 11, 25, 14, 30)


def test_closed_sunday_opens_monday():
    state = Schedule(SHOP).state(at(2026, 11, 29, 12, 0))  # Sunday
    assert not state.is_open
    assert state.opens_at == datetime(2026, 11, 30, 9, 0)


def test_saturday_afternoon_closed_until_monday():
    state = Schedule(SHOP).state(at(2026, 11, 28, 15, 0))
    assert not state.is_open
    assert state.opens_at == datetime(2026, 11, 30, 9, 0)


def test_past_midnight_slot_keeps_bar_open_next_morning():
    schedule = Schedule(BAR)
    early_saturday = schedule.state(at(2026, 11, 28, 1, 30))
    assert early_saturday.is_open
    assert early_saturday.closes_at == datetime(2026, 11, 28, 2, 0)
    assert not schedule.state(at(2026, 11, 28, 2, 0)).is_open
    thursday = schedule.state(at(2026, 11, 26, 23, 0))
    assert not thursday.is_open and thursday.opens_at == datetime(2026, 11, 27, 18, 0)


def test_adjoining_slots_across_midnight_merge():
    slots = [Slot(4, time(20), time(0)), Slot(5, time(0), time(3))]
    state = Schedule(slots).state(at(2026, 11, 27, 23, 0))
    assert state.is_open and state.closes_at == datetime(2026, 11, 28, 3, 0)


def test_christmas_day_2026_is_closed_by_holiday():
    assert holiday_name(date(2026, 12, 25)) == "Erster Weihnachtstag"
    schedule = Schedule(SHOP)  # 25.12.2026 is a Friday
    state = schedule.state(at(2026, 12, 25, 10, 0))
    assert not state.is_open
    assert state.opens_at == datetime(2026, 12, 28, 9, 0)  # 26th is a holiday too, 27th Sunday
    assert schedule.plan(date(2026, 12, 25)).holiday == "Erster Weihnachtstag"


def test_fronleichnam_2027_is_an_nrw_holiday():
    assert holiday_name(date(2027, 5, 27)) == "Fronleichnam"
    state = Schedule(SHOP).state(at(2027, 5, 27, 10, 0))  # Thursday
    assert not state.is_open
    assert state.opens_at == datetime(2027, 5, 28, 9, 0)


def test_business_open_on_holidays_keeps_weekly_hours():
    state = Schedule(SHOP, holidays_open=True).state(at(2027, 5, 27, 10, 0))
    assert state.is_open


def test_24_and_31_december_are_no_holidays():
    assert holiday_name(date(2026, 12, 24)) is None
    assert holiday_name(date(2026, 12, 31)) is None


def test_special_day_closed_overrides_weekly_hours():
    specials = [Special(date(2026, 11, 25), closed=True, note="Betriebsausflug")]
    schedule = Schedule(SHOP, specials)
    state = schedule.state(at(2026, 11, 25, 10, 0))
    assert not state.is_open
    assert state.opens_at == datetime(2026, 11, 26, 9, 0)
    assert schedule.plan(date(2026, 11, 25)).note == "Betriebsausflug"


def test_special_day_hours_open_a_business_on_a_holiday():
    specials = [Special(date(2026, 12, 26), opens=time(10), closes=time(14), note="Brunch")]
    schedule = Schedule(SHOP, specials)
    assert schedule.state(at(2026, 12, 26, 11, 0)).is_open
    assert not schedule.state(at(2026, 12, 26, 15, 0)).is_open


def test_special_day_with_shorter_hours():
    specials = [Special(date(2026, 12, 24), opens=time(8), closes=time(12))]
    schedule = Schedule(SHOP, specials)
    assert schedule.state(at(2026, 12, 24, 11, 0)).closes_at == datetime(2026, 12, 24, 12, 0)
    assert not schedule.state(at(2026, 12, 24, 12, 30)).is_open


@pytest.mark.parametrize(
    ("utc", "expected_local"),
    [
        # spring forward 2026-03-29: 01:59 CET is followed by 03:00 CEST
        (datetime(2026, 3, 29, 0, 59), datetime(2026, 3, 29, 1, 59)),
        (datetime(2026, 3, 29, 1, 0), datetime(2026, 3, 29, 3, 0)),
        # fall back 2026-10-25: 02:30 happens twice
        (datetime(2026, 10, 25, 0, 30), datetime(2026, 10, 25, 2, 30)),
        (datetime(2026, 10, 25, 1, 30), datetime(2026, 10, 25, 2, 30)),
    ],
)
def test_local_time_on_dst_switch_days(utc, expected_local):
    assert local_now(utc) == expected_local  # naive datetimes are taken as UTC


def test_night_slot_on_spring_forward_day():
    # Saturday 28.03.2026 22:00 – Sunday 04:00 spans the missing hour
    schedule = Schedule([Slot(5, time(22), time(4))])
    during = schedule.state(datetime(2026, 3, 29, 1, 30))  # 03:30 CEST
    assert during.is_open and during.closes_at == datetime(2026, 3, 29, 4, 0)
    after = schedule.state(datetime(2026, 3, 29, 2, 30))  # 04:30 CEST
    assert not after.is_open


def test_opening_at_0900_on_fall_back_day():
    schedule = Schedule([Slot(6, time(9), time(12))])  # Sunday 25.10.2026
    assert not schedule.state(datetime(2026, 10, 25, 7, 30)).is_open  # 08:30 CET
    assert schedule.state(datetime(2026, 10, 25, 8, 30)).is_open  # 09:30 CET


def test_no_hours_means_unknown():
    state = Schedule([]).state(at(2026, 11, 25, 10))
    assert not state.known and not state.is_open


def test_week_plan_shows_holidays():
    week = Schedule(SHOP).week(date(2026, 12, 23))
    assert [p.day.weekday() for p in week] == list(range(7))
    by_day = {p.day: p for p in week}
    assert by_day[date(2026, 12, 25)].closed and by_day[date(2026, 12, 25)].holiday
    assert by_day[date(2026, 12, 23)].slots == ((time(9), time(13)), (time(14, 30), time(18, 30)))
