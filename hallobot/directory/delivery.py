"""The delivery check on a business page: does it deliver to this address or postcode?

A bare five-digit postcode is checked without the geocoder: against each option's postcode
list, and for a radius from the centre of the Stadtteile with that postcode (approximate,
and said so). Anything else is geocoded (cached) and checked by its postcode and point.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hallobot.directory.models import Business, DeliveryOption, District
from hallobot.extensions import db
from hallobot.geo.service import (
    BUSY,
    NOT_FOUND,
    OUTSIDE,
    UNAVAILABLE,
    GeocoderSettings,
    GeocodingError,
    delivery_answer,
    geocode,
)

POSTCODE = re.compile(r"\d{5}")
BARE_POSTCODE = re.compile(r"(\d{5})(?:\s+bottrop)?", re.IGNORECASE)  # "46236 Bottrop" too


def bare_postcode(text: str) -> str | None:
    """The postcode when that is all that was typed (perhaps with the city's name)."""
    match = BARE_POSTCODE.fullmatch(" ".join((text or "").split()))
    return match.group(1) if match else None


MAX_LENGTH = 200

MESSAGES = {
    "empty": _l("Bitte geben Sie Ihre Adresse oder Postleitzahl ein."),
    NOT_FOUND: _l(
        "Diese Adresse haben wir in Bottrop nicht gefunden. Bitte prüfen Sie die Schreibweise "
        "oder geben Sie nur Ihre Postleitzahl ein."
    ),
    OUTSIDE: _l(
        "Diese Adresse liegt nicht in Bottrop. Bitte fragen Sie beim Betrieb nach, ob er "
        "dorthin liefert."
    ),
    UNAVAILABLE: _l(
        "Die Adresssuche ist gerade nicht erreichbar. Geben Sie Ihre Postleitzahl ein – die "
        "können wir auch so prüfen."
    ),
    BUSY: _l(
        "Die Adresssuche ist gerade ausgelastet. Geben Sie Ihre Postleitzahl ein – die können "
        "wir auch so prüfen."
    ),
    "undecided": _l(
        "Das können wir für diese Angabe nicht sicher sagen. Bitte geben Sie Ihre vollständige "
        "Adresse ein oder fragen Sie beim Betrieb nach."
    ),
}


@dataclass(frozen=True)
class DeliveryCheck:
    """The answer for the page: ``delivers`` True/False with the option that applies (the
    cheapest that delivers), or a ``message`` why there is no answer."""

    query: str
    delivers: bool | None = None
    option: DeliveryOption | None = None
    place: str = ""  # what was checked: the address found, or the postcode
    approximate: bool = False  # decided by the centre of a postcode area
    pickup: bool = False  # when it does not deliver: can one pick up instead?
    message: object = None  # a (lazy) German text


def delivery_options(business: Business) -> list[DeliveryOption]:
    return [o for o in business.delivery_options if o.kind == "delivery"]


def postcode_centre(postcode: str) -> tuple[float, float] | None:
    """The mean of the centres of the Stadtteile with this postcode, or None."""
    rows = db.session.execute(select(District.lat, District.lon, District.postcodes)).all()
    points = [(lat, lon) for lat, lon, codes in rows if postcode in (codes or ())]
    if not points:
        return None
    return (
        sum(p[0] for p in points) / len(points),
        sum(p[1] for p in points) / len(points),
    )


def check_delivery(business: Business, text: str, settings: GeocoderSettings) -> DeliveryCheck:
    """Does ``business`` deliver to ``text`` (an address or a postcode)?"""
    text = " ".join((text or "").split())[:MAX_LENGTH]
    options = delivery_options(business)
    if not text:
        return DeliveryCheck(text, message=MESSAGES["empty"])
    origin = None
    if business.lat is not None and business.lon is not None:
        origin = (business.lat, business.lon)
    if bare_postcode(text):
        postcode = bare_postcode(text)
        point, label = postcode_centre(postcode), postcode
        approximate = point is not None
    else:
        try:
            place = geocode(text, settings)
        except GeocodingError as exc:
            return DeliveryCheck(text, message=MESSAGES[exc.reason])
        typed = POSTCODE.search(text)
        postcode = place.postcode or (typed.group(0) if typed else None)
        point, label, approximate = place.point, place.display_name or text, False
    answers = [(o, delivery_answer(o, origin, point=point, postcode=postcode)) for o in options]
    delivering = [o for o, answer in answers if answer]
    if delivering:
        best = min(delivering, key=lambda o: (o.fee_cents, o.min_order_cents))
        by_radius = approximate and postcode not in (best.postcodes or ())
        return DeliveryCheck(text, True, best, label, approximate=by_radius)
    if any(answer is None for _, answer in answers):
        return DeliveryCheck(text, place=label, message=MESSAGES["undecided"])
    return DeliveryCheck(
        text,
        False,
        place=label,
        approximate=approximate and any(o.radius_km for o in options),
        pickup=any(o.kind == "pickup" for o in business.delivery_options),
    )
