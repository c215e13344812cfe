"""Voucher offers: what a business (or the city) sells as a voucher, and how to buy it.

Offers are moderated like other content. A new offer waits (``pending``) until a moderator
approves it. A change to a published offer is a new pending row that ``replaces`` it: the
published one stays public until the change is approved; then the new row is published and
the old one archived (its page forwards to the new one). A pending or rejected offer is
changed in place. Owners withdraw offers (archived; rows are never deleted, orders point at
them). The Bottrop-Gutschein is the offer without a business: the administration keeps it
and publishes it directly (the moderation slice logs that).

Functions take the session; those for one user action commit, the moderation steps
(``approve``, ``reject``, ``save_city_offer``, ``withdraw_city_offer``) leave the commit to
the moderation service, which writes the audit event in the same transaction.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from hallobot.accounts.models import User
from hallobot.accounts.permissions import can_edit, is_admin
from hallobot.diffs import FieldChange, field_changes
from hallobot.directory.hours import local_now
from hallobot.directory.models import Business, Status
from hallobot.directory.service import set_voucher_teasers
from hallobot.errors import DomainError
from hallobot.iban import COUNTRY, LENGTH, compact_iban, grouped_iban, iban_problem
from hallobot.models_base import utcnow
from hallobot.money import format_money as money  # the name the comparison (display) calls
from hallobot.money import parse_money
from hallobot.phone import international
from hallobot.search.index import reindex
from hallobot.text import one_line, plain_text
from hallobot.transaction import transactional
from hallobot.vouchers.models import HowToBuy, VoucherOffer
from hallobot.vouchers.offer_fields import (
    CONTENT_FIELDS,
    HOW_LABELS,
    LABELS,
    VALIDITY_LABELS,
    OfferInput,
)

MAX_CENTS = 50_000  # 500 €: the largest voucher sold here
MAX_VALUES = 10
TEXT_MAX = 2000


class OfferStatus(StrEnum):
    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"
    ARCHIVED = "archived"


OPEN = (OfferStatus.PENDING.value, OfferStatus.REJECTED.value)  # an owner may still change it



class OfferError(DomainError):
    """A refusal with a message for the person (and the form field it belongs to)."""


class OfferInvalid(OfferError):
    """The typed offer has mistakes: ``errors`` maps each form field to its message."""

    def __init__(self, errors: dict[str, object]):
        super().__init__(_l("Bitte prüfen Sie die markierten Felder."))
        self.errors = errors


def admin_addresses(session: Session) -> list[str]:
    """Who speaks for the city's Bottrop-Gutschein: the active administrators."""
    return list(
        session.scalars(select(User.email).where(User.role == "admin", User.active.is_(True)))
    )


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


def content(offer: VoucherOffer) -> dict:
    return {name: getattr(offer, name) for name in CONTENT_FIELDS}


def offer_seen(offer: VoucherOffer) -> str:
    """What a moderator's page carries: the offer as seen, so a decision on a version the
    owner has changed since is refused."""
    state = json.dumps([offer.status, content(offer)], default=str, sort_keys=True)
    return f"{offer.id}.{hashlib.sha256(state.encode()).hexdigest()[:16]}"


# --- owners: create, change, withdraw ---


def _may_edit(user: User, business: Business) -> None:
    if not can_edit(user, business):
        raise OfferError(_l("Sie dürfen die Gutscheinangebote dieses Betriebs nicht bearbeiten."))


def owned_offer(session: Session, business: Business, offer_id: int) -> VoucherOffer | None:
    offer = session.get(VoucherOffer, offer_id)
    if offer is None or offer.business_id != business.id:
        return None
    return offer


@transactional
def create_offer(session: Session, user: User, business: Business, data: OfferInput):
    """A new offer of the business, waiting for the moderation; commits."""
    _may_edit(user, business)
    if business.status == Status.ARCHIVED:
        raise OfferError(_l("Der Eintrag ist nicht mehr öffentlich; Angebote sind gesperrt."))
    offer = VoucherOffer(business_id=business.id, status=OfferStatus.PENDING.value)
    for name, value in validate(data).items():
        setattr(offer, name, value)
    session.add(offer)
    return offer


def open_change(session: Session, offer: VoucherOffer) -> VoucherOffer | None:
    """The change proposed for a published offer (waiting or rejected), if any."""
    return session.scalar(
        select(VoucherOffer)
        .where(VoucherOffer.replaces_id == offer.id, VoucherOffer.status.in_(OPEN))
        .order_by(VoucherOffer.id.desc())
        .limit(1)
    )


def editable_version(session: Session, offer: VoucherOffer) -> VoucherOffer:
    """What the owner's form shows: a proposed change if there is one, else the offer."""
    if offer.status == OfferStatus.PUBLISHED:
        return open_change(session, offer) or offer
    return offer


@transactional
def update_offer(
    session: Session, user: User, offer: VoucherOffer, data: OfferInput
) -> tuple[VoucherOffer, str]:
    """Change an offer; commits. Returns the row written and what happened: ``updated``
    (a waiting or rejected offer, changed in place and waiting again), ``proposed`` (a
    published offer: the change waits as a new row, the offer stays public meanwhile) or
    ``unchanged``."""
    business = session.get(Business, offer.business_id) if offer.business_id else None
    if business is None:
        raise OfferError(_l("Den Bottrop-Gutschein ändert die Stadtverwaltung."))
    _may_edit(user, business)
    clean = validate(data)
    session.get(Business, business.id, with_for_update=True)  # owners' saves queue up here
    session.refresh(offer)
    if offer.status == OfferStatus.ARCHIVED:
        raise OfferError(
            _l("Dieses Angebot ist zurückgezogen und kann nicht mehr geändert werden.")
        )
    if offer.status in OPEN:
        if all(getattr(offer, k) == v for k, v in clean.items()) and offer.status == "pending":
            return offer, "unchanged"
        _assign(offer, clean)
        offer.status, offer.status_reason = OfferStatus.PENDING.value, None
        return offer, "updated"
    change = open_change(session, offer)
    if all(getattr(offer, k) == v for k, v in clean.items()):
        if change is not None:  # back to what is public: the proposal is dropped
            change.status = OfferStatus.ARCHIVED.value
        return offer, "unchanged"
    if change is None:
        change = VoucherOffer(business_id=business.id, replaces_id=offer.id)
        session.add(change)
    _assign(change, clean)
    change.status, change.status_reason = OfferStatus.PENDING.value, None
    return change, "proposed"


def _assign(offer: VoucherOffer, clean: dict) -> None:
    for name, value in clean.items():
        setattr(offer, name, value)


@transactional
def withdraw_offer(session: Session, user: User, offer: VoucherOffer) -> str:
    """Take an offer back (archived); commits. A published offer leaves the marketplace
    with its proposed change; a proposed change alone is dropped and the published offer
    stays. Returns ``withdrawn`` or ``discarded`` (a change)."""
    business = session.get(Business, offer.business_id) if offer.business_id else None
    if business is None:
        raise OfferError(_l("Den Bottrop-Gutschein ändert die Stadtverwaltung."))
    _may_edit(user, business)
    session.get(Business, business.id, with_for_update=True)
    session.refresh(offer)
    if offer.status == OfferStatus.ARCHIVED:
        raise OfferError(_l("Dieses Angebot ist bereits zurückgezogen."))
    outcome = "discarded" if offer.replaces_id and offer.status in OPEN else "withdrawn"
    if offer.status == OfferStatus.PUBLISHED:
        change = open_change(session, offer)
        if change is not None:
            change.status = OfferStatus.ARCHIVED.value
        offer.status = OfferStatus.ARCHIVED.value
        refresh_teasers(session, [business.id])
    else:
        offer.status = OfferStatus.ARCHIVED.value
    return outcome


@dataclass
class OwnerRow:
    """One offer on the owner's list: the offer and, for a published one, its proposed
    change."""

    offer: VoucherOffer
    change: VoucherOffer | None = None


def owner_rows(session: Session, business: Business) -> list[OwnerRow]:
    """The business's offers that are not withdrawn, oldest first (one query)."""
    offers = session.scalars(
        select(VoucherOffer)
        .where(
            VoucherOffer.business_id == business.id,
            VoucherOffer.status != OfferStatus.ARCHIVED.value,
        )
        .order_by(VoucherOffer.created_at, VoucherOffer.id)
    ).all()
    published = {o.id: OwnerRow(o) for o in offers if o.status == OfferStatus.PUBLISHED}
    rows: list[OwnerRow] = []
    for offer in offers:
        if offer.status == OfferStatus.PUBLISHED:
            rows.append(published[offer.id])
        elif offer.replaces_id in published:
            published[offer.replaces_id].change = offer
        else:
            rows.append(OwnerRow(offer))
    return rows


def refresh_teasers(session: Session, business_ids) -> None:
    """Hand the published offers in brief down to their businesses (the page lists them,
    the search's "Gutscheine" filter counts them) and update the search index."""
    session.flush()
    ids = sorted(set(business_ids))
    offers = session.scalars(
        select(VoucherOffer)
        .where(VoucherOffer.business_id.in_(ids), VoucherOffer.status == OfferStatus.PUBLISHED)
        .order_by(VoucherOffer.id)
    )
    teasers: dict[int, list[dict]] = {business_id: [] for business_id in ids}
    for offer in offers:
        teasers[offer.business_id].append(
            {
                "id": offer.id,
                "how": offer.how,
                "min_cents": offer.min_cents,
                "max_cents": offer.max_cents,
                "values_cents": list(offer.values_cents or []),
                "title": offer.title,
            }
        )
    for business_id, brief in teasers.items():
        set_voucher_teasers(session.get(Business, business_id), brief)
    reindex(session, ids)


# --- moderation (the moderation service logs and commits) ---


def pending_offers(session: Session) -> list[VoucherOffer]:
    """Offers waiting for a moderator, oldest first (one query)."""
    return list(
        session.scalars(
            select(VoucherOffer)
            .where(VoucherOffer.status == OfferStatus.PENDING.value)
            .options(
                joinedload(VoucherOffer.business).joinedload(Business.category),
                joinedload(VoucherOffer.business).joinedload(Business.district),
            )
            .order_by(VoucherOffer.created_at, VoucherOffer.id)
        )
    )


def offer_by_id(session: Session, offer_id: int) -> VoucherOffer | None:
    return session.get(VoucherOffer, offer_id)


SEEN_CHANGED = _l(
    "Das Angebot wurde geändert, während Sie es angesehen haben. Bitte prüfen Sie die "
    "aktuelle Fassung unten und entscheiden Sie dann."
)


def _pending(session: Session, offer_id: int, seen: str) -> VoucherOffer:
    found = session.get(VoucherOffer, offer_id)
    if found is None:
        raise OfferError(_l("Über dieses Angebot ist schon entschieden."))
    if found.business_id:  # the order owners' saves lock in: business, then offer
        session.get(Business, found.business_id, with_for_update=True)
    offer = session.get(VoucherOffer, offer_id, with_for_update=True, populate_existing=True)
    if offer is None or offer.status != OfferStatus.PENDING:
        raise OfferError(_l("Über dieses Angebot ist schon entschieden."))
    if seen != offer_seen(offer):
        raise OfferError(SEEN_CHANGED)
    return offer


def approve(session: Session, offer_id: int, seen: str) -> tuple[VoucherOffer, VoucherOffer | None]:
    """Publish a waiting offer as the moderator saw it; a change replaces (archives) the
    offer it was made to. Returns the published offer and the one it replaced."""
    offer = _pending(session, offer_id, seen)
    replaced = None
    if offer.replaces_id:
        replaced = session.get(VoucherOffer, offer.replaces_id, with_for_update=True)
        if replaced is not None and replaced.status == OfferStatus.PUBLISHED:
            replaced.status = OfferStatus.ARCHIVED.value
    offer.status, offer.status_reason = OfferStatus.PUBLISHED.value, None
    offer.published_at = utcnow()
    if offer.business_id:
        refresh_teasers(session, [offer.business_id])
    return offer, replaced


def reject(session: Session, offer_id: int, reason: str, seen: str) -> VoucherOffer:
    """Turn a waiting offer down with a reason for the owners (a change: the published
    offer stays as it is)."""
    offer = _pending(session, offer_id, seen)
    offer.status, offer.status_reason = OfferStatus.REJECTED.value, reason
    return offer


def display(name: str, value) -> str:
    """A field's value as the moderation's comparison shows it."""
    if value is None or value == "" or value == []:
        return "–"
    if name == "values_cents":
        return ", ".join(money(v) for v in value)
    if name in ("min_cents", "max_cents"):
        return money(value)
    if isinstance(value, bool):
        return str(_l("ja") if value else _l("nein"))
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if name == "validity":
        return str(VALIDITY_LABELS.get(value, value))
    if name == "how":
        return str(HOW_LABELS.get(value, value))
    if name == "iban":
        return grouped_iban(value)
    return str(value)


def changes(session: Session, offer: VoucherOffer) -> list[FieldChange]:
    """For a proposed change: field by field, the public value and the proposed one."""
    if not offer.replaces_id:
        return []
    old = session.get(VoucherOffer, offer.replaces_id)
    if old is None:
        return []
    return field_changes(content(old), content(offer), LABELS, display)


# --- the Bottrop-Gutschein (kept by the administration) ---


def city_offer(session: Session) -> VoucherOffer | None:
    """The city's current offer (the newest one not withdrawn)."""
    return session.scalar(
        select(VoucherOffer)
        .where(
            VoucherOffer.business_id.is_(None),
            VoucherOffer.status != OfferStatus.ARCHIVED.value,
        )
        .order_by(VoucherOffer.id.desc())
        .limit(1)
    )


def save_city_offer(session: Session, user: User, data: OfferInput) -> tuple[VoucherOffer, dict]:
    """Create or change the Bottrop-Gutschein, published at once (no commit). Returns the
    offer and the changed fields (old, new) for the audit log."""
    if not is_admin(user):
        raise OfferError(_l("Den Bottrop-Gutschein ändert die Stadtverwaltung."))
    clean = validate(data)
    offer = city_offer(session)
    if offer is None:
        offer = VoucherOffer(business_id=None, published_at=utcnow())
        session.add(offer)
        before: dict = {}
    else:
        before = content(offer)
    changed = {
        k: [display(k, before.get(k)), display(k, v)]
        for k, v in clean.items()
        if before.get(k) != v
    }
    _assign(offer, clean)
    offer.status, offer.status_reason = OfferStatus.PUBLISHED.value, None
    offer.published_at = offer.published_at or utcnow()
    session.flush()
    return offer, changed


def withdraw_city_offer(session: Session, user: User) -> VoucherOffer:
    if not is_admin(user):
        raise OfferError(_l("Den Bottrop-Gutschein ändert die Stadtverwaltung."))
    offer = city_offer(session)
    if offer is None:
        raise OfferError(_l("Es gibt kein Angebot für den Bottrop-Gutschein."))
    offer.status = OfferStatus.ARCHIVED.value
    session.flush()
    return offer
