"""Orders: a shopper orders a voucher, pays in the shop or by bank transfer (outside the
site), the business — or, for the Bottrop-Gutschein, the city's administration — confirms
the payment, and the voucher is issued. Or the order is cancelled with a reason."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from hallobot.accounts.models import User
from hallobot.accounts.service import AccountError, checked_email
from hallobot.directory.hours import local_now
from hallobot.directory.models import Business
from hallobot.extensions import db
from hallobot.models_base import utcnow
from hallobot.text import one_line, plain_text
from hallobot.transaction import transactional
from hallobot.vouchers import codes, service
from hallobot.vouchers.market import is_public
from hallobot.vouchers.models import HowToBuy, OrderStatus, Voucher, VoucherOffer, VoucherOrder
from hallobot.vouchers.offer_rules import MAX_CENTS
from hallobot.vouchers.offers import admin_addresses
from hallobot.vouchers.service import VoucherError, VoucherInvalid


def new_reference() -> str:
    """``GS-7K3Q-F9MZ``: 40 random bits, for the bank transfer's purpose line."""
    symbols = "".join(secrets.choice(codes.ALPHABET) for _ in range(8))
    return f"GS-{symbols[:4]}-{symbols[4:]}"


def orderable_offer(offer_id: int) -> VoucherOffer | None:
    """A public offer (``market.is_public``: published, of a published business or the
    city's, its fixed date not passed — a voucher bought later would be void) that is
    ordered here."""
    offer = db.session.scalar(
        select(VoucherOffer)
        .where(VoucherOffer.id == offer_id, VoucherOffer.how == HowToBuy.ORDER.value)
        .options(selectinload(VoucherOffer.business))
    )
    return offer if offer is not None and is_public(offer) else None


def payment_ways(offer: VoucherOffer) -> list[str]:
    return [w for w, ok in (("shop", offer.pay_in_shop), ("transfer", offer.pay_by_transfer)) if ok]


def allowed_amount(offer: VoucherOffer, cents: int | None) -> bool:
    return cents is not None and 0 < cents <= MAX_CENTS and offer.allows(cents)


@dataclass
class OrderInput:
    """An order as typed (the amount read as cents: None if it is not an amount)."""

    amount_cents: int | None
    buyer_name: str
    buyer_email: str
    recipient_name: str
    message: str
    payment: str


@transactional
def place_order(offer: VoucherOffer, data: OrderInput) -> VoucherOrder:
    """Check the order and store it (open, waiting for payment); commits. Raises
    VoucherInvalid naming every field with a mistake."""
    errors: dict[str, str] = {}
    if not allowed_amount(offer, data.amount_cents):
        errors["amount"] = _l("Bitte wählen Sie einen der angebotenen Beträge.")
    name = one_line(data.buyer_name)
    if not 2 <= len(name) <= 120:
        errors["buyer_name"] = _l("Bitte geben Sie Ihren Namen an.")
    try:
        email = checked_email(data.buyer_email)
    except AccountError:
        email = ""
        errors["buyer_email"] = _l("Bitte geben Sie eine gültige E-Mail-Adresse an.")
    if len(one_line(data.recipient_name)) > 120:
        errors["recipient_name"] = _l("Der Name ist zu lang (höchstens 120 Zeichen).")
    if len(plain_text(data.message)) > 500:
        errors["message"] = _l("Der Gruß ist zu lang (höchstens 500 Zeichen).")
    if data.payment not in payment_ways(offer):
        errors["payment"] = _l("Bitte wählen Sie, wie Sie bezahlen möchten.")
    if errors:
        raise VoucherInvalid(errors)
    order = VoucherOrder(
        reference=_unused_reference(),
        offer_id=offer.id,
        business_id=offer.business_id,
        amount_cents=data.amount_cents,
        buyer_name=name,
        buyer_email=email,
        recipient_name=one_line(data.recipient_name),
        message=plain_text(data.message),
        payment=data.payment,
    )
    db.session.add(order)
    return order


def _unused_reference() -> str:
    while True:
        reference = new_reference()
        if (
            db.session.scalar(select(VoucherOrder.id).where(VoucherOrder.reference == reference))
            is None
        ):
            return reference


def order_by_reference(reference: str | None) -> VoucherOrder | None:
    if not reference:
        return None
    return db.session.scalar(select(VoucherOrder).where(VoucherOrder.reference == reference))


def expiry(offer: VoucherOffer, issued: date) -> date:
    if offer.validity == "fixed" and offer.valid_until:
        return offer.valid_until
    return service.statutory_expiry(issued)


def confirmers(business: Business | None) -> list[str]:
    """Who is told of a new order and confirms its payment: the business's owners, or for
    the Bottrop-Gutschein the administration."""
    if business is not None:
        return [owner.email for owner in business.owners]
    return admin_addresses()


def _order_of(order_id: int, business: Business | None) -> VoucherOrder:
    order = db.session.get(VoucherOrder, order_id)
    if order is None or order.business_id != (business.id if business else None):
        raise VoucherError(_l("Diese Bestellung gibt es hier nicht."))
    return order


@transactional
def confirm_payment(user: User, order_id: int, business: Business | None) -> tuple[Voucher, bool]:
    """Mark the order paid and issue its voucher — once, however often it is confirmed;
    commits. Returns the voucher and whether it was issued just now (False: confirmed
    before). ``business`` None: a Bottrop-Gutschein order (the administration confirms)."""
    order = _order_of(order_id, business)
    today = local_now().date()
    expires_on = expiry(order.offer, today)
    if order.status == OrderStatus.OPEN.value and expires_on < today:
        raise VoucherError(
            _l(
                "Das Angebot galt nur bis %(date)s, ein Gutschein wäre schon abgelaufen. "
                "Bitte stornieren Sie die Bestellung.",
                date=expires_on.strftime("%d.%m.%Y"),
            )
        )
    changed = db.session.execute(
        update(VoucherOrder)
        .where(VoucherOrder.id == order.id, VoucherOrder.status == OrderStatus.OPEN.value)
        .values(status=OrderStatus.PAID.value, decided_at=utcnow(), decided_by_id=user.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not changed:  # decided meanwhile: read what was decided
        db.session.refresh(order)
        if order.status == OrderStatus.PAID.value and order.voucher is not None:
            return order.voucher, False
        raise VoucherError(_l("Diese Bestellung wurde storniert."))
    offer = order.offer
    voucher = service.issue(
        value_cents=order.amount_cents,
        business_id=order.business_id,
        expires_on=expires_on,
        title=offer.title,
        terms=offer.terms,
        holder_email=order.buyer_email,
        recipient_name=order.recipient_name,
        message=order.message,
        order_id=order.id,
        issued_by=user,
    )
    db.session.refresh(order)
    return voucher, True


@transactional
def cancel_order(user: User, order_id: int, business: Business | None, reason: str) -> VoucherOrder:
    reason = plain_text(reason)
    if len(reason) < 5:
        raise VoucherError(_l("Bitte nennen Sie der Kundin oder dem Kunden einen Grund."), "reason")
    order = _order_of(order_id, business)
    changed = db.session.execute(
        update(VoucherOrder)
        .where(VoucherOrder.id == order.id, VoucherOrder.status == OrderStatus.OPEN.value)
        .values(
            status=OrderStatus.CANCELLED.value,
            cancel_reason=reason[:1000],
            decided_at=utcnow(),
            decided_by_id=user.id,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if not changed:
        raise VoucherError(_l("Diese Bestellung ist nicht mehr offen."))
    db.session.refresh(order)
    return order


def open_orders(business: Business | None) -> list[VoucherOrder]:
    condition = (
        VoucherOrder.business_id == business.id
        if business is not None
        else VoucherOrder.business_id.is_(None)
    )
    return list(
        db.session.scalars(
            select(VoucherOrder)
            .where(condition, VoucherOrder.status == OrderStatus.OPEN.value)
            .options(selectinload(VoucherOrder.offer))
            .order_by(VoucherOrder.created_at)
        )
    )
