"""Every field of a voucher offer, declared once.

A declaration names the ``VoucherOffer`` column, the label people read (form, the
moderation's comparison, the audit log), the form field an owner types into, and how a
stored value is shown in that form again. ``OfferInput`` (what was typed), the offer form,
``CONTENT_FIELDS`` (what an offer's content is, what a change replaces) and the labels of
the comparison are derived from ``OFFER_FIELDS``. The rules that tie fields together (amounts,
how it is bought, payment) live in ``offer_rules.validate``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, make_dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectChoice, StringField, TextAreaField

from hallobot.iban import grouped_iban
from hallobot.money import money_input
from hallobot.vouchers.models import HowToBuy


def _text(value: Any) -> str:
    return value or ""


HOW_LABELS = {
    HowToBuy.CONTACT.value: _l("Nachricht an den Betrieb"),
    HowToBuy.PHONE.value: _l("Telefonisch bestellen"),
    HowToBuy.LINK.value: _l("Im Online-Shop des Betriebs"),
    HowToBuy.ORDER.value: _l("Hier bestellen (Bezahlung im Geschäft oder per Überweisung)"),
}
VALIDITY_LABELS = {
    "statutory": _l("Gesetzliche Frist: bis zum 31.12. des dritten Jahres nach dem Kauf"),
    "fixed": _l("Bis zu einem festen Datum"),
}


@dataclass(frozen=True)
class OfferField:
    column: str  # the VoucherOffer column
    label: Any  # what people read in the comparison and the audit log
    input: str  # the form field's name (what was typed)
    form_field: Callable[[], Any]  # a new (unbound) WTForms field
    shown: Callable[[Any], Any] = _text  # stored value → as the form shows it
    default: Any = ""


def _string(label, **render_kw):
    return lambda: StringField(label, render_kw=render_kw or None)


def _choices(label, labels: dict, default: str):
    return lambda: RadioField(
        label,
        choices=[SelectChoice(key, text) for key, text in labels.items()],
        default=default,
        validate_choice=False,  # offer_rules.validate names a wrong choice
    )


OFFER_FIELDS: tuple[OfferField, ...] = (
    OfferField("title", _l("Titel"), "title", _string(_l("Titel"), maxlength=120)),
    OfferField(
        "description",
        _l("Beschreibung"),
        "description",
        lambda: TextAreaField(_l("Beschreibung (optional)"), render_kw={"rows": 4}),
    ),
    OfferField(
        "values_cents",
        _l("Feste Beträge"),
        "values",
        _string(_l("Feste Beträge in Euro"), inputmode="decimal"),
        shown=lambda values: "; ".join(money_input(v) for v in values or []),
    ),
    OfferField(
        "min_cents",
        _l("Freier Betrag ab"),
        "min_amount",
        _string(_l("Freier Betrag ab (Euro)"), inputmode="decimal"),
        shown=money_input,
    ),
    OfferField(
        "max_cents",
        _l("Freier Betrag bis"),
        "max_amount",
        _string(_l("Freier Betrag bis (Euro)"), inputmode="decimal"),
        shown=money_input,
    ),
    OfferField(
        "validity",
        _l("Gültigkeit"),
        "validity",
        _choices(_l("Gültigkeit"), VALIDITY_LABELS, "statutory"),
        default="statutory",
    ),
    OfferField(
        "valid_until",
        _l("Gültig bis"),
        "valid_until",
        _string(_l("Gültig bis (bei festem Datum)"), type="date"),
        shown=lambda day: day.isoformat() if day else "",
    ),
    OfferField(
        "terms",
        _l("Bedingungen"),
        "terms",
        lambda: TextAreaField(_l("Bedingungen (optional)"), render_kw={"rows": 3}),
    ),
    OfferField(
        "how",
        _l("So kauft man den Gutschein"),
        "how",
        _choices(_l("So kauft man den Gutschein"), HOW_LABELS, HowToBuy.ORDER.value),
        default=HowToBuy.ORDER.value,
    ),
    OfferField(
        "link_url",
        _l("Online-Shop"),
        "link_url",
        _string(_l("Adresse Ihres Online-Shops"), type="url"),
    ),
    OfferField(
        "phone",
        _l("Telefon"),
        "phone",
        _string(_l("Telefonnummer für Bestellungen"), type="tel"),
    ),
    OfferField(
        "pay_in_shop",
        _l("Bezahlung im Geschäft"),
        "pay_in_shop",
        lambda: BooleanField(_l("Bezahlung im Geschäft")),
        shown=bool,
        default=False,
    ),
    OfferField(
        "pay_by_transfer",
        _l("Bezahlung per Überweisung"),
        "pay_by_transfer",
        lambda: BooleanField(_l("Bezahlung per Überweisung")),
        shown=bool,
        default=False,
    ),
    OfferField(
        "account_holder",
        _l("Kontoinhaber"),
        "account_holder",
        _string(_l("Kontoinhaber"), autocomplete="off"),
    ),
    OfferField(
        "iban",
        _l("IBAN"),
        "iban",
        _string(_l("IBAN"), autocomplete="off", spellcheck="false"),
        shown=grouped_iban,
    ),
)

CONTENT_FIELDS: tuple[str, ...] = tuple(f.column for f in OFFER_FIELDS)
LABELS: dict[str, Any] = {f.column: f.label for f in OFFER_FIELDS}

# An offer as typed into the form (strings as typed, so nothing is lost on errors).
OfferInput = make_dataclass(
    "OfferInput", [(f.input, Any, field(default=f.default)) for f in OFFER_FIELDS]
)


def input_of(offer) -> OfferInput:
    """A stored offer as the form shows it."""
    return OfferInput(**{f.input: f.shown(getattr(offer, f.column)) for f in OFFER_FIELDS})


def form_fields() -> dict[str, Any]:
    """The offer form's fields, by input name (forms.OfferForm)."""
    return {f.input: f.form_field() for f in OFFER_FIELDS}
