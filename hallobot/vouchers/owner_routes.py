"""The owners' voucher pages (``/mein-betrieb/<slug>/gutscheine``): open orders to confirm
or cancel, what they sold, redeemed and still owe, what expires soon, redeeming with undo,
and their Bottrop-Gutschein settlement."""

from __future__ import annotations

import secrets

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hallobot.directory.hours import local_now
from hallobot.directory.loaders import owned_business_or_404
from hallobot.directory.models import Business
from hallobot.extensions import db, limiter
from hallobot.money import format_money
from hallobot.vouchers import codes, orders, reports, service
from hallobot.vouchers.blueprint import bp, cancel, confirm, settlement_file, shown_month
from hallobot.vouchers.forms import CancelOrderForm, RedeemForm
from hallobot.vouchers.models import Voucher
from hallobot.vouchers.service import Redeemed, VoucherError
from hallobot.web import show_error


@bp.route("/mein-betrieb/<slug>/gutscheine")
def owner_overview(slug: str):
    business = owned_business_or_404(slug)
    today = local_now().date()
    month, month_invalid = shown_month(today)
    return render_template(
        "vouchers/owner_overview.html",
        business=business,
        orders=orders.open_orders(business),
        cancel_form=CancelOrderForm(),
        totals=reports.totals(business.id, today),
        expiring=reports.expiring(business.id, today),
        vouchers=reports.recent_vouchers(business.id),
        settlement=reports.settlement(month, business.id),
        accepts_city=service.accepts_city_voucher(business),
        month=month,
        month_invalid=month_invalid,
        today=today,
    )


@bp.route("/mein-betrieb/<slug>/gutscheine/bestellung/<int:order_id>/bezahlt", methods=["POST"])
def confirm_order(slug: str, order_id: int):
    business = owned_business_or_404(slug)
    return confirm(order_id, business, url_for(".owner_overview", slug=slug))


@bp.route("/mein-betrieb/<slug>/gutscheine/bestellung/<int:order_id>/stornieren", methods=["POST"])
def cancel_order(slug: str, order_id: int):
    business = owned_business_or_404(slug)
    return cancel(order_id, business, url_for(".owner_overview", slug=slug))


@bp.route("/mein-betrieb/<slug>/gutscheine/einloesen", methods=["GET", "POST"])
@limiter.limit("60 per minute")
def redeem(slug: str):
    """Check a typed or scanned code (GET) and redeem an amount of it (POST)."""
    business = owned_business_or_404(slug)
    form = RedeemForm.from_request()
    voucher = _voucher_to_redeem(form, business)
    if voucher is not None and form.validate_on_submit():
        try:
            done = service.redeem(
                current_user, business, voucher.id, form.amount_cents(), form.key()
            )
        except VoucherError as refused:
            show_error(form, refused, "code")
        else:
            _say_redeemed(done)
            return redirect(url_for(".redeem", slug=slug, code=voucher.code))
    return _redeem_page(business, form, voucher)


def _voucher_to_redeem(form: RedeemForm, business: Business) -> Voucher | None:
    """The voucher of the typed code if this business may redeem it; else None, and why
    on the code field."""
    typed = form.typed_code()
    if not typed:
        return None
    try:
        found = service.find_by_code(typed)
        return service.redeemable_here(found, business)
    except VoucherError as refused:
        show_error(form, refused, "code")
        return None


def _say_redeemed(done: Redeemed) -> None:
    if done.repeated:
        flash(_("Diese Einlösung war schon gebucht – es wurde nichts doppelt abgezogen."), "info")
        return
    message = _(
        "%(amount)s eingelöst. Restguthaben: %(balance)s.",
        amount=format_money(done.redemption.amount_cents),
        balance=format_money(done.balance_cents),
    )
    flash(message, "success")


def _redeem_page(business: Business, form: RedeemForm, voucher: Voucher | None):
    if voucher is not None:
        db.session.refresh(voucher)
    page = render_template(
        "vouchers/redeem.html",
        business=business,
        form=form,
        voucher=voucher,
        grouped=codes.grouped(voucher.code) if voucher else "",
        request_key=secrets.token_hex(16),
        expired=voucher is not None and service.is_expired(voucher),
        undoable=service.undoable(voucher, business),
    )
    return page, 422 if form.errors else 200


@bp.route(
    "/mein-betrieb/<slug>/gutscheine/einloesung/<int:redemption_id>/zuruecknehmen",
    methods=["POST"],
)
def undo(slug: str, redemption_id: int):
    business = owned_business_or_404(slug)
    code = service.redeemed_code(business, redemption_id)
    try:
        reversal = service.undo(current_user, business, redemption_id)
    except VoucherError as refused:
        flash(str(refused.message), "error")
    else:
        amount = format_money(reversal.amount_cents)
        flash(_("Einlösung über %(amount)s zurückgenommen.", amount=amount), "success")
    if code:
        return redirect(url_for(".redeem", slug=slug, code=code))
    return redirect(url_for(".owner_overview", slug=slug))


@bp.route("/mein-betrieb/<slug>/gutscheine/abrechnung.csv")
def owner_settlement_csv(slug: str):
    return settlement_file(owned_business_or_404(slug).id)
