"""The owner's forms, with German messages beside the fields."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange
from wtforms.widgets import HiddenInput

from hallobot.directory import fields
from hallobot.directory.fields import form_class
from hallobot.directory.forms import REQUIRED

# The new-entry form: every declared field of an entry (directory/fields.py).
BusinessForm = form_class("BusinessForm", [f.name for f in fields.FIELDS])


class EditForm(BusinessForm):
    """The edit form also carries the marker of the version it was opened on."""

    marker = HiddenField()


class ClaimForm(FlaskForm):
    """A request to manage an unowned published entry: how the person belongs to it."""

    message = TextAreaField(_l("Wie gehören Sie zu diesem Betrieb?"))


# What a section editor's page says when its hidden fields arrive unreadable (a broken or
# altered page): nothing is saved and the stored values are shown afresh.
PAGE_INCOMPLETE = _l(
    "Die Seite ist unvollständig angekommen; gespeichert wurde nichts. Unten steht wieder der "
    "gespeicherte Stand – bitte geben Sie Ihre Änderungen erneut ein."
)


class SectionForm(FlaskForm):
    """What a section editor posts besides its own fields (which the page names
    ``<prefix><i>_<field>``, read by the section): the marker of the version the page was
    opened on, so that a save in between is noticed."""

    marker = HiddenField()


class RowsForm(SectionForm):
    """A list editor also posts how many rows its page showed: none up to ``limit``."""

    rows = IntegerField(widget=HiddenInput(), validators=[InputRequired(PAGE_INCOMPLETE)])

    def __init__(self, *args, limit: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.limit = limit

    def validate_rows(self, field) -> None:
        NumberRange(min=0, max=self.limit, message=PAGE_INCOMPLETE)(self, field)


class PhotoUploadForm(FlaskForm):
    """One photo: the file, logo or gallery, its alt text (required), and the marker of the
    photo list the page showed."""

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
    marker = HiddenField(id="upload_marker")


class InvitationForm(FlaskForm):
    email = EmailField(
        _l("E-Mail-Adresse der Person, die Sie einladen"),
        validators=[
            DataRequired(REQUIRED),
            Email(message=_l("Bitte eine gültige E-Mail-Adresse angeben.")),
            Length(max=254),
        ],
    )
