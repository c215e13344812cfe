"""The moderators' forms (and the public report form), with German messages."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length

from hallobot.accounts.models import ROLE_LABELS
from hallobot.directory import fields
from hallobot.directory.fields import form_class
from hallobot.directory.forms import optional_email, optional_int
from hallobot.moderation import admin, service


class ReportForm(FlaskForm):
    reason = SelectField(
        _l("Was stimmt nicht?"),
        choices=[
            SelectChoice("", _l("– bitte wählen –")),
            *(SelectChoice(key, label) for key, label in service.REPORT_REASONS.items()),
        ],
        validators=[DataRequired(_l("Bitte wählen Sie einen Grund."))],
    )
    message = TextAreaField(
        _l("Beschreibung (optional)"),
        validators=[Length(max=2000, message=_l("Höchstens 2000 Zeichen."))],
    )
    email = optional_email(_l("Ihre E-Mail-Adresse für Rückfragen (optional)"))
    # a trap for bots: hidden from people, filled in by form-filling scripts
    homepage = StringField(_l("Bitte leer lassen"))


class ResolveForm(FlaskForm):
    outcome = RadioField(
        _l("Ergebnis"),
        choices=[
            SelectChoice("resolved", _l("Erledigt (Angaben geprüft oder korrigiert)")),
            SelectChoice("dismissed", _l("Verworfen (kein Problem)")),
            SelectChoice("unpublish", _l("Eintrag vom Netz nehmen")),
        ],
        validators=[DataRequired(_l("Bitte wählen Sie ein Ergebnis."))],
    )
    note = TextAreaField(_l("Notiz (für das Protokoll; bei „vom Netz nehmen“ an die Inhaber)"))


# A moderator corrects what a report pointed out (the declared correctable fields of an
# entry), and closes the report.
CorrectionForm = form_class(
    "CorrectionForm",
    fields.CORRECTABLE,
    note=TextAreaField(_l("Notiz: was wurde korrigiert? (für das Protokoll und die Inhaber)")),
    version=HiddenField(),
)


class UnpublishForm(FlaskForm):
    reason = TextAreaField(_l("Begründung für die Inhaber"))


class RejectForm(FlaskForm):
    reason = TextAreaField(_l("Begründung für die Inhaber"))


class RoleForm(FlaskForm):
    role = SelectField(
        _l("Rolle"),
        choices=[SelectChoice(role, label) for role, label in ROLE_LABELS.items()],
    )


class ActiveForm(FlaskForm):
    reason = TextAreaField(_l("Begründung (für das Protokoll)"))


class CategoryForm(FlaskForm):
    name = StringField(_l("Name (deutsch)"))
    name_en = StringField(_l("Name (englisch)"))
    icon = SelectField(_l("Symbol"), choices=[SelectChoice(i, i) for i in admin.ICONS])
    parent_id = SelectField(_l("Oberkategorie"), coerce=optional_int)


class DecisionForm(FlaskForm):
    """A decision on what someone proposed (a claim, a revision, a voucher offer); ``seen``
    is the version the moderator looked at (claims have none)."""

    reason = TextAreaField(_l("Begründung bei Ablehnung"))
    seen = HiddenField()


def seen_version(raw: str | None) -> int | None:
    """An entry's version as a form carried it (a number of ASCII digits); anything else
    is unknown, which the services refuse as "changed meanwhile"."""
    return int(raw) if raw and re.fullmatch(r"[0-9]{1,9}", raw) else None


class ApproveForm(FlaskForm):
    """Publishing a new entry in the version the moderator saw."""

    version = HiddenField()


class SynonymForm(FlaskForm):
    terms = StringField(
        _l("Wörter mit gleicher Bedeutung, durch Komma getrennt"),
        validators=[Length(max=1500, message=_l("Höchstens 1500 Zeichen."))],
    )


class SynonymRowForm(FlaskForm):
    """One group's words, changed in place in the list."""

    terms = StringField(
        _l("Wörter der Gruppe"),
        validators=[Length(max=1500, message=_l("Höchstens 1500 Zeichen."))],
    )
