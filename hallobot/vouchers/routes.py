"""Ordering, issuing, redeeming and checking vouchers.

Shoppers: order a voucher (``/gutscheine/<offer>/bestellen``), check a balance
(``/gutscheine/guthaben``), open and print their voucher (``/gutschein/<code>``, the address
its QR code holds). Owners (``/mein-betrieb/<slug>/gutscheine``): open orders to confirm or
cancel, what they sold, redeemed and still owe, what expires soon, redeeming with undo, and
their Bottrop-Gutschein settlement. Administrators (``/moderation/gutscheine``): the same for
the Bottrop-Gutschein, issuing it, and the monthly settlement for every business.
"""

from __future__ import annotations

import csv
import io
import secrets

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from hallobot.accounts.service import AccountError, checked_email
from hallobot.directory.hours import local_now
from hallobot.directory.loaders import owned_business_or_404
from hallobot.directory.models import Business
from hallobot.directory.service import owned_businesses
from hallobot.extensions import db, limiter
from hallobot.mail.service import MailError, send_template
from hallobot.money import format_money, parse_money
from hallobot.vouchers import codes, orders, reports, service
from hallobot.vouchers.models import Redemption, Voucher, VoucherOrder
from hallobot.vouchers.qr import qr_svg
from hallobot.vouchers.service import VoucherError

bp = Blueprint("vouchers", __name__)


# --- shoppers: ordering ---


@bp.route("/gutscheine/<int:offer_id>/bestellen", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def order(offer_id: int):
    offer = orders.orderable_offer(db.session, offer_id)
    if offer is None:
        abort(404)
    errors, values = {}, {"payment": (orders.payment_ways(offer) or [""])[0]}
    if request.method == "POST":
        values = request.form.to_dict()
        try:
            amount = parse_money(values.get("amount_free") or values.get("amount") or "")
        except ValueError:
            amount = None
        data = orders.OrderForm(
            amount_cents=amount,
            buyer_name=values.get("buyer_name", ""),
            buyer_email=values.get("buyer_email", ""),
            recipient_name=values.get("recipient_name", ""),
            message=values.get("message", ""),
            payment=values.get("payment", ""),
        )
        try:
            placed = orders.place_order(db.session, offer, data)
        except orders.OrderInvalid as invalid:
            errors = invalid.errors
        else:
            _order_mails(placed)
            session["voucher_order"] = placed.reference
            return redirect(url_for("vouchers.ordered"))
    return render_template("vouchers/order.html", offer=offer, errors=errors, values=values), (
        422 if errors else 200
    )


def _order_mails(placed: VoucherOrder) -> None:
    """Payment instructions to the buyer; a note to whoever confirms the payment."""
    try:
        send_template(
            placed.buyer_email,
            _("Ihre Gutscheinbestellung %(ref)s", ref=placed.reference),
            "voucher_order_placed",
            order=placed,
            offer=placed.offer,
            business=placed.business,
        )
        for address in orders.confirmers(db.session, placed.business):
            send_template(
                address,
                _("Neue Gutscheinbestellung %(ref)s", ref=placed.reference),
                "voucher_order_received",
                order=placed,
                link=url_for("vouchers.owner_overview", slug=placed.business.slug, _external=True)
                if placed.business
                else url_for("vouchers.admin_overview", _external=True),
            )
    except MailError:
        flash(
            _(
                "Ihre Bestellung ist gespeichert, aber die E-Mail konnte gerade nicht "
                "verschickt werden. Notieren Sie bitte die Bestellnummer."
            ),
            "warning",
        )


@bp.route("/gutscheine/bestellt")
def ordered():
    reference = session.get("voucher_order")
    placed = (
        db.session.scalar(db.select(VoucherOrder).where(VoucherOrder.reference == reference))
        if reference
        else None
    )
    if placed is None:
        return redirect(url_for("directory.home"))
    return render_template("vouchers/ordered.html", order=placed, offer=placed.offer)


# --- shoppers: the voucher and its balance ---


@bp.route("/gutschein/<code>")
@limiter.limit("30 per minute")
def voucher_page(code: str):
    """The voucher to print (what its QR code opens). Owners of the business that may
    redeem it are sent on to redeeming."""
    voucher = service.find_by_code(db.session, code)
    if voucher is None:
        abort(404)
    redeeming = _redeeming_businesses(voucher) if current_user.is_authenticated else []
    if redeeming:
        return redirect(url_for("vouchers.redeem", slug=redeeming[0].slug, code=voucher.code))
    return render_template(
        "vouchers/voucher.html",
        voucher=voucher,
        grouped=codes.grouped(voucher.code),
        qr=qr_svg(_voucher_url(voucher)),
        expired=service.is_expired(voucher),
    )


def _redeeming_businesses(voucher: Voucher) -> list[Business]:
    owned = owned_businesses(current_user)
    if voucher.business_id is not None:
        return [b for b in owned if b.id == voucher.business_id]
    return [b for b in owned if service.accepts_city_voucher(db.session, b)]


def _voucher_url(voucher: Voucher) -> str:
    return url_for("vouchers.voucher_page", code=codes.grouped(voucher.code), _external=True)


@bp.route("/gutscheine/guthaben", methods=["GET", "POST"])
@limiter.limit("10 per minute; 60 per hour", methods=["POST"])
def balance():
    """Remaining value and expiry for a code. An unknown code and a mistyped one get the
    same answer, after the same work (one lookup), so codes cannot be probed."""
    found, asked = None, False
    if request.method == "POST":
        asked = True
        typed = request.form.get("code", "")[:40]
        normalised = codes.normalise(typed) or "0" * 17  # looked up all the same
        found = db.session.scalar(db.select(Voucher).where(Voucher.code == normalised))
    return render_template(
        "vouchers/balance.html",
        voucher=found,
        asked=asked,
        expired=found is not None and service.is_expired(found),
    ), (200 if found or not asked else 404)


# --- owners ---


@bp.route("/mein-betrieb/<slug>/gutscheine")
def owner_overview(slug: str):
    business = owned_business_or_404(slug)
    today = local_now().date()
    month = reports.parse_month(request.args.get("monat"), today)
    return render_template(
        "vouchers/owner_overview.html",
        business=business,
        orders=orders.open_orders(db.session, business),
        totals=reports.totals(db.session, business.id, today),
        expiring=reports.expiring(db.session, business.id, today),
        vouchers=reports.recent_vouchers(db.session, business.id),
        settlement=reports.settlement(db.session, month, business.id),
        accepts_city=service.accepts_city_voucher(db.session, business),
        month=month,
        today=today,
    )


@bp.route("/mein-betrieb/<slug>/gutscheine/bestellung/<int:order_id>/bezahlt", methods=["POST"])
def confirm_order(slug: str, order_id: int):
    business = owned_business_or_404(slug)
    return _confirm(order_id, business, url_for("vouchers.owner_overview", slug=slug))


@bp.route("/mein-betrieb/<slug>/gutscheine/bestellung/<int:order_id>/stornieren", methods=["POST"])
def cancel_order(slug: str, order_id: int):
    business = owned_business_or_404(slug)
    return _cancel(order_id, business, url_for("vouchers.owner_overview", slug=slug))


def _confirm(order_id: int, business: Business | None, back: str):
    try:
        voucher, issued_now = orders.confirm_payment(db.session, current_user, order_id, business)
    except VoucherError as error:
        flash(str(error.message), "error")
        return redirect(back)
    if not issued_now:  # confirmed before (a double submit): the voucher went out then
        flash(
            _(
                "Die Zahlung war schon bestätigt; der Gutschein %(code)s ist ausgestellt.",
                code=codes.grouped(voucher.code),
            ),
            "info",
        )
        return redirect(back)
    order = voucher.order
    try:
        send_template(
            order.buyer_email,
            _("Ihr Gutschein ist da: %(value)s", value=format_money(voucher.value_cents)),
            "voucher_issued",
            voucher=voucher,
            order=order,
            grouped=codes.grouped(voucher.code),
            link=_voucher_url(voucher),
            attachments=[
                ("gutschein-qr.svg", "image/svg+xml", qr_svg(_voucher_url(voucher)).encode())
            ],
        )
        flash(
            _(
                "Zahlung bestätigt. Der Gutschein %(code)s wurde an %(email)s geschickt.",
                code=codes.grouped(voucher.code),
                email=order.buyer_email,
            ),
            "success",
        )
    except MailError:
        flash(
            _(
                "Zahlung bestätigt und Gutschein %(code)s ausgestellt, aber die E-Mail konnte "
                "nicht verschickt werden. Geben Sie der Kundin oder dem Kunden den Code bitte "
                "selbst.",
                code=codes.grouped(voucher.code),
            ),
            "warning",
        )
    return redirect(back)


def _cancel(order_id: int, business: Business | None, back: str):
    try:
        order = orders.cancel_order(
            db.session, current_user, order_id, business, request.form.get("reason", "")
        )
    except VoucherError as error:
        flash(str(error.message), "error")
        return redirect(back)
    try:
        send_template(
            order.buyer_email,
            _("Ihre Gutscheinbestellung %(ref)s wurde storniert", ref=order.reference),
            "voucher_order_cancelled",
            order=order,
        )
    except MailError:
        flash(
            _("Die E-Mail an die Kundin oder den Kunden konnte nicht verschickt werden."), "warning"
        )
    flash(_("Die Bestellung %(ref)s ist storniert.", ref=order.reference), "success")
    return redirect(back)


@bp.route("/mein-betrieb/<slug>/gutscheine/einloesen", methods=["GET", "POST"])
@limiter.limit("60 per minute")
def redeem(slug: str):
    business = owned_business_or_404(slug)
    typed = (request.values.get("code") or "").strip()[:40]
    voucher, error, amount_error = None, None, None
    if typed:
        try:
            voucher = service.redeemable_here(
                db.session, service.find_by_code(db.session, typed), business
            )
        except VoucherError as refused:
            error = refused.message
    if request.method == "POST" and voucher is not None:
        try:
            amount = parse_money(request.form.get("amount", ""))
        except ValueError:
            amount = None
        if amount is None:
            amount_error = _("Bitte geben Sie einen Betrag ein, z. B. 20,00.")
        else:
            try:
                done = service.redeem(
                    db.session,
                    current_user,
                    business,
                    voucher.id,
                    amount,
                    request.form.get("request_key", "")[:64] or secrets.token_hex(16),
                )
            except VoucherError as refused:
                if refused.field == "amount":
                    amount_error = refused.message
                else:
                    error = refused.message
            else:
                if done.repeated:
                    flash(
                        _("Diese Einlösung war schon gebucht – es wurde nichts doppelt abgezogen."),
                        "info",
                    )
                else:
                    flash(
                        _(
                            "%(amount)s eingelöst. Restguthaben: %(balance)s.",
                            amount=format_money(done.redemption.amount_cents),
                            balance=format_money(done.balance_cents),
                        ),
                        "success",
                    )
                return redirect(url_for("vouchers.redeem", slug=slug, code=voucher.code))
    if voucher is not None:
        db.session.refresh(voucher)
    status = 200
    if error or amount_error:
        status = 422
    return render_template(
        "vouchers/redeem.html",
        business=business,
        typed=typed,
        voucher=voucher,
        grouped=codes.grouped(voucher.code) if voucher else "",
        error=error,
        amount_error=amount_error,
        amount=request.form.get("amount", ""),
        request_key=secrets.token_hex(16),
        expired=voucher is not None and service.is_expired(voucher),
        undoable=_undoable(voucher, business),
    ), status


def _undoable(voucher: Voucher | None, business: Business) -> set[int]:
    """This business's own recent redemptions (a city voucher's history shows others')."""
    if voucher is None:
        return set()
    reversed_ids = {r.reverses_id for r in voucher.ledger if r.kind == "reversal"}
    return {
        r.id
        for r in voucher.ledger
        if r.business_id == business.id and r.id not in reversed_ids and service.can_undo(r)
    }


@bp.route(
    "/mein-betrieb/<slug>/gutscheine/einloesung/<int:redemption_id>/zuruecknehmen",
    methods=["POST"],
)
def undo(slug: str, redemption_id: int):
    business = owned_business_or_404(slug)
    original = db.session.get(Redemption, redemption_id)
    code = (
        original.voucher.code
        if original is not None and original.business_id == business.id
        else ""
    )
    try:
        reversal = service.undo(db.session, current_user, business, redemption_id)
    except VoucherError as refused:
        flash(str(refused.message), "error")
    else:
        flash(
            _(
                "Einlösung über %(amount)s zurückgenommen.",
                amount=format_money(reversal.amount_cents),
            ),
            "success",
        )
    return redirect(
        url_for("vouchers.redeem", slug=slug, code=code)
        if code
        else url_for("vouchers.owner_overview", slug=slug)
    )


@bp.route("/mein-betrieb/<slug>/gutscheine/abrechnung.csv")
def owner_settlement_csv(slug: str):
    business = owned_business_or_404(slug)
    month = reports.parse_month(request.args.get("monat"), local_now().date())
    return _settlement_csv(reports.settlement(db.session, month, business.id), month)


# --- administrators: the Bottrop-Gutschein ---


@bp.route("/moderation/gutscheine")
def admin_overview():
    today = local_now().date()
    month = reports.parse_month(request.args.get("monat"), today)
    by_business = reports.totals_by_business(db.session, today)
    names = dict(
        db.session.execute(
            db.select(Business.id, Business.name).where(
                Business.id.in_([k for k in by_business if k is not None])
            )
        ).all()
    )
    return render_template(
        "vouchers/admin_overview.html",
        orders=orders.open_orders(db.session, None),
        city=by_business.get(None, reports.Totals()),
        businesses=sorted(
            ((names.get(k, "?"), t) for k, t in by_business.items() if k is not None),
            key=lambda item: item[0],
        ),
        expiring=reports.expiring(db.session, reports.ALL, today),
        settlement=reports.settlement(db.session, month, None),
        month=month,
        errors={},
        values={},
    )


@bp.route("/moderation/gutscheine/ausgeben", methods=["POST"])
def admin_issue():
    """Issue a Bottrop-Gutschein (e.g. sold at the city's counter) and e-mail it."""
    values = request.form.to_dict()
    errors = {}
    try:
        amount = parse_money(values.get("amount", ""))
    except ValueError:
        amount = None
    if amount is None or not 0 < amount <= orders.MAX_CENTS:
        errors["amount"] = _("Bitte geben Sie einen Wert zwischen 0,01 € und 500,00 € ein.")
    email = (values.get("holder_email") or "").strip()
    if email:
        try:
            email = checked_email(email)
        except AccountError:
            errors["holder_email"] = _("Bitte geben Sie eine gültige E-Mail-Adresse an.")
    if errors:
        flash(_("Der Gutschein wurde nicht ausgestellt. Bitte prüfen Sie die Angaben."), "error")
        for message in errors.values():
            flash(message, "error")
        return redirect(url_for("vouchers.admin_overview"))
    voucher = service.issue(
        db.session,
        value_cents=amount,
        business_id=None,
        expires_on=service.statutory_expiry(local_now().date()),
        title=_("Bottrop-Gutschein"),
        holder_email=email or None,
        recipient_name=(values.get("recipient_name") or "").strip()[:120],
        issued_by=current_user,
    )
    if email:
        try:
            send_template(
                email,
                _("Ihr Bottrop-Gutschein: %(value)s", value=format_money(voucher.value_cents)),
                "voucher_issued",
                voucher=voucher,
                order=None,
                grouped=codes.grouped(voucher.code),
                link=_voucher_url(voucher),
                attachments=[
                    ("gutschein-qr.svg", "image/svg+xml", qr_svg(_voucher_url(voucher)).encode())
                ],
            )
        except MailError:
            flash(_("Die E-Mail konnte nicht verschickt werden."), "warning")
    flash(
        _(
            "Bottrop-Gutschein %(code)s über %(value)s ausgestellt.",
            code=codes.grouped(voucher.code),
            value=format_money(voucher.value_cents),
        ),
        "success",
    )
    return redirect(url_for("vouchers.admin_overview"))


@bp.route("/moderation/gutscheine/bestellung/<int:order_id>/bezahlt", methods=["POST"])
def admin_confirm_order(order_id: int):
    return _confirm(order_id, None, url_for("vouchers.admin_overview"))


@bp.route("/moderation/gutscheine/bestellung/<int:order_id>/stornieren", methods=["POST"])
def admin_cancel_order(order_id: int):
    return _cancel(order_id, None, url_for("vouchers.admin_overview"))


@bp.route("/moderation/gutscheine/abrechnung.csv")
def settlement_csv():
    month = reports.parse_month(request.args.get("monat"), local_now().date())
    return _settlement_csv(reports.settlement(db.session, month, None), month)


def _settlement_csv(rows, month) -> Response:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_("Monat"), _("Betrieb"), _("Einlösungen"), _("Summe (EUR)")])
    for row in rows:
        # '1234,50' in every language: a German spreadsheet, as the ';' between columns says
        euros = format_money(row.cents, "de", plain=True)
        writer.writerow([month.strftime("%Y-%m"), row.business_name, row.redemptions, euros])
    name = f"bottrop-gutschein-abrechnung-{month:%Y-%m}.csv"
    return Response(
        "\ufeff" + out.getvalue(),  # Excel reads the umlauts with the byte-order mark
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
