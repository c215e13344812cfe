"""Voucher offers on the web: the marketplace ``/gutscheine``, an offer's page with
"Kontakt aufnehmen", and the owners' pages ``/mein-betrieb/<slug>/gutscheinangebote``.

(The moderation's decisions and the administration's Bottrop-Gutschein page live in the
moderation blueprint: they write the audit log, which belongs to that slice.)
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from hallobot.accounts.forms import EmptyForm
from hallobot.directory.loaders import owned_business_or_404
from hallobot.directory.models import Business
from hallobot.extensions import limiter
from hallobot.iban import grouped_iban
from hallobot.mail.service import MailError
from hallobot.vouchers import market as market_service
from hallobot.vouchers import offers as service
from hallobot.vouchers.forms import ContactForm, OfferForm
from hallobot.vouchers.offer_fields import input_of
from hallobot.vouchers.offer_rules import OfferError
from hallobot.web import confirmed, current_language, form_page, show_error

bp = Blueprint("offers", __name__)

ORDER_ENDPOINT = "vouchers.order"  # ordering is built beside this (vouchers/routes.py)


@bp.app_template_global()
def voucher_offers_of(business: Business) -> list:
    """A business's published offers in brief, for its page (no query: they come with
    the business)."""
    return market_service.teasers(business)


@bp.app_template_filter("iban")
def iban_filter(iban: str | None) -> str:
    return grouped_iban(iban)


# --- the marketplace and an offer's page ---


@bp.route("/gutscheine")
@limiter.limit("120 per minute")
def market():
    query = market_service.market_query(request.args)
    result = market_service.market(query, english=current_language() == "en")
    return render_template(
        "vouchers/market.html",
        result=result,
        query=query,
        bands=market_service.AMOUNT_BANDS,
        sorts=market_service.SORTS,
    )


def _public_offer_or_404(offer_id: int):
    offer = market_service.offer_for_page(offer_id, current_user)
    if offer is None or not market_service.is_public(offer):
        abort(404)
    return offer


@bp.route("/gutscheine/<int:offer_id>")
def offer_page(offer_id: int):
    """An offer: amounts, validity, terms and how to buy it. No form here (anonymous
    readers get no cookie); "Kontakt aufnehmen" is a page of its own."""
    offer = market_service.offer_for_page(offer_id, current_user)
    if offer is None:
        newer = market_service.successor(offer_id)
        if newer is None:
            abort(404)
        return redirect(url_for(".offer_page", offer_id=newer.id), 301)
    return render_template(
        "vouchers/offer_page.html",
        offer=offer,
        public=market_service.is_public(offer),
        can_order=offer.how == "order" and ORDER_ENDPOINT in current_app.view_functions,
    )


def _contact_page(offer, form: ContactForm, status: int = 200, mail_failed: bool = False):
    page = render_template(
        "vouchers/offer_contact.html", offer=offer, form=form, mail_failed=mail_failed
    )
    return page, status


@bp.route("/gutscheine/<int:offer_id>/kontakt", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
def contact(offer_id: int):
    """'Kontakt aufnehmen': the shopper's message goes to the business by e-mail, with the
    shopper as Reply-To; nothing is stored."""
    offer = _public_offer_or_404(offer_id)
    form = ContactForm()
    if not form.validate_on_submit():
        return _contact_page(offer, form)
    if not form.homepage.data:  # a bot fills the trap: it is answered alike, nothing is sent
        try:
            message = market_service.check_contact(
                form.name.data, form.email.data, form.message.data
            )
            link = url_for(".offer_page", offer_id=offer.id, _external=True)
            market_service.send_contact(offer, message, link)
        except OfferError as exc:  # OfferInvalid: at the fields; else flashed
            show_error(form, exc)
            return _contact_page(offer, form, 422)
        except MailError:
            return _contact_page(offer, form, 503, mail_failed=True)
    name = market_service.seller_name(offer)
    flash(
        _("Ihre Nachricht an %(name)s ist verschickt. Die Antwort kommt per E-Mail.", name=name),
        "success",
    )
    return redirect(url_for(".offer_page", offer_id=offer.id))


# --- the owners' pages ---


def _offer_or_404(business: Business, offer_id: int):
    return service.owned_offer(business, offer_id) or abort(404)


@bp.route("/mein-betrieb/<slug>/gutscheinangebote")
def owner_offers(slug: str):
    business = owned_business_or_404(slug)
    return render_template(
        "vouchers/offer_owner_list.html",
        business=business,
        rows=service.owner_rows(business),
        form=EmptyForm(),
    )


@bp.route("/mein-betrieb/<slug>/gutscheinangebote/neu", methods=["GET", "POST"])
def new_offer(slug: str):
    business = owned_business_or_404(slug)
    return form_page(
        "vouchers/offer_form.html",
        OfferForm.shown(lambda: {"pay_in_shop": True, "phone": business.phone}),
        lambda form: service.create_offer(current_user, business, form.offer_input()),
        _(
            "Das Angebot ist gespeichert. Es erscheint, sobald unsere Moderation es "
            "freigegeben hat."
        ),
        url_for(".owner_offers", slug=business.slug),
        business=business,
    )


SAVED = {  # what saving a changed offer did (offers.update_offer)
    "updated": _l("Gespeichert. Das Angebot wartet auf die Freigabe."),
    "proposed": _l(
        "Gespeichert. Die Änderung wird nach Prüfung durch unsere Moderation "
        "öffentlich; bis dahin bleibt das bisherige Angebot sichtbar."
    ),
    "unchanged": _l("Es gab nichts zu ändern."),
}


@bp.route(
    "/mein-betrieb/<slug>/gutscheinangebote/<int:offer_id>/bearbeiten", methods=["GET", "POST"]
)
def edit_offer(slug: str, offer_id: int):
    business = owned_business_or_404(slug)
    offer = _offer_or_404(business, offer_id)
    if offer.status == "archived":
        abort(404)
    return form_page(
        "vouchers/offer_form.html",
        OfferForm.shown(lambda: vars(input_of(service.editable_version(offer)))),
        lambda form: service.update_offer(current_user, offer, form.offer_input()),
        lambda saved: SAVED[saved[1]],  # (the row written, what happened)
        url_for(".owner_offers", slug=business.slug),
        business=business,
        offer=offer,
        public=offer if offer.status == "published" else None,
    )


WITHDRAWN = {  # what withdrawing did (offers.withdraw_offer)
    "discarded": _l("Die Änderung ist verworfen; das bisherige Angebot bleibt sichtbar."),
    "withdrawn": _l("Das Angebot ist zurückgezogen."),
}


@bp.route("/mein-betrieb/<slug>/gutscheinangebote/<int:offer_id>/zurueckziehen", methods=["POST"])
def withdraw_offer(slug: str, offer_id: int):
    business = owned_business_or_404(slug)
    offer = _offer_or_404(business, offer_id)
    return confirmed(
        lambda: service.withdraw_offer(current_user, offer),
        lambda outcome: WITHDRAWN[outcome],
        url_for(".owner_offers", slug=business.slug),
    )
