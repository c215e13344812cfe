"""Forms of voucher offers: the offer editor (owners, and the administration for the
Bottrop-Gutschein) and "Kontakt aufnehmen". Fields are read as typed; the rules live in
``offer_rules.validate`` and ``market.check_contact``, which name the field of each mistake."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    StringField,
    TextAreaField,
)

from hallobot.vouchers.offer_fields import OfferInput, form_fields


class OfferForm(type("_OfferFields", (FlaskForm,), form_fields())):
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
