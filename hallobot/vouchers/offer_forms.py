"""Forms of voucher offers: the offer editor (owners, and the administration for the
Bottrop-Gutschein) and "Kontakt aufnehmen". Fields are read as typed; the rules live in
``offers.validate`` and ``market.check_contact``, which name the field of each mistake."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    RadioField,
    SelectChoice,
    StringField,
    TextAreaField,
)

from hallobot.vouchers.offers import HOW_LABELS, VALIDITY_LABELS, OfferInput, OfferInvalid


class OfferForm(FlaskForm):
    title = StringField(_l("Titel"), render_kw={"maxlength": 120})
    description = TextAreaField(_l("Beschreibung (optional)"), render_kw={"rows": 4})
    values = StringField(_l("Feste Beträge in Euro"), render_kw={"inputmode": "decimal"})
    min_amount = StringField(_l("Freier Betrag ab (Euro)"), render_kw={"inputmode": "decimal"})
    max_amount = StringField(_l("Freier Betrag bis (Euro)"), render_kw={"inputmode": "decimal"})
    validity = RadioField(
        _l("Gültigkeit"),
        choices=[SelectChoice(key, label) for key, label in VALIDITY_LABELS.items()],
        default="statutory",
        validate_choice=False,  # the service names a wrong choice
    )
    valid_until = StringField(_l("Gültig bis (bei festem Datum)"), render_kw={"type": "date"})
    terms = TextAreaField(_l("Bedingungen (optional)"), render_kw={"rows": 3})
    how = RadioField(
        _l("So kauft man den Gutschein"),
        choices=[SelectChoice(key, label) for key, label in HOW_LABELS.items()],
        default="order",
        validate_choice=False,
    )
    link_url = StringField(_l("Adresse Ihres Online-Shops"), render_kw={"type": "url"})
    phone = StringField(_l("Telefonnummer für Bestellungen"), render_kw={"type": "tel"})
    pay_in_shop = BooleanField(_l("Bezahlung im Geschäft"))
    pay_by_transfer = BooleanField(_l("Bezahlung per Überweisung"))
    account_holder = StringField(_l("Kontoinhaber"), render_kw={"autocomplete": "off"})
    iban = StringField(_l("IBAN"), render_kw={"autocomplete": "off", "spellcheck": "false"})

    def offer_input(self) -> OfferInput:
        return OfferInput(
            **{
                name: (self[name].data if self[name].data is not None else "")
                for name in OfferInput.__dataclass_fields__
            }
        )

    def show_errors(self, exc: OfferInvalid) -> None:
        for name, message in exc.errors.items():
            self[name].errors = [*self[name].errors, message]


class ContactForm(FlaskForm):
    name = StringField(_l("Ihr Name"), render_kw={"maxlength": 120, "autocomplete": "name"})
    email = EmailField(
        _l("Ihre E-Mail-Adresse"), render_kw={"maxlength": 254, "autocomplete": "email"}
    )
    message = TextAreaField(_l("Ihre Nachricht"), render_kw={"rows": 5, "maxlength": 2000})
    # a trap for bots: hidden from people, filled in by form-filling scripts
    homepage = StringField(_l("Bitte leer lassen"))

    def show_errors(self, exc: OfferInvalid) -> None:
        for name, message in exc.errors.items():
            self[name].errors = [*self[name].errors, message]
