"""Checks and field types of a directory entry's form fields (declared in fields.py)."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, StringField
from wtforms.validators import Email, Length, Optional, ValidationError

from hallobot.geo.bounds import in_bottrop
from hallobot.phone import international
from hallobot.web import safe_url

REQUIRED = _l("Bitte füllen Sie dieses Feld aus.")
BOTTROP_POSTCODES = {"46236", "46238", "46240", "46242", "46244"}


def bottrop_postcode(form, field) -> None:
    if field.data and field.data.strip() not in BOTTROP_POSTCODES:
        raise ValidationError(_l("Bitte eine Bottroper Postleitzahl (46236–46244) angeben."))


def http_url(form, field) -> None:
    if field.data and not safe_url(field.data):
        raise ValidationError(_l("Bitte eine Adresse mit https:// oder http:// angeben."))


def phone_number(form, field) -> None:
    if field.data and international(field.data) is None:
        raise ValidationError(_l("Bitte eine gültige Telefonnummer angeben, z. B. 02041 123456."))


def optional_email(label) -> EmailField:
    """An optional e-mail address field, checked as people type it (no DNS look-up)."""
    return EmailField(
        label,
        validators=[
            Optional(),
            Length(max=254),
            Email(
                message=_l("Bitte geben Sie eine gültige E-Mail-Adresse ein."),
                check_deliverability=False,
            ),
        ],
    )


def optional_int(value):
    """An id chosen from a list: ASCII digits, or nothing; anything else is no choice of
    the list (a ValueError, which the select field reports as such)."""
    if value in (None, "", "None"):
        return None
    if isinstance(value, int):
        return value
    if not re.fullmatch(r"[0-9]{1,9}", str(value)):
        raise ValueError(value)
    return int(value)


def coordinates_in_bottrop(form, field) -> None:
    lat, lon = form.lat.data, form.lon.data
    if (lat is None) != (lon is None):
        raise ValidationError(_l("Bitte Breiten- und Längengrad angeben (oder beide leer lassen)."))
    if lat is not None and not in_bottrop(lat, lon):
        raise ValidationError(
            _l("Diese Koordinaten liegen nicht in Bottrop. Bitte prüfen Sie die Angaben.")
        )


class GermanDecimalField(StringField):
    """A number typed the German way (51,5236) or with a point; empty is None."""

    def __init__(self, label=None, validators=None, places: int = 6, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.places = places

    def process_formdata(self, valuelist):
        self.raw = (valuelist[0] if valuelist else "").strip()
        if not self.raw:
            self.data = None
            return
        try:
            self.data = round(float(self.raw.replace(",", ".")), self.places)
        except ValueError as exc:
            self.data = None
            raise ValueError(_l("Bitte eine Zahl angeben, z. B. 51,5236.")) from exc

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return (
            ""
            if self.data is None
            else f"{self.data:.{self.places}f}".rstrip("0").replace(".", ",")
        )
