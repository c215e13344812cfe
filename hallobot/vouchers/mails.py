"""The e-mails the voucher views send: payment instructions for an order (and a note to
whoever confirms it), the voucher itself with its link and QR code, and a cancellation.

View helpers (they build absolute links with ``url_for``): each returns whether its mail
went out, and the view says what it means when it did not.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from hallobot.mail.service import MailError, send_template
from hallobot.money import format_money
from hallobot.vouchers import codes, orders
from hallobot.vouchers.models import Voucher, VoucherOrder
from hallobot.vouchers.qr import qr_svg


def voucher_url(voucher: Voucher) -> str:
    """The voucher's page, what its QR code holds."""
    return url_for("vouchers.voucher_page", code=codes.grouped(voucher.code), _external=True)


def _sent(to: str, subject: str, template: str, **context) -> bool:
    try:
        send_template(to, subject, template, **context)
    except MailError:
        return False
    return True


def order_placed(placed: VoucherOrder) -> bool:
    """Payment instructions to the buyer; a note to whoever confirms the payment."""
    subject = _("Ihre Gutscheinbestellung %(ref)s", ref=placed.reference)
    context = {"order": placed, "offer": placed.offer, "business": placed.business}
    if not _sent(placed.buyer_email, subject, "voucher_order_placed", **context):
        return False
    link = (
        url_for("vouchers.owner_overview", slug=placed.business.slug, _external=True)
        if placed.business
        else url_for("vouchers.admin_overview", _external=True)
    )
    subject = _("Neue Gutscheinbestellung %(ref)s", ref=placed.reference)
    return all(
        _sent(address, subject, "voucher_order_received", order=placed, link=link)
        for address in orders.confirmers(placed.business)
    )


def voucher_issued(voucher: Voucher) -> bool:
    """The voucher to its holder: value, code, link and the QR code as an attachment ("Ihr
    Gutschein ist da" for an order, "Ihr Bottrop-Gutschein" for one the administration
    issued)."""
    value = format_money(voucher.value_cents)
    subject = (
        _("Ihr Gutschein ist da: %(value)s", value=value)
        if voucher.order is not None
        else _("Ihr Bottrop-Gutschein: %(value)s", value=value)
    )
    link = voucher_url(voucher)
    return _sent(
        voucher.holder_email,
        subject,
        "voucher_issued",
        voucher=voucher,
        order=voucher.order,
        grouped=codes.grouped(voucher.code),
        link=link,
        attachments=[("gutschein-qr.svg", "image/svg+xml", qr_svg(link).encode())],
    )


def order_cancelled(order: VoucherOrder) -> bool:
    subject = _("Ihre Gutscheinbestellung %(ref)s wurde storniert", ref=order.reference)
    return _sent(order.buyer_email, subject, "voucher_order_cancelled", order=order)
