"""Ordering, issuing, redeeming and checking vouchers: the vouchers blueprint (``bp``).

Shoppers (here): order a voucher (``/gutscheine/<offer>/bestellen``), check a balance
(``/gutscheine/guthaben``), open and print their voucher (``/gutschein/<code>``, the address
its QR code holds). Owners (``owner_routes``, ``/mein-betrieb/<slug>/gutscheine``): open
orders to confirm or cancel, what they sold, redeemed and still owe, what expires soon,
redeeming with undo, and their Bottrop-Gutschein settlement. Administrators
(``admin_routes``, ``/moderation/gutscheine``): the same for the Bottrop-Gutschein, issuing
it, and the monthly settlement for every business. Importing this module registers them all.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

import hallobot.vouchers.admin_routes  # noqa: F401 - registers the administration's views
import hallobot.vouchers.owner_routes  # noqa: F401 - registers the owners' views
from hallobot.directory.service import owned_businesses
from hallobot.extensions import limiter
from hallobot.vouchers import codes, mails, orders, service
from hallobot.vouchers.blueprint import bp
from hallobot.vouchers.forms import OrderForm, VoucherCodeForm
from hallobot.vouchers.qr import qr_svg
from hallobot.vouchers.service import VoucherInvalid
from hallobot.web import show_error

__all__ = ["bp"]


@bp.route("/gutscheine/<int:offer_id>/bestellen", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def order(offer_id: int):
    offer = orders.orderable_offer(offer_id) or abort(404)
    form = OrderForm.shown(lambda: {"payment": (orders.payment_ways(offer) or [""])[0]})
    if form.validate_on_submit():
        try:
            placed = orders.place_order(offer, form.order_input())
        except VoucherInvalid as invalid:
            show_error(form, invalid)
        else:
            if not mails.order_placed(placed):
                flash(
                    _(
                        "Ihre Bestellung ist gespeichert, aber die E-Mail konnte gerade nicht "
                        "verschickt werden. Notieren Sie bitte die Bestellnummer."
                    ),
                    "warning",
                )
            session["voucher_order"] = placed.reference
            return redirect(url_for(".ordered"))
    page = render_template("vouchers/order.html", offer=offer, form=form)
    return page, 422 if form.errors else 200


@bp.route("/gutscheine/bestellt")
def ordered():
    placed = orders.order_by_reference(session.get("voucher_order"))
    if placed is None:
        return redirect(url_for("directory.home"))
    return render_template("vouchers/ordered.html", order=placed, offer=placed.offer)


@bp.route("/gutschein/<code>")
@limiter.limit("30 per minute")
def voucher_page(code: str):
    """The voucher to print (what its QR code opens). Owners of the business that may
    redeem it are sent on to redeeming."""
    voucher = service.find_by_code(code) or abort(404)
    if current_user.is_authenticated:
        owned = owned_businesses(current_user)
        redeeming = service.redeeming_businesses(voucher, owned)
        if redeeming:
            return redirect(url_for(".redeem", slug=redeeming[0].slug, code=voucher.code))
    return render_template(
        "vouchers/voucher.html",
        voucher=voucher,
        grouped=codes.grouped(voucher.code),
        qr=qr_svg(mails.voucher_url(voucher)),
        expired=service.is_expired(voucher),
    )


@bp.route("/gutscheine/guthaben", methods=["GET", "POST"])
@limiter.limit("10 per minute; 60 per hour", methods=["POST"])
def balance():
    """Remaining value and expiry for a code. An unknown code and a mistyped one get the
    same answer, after the same work (one lookup), so codes cannot be probed."""
    form = VoucherCodeForm()
    asked = form.validate_on_submit()
    found = service.look_up(form.typed_code()) if asked else None
    page = render_template(
        "vouchers/balance.html",
        form=form,
        voucher=found,
        asked=asked,
        expired=found is not None and service.is_expired(found),
    )
    return page, 200 if found or not asked else 404
