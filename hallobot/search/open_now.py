"""\"Open now\" in SQL: weekly slots, holidays and special days, like ``hours.Schedule``."""

from __future__ import annotations

from datetime import datetime, timedelta

from hallobot.directory.hours import holiday_name
from hallobot.search.models import HOUR_PACK

SPECIAL_TODAY = "SELECT business_id FROM search_special_days WHERE day = :today"
SPECIAL_YESTERDAY = "SELECT business_id FROM search_special_days WHERE day = :yesterday"


def open_now_sql(weekday: int) -> str:
    """A condition on the document ``d``: open at :day_minute of :today. Today's periods come
    from the special day if there is one, else from the week (closed on a holiday unless the
    business opens on holidays); the same for what yesterday's last period carries over."""
    yesterday = (weekday - 1) % 7
    weekly_today = " OR ".join(
        f"(:day_minute >= d.h{weekday}{n} / {HOUR_PACK} "
        f"AND :day_minute < d.h{weekday}{n} % {HOUR_PACK})"
        for n in range(3)
    )
    return f"""(
 (CASE WHEN d.business_id IN ({SPECIAL_TODAY})
  THEN d.business_id IN ({SPECIAL_TODAY} AND NOT closed
       AND start_minute <= :day_minute AND :day_minute < end_minute)
  ELSE ((NOT :holiday_today OR d.holidays_open) AND ({weekly_today})) END)
 OR (CASE WHEN d.business_id IN ({SPECIAL_YESTERDAY})
  THEN d.business_id IN ({SPECIAL_YESTERDAY} AND NOT closed
       AND start_minute <= :day_minute + 1440 AND :day_minute + 1440 < end_minute)
  ELSE ((NOT :holiday_yesterday OR d.holidays_open) AND :day_minute < d.c{yesterday}) END))"""


def time_params(now: datetime) -> dict:
    today = now.date()
    yesterday = today - timedelta(days=1)
    minute = now.hour * 60 + now.minute
    return {
        "today": today,
        "yesterday": yesterday,
        "day_minute": minute,
        "holiday_today": holiday_name(today) is not None,
        "holiday_yesterday": holiday_name(yesterday) is not None,
    }
