"""The owner's forms, with German messages beside the fields."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, TextAreaField, URLField
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


def optional_int(value):
    return int(value) if value not in (None, "", "None") else None


class BusinessForm(FlaskForm):
    name = StringField(
        _l("Name des Betriebs"), validators=[DataRequired(REQUIRED), Length(min=2, max=160)]
    )
    category_id = SelectField(
        _l("Kategorie"),
        coerce=optional_int,
        validators=[DataRequired(_l("Bitte wählen Sie eine Kategorie."))],
    )
    district_id = SelectField(_l("Stadtteil"), coerce=optional_int, validators=[Optional()])
    short_description = StringField(
        _l("Kurzbeschreibung (eine Zeile)"),
        validators=[DataRequired(REQUIRED), Length(max=200, message=_l("Höchstens 200 Zeichen."))],
    )
    description = TextAreaField(
        _l("Beschreibung"), validators=[Length(max=5000, message=_l("Höchstens 5000 Zeichen."))]
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
