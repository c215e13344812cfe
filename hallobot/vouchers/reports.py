"""What vouchers add up to: sold, redeemed and outstanding per business (and for the
city's Bottrop-Gutschein), what expires soon, the monthly settlement of the city voucher,
and the reminders before expiry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select
from sqlalchemy.orm import aliased, selectinload

from hallobot.directory.models import Business
from hallobot.extensions import db
from hallobot.models_base import utcnow
from hallobot.transaction import transactional
from hallobot.vouchers.models import Redemption, Voucher

BERLIN = ZoneInfo("Europe/Berlin")
EXPIRING_DAYS = 90
REMIND_DAYS = 30


@dataclass
class Totals:
    sold: int = 0  # vouchers issued
    sold_cents: int = 0
    redeemed_cents: int = 0  # redemptions less reversals
    outstanding_cents: int = 0  # balances of valid vouchers: what is still owed
    lapsed_cents: int = 0  # balances left on expired vouchers


def _net_redeemed():
    return func.coalesce(
        func.sum(
            case(
                (Redemption.kind == "redemption", Redemption.amount_cents),
                else_=-Redemption.amount_cents,
            )
        ),
        0,
    )


ALL = "all"


def _issued_by(business_id: int | None | str):
    """The vouchers of one business, of the city (None), or of everyone (ALL)."""
    if business_id == ALL:
        return Voucher.id.is_not(None)
    if business_id is None:
        return Voucher.business_id.is_(None)
    return Voucher.business_id == business_id


def totals_by_business(
    today: date, business_id: int | None | str = ALL
) -> dict[int | None, Totals]:
    """Totals per issuing business (None: the Bottrop-Gutschein), in two queries: of every
    business, or of the one ``business_id`` names."""
    result: dict[int | None, Totals] = {}
    valid = Voucher.status == "active"
    rows = db.session.execute(
        select(
            Voucher.business_id,
            func.count(Voucher.id),
            func.coalesce(func.sum(Voucher.value_cents), 0),
            func.coalesce(
                func.sum(
                    case((valid & (Voucher.expires_on >= today), Voucher.balance_cents), else_=0)
                ),
                0,
            ),
            func.coalesce(
                func.sum(
                    case((valid & (Voucher.expires_on < today), Voucher.balance_cents), else_=0)
                ),
                0,
            ),
        )
        .where(_issued_by(business_id))
        .group_by(Voucher.business_id)
    ).all()
    for owner, sold, sold_cents, outstanding, lapsed in rows:
        result[owner] = Totals(sold, sold_cents, 0, outstanding, lapsed)
    redeemed = db.session.execute(
        select(Voucher.business_id, _net_redeemed())
        .join(Voucher, Voucher.id == Redemption.voucher_id)
        .where(_issued_by(business_id))
        .group_by(Voucher.business_id)
    ).all()
    for owner, cents in redeemed:
        result.setdefault(owner, Totals()).redeemed_cents = cents
    return result


def totals(business_id: int | None, today: date) -> Totals:
    return totals_by_business(today, business_id).get(business_id, Totals())


def businesses_by_name(by_business: dict[int | None, Totals]):
    """The businesses' totals of ``totals_by_business`` (not the city's) with their names,
    by name."""
    ids = [k for k in by_business if k is not None]
    rows = db.session.execute(select(Business.id, Business.name).where(Business.id.in_(ids)))
    names = dict(rows.all())
    return sorted(
        ((names.get(k, "?"), t) for k, t in by_business.items() if k is not None),
        key=lambda item: item[0],
    )


def expiring(
    business_id: int | None | str, today: date, days: int = EXPIRING_DAYS
) -> list[Voucher]:
    """Valid vouchers with a balance that expire within ``days``, soonest first: of one
    business, of the city (None), or of everyone (ALL)."""
    return list(
        db.session.scalars(
            select(Voucher)
            .where(
                _issued_by(business_id),
                Voucher.status == "active",
                Voucher.balance_cents > 0,
                Voucher.expires_on >= today,
                Voucher.expires_on <= today + timedelta(days=days),
            )
            .options(selectinload(Voucher.business))
            .order_by(Voucher.expires_on, Voucher.id)
        )
    )


def recent_vouchers(business_id: int, limit: int = 50) -> list[Voucher]:
    return list(
        db.session.scalars(
            select(Voucher)
            .where(Voucher.business_id == business_id)
            .order_by(Voucher.issued_at.desc())
            .limit(limit)
        )
    )


# --- settlement of the Bottrop-Gutschein ---


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The month (its first day) in Berlin as naive UTC bounds [start, end)."""
    first = datetime(month.year, month.month, 1, tzinfo=BERLIN)
    following = datetime(month.year + (month.month == 12), month.month % 12 + 1, 1, tzinfo=BERLIN)
    utc = ZoneInfo("UTC")
    return (
        first.astimezone(utc).replace(tzinfo=None),
        following.astimezone(utc).replace(tzinfo=None),
    )


@dataclass(frozen=True)
class SettlementRow:
    business_id: int
    business_name: str
    redemptions: int  # redemptions that were not reversed
    cents: int  # redemptions less reversals in the month


def settlement(month: date, business_id: int | None = None) -> list[SettlementRow]:
    """Per business, what it took in Bottrop-Gutscheine in ``month`` (Berlin time): the
    sum the city owes it."""
    start, end = month_bounds(month)
    # a reversal counts in the month of the redemption it takes back, so that a
    # redemption on the 31st undone after midnight leaves both months square
    original = aliased(Redemption)
    when = func.coalesce(original.created_at, Redemption.created_at)
    query = (
        select(
            Redemption.business_id,
            Business.name,
            func.sum(case((Redemption.kind == "redemption", 1), else_=-1)),
            _net_redeemed(),
        )
        .join(Voucher, Voucher.id == Redemption.voucher_id)
        .join(Business, Business.id == Redemption.business_id)
        .outerjoin(original, original.id == Redemption.reverses_id)
        .where(Voucher.business_id.is_(None), when >= start, when < end)
        .group_by(Redemption.business_id, Business.name)
        .order_by(Business.name)
    )
    if business_id is not None:
        query = query.where(Redemption.business_id == business_id)
    return [SettlementRow(*row) for row in db.session.execute(query).all() if row[3]]


def parse_month(raw: str | None, today: date) -> date | None:
    """``2026-11`` → 1 Nov 2026; nothing → this month; None if it is not a month."""
    if not (raw or "").strip():
        return today.replace(day=1)
    try:
        year, month = (int(part) for part in raw.split("-"))
    except ValueError:
        return None
    if 2000 <= year <= 2100 and 1 <= month <= 12:
        return date(year, month, 1)
    return None


# --- reminders ---


@transactional
def _mark_reminded(voucher: Voucher) -> None:
    voucher.reminded_at = utcnow()


def remind(
    today: date, send: Callable[[Voucher], bool], days: int = REMIND_DAYS
) -> tuple[int, int]:
    """Remind holders of valid vouchers with a balance that expire within ``days`` — once
    each (``reminded_at``); commits after every voucher, so a mail that could not be sent
    (``send`` returns False) is tried again next time and a sent one is never repeated.
    Returns (sent, failed)."""
    due = list(
        db.session.scalars(
            select(Voucher)
            .where(
                Voucher.status == "active",
                Voucher.balance_cents > 0,
                Voucher.holder_email.is_not(None),
                Voucher.reminded_at.is_(None),
                Voucher.expires_on >= today,
                Voucher.expires_on <= today + timedelta(days=days),
            )
            .options(selectinload(Voucher.business))
            .order_by(Voucher.id)
        )
    )
    sent = failed = 0
    for voucher in due:
        if not send(voucher):
            failed += 1
            continue
        _mark_reminded(voucher)
        sent += 1
    return sent, failed
