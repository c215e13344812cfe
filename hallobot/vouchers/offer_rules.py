"""The rules of a voucher offer: what an owner (or the administration, for the
Bottrop-Gutschein) typed is read and checked here, every mistake named at its form field.

``validate`` turns an ``OfferInput`` (offer_fields.py) into the offer's column values or
raises ``OfferInvalid``; the amounts, the validity and how the voucher is bought (link,
telephone, ordering here with its payment and bank account) are checked together, since
one decides what the other must hold. The limits (``MAX_CENTS``, ``TEXT_MAX``) hold for
orders and messages too.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l

from hallobot.directory.hours import local_now
from hallobot.errors import DomainError
from hallobot.iban import COUNTRY, LENGTH, compact_iban, iban_problem
from hallobot.money import parse_money
from hallobot.phone import international
from hallobot.text import one_line, plain_text
from hallobot.vouchers.models import HowToBuy
from hallobot.vouchers.offer_fields import HOW_LABELS, VALIDITY_LABELS, OfferInput

MAX_CENTS = 50_000  # 500 €: the largest voucher sold here
MAX_VALUES = 10
TEXT_MAX = 2000


class OfferError(DomainError):
    """A refusal with a message for the person (and the form field it belongs to)."""


class OfferInvalid(OfferError):
    """The typed offer has mistakes: ``errors`` maps each form field to its message."""

    def __init__(self, errors: dict[str, object]):
        super().__init__(_l("Bitte prüfen Sie die markierten Felder."))
        self.errors = errors


# --- reading what people type ---

_SEPARATORS = re.compile(r"\s*;\s*|\s*,\s+|\s+")


def parse_values(raw: str | None) -> list[int]:
    """Several amounts: '10; 25; 50', '10, 25, 50' or '10 25 50' (a comma followed by a
    digit is a decimal comma: '12,50') → sorted cents without repeats; raises ValueError."""
    text = (raw or "").replace("€", " ").replace("EUR", " ").strip()
    amounts = {parse_money(token) for token in _SEPARATORS.split(text) if token}
    return sorted(a for a in amounts if a is not None)


def parse_date(raw: str | None) -> date | None:
    """'2027-12-31' (a date field) or '31.12.2027' → date; '' → None; raises ValueError."""
    text = (raw or "").strip()
    if not text:
        return None
    if re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}", text):
        day, month, year = (int(p) for p in text.split("."))
        return date(year, month, day)
    return date.fromisoformat(text)


# --- validation ---


def _amount(raw: str, name: str, errors: dict) -> int | None:
    try:
        cents = parse_money(raw)
    except ValueError:
        errors[name] = _l("Bitte einen Betrag wie 25 oder 25,50 angeben.")
        return None
    if cents is not None and not 0 < cents <= MAX_CENTS:
        errors[name] = _l("Der Betrag muss zwischen 0,01 € und 500,00 € liegen.")
        return None
    return cents


def _check_amounts(data: OfferInput, errors: dict, clean: dict) -> None:
    try:
        values = parse_values(data.values)
    except ValueError:
        errors["values"] = _l(
            "Beträge bitte wie 10 oder 25,50 angeben und mit Semikolon trennen, z. B. 10; 25; 50."
        )
        values = []
    if any(not 0 < v <= MAX_CENTS for v in values):
        errors["values"] = _l("Jeder Betrag muss zwischen 0,01 € und 500,00 € liegen.")
    elif len(values) > MAX_VALUES:
        errors["values"] = _l("Höchstens %(n)d feste Beträge.", n=MAX_VALUES)
    low = _amount(data.min_amount, "min_amount", errors)
    high = _amount(data.max_amount, "max_amount", errors)
    if (low is None) != (high is None) and not {"min_amount", "max_amount"} & set(errors):
        missing = "min_amount" if low is None else "max_amount"
        errors[missing] = _l("Bitte geben Sie beide Grenzen des freien Betrags an.")
    elif low is not None and high is not None and low > high:
        errors["min_amount"] = _l("Der Mindestbetrag darf nicht größer als der Höchstbetrag sein.")
    if not values and low is None and high is None and not errors.get("values"):
        errors["values"] = _l(
            "Bitte geben Sie mindestens einen festen Betrag an oder einen freien Betrag von … "
            "bis …."
        )
    clean.update(values_cents=values, min_cents=low, max_cents=high)


def _check_validity(data: OfferInput, errors: dict, clean: dict, today: date) -> None:
    clean.update(validity=data.validity, valid_until=None)
    if data.validity not in VALIDITY_LABELS:
        errors["validity"] = _l("Bitte wählen Sie, wie lange der Gutschein gilt.")
        return
    if data.validity != "fixed":
        return
    try:
        until = parse_date(data.valid_until)
    except ValueError:
        errors["valid_until"] = _l("Bitte ein Datum wie 31.12.2027 angeben.")
        return
    if until is None:
        errors["valid_until"] = _l("Bitte geben Sie an, bis wann der Gutschein gilt.")
    elif until <= today:
        errors["valid_until"] = _l("Das Datum muss in der Zukunft liegen.")
    clean["valid_until"] = until


def _check_how(data: OfferInput, errors: dict, clean: dict) -> None:
    how = data.how
    clean.update(
        how=how,
        link_url=None,
        phone=None,
        pay_in_shop=False,
        pay_by_transfer=False,
        account_holder=None,
        iban=None,
    )
    if how not in HOW_LABELS:
        errors["how"] = _l("Bitte wählen Sie, wie man den Gutschein kaufen kann.")
    elif how == HowToBuy.LINK.value:
        url = data.link_url.strip()
        parts = urlsplit(url)
        if parts.scheme.lower() != "https" or "." not in parts.netloc or re.search(r"\s", url):
            errors["link_url"] = _l(
                "Bitte geben Sie die Adresse Ihres Online-Shops an, beginnend mit https://."
            )
        elif len(url) > 500:
            errors["link_url"] = _l("Die Adresse ist zu lang (höchstens 500 Zeichen).")
        clean["link_url"] = url
    elif how == HowToBuy.PHONE.value:
        phone = one_line(data.phone)
        if not phone:
            errors["phone"] = _l("Bitte geben Sie eine Telefonnummer an.")
        elif international(phone) is None:
            errors["phone"] = _l("Bitte eine Telefonnummer wie 02041 123456 angeben.")
        clean["phone"] = phone
    elif how == HowToBuy.ORDER.value:
        _check_payment(data, errors, clean)


def _check_payment(data: OfferInput, errors: dict, clean: dict) -> None:
    clean.update(pay_in_shop=bool(data.pay_in_shop), pay_by_transfer=bool(data.pay_by_transfer))
    if not (data.pay_in_shop or data.pay_by_transfer):
        errors["pay_in_shop"] = _l("Bitte wählen Sie mindestens eine Zahlungsart.")
    if not data.pay_by_transfer:
        return
    holder = one_line(data.account_holder)
    if not holder:
        errors["account_holder"] = _l("Bitte geben Sie an, wem das Konto gehört.")
    elif len(holder) > 120:
        errors["account_holder"] = _l("Höchstens 120 Zeichen.")
    iban = compact_iban(data.iban)
    problem = iban_problem(iban) if iban else None
    if not iban:
        errors["iban"] = _l("Bitte geben Sie die IBAN des Kontos an.")
    elif iban.startswith("DE") and len(iban) != 22:
        errors["iban"] = _l("Eine deutsche IBAN hat 22 Zeichen (DE und 20 Ziffern).")
    elif problem == COUNTRY:
        errors["iban"] = _l(
            "„%(code)s“ ist kein Ländercode einer IBAN – eine deutsche IBAN beginnt mit DE.",
            code=iban[:2],
        )
    elif problem == LENGTH:
        errors["iban"] = _l(
            "Diese IBAN ist zu lang oder zu kurz für ihr Land – bitte prüfen Sie sie."
        )
    elif problem:
        errors["iban"] = _l("Diese IBAN ist nicht gültig – bitte prüfen Sie sie.")
    clean.update(account_holder=holder, iban=iban)


def validate(data: OfferInput, today: date | None = None) -> dict:
    """The offer's column values from what was typed; raises OfferInvalid naming every
    field with a mistake."""
    today = today or local_now().date()
    errors: dict[str, object] = {}
    title = one_line(data.title)
    if not title:
        errors["title"] = _l("Bitte geben Sie einen Titel an, z. B. „Geschenkgutschein“.")
    elif len(title) > 120:
        errors["title"] = _l("Der Titel ist zu lang (höchstens 120 Zeichen).")
    clean: dict = {"title": title, "description": plain_text(data.description), "terms": ""}
    if len(clean["description"]) > TEXT_MAX:
        errors["description"] = _l("Höchstens 2000 Zeichen.")
    _check_amounts(data, errors, clean)
    _check_validity(data, errors, clean, today)
    clean["terms"] = plain_text(data.terms)
    if len(clean["terms"]) > TEXT_MAX:
        errors["terms"] = _l("Höchstens 2000 Zeichen.")
    _check_how(data, errors, clean)
    if errors:
        raise OfferInvalid(errors)
    return clean
