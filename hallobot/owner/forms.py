"""The owner's forms, with German messages beside the fields."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    EmailField,
    HiddenField,
    RadioField,
    SelectChoice,
    StringField,
)
from wtforms.validators import DataRequired, Email, Length

from hallobot.directory import fields
from hallobot.directory.fields import form_class
from hallobot.directory.forms import REQUIRED

# The new-entry form: every declared field of an entry (directory/fields.py).
BusinessForm = form_class("BusinessForm", [f.name for f in fields.FIELDS])


class EditForm(BusinessForm):
    """The edit form also carries the marker of the version it was opened on."""

    marker = HiddenField()


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
