"""The vouchers blueprint, and what its view modules share: deciding an open order
(confirming the payment, cancelling), the month of the settlement and the settlement as
CSV — for a business's owners and, for the Bottrop-Gutschein, the administration.

The views: ``routes`` (shoppers: ordering, the voucher and its balance), ``owner_routes``
(``/mein-betrieb/<slug>/gutscheine``) and ``admin_routes`` (``/moderation/gutscheine``).
Importing ``routes`` registers them all.
"""

from __future__ import annotations

import csv
import io
from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, request
from flask_babel import gettext as _
from flask_login import current_user

from hallobot.directory.hours import local_now
from hallobot.directory.models import Business
from hallobot.money import format_money
from hallobot.vouchers import codes, mails, orders, reports
from hallobot.vouchers.forms import CancelOrderForm
from hallobot.vouchers.models import Voucher
from hallobot.vouchers.service import VoucherError

bp = Blueprint("vouchers", __name__)


def confirm(order_id: int, business: Business | None, back: str):
    """Confirm an order's payment: the voucher is issued and mailed to the buyer."""
    try:
        voucher, issued_now = orders.confirm_payment(current_user, order_id, business)
    except VoucherError as error:
        flash(str(error.message), "error")
    else:
        _say_confirmed(voucher, issued_now)
    return redirect(back)


def _say_confirmed(voucher: Voucher, issued_now: bool) -> None:
    code = codes.grouped(voucher.code)
    if not issued_now:  # confirmed before (a double submit): the voucher went out then
        message = _(
            "Die Zahlung war schon bestätigt; der Gutschein %(code)s ist ausgestellt.", code=code
        )
        flash(message, "info")
    elif mails.voucher_issued(voucher):
        message = _(
            "Zahlung bestätigt. Der Gutschein %(code)s wurde an %(email)s geschickt.",
            code=code,
            email=voucher.holder_email,
        )
        flash(message, "success")
    else:
        message = _(
            "Zahlung bestätigt und Gutschein %(code)s ausgestellt, aber die E-Mail konnte "
            "nicht verschickt werden. Geben Sie der Kundin oder dem Kunden den Code bitte "
            "selbst.",
            code=code,
        )
        flash(message, "warning")


def cancel(order_id: int, business: Business | None, back: str):
    """Cancel an open order with a reason for the buyer, who is told by e-mail."""
    reason = CancelOrderForm().reason.data or ""
    try:
        order = orders.cancel_order(current_user, order_id, business, reason)
    except VoucherError as error:
        flash(str(error.message), "error")
        return redirect(back)
    if not mails.order_cancelled(order):
        flash(
            _("Die E-Mail an die Kundin oder den Kunden konnte nicht verschickt werden."), "warning"
        )
    flash(_("Die Bestellung %(ref)s ist storniert.", ref=order.reference), "success")
    return redirect(back)


def shown_month(today: date) -> tuple[date, bool]:
    """The month a settlement is shown for (``?monat=2026-11``, else this month) and
    whether the one asked for was not a month (the page says so at the month field)."""
    month = reports.parse_month(request.args.get("monat"), today)
    return month or today.replace(day=1), month is None


def _cell(text: str) -> str:
    """Text a spreadsheet shows as text: a leading = + - @ (a formula to Excel) gets an
    apostrophe before it."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def settlement_file(business_id: int | None) -> Response:
    """The settlement of the month ``?monat=`` as CSV (of one business, or of all); a
    month that is not one: 400."""
    month = reports.parse_month(request.args.get("monat"), local_now().date()) or abort(400)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_("Monat"), _("Betrieb"), _("Einlösungen"), _("Summe (EUR)")])
    for row in reports.settlement(month, business_id):
        # '1234,50' in every language: a German spreadsheet, as the ';' between columns says
        euros = format_money(row.cents, "de", plain=True)
        writer.writerow([f"{month:%Y-%m}", _cell(row.business_name), row.redemptions, euros])
    name = f"bottrop-gutschein-abrechnung-{month:%Y-%m}.csv"
    return Response(
        "\ufeff" + out.getvalue(),  # Excel reads the umlauts with the byte-order mark
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
