"""The administration's voucher page (``/moderation/gutscheine``): the Bottrop-Gutschein's
open orders, totals and what expires soon, issuing it, the totals of every business, and
the monthly settlement for every business."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hallobot.directory.hours import local_now
from hallobot.money import format_money
from hallobot.vouchers import codes, mails, orders, reports, service
from hallobot.vouchers.blueprint import bp, cancel, confirm, settlement_file, shown_month
from hallobot.vouchers.forms import CancelOrderForm, IssueForm
from hallobot.vouchers.service import VoucherInvalid


@bp.route("/moderation/gutscheine")
def admin_overview():
    today = local_now().date()
    month, month_invalid = shown_month(today)
    by_business = reports.totals_by_business(today)
    return render_template(
        "vouchers/admin_overview.html",
        form=IssueForm(),
        orders=orders.open_orders(None),
        cancel_form=CancelOrderForm(),
        city=by_business.get(None, reports.Totals()),
        businesses=reports.businesses_by_name(by_business),
        expiring=reports.expiring(reports.ALL, today),
        settlement=reports.settlement(month, None),
        month=month,
        month_invalid=month_invalid,
    )


@bp.route("/moderation/gutscheine/ausgeben", methods=["POST"])
def admin_issue():
    """Issue a Bottrop-Gutschein (e.g. sold at the city's counter) and e-mail it."""
    form = IssueForm()
    try:
        voucher = service.issue_city_voucher(current_user, **form.issue_input())
    except VoucherInvalid as invalid:
        flash(_("Der Gutschein wurde nicht ausgestellt. Bitte prüfen Sie die Angaben."), "error")
        for message in invalid.errors.values():
            flash(message, "error")
        return redirect(url_for(".admin_overview"))
    if voucher.holder_email and not mails.voucher_issued(voucher):
        flash(_("Die E-Mail konnte nicht verschickt werden."), "warning")
    message = _(
        "Bottrop-Gutschein %(code)s über %(value)s ausgestellt.",
        code=codes.grouped(voucher.code),
        value=format_money(voucher.value_cents),
    )
    flash(message, "success")
    return redirect(url_for(".admin_overview"))


@bp.route("/moderation/gutscheine/bestellung/<int:order_id>/bezahlt", methods=["POST"])
def admin_confirm_order(order_id: int):
    return confirm(order_id, None, url_for(".admin_overview"))


@bp.route("/moderation/gutscheine/bestellung/<int:order_id>/stornieren", methods=["POST"])
def admin_cancel_order(order_id: int):
    return cancel(order_id, None, url_for(".admin_overview"))


@bp.route("/moderation/gutscheine/abrechnung.csv")
def settlement_csv():
    return settlement_file(None)
