"""Form fields and checks of a directory entry, shared by the owners' editor and the
moderators' correction form."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, StringField, TextAreaField, URLField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, ValidationError

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
    if field.data and not re.fullmatch(r"\+?[\d\s/()\-]{6,25}", field.data.strip()):
        raise ValidationError(_l("Bitte eine gültige Telefonnummer angeben, z. B. 02041 123456."))


def unix_newlines(value: str | None) -> str | None:
    """Browsers send text areas with CRLF line ends; stored text uses LF, so an unchanged
    text compares equal (no phantom change for moderation)."""
    return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


class EntryFieldsForm(FlaskForm):
    """The fields of an entry that owners edit and moderators may correct."""

    name = StringField(
        _l("Name des Betriebs"), validators=[DataRequired(REQUIRED), Length(min=2, max=160)]
    )
    short_description = StringField(
        _l("Kurzbeschreibung (eine Zeile)"),
        validators=[DataRequired(REQUIRED), Length(max=200, message=_l("Höchstens 200 Zeichen."))],
    )
    description = TextAreaField(
        _l("Beschreibung"),
        validators=[Length(max=5000, message=_l("Höchstens 5000 Zeichen."))],
        filters=[unix_newlines],
    )
    street = StringField(_l("Straße"), validators=[DataRequired(REQUIRED), Length(max=120)])
    house_number = StringField(
        _l("Hausnummer"), validators=[DataRequired(REQUIRED), Length(max=20)]
    )
    postcode = StringField(
        _l("Postleitzahl"),
        validators=[
            DataRequired(REQUIRED),
            Regexp(r"^\s*\d{5}\s*$", message=_l("Bitte fünf Ziffern angeben.")),
            bottrop_postcode,
        ],
    )
    phone = StringField(_l("Telefon"), validators=[Optional(), Length(max=40), phone_number])
    email = EmailField(
        _l("E-Mail"),
        validators=[
            Optional(),
            Length(max=254),
            Email(
                message=_l("Bitte geben Sie eine gültige E-Mail-Adresse ein."),
                check_deliverability=False,
            ),
        ],
    )
    website = URLField(_l("Website"), validators=[Optional(), Length(max=300), http_url])


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
