"""Issuing, redeeming and checking vouchers.

The balance never goes below zero, also when many redemptions of one voucher arrive at
once: a redemption is one conditional ``UPDATE … SET balance = balance − amount WHERE
balance >= amount`` together with its ledger row, in one transaction (which SQLite opens
with BEGIN IMMEDIATE, see ``extensions.write_transactions``). Reading the balance first
and writing it afterwards would pay out several times the value under concurrent requests.

Redeeming and undoing take the voucher's row lock first (PostgreSQL; SQLite's write lock
covers it), so that requests for one voucher follow one another: a form sent twice at
once finds the first one's ledger row and is told it was booked already.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC as _UTC
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from hallobot.accounts.models import User
from hallobot.accounts.service import AccountError, checked_email
from hallobot.directory.hours import local_now
from hallobot.directory.models import Attribute, Business, business_attributes
from hallobot.errors import DomainError
from hallobot.extensions import db
from hallobot.models_base import utcnow
from hallobot.text import one_line
from hallobot.transaction import transactional
from hallobot.vouchers import codes
from hallobot.vouchers.models import CITY_ATTRIBUTE, Redemption, Voucher
from hallobot.vouchers.offer_rules import MAX_CENTS

UNDO_MINUTES = 15


class VoucherError(DomainError):
    """A refusal with a message for the person at the counter (and the form field it
    belongs to)."""


class VoucherInvalid(VoucherError):
    """What was typed has mistakes: ``errors`` maps each form field to its message."""

    def __init__(self, errors: dict[str, object]):
        super().__init__(_l("Bitte prüfen Sie Ihre Angaben."))
        self.errors = errors


def _utc(now: datetime | None) -> datetime:
    """``now`` (aware, or naive UTC; default: the present) as naive UTC, as stored."""
    if now is None:
        return utcnow()
    return now.astimezone(_UTC).replace(tzinfo=None) if now.tzinfo else now


# --- validity ---


def statutory_expiry(issued: date) -> date:
    """The end of the third year after purchase: the regular limitation period (§§ 195,
    199 BGB) starts at the end of the year the claim arose and lasts three years."""
    return date(issued.year + 3, 12, 31)


def is_expired(voucher: Voucher, today: date | None = None) -> bool:
    return (today or local_now().date()) > voucher.expires_on


# --- issuing ---


@transactional
def issue(
    *,
    value_cents: int,
    business_id: int | None,
    expires_on: date,
    title: str = "",
    terms: str = "",
    holder_email: str | None = None,
    recipient_name: str = "",
    message: str = "",
    order_id: int | None = None,
    issued_by: User | None = None,
) -> Voucher:
    """A new voucher with a fresh code."""
    if value_cents <= 0:
        raise VoucherError(_l("Der Wert muss größer als 0 € sein."), "amount")
    while True:
        code = codes.new_code()
        if db.session.scalar(select(Voucher.id).where(Voucher.code == code)) is None:
            break  # 80 random bits: a repeat is not expected in the city's lifetime
    voucher = Voucher(
        code=code,
        business_id=business_id,
        value_cents=value_cents,
        balance_cents=value_cents,
        expires_on=expires_on,
        title=title,
        terms=terms,
        holder_email=holder_email,
        recipient_name=recipient_name,
        message=message,
        order_id=order_id,
        issued_by_id=issued_by.id if issued_by else None,
    )
    db.session.add(voucher)
    db.session.flush()
    return voucher


@transactional
def issue_city_voucher(
    user: User, *, value_cents: int | None, holder_email: str, recipient_name: str
) -> Voucher:
    """A Bottrop-Gutschein issued by the administration (sold at the city's counter, say),
    valid for the statutory period; commits. Raises VoucherInvalid naming the amount and
    the e-mail address (optional: to whom the voucher is mailed)."""
    errors: dict[str, object] = {}
    if value_cents is None or not 0 < value_cents <= MAX_CENTS:
        errors["amount"] = _l("Bitte geben Sie einen Wert zwischen 0,01 € und 500,00 € ein.")
    email = (holder_email or "").strip()
    if email:
        try:
            email = checked_email(email)
        except AccountError:
            errors["holder_email"] = _l("Bitte geben Sie eine gültige E-Mail-Adresse an.")
    if errors:
        raise VoucherInvalid(errors)
    return issue(
        value_cents=value_cents,
        business_id=None,
        expires_on=statutory_expiry(local_now().date()),
        title=str(_l("Bottrop-Gutschein")),
        holder_email=email or None,
        recipient_name=one_line(recipient_name)[:120],
        issued_by=user,
    )


# --- finding a voucher by its code ---


def find_by_code(typed: str) -> Voucher | None:
    code = codes.normalise(typed)
    if code is None:
        return None
    return db.session.scalar(select(Voucher).where(Voucher.code == code))


def look_up(typed: str) -> Voucher | None:
    """The voucher of a typed code for the balance check: a code that cannot be one is
    looked up all the same, so an unknown code and a mistyped one take the same work."""
    code = codes.normalise(typed) or "0" * (codes.RANDOM_SYMBOLS + 1)
    return db.session.scalar(select(Voucher).where(Voucher.code == code))


def redeeming_businesses(voucher: Voucher, businesses: list[Business]) -> list[Business]:
    """Those of ``businesses`` that may redeem the voucher: its own business, or for a
    Bottrop-Gutschein those that accept it."""
    if voucher.business_id is not None:
        return [b for b in businesses if b.id == voucher.business_id]
    return [b for b in businesses if accepts_city_voucher(b)]


def accepts_city_voucher(business: Business) -> bool:
    """Whether the business takes the Bottrop-Gutschein: published (checked by the
    moderation) and with the attribute set."""
    if business.status != "published":
        return False
    return (
        db.session.scalar(
            select(func.count())
            .select_from(business_attributes)
            .join(Attribute, Attribute.id == business_attributes.c.attribute_id)
            .where(
                business_attributes.c.business_id == business.id,
                Attribute.slug == CITY_ATTRIBUTE,
            )
        )
        > 0
    )


def redeemable_here(voucher: Voucher | None, business: Business) -> Voucher:
    """The voucher if ``business`` may redeem it; otherwise a VoucherError saying why."""
    if voucher is None:
        raise VoucherError(_l("Diesen Gutscheincode gibt es nicht. Bitte prüfen Sie die Eingabe."))
    if voucher.business_id is None:
        if business.status != "published":
            raise VoucherError(
                _l("Bottrop-Gutscheine können Sie einlösen, sobald Ihr Betrieb veröffentlicht ist.")
            )
        if not accepts_city_voucher(business):
            raise VoucherError(
                _l(
                    "Das ist ein Bottrop-Gutschein. Ihr Betrieb nimmt ihn nicht an – "
                    "das können Sie bei den Merkmalen Ihres Betriebs ändern."
                )
            )
    elif voucher.business_id != business.id:
        raise VoucherError(_l("Dieser Gutschein gehört zu einem anderen Betrieb."))
    return voucher


@dataclass(frozen=True)
class Redeemed:
    redemption: Redemption
    balance_cents: int
    repeated: bool = False  # the same request was redeemed before (a double submit)


@transactional(write=True)
def redeem(
    user: User | None,
    business: Business,
    voucher_id: int,
    amount_cents: int,
    request_key: str,
    now: datetime | None = None,
) -> Redeemed:
    """Take ``amount_cents`` off the voucher, once per ``request_key``. Runs under the
    write lock, holding the voucher's row; a refusal leaves nothing behind."""
    today, now = local_now(now).date(), _utc(now)
    found = db.session.get(Voucher, voucher_id, with_for_update=True, populate_existing=True)
    voucher = redeemable_here(found, business)
    earlier = db.session.scalar(
        select(Redemption).where(
            Redemption.voucher_id == voucher.id, Redemption.request_key == request_key
        )
    )
    if earlier is not None:
        return Redeemed(earlier, voucher.balance_cents, repeated=True)
    _check_usable(voucher, today)
    if amount_cents <= 0:
        raise VoucherError(_l("Bitte geben Sie einen Betrag über 0 € ein."), "amount")
    balance, redemption = _deduct(voucher, business, amount_cents, user, now, request_key)
    db.session.refresh(voucher)
    return Redeemed(redemption, balance)


def _deduct(
    voucher: Voucher,
    business: Business,
    amount_cents: int,
    user: User | None,
    now: datetime,
    request_key: str,
) -> tuple[int, Redemption]:
    """One conditional UPDATE takes the amount off (never below zero), and its ledger row."""
    balance = db.session.execute(
        update(Voucher)
        .where(
            Voucher.id == voucher.id,
            Voucher.status == "active",
            Voucher.balance_cents >= amount_cents,
        )
        .values(balance_cents=Voucher.balance_cents - amount_cents)
        .returning(Voucher.balance_cents)
        .execution_options(synchronize_session=False)
    ).scalar()
    if balance is None:
        left = db.session.scalar(select(Voucher.balance_cents).where(Voucher.id == voucher.id))
        if not left:
            raise VoucherError(_l("Dieser Gutschein ist vollständig eingelöst."))
        raise VoucherError(_l("Das ist mehr als das Guthaben des Gutscheins."), "amount")
    redemption = Redemption(
        voucher_id=voucher.id,
        business_id=business.id,
        kind="redemption",
        amount_cents=amount_cents,
        request_key=request_key,
        user_id=user.id if user else None,
        created_at=now,
    )
    db.session.add(redemption)
    return balance, redemption


def _check_usable(voucher: Voucher, today: date) -> None:
    if voucher.status == "cancelled":
        raise VoucherError(_l("Dieser Gutschein wurde storniert und kann nicht eingelöst werden."))
    if today > voucher.expires_on:
        raise VoucherError(
            _l(
                "Dieser Gutschein ist am %(date)s abgelaufen.",
                date=voucher.expires_on.strftime("%d.%m.%Y"),
            )
        )


@transactional(write=True)
def undo(
    user: User | None, business: Business, redemption_id: int, now: datetime | None = None
) -> Redemption:
    """Reverse a redemption of this business made less than 15 minutes ago, as a new
    ledger row (the redemption itself stays). Runs under the write lock."""
    now = _utc(now)
    original = db.session.get(Redemption, redemption_id)
    if original is None or original.business_id != business.id:
        raise VoucherError(_l("Diese Einlösung gibt es hier nicht."))
    if original.kind != "redemption":
        raise VoucherError(_l("Eine Rücknahme kann nicht zurückgenommen werden."))
    if not can_undo(original, now):
        raise VoucherError(
            _l(
                "Eine Einlösung kann nur in den ersten %(n)d Minuten zurückgenommen werden.",
                n=UNDO_MINUTES,
            )
        )
    # the voucher's row lock (as in ``redeem``) makes a concurrent undo of the same
    # redemption wait here and then see the first reversal
    db.session.execute(
        select(Voucher.id).where(Voucher.id == original.voucher_id).with_for_update()
    )
    if db.session.scalar(select(Redemption.id).where(Redemption.reverses_id == original.id)):
        raise VoucherError(_l("Diese Einlösung wurde bereits zurückgenommen."))
    db.session.execute(
        update(Voucher)
        .where(Voucher.id == original.voucher_id)
        .values(balance_cents=Voucher.balance_cents + original.amount_cents)
        .execution_options(synchronize_session=False)
    )
    reversal = Redemption(
        voucher_id=original.voucher_id,
        business_id=business.id,
        kind="reversal",
        amount_cents=original.amount_cents,
        reverses_id=original.id,
        user_id=user.id if user else None,
        created_at=now,
    )
    db.session.add(reversal)
    return reversal


def redeemed_code(business: Business, redemption_id: int) -> str:
    """The code of the voucher of this business's redemption ("" if there is none)."""
    redemption = db.session.get(Redemption, redemption_id)
    if redemption is None or redemption.business_id != business.id:
        return ""
    return redemption.voucher.code


def ledger_balance(voucher_id: int) -> int:
    """The balance as the ledger has it: value − redemptions + reversals."""
    value = db.session.scalar(select(Voucher.value_cents).where(Voucher.id == voucher_id))
    rows = db.session.execute(
        select(Redemption.kind, func.coalesce(func.sum(Redemption.amount_cents), 0))
        .where(Redemption.voucher_id == voucher_id)
        .group_by(Redemption.kind)
    ).all()
    totals = dict(rows)
    return value - totals.get("redemption", 0) + totals.get("reversal", 0)


def undoable(voucher: Voucher | None, business: Business) -> set[int]:
    """The ids of this business's redemptions of the voucher that it may still take back
    (a city voucher's history shows other businesses' too)."""
    if voucher is None:
        return set()
    reversed_ids = {r.reverses_id for r in voucher.ledger if r.kind == "reversal"}
    return {
        r.id
        for r in voucher.ledger
        if r.business_id == business.id and r.id not in reversed_ids and can_undo(r)
    }


def can_undo(redemption: Redemption, now: datetime | None = None) -> bool:
    return redemption.kind == "redemption" and _utc(now) - redemption.created_at <= timedelta(
        minutes=UNDO_MINUTES
    )
