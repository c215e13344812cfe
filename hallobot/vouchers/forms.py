"""The forms of the vouchers slice.

Fields are read as typed; the rules live in the services, which name the field of each
mistake (``offer_rules.validate``, ``market.check_contact``, ``orders.place_order``,
``service.issue_city_voucher``, ``service.redeem``, ``orders.cancel_order``) and the views
put them there (``web.show_error``). An amount that is not one is read as None and refused
by the service like a missing one. Hidden fields hold what the page put there; one that
holds anything else was not sent by the page: 400.

* Offers: the offer editor (owners, and the administration for the Bottrop-Gutschein) and
  "Kontakt aufnehmen".
* Shoppers: ordering a voucher, checking a balance.
* Owners and the administration: redeeming, cancelling an order, issuing a
  Bottrop-Gutschein.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable

from flask import abort, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, StringField, TextAreaField
from wtforms.validators import ValidationError

from hallobot.money import parse_money
from hallobot.vouchers.offer_fields import OfferInput, form_fields
from hallobot.vouchers.orders import OrderInput

CODE_MAX = 40  # a grouped code has 21 characters; more is not a code
REQUEST_KEY = re.compile(r"[0-9A-Za-z_-]{0,64}")


def cents(raw: str | None) -> int | None:
    """A typed amount in cents; None if it is empty or not an amount."""
    try:
        return parse_money(raw)
    except ValueError:
        return None


def _text(field) -> str:
    return field.data or ""


def untampered(pattern: re.Pattern):
    """A hidden field's check: what the page put there matches ``pattern``; anything else
    was not sent by the page (400)."""

    def check(form, field) -> None:
        if not pattern.fullmatch(_text(field)):
            abort(400)

    return check


class PrefilledForm(FlaskForm):
    @classmethod
    def shown(cls, data: Callable[[], dict]):
        """The form as posted — a field left out stays empty, it never falls back to what
        was shown first; on GET filled with ``data()``."""
        if request.method == "POST":
            return cls()
        return cls(formdata=None, data=data())


# --- voucher offers ---


class OfferForm(type("_OfferFields", (PrefilledForm,), form_fields())):
    """The offer editor: one field per declaration in offer_fields.py."""

    def offer_input(self) -> OfferInput:
        return OfferInput(
            **{
                name: (self[name].data if self[name].data is not None else "")
                for name in OfferInput.__dataclass_fields__
            }
        )


class ContactForm(FlaskForm):
    name = StringField(_l("Ihr Name"), render_kw={"maxlength": 120, "autocomplete": "name"})
    email = EmailField(
        _l("Ihre E-Mail-Adresse"), render_kw={"maxlength": 254, "autocomplete": "email"}
    )
    message = TextAreaField(_l("Ihre Nachricht"), render_kw={"rows": 5, "maxlength": 2000})
    # a trap for bots: hidden from people, filled in by form-filling scripts
    homepage = StringField(_l("Bitte leer lassen"))


# --- shoppers ---


class OrderForm(PrefilledForm):
    """Ordering a voucher: one of the offer's amounts (radio buttons) or a free amount in
    its range, who orders it (and for whom), and how it is paid ("shop" or "transfer")."""

    amount = StringField(_l("Betrag"))
    amount_free = StringField(_l("Betrag"))
    buyer_name = StringField(_l("Ihr Name"))
    buyer_email = EmailField(_l("Ihre E-Mail-Adresse"))
    recipient_name = StringField(_l("Für wen ist der Gutschein? (optional)"))
    message = TextAreaField(_l("Persönlicher Gruß (optional, höchstens 500 Zeichen)"))
    payment = StringField(_l("Bezahlung"))

    def order_input(self) -> OrderInput:
        return OrderInput(
            amount_cents=cents(self.amount_free.data or self.amount.data),
            buyer_name=_text(self.buyer_name),
            buyer_email=_text(self.buyer_email),
            recipient_name=_text(self.recipient_name),
            message=_text(self.message),
            payment=_text(self.payment),
        )


class VoucherCodeForm(FlaskForm):
    """A voucher's code as typed or scanned: the balance check (and the code to redeem)."""

    code = StringField(_l("Gutscheincode"))

    def typed_code(self) -> str:
        return _text(self.code).strip()[:CODE_MAX]


# --- owners and the administration ---


def _an_amount(form, field) -> None:
    if cents(field.data) is None:
        raise ValidationError(_l("Bitte geben Sie einen Betrag ein, z. B. 20,00."))


class RedeemForm(VoucherCodeForm):
    """Redeeming: the code (typed into the check form, a hidden field when redeeming), the
    amount, and the key that makes a form sent twice redeem once."""

    amount = StringField(_l("Betrag"), validators=[_an_amount])
    request_key = HiddenField(validators=[untampered(REQUEST_KEY)])

    @classmethod
    def from_request(cls) -> RedeemForm:
        """The posted form; on GET the code to check, from the address (a link, the QR
        code's page or the check form) — and nothing else from there."""
        if request.method == "POST":
            return cls()
        code = request.args.get("code", "")
        return cls(formdata=None, data={"code": code}, meta={"csrf": False})

    def amount_cents(self) -> int:
        return cents(self.amount.data) or 0

    def key(self) -> str:
        return _text(self.request_key) or secrets.token_hex(16)


class CancelOrderForm(FlaskForm):
    reason = StringField(_l("Grund (geht an die Kundin / den Kunden)"))


class IssueForm(FlaskForm):
    """The administration issues a Bottrop-Gutschein."""

    amount = StringField(_l("Wert in Euro"))
    recipient_name = StringField(_l("Für (optional)"))
    holder_email = EmailField(_l("E-Mail der Käuferin / des Käufers (optional)"))

    def issue_input(self) -> dict:
        return {
            "value_cents": cents(self.amount.data),
            "holder_email": _text(self.holder_email),
            "recipient_name": _text(self.recipient_name),
        }
