"""Vouchers: what a business (or the city) offers, the orders shoppers place, the vouchers
issued on payment, and the append-only ledger of redemptions and their reversals.

Money is in integer cents. A voucher's ``balance_cents`` is value − redemptions +
reversals; it is changed only together with a ledger row, by one conditional UPDATE that
cannot take it below zero (see ``service.redeem``), and a CHECK constraint guards it too.
A voucher without a business is a Bottrop-Gutschein: redeemable at every business that
accepts it.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hallobot.accounts.models import User
from hallobot.directory.models import Business
from hallobot.extensions import db
from hallobot.models_base import utcnow

CITY_ATTRIBUTE = "bottrop-gutschein"  # a business that accepts the city's voucher


class HowToBuy(StrEnum):
    CONTACT = "contact"  # a message to the business through the site
    PHONE = "phone"
    LINK = "link"  # the business's own web shop
    ORDER = "order"  # ordered here, paid in the shop or by bank transfer


class OrderStatus(StrEnum):
    OPEN = "open"
    PAID = "paid"
    CANCELLED = "cancelled"


class VoucherOffer(db.Model):
    """A voucher a business offers (or, without a business, the Bottrop-Gutschein).
    Moderated like other content: a new offer waits for approval; a change to a published
    one is a new row that ``replaces`` it once approved, the published one staying public
    meanwhile."""

    __tablename__ = "voucher_offers"
    __table_args__ = (
        CheckConstraint(
            "min_cents IS NULL OR (min_cents > 0 AND max_cents >= min_cents)", name="range_valid"
        ),
        CheckConstraint("how IN ('contact', 'phone', 'link', 'order')", name="how_valid"),
        CheckConstraint("validity IN ('statutory', 'fixed')", name="validity_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int | None] = mapped_column(
        ForeignKey("businesses.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    values_cents: Mapped[list[int]] = mapped_column(JSON, default=list)  # fixed amounts
    min_cents: Mapped[int | None] = mapped_column(Integer)  # a free amount from … to …
    max_cents: Mapped[int | None] = mapped_column(Integer)
    validity: Mapped[str] = mapped_column(String(10), default="statutory")
    valid_until: Mapped[date | None]  # with validity "fixed"
    terms: Mapped[str] = mapped_column(Text, default="")
    how: Mapped[str] = mapped_column(String(10), default=HowToBuy.ORDER.value)
    link_url: Mapped[str | None] = mapped_column(String(500))
    phone: Mapped[str | None] = mapped_column(String(40))
    pay_in_shop: Mapped[bool] = mapped_column(Boolean, default=True)
    pay_by_transfer: Mapped[bool] = mapped_column(Boolean, default=False)
    account_holder: Mapped[str | None] = mapped_column(String(120))
    iban: Mapped[str | None] = mapped_column(String(34))
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    status_reason: Mapped[str | None] = mapped_column(Text)
    replaces_id: Mapped[int | None] = mapped_column(
        ForeignKey("voucher_offers.id", ondelete="CASCADE")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]

    business: Mapped[Business | None] = relationship()

    @property
    def smallest_cents(self) -> int:
        """The lowest amount a shopper can buy (fixed values and the free range)."""
        amounts = [*(self.values_cents or []), *([self.min_cents] if self.min_cents else [])]
        return min(amounts, default=0)

    @property
    def largest_cents(self) -> int:
        amounts = [*(self.values_cents or []), *([self.max_cents] if self.max_cents else [])]
        return max(amounts, default=0)

    def allows(self, cents: int) -> bool:
        """Whether a voucher of ``cents`` can be bought: one of the fixed values, or within
        the free range."""
        if cents in (self.values_cents or []):
            return True
        return self.min_cents is not None and self.min_cents <= cents <= (self.max_cents or 0)


class VoucherOrder(db.Model):
    """A shopper's order of a voucher, paid outside the site (in the shop or by bank
    transfer with the reference); the business confirms payment or cancels with a reason."""

    __tablename__ = "voucher_orders"
    __table_args__ = (
        CheckConstraint("amount_cents > 0", name="amount_positive"),
        CheckConstraint("status IN ('open', 'paid', 'cancelled')", name="status_valid"),
        Index("ix_voucher_orders_business_status", "business_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("voucher_offers.id", ondelete="RESTRICT"))
    business_id: Mapped[int | None] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"))
    amount_cents: Mapped[int] = mapped_column(Integer)
    buyer_name: Mapped[str] = mapped_column(String(120))
    buyer_email: Mapped[str] = mapped_column(String(254))
    recipient_name: Mapped[str] = mapped_column(String(120), default="")
    message: Mapped[str] = mapped_column(Text, default="")
    payment: Mapped[str] = mapped_column(String(10), default="shop")  # shop | transfer
    status: Mapped[str] = mapped_column(String(10), default=OrderStatus.OPEN.value)
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    offer: Mapped[VoucherOffer] = relationship()
    business: Mapped[Business | None] = relationship()
    voucher: Mapped[Voucher | None] = relationship(back_populates="order", uselist=False)


class Voucher(db.Model):
    __tablename__ = "vouchers"
    __table_args__ = (
        CheckConstraint("value_cents > 0", name="value_positive"),
        CheckConstraint(
            "balance_cents >= 0 AND balance_cents <= value_cents", name="balance_in_range"
        ),
        CheckConstraint("status IN ('active', 'cancelled')", name="status_valid"),
        Index("ix_vouchers_business_expires", "business_id", "expires_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(17), unique=True)  # normalised, see codes.py
    business_id: Mapped[int | None] = mapped_column(
        ForeignKey("businesses.id", ondelete="RESTRICT")
    )  # None: a Bottrop-Gutschein
    value_cents: Mapped[int] = mapped_column(Integer)
    balance_cents: Mapped[int] = mapped_column(Integer)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(10), default="active")
    order_id: Mapped[int | None] = mapped_column(
        ForeignKey("voucher_orders.id", ondelete="SET NULL"), unique=True
    )
    holder_email: Mapped[str | None] = mapped_column(String(254))
    recipient_name: Mapped[str] = mapped_column(String(120), default="")
    message: Mapped[str] = mapped_column(Text, default="")
    title: Mapped[str] = mapped_column(String(120), default="")
    terms: Mapped[str] = mapped_column(Text, default="")
    reminded_at: Mapped[datetime | None]
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    business: Mapped[Business | None] = relationship()
    order: Mapped[VoucherOrder | None] = relationship(back_populates="voucher")
    ledger: Mapped[list[Redemption]] = relationship(
        back_populates="voucher", order_by="Redemption.id"
    )


class Redemption(db.Model):
    """One line of a voucher's ledger: a redemption (money taken off), or the reversal of one
    (put back, within 15 minutes). Rows are never changed or deleted."""

    __tablename__ = "voucher_redemptions"
    __table_args__ = (
        CheckConstraint("amount_cents > 0", name="amount_positive"),
        CheckConstraint("kind IN ('redemption', 'reversal')", name="kind_valid"),
        UniqueConstraint("voucher_id", "request_key", name="uq_redemption_request"),
        Index("ix_voucher_redemptions_business_created", "business_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    voucher_id: Mapped[int] = mapped_column(
        ForeignKey("vouchers.id", ondelete="RESTRICT"), index=True
    )
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id", ondelete="RESTRICT"))
    kind: Mapped[str] = mapped_column(String(10))
    amount_cents: Mapped[int] = mapped_column(Integer)
    reverses_id: Mapped[int | None] = mapped_column(
        ForeignKey("voucher_redemptions.id", ondelete="RESTRICT"), unique=True
    )
    request_key: Mapped[str | None] = mapped_column(String(64))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    voucher: Mapped[Voucher] = relationship(back_populates="ledger")
    business: Mapped[Business] = relationship()
    user: Mapped[User | None] = relationship()
