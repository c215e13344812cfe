"""The owner's forms, with German messages beside the fields."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    EmailField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from hallobot.directory.forms import REQUIRED, EntryFieldsForm, GermanDecimalField
from hallobot.geo.bounds import in_bottrop


def optional_int(value):
    return int(value) if value not in (None, "", "None") else None


def coordinates_in_bottrop(form, field) -> None:
    lat, lon = form.lat.data, form.lon.data
    if (lat is None) != (lon is None):
        raise ValidationError(_l("Bitte Breiten- und Längengrad angeben (oder beide leer lassen)."))
    if lat is not None and not in_bottrop(lat, lon):
        raise ValidationError(
            _l("Diese Koordinaten liegen nicht in Bottrop. Bitte prüfen Sie die Angaben.")
        )


class BusinessForm(EntryFieldsForm):
    category_id = SelectField(
        _l("Kategorie"),
        coerce=optional_int,
        validators=[DataRequired(_l("Bitte wählen Sie eine Kategorie."))],
    )
    district_id = SelectField(_l("Stadtteil"), coerce=optional_int, validators=[Optional()])
    lat = GermanDecimalField(_l("Breitengrad"))
    lon = GermanDecimalField(_l("Längengrad"), validators=[coordinates_in_bottrop])
    attributes = SelectMultipleField(
        _l("Merkmale"),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=True,
    )


class PhotoUploadForm(FlaskForm):
    """One photo: the file, logo or gallery, and its alt text (required)."""

    photo = FileField(
        _l("Bilddatei (JPEG, PNG oder WebP, höchstens 5 MB)"),
        render_kw={"accept": "image/jpeg,image/png,image/webp", "data-max-bytes": 5 * 1024 * 1024},
    )
    kind = RadioField(
        _l("Verwendung"),
        choices=[
            SelectChoice("gallery", _l("Galeriefoto")),
            SelectChoice("logo", _l("Logo (ersetzt das bisherige)")),
        ],
        default="gallery",
    )
    alt_text = StringField(
        _l("Bildtext (was ist zu sehen?)"),
        validators=[Length(max=200, message=_l("Höchstens 200 Zeichen."))],
    )


class InvitationForm(FlaskForm):
    email = EmailField(
        _l("E-Mail-Adresse der Person, die Sie einladen"),
        validators=[
            DataRequired(REQUIRED),
            Email(message=_l("Bitte eine gültige E-Mail-Adresse angeben.")),
            Length(max=254),
        ],
    )
