"""The public side of voucher offers: an offer's page, the offers on a business page, the
marketplace ``/gutscheine`` (filters, sorting, pages) and "Kontakt aufnehmen" (a shopper's
message e-mailed to the business; nothing is stored).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import formataddr

from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from hallobot.accounts.permissions import can_edit, is_moderator
from hallobot.accounts.service import AccountError, checked_email
from hallobot.directory.hours import local_now
from hallobot.directory.models import Business, Category, Status
from hallobot.extensions import db
from hallobot.mail.service import send_template
from hallobot.money import parse_money
from hallobot.text import fold, one_line, plain_text
from hallobot.vouchers.models import VoucherOffer
from hallobot.vouchers.offer_rules import MAX_CENTS, TEXT_MAX, OfferError, OfferInvalid
from hallobot.vouchers.offers import OfferStatus, admin_addresses

# --- the public side ---


def _public(stmt):
    """Published offers of published businesses, and the city's — not those whose fixed
    validity date has passed (nobody can buy them any more)."""
    return stmt.outerjoin(Business, Business.id == VoucherOffer.business_id).where(
        VoucherOffer.status == OfferStatus.PUBLISHED.value,
        or_(VoucherOffer.business_id.is_(None), Business.status == Status.PUBLISHED.value),
        or_(
            VoucherOffer.validity != "fixed",
            VoucherOffer.valid_until.is_(None),
            VoucherOffer.valid_until >= local_now().date(),
        ),
    )


def lapsed(offer: VoucherOffer) -> bool:
    """A fixed validity date that has passed (in Bottrop)."""
    return (
        offer.validity == "fixed"
        and offer.valid_until is not None
        and offer.valid_until < local_now().date()
    )


_CARD = (
    joinedload(VoucherOffer.business).joinedload(Business.category).joinedload(Category.parent),
    joinedload(VoucherOffer.business).joinedload(Business.district),
)


def is_public(offer: VoucherOffer) -> bool:
    return (
        offer.status == OfferStatus.PUBLISHED
        and (offer.business is None or offer.business.status == Status.PUBLISHED)
        and not lapsed(offer)
    )


def offer_for_page(offer_id: int, user) -> VoucherOffer | None:
    """The offer if ``user`` may see it: public ones for everybody; one not (yet) public
    for the business's owners and the moderation (a preview)."""
    offer = db.session.scalar(
        select(VoucherOffer).where(VoucherOffer.id == offer_id).options(*_CARD)
    )
    if offer is None:
        return None
    if is_public(offer):
        return offer
    if offer.status == OfferStatus.ARCHIVED:
        return None
    if offer.business is not None and can_edit(user, offer.business):
        return offer
    return offer if offer.business is None and is_moderator(user) else None


def successor(offer_id: int) -> VoucherOffer | None:
    """The published offer that replaced an archived one (following several changes)."""
    current = offer_id
    for _ in range(50):
        following = db.session.scalar(
            select(VoucherOffer)
            .where(
                VoucherOffer.replaces_id == current,
                VoucherOffer.status.in_((OfferStatus.PUBLISHED.value, OfferStatus.ARCHIVED.value)),
                VoucherOffer.published_at.is_not(None),
            )
            .order_by(VoucherOffer.id.desc())
            .limit(1)
        )
        if following is None:
            return None
        if following.status == OfferStatus.PUBLISHED:
            return following
        current = following.id
    return None


@dataclass(frozen=True)
class OfferTeaser:
    """A published offer in brief, as a business page lists it."""

    id: int
    how: str
    min_cents: int | None
    max_cents: int | None
    values_cents: list[int]
    title: str
    valid_until: str | None = None  # a fixed validity date, ISO (2027-12-31)


def teasers(business: Business) -> list[OfferTeaser]:
    """The business's published offers in brief, as handed down to it (``refresh_teasers``
    in offers.py): no query of their own. Not those whose fixed date has passed, as on
    the marketplace (ISO dates compare as text)."""
    today = local_now().date().isoformat()
    briefs = [OfferTeaser(**item) for item in business.voucher_teasers or []]
    return [t for t in briefs if t.valid_until is None or t.valid_until >= today]


def seller_name(offer: VoucherOffer) -> str:
    return offer.business.name if offer.business is not None else str(_l("Stadt Bottrop"))


# --- the marketplace /gutscheine ---

AMOUNT_BANDS = {
    "bis-25": _l("bis 25 €"),
    "bis-50": _l("bis 50 €"),
    "ueber-50": _l("über 50 €"),
}
SORTS = {
    "name": _l("Name"),
    "betrag": _l("kleinster Betrag"),
    "neu": _l("neueste"),
}
PER_PAGE = 24


@dataclass(frozen=True)
class MarketQuery:
    category: str = ""  # a top-level category's slug
    district: str = ""
    band: str = ""  # see AMOUNT_BANDS
    amount: str = ""  # as typed
    amount_cents: int | None = None
    amount_invalid: bool = False
    sort: str = "name"
    page: int = 1

    def args(self) -> dict:
        """The filters of this query as its query string has them (empty: none)."""
        values = {
            "kategorie": self.category,
            "stadtteil": self.district,
            "betrag": self.band,
            "wunschbetrag": self.amount,
            "sort": self.sort if self.sort != "name" else "",
        }
        return {k: v for k, v in values.items() if v}


def market_query(args: Mapping[str, str]) -> MarketQuery:
    """The marketplace's filters from the query string; unknown values are ignored."""
    amount = (args.get("wunschbetrag") or "").strip()[:20]
    try:
        cents = parse_money(amount)
        invalid = cents is not None and not 0 < cents <= MAX_CENTS
    except ValueError:
        cents, invalid = None, True
    try:
        page = max(1, min(int(args.get("seite", "1")), 10_000))
    except ValueError:
        page = 1
    band = args.get("betrag", "")
    sort = args.get("sort", "")
    return MarketQuery(
        category=(args.get("kategorie") or "")[:80],
        district=(args.get("stadtteil") or "")[:80],
        band=band if band in AMOUNT_BANDS else "",
        amount=amount,
        amount_cents=None if invalid else cents,
        amount_invalid=invalid,
        sort=sort if sort in SORTS else "name",
        page=page,
    )


@dataclass(frozen=True)
class Choice:
    key: str
    label: object
    count: int
    active: bool


class MarketPage(Pagination):
    """Flask-SQLAlchemy's pagination (what the pagination macro reads) over a list."""

    def _query_items(self) -> list:
        start = (self.page - 1) * self.per_page
        return self._query_args["items"][start : start + self.per_page]

    def _query_count(self) -> int:
        return len(self._query_args["items"])


@dataclass
class Market:
    query: MarketQuery
    page: MarketPage
    categories: list[Choice] = field(default_factory=list)
    districts: list[Choice] = field(default_factory=list)
    total: int = 0


def _top(offer: VoucherOffer) -> Category | None:
    if offer.business is None:
        return None
    category = offer.business.category
    return category.parent or category


def _in_band(offer: VoucherOffer, band: str) -> bool:
    if band == "bis-25":
        return offer.smallest_cents <= 2500
    if band == "bis-50":
        return offer.smallest_cents <= 5000
    if band == "ueber-50":
        return offer.largest_cents > 5000
    return True


def _sorted(offers, sort: str) -> list[VoucherOffer]:
    def name(o: VoucherOffer):
        return (fold(seller_name(o)), fold(o.title), o.id)

    if sort == "betrag":
        return sorted(offers, key=lambda o: (o.smallest_cents, *name(o)))
    if sort == "neu":
        return sorted(offers, key=lambda o: (o.published_at or datetime.min, o.id), reverse=True)
    return sorted(offers, key=name)


def market(query: MarketQuery, english: bool = False) -> Market:
    """The marketplace: every public offer (one query; a city has hundreds, not millions),
    filtered by category, district and amount, sorted, one page of them. The category
    and district choices list those with offers (and how many, within the other
    filters)."""
    offers = db.session.scalars(_public(select(VoucherOffer)).options(*_CARD)).unique().all()

    def matches(o: VoucherOffer, skip: str = "") -> bool:
        top = _top(o)
        business = o.business
        if skip != "category" and query.category and (top is None or top.slug != query.category):
            return False
        if skip != "district" and query.district:
            if business is None or business.district is None:
                return False
            if business.district.slug != query.district:
                return False
        if query.band and not _in_band(o, query.band):
            return False
        return query.amount_cents is None or o.allows(query.amount_cents)

    items = _sorted([o for o in offers if matches(o)], query.sort)
    categories: dict[str, list] = {}
    for o in offers:
        top = _top(o)
        if top is not None and matches(o, skip="category"):
            label = top.name_en if english and top.name_en else top.name
            categories.setdefault(top.slug, [label, 0, top.position])[1] += 1
    districts: dict[str, list] = {}
    for o in offers:
        district = o.business.district if o.business is not None else None
        if district is not None and matches(o, skip="district"):
            districts.setdefault(district.slug, [district.name, 0])[1] += 1
    last = max(1, -(-len(items) // PER_PAGE))
    pages = MarketPage(page=min(query.page, last), per_page=PER_PAGE, items=items)
    return Market(
        query=query,
        page=pages,
        categories=[
            Choice(slug, label, n, slug == query.category)
            for slug, (label, n, _pos) in sorted(categories.items(), key=lambda kv: kv[1][2])
        ],
        districts=[
            Choice(slug, name, n, slug == query.district)
            for slug, (name, n) in sorted(districts.items(), key=lambda kv: fold(kv[1][0]))
        ],
        total=len(items),
    )


# --- "Kontakt aufnehmen": a message to the business ---


def contact_recipients(offer: VoucherOffer) -> list[str]:
    """Where a shopper's message goes: the business's e-mail address, else its owners'
    accounts; for the Bottrop-Gutschein the administration."""
    if offer.business is None:
        return admin_addresses()
    if offer.business.email:
        return [offer.business.email]
    return [owner.email for owner in offer.business.owners]


@dataclass(frozen=True)
class ContactMessage:
    name: str
    email: str
    message: str


def check_contact(name: str, email: str, message: str) -> ContactMessage:
    """The shopper's message, checked; raises OfferInvalid naming the fields."""
    errors: dict[str, object] = {}
    name = one_line(name)
    if not 2 <= len(name) <= 120:
        errors["name"] = _l("Bitte geben Sie Ihren Namen an (höchstens 120 Zeichen).")
    try:
        address = checked_email(email)
    except AccountError:
        address = ""
        errors["email"] = _l("Bitte geben Sie eine gültige E-Mail-Adresse an.")
    text = plain_text(message)
    if len(text) < 10:
        errors["message"] = _l("Bitte schreiben Sie eine Nachricht (mindestens 10 Zeichen).")
    elif len(text) > TEXT_MAX:
        errors["message"] = _l("Höchstens 2000 Zeichen.")
    if errors:
        raise OfferInvalid(errors)
    return ContactMessage(name, address, text)


def send_contact(offer: VoucherOffer, message: ContactMessage, link: str):
    """E-mail the shopper's message to the business (answers go to the shopper). Nothing
    is stored; raises MailError when the mail server refuses."""
    recipients = contact_recipients(offer)
    if not recipients:
        raise OfferError(_l("Dieser Betrieb ist gerade nicht per E-Mail erreichbar."))
    for to in recipients:
        send_template(
            to,
            str(_l("Anfrage zu Ihrem Gutschein „%(title)s“", title=offer.title)),
            "offer_contact",
            reply_to=formataddr((message.name, message.email)),
            offer=offer,
            seller=seller_name(offer),
            sender=message,
            link=link,
        )
