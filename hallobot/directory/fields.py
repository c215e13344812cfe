"""Every editable value of a business, declared once.

A declaration says what the value is called (German label; the English catalogue
translates it), how the form asks for it (the WTForms field with its checks), how typed
input is stored (``clean``), where it belongs on the owner's form (``group``), whether
moderators may correct it from a report, and how the public page shows it. The owner's
forms, the moderators' correction form, the change sets (``current_values`` /
``apply_changes``), the moderation diff's labels and the public contact list are all
derived from ``FIELDS`` and ``SECTION_LABELS``; to add a field, add one declaration (and
its column and migration). ``docs/architecture.md`` walks through it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from hallobot.directory.forms import (
    REQUIRED,
    GermanDecimalField,
    bottrop_postcode,
    coordinates_in_bottrop,
    http_url,
    optional_email,
    optional_int,
    phone_number,
)
from hallobot.text import one_line, plain_text

# --- how typed values are stored ---


def stripped(value: Any) -> str:
    """One line as typed, without control characters (``text.one_line``)."""
    return one_line(str(value or ""))


def stripped_or_none(value: Any) -> str | None:
    return stripped(value) or None


def lower_or_none(value: Any) -> str | None:
    return stripped(value).lower() or None


def as_is(value: Any) -> Any:
    return value


# --- Instagram: a profile address or @name, stored as the profile's address ---

_INSTAGRAM = re.compile(
    r"^(?:@|(?:https?://)?(?:www\.)?instagram\.com/)?([A-Za-z0-9._]{1,30})/?(?:\?.*)?$"
)


def instagram_name(value: str | None) -> str | None:
    """'@baeckerei.kruse', 'instagram.com/baeckerei.kruse/' or its https address →
    'baeckerei.kruse'; anything else → None."""
    match = _INSTAGRAM.match((value or "").strip())
    if not match or match.group(1).strip(".") == "":
        return None
    return match.group(1)


def instagram_url(value: Any) -> str | None:
    name = instagram_name(stripped(value))
    return f"https://www.instagram.com/{name}/" if name else None


def instagram_profile(form, field) -> None:
    if field.data and not instagram_name(field.data):
        raise ValidationError(
            _l("Bitte Ihren Instagram-Namen (z. B. @ihr.betrieb) oder die Profiladresse angeben.")
        )


# --- the declarations ---


@dataclass(frozen=True)
class EntryField:
    """One editable value of a business: a column of ``Business`` (``attributes``: its
    list of attribute slugs)."""

    name: str
    label: Any  # a lazy German string: the diff, the e-mails, the API
    form_field: Callable[[Any], Any]  # label → a new (unbound) WTForms field
    clean: Callable[[Any], Any] = stripped
    group: str = "basic"  # where the owner's form shows it: basic, address, place, …
    correctable: bool = False  # a moderator may correct it from a report
    public: str | None = None  # how the public contact list links it: tel, mailto, url
    autocomplete: str | None = None
    hint: Any = None
    prompt: Any = None  # the form's label, where it says more than ``label``


def _text(*validators):
    return lambda label: StringField(label, validators=list(validators))


FIELDS: tuple[EntryField, ...] = (
    EntryField(
        "name",
        _l("Name"),
        _text(DataRequired(REQUIRED), Length(min=2, max=160)),
        correctable=True,
        autocomplete="organization",
        prompt=_l("Name des Betriebs"),
    ),
    EntryField(
        "category_id",
        _l("Kategorie"),
        lambda label: SelectField(
            label,
            coerce=optional_int,
            validators=[DataRequired(_l("Bitte wählen Sie eine Kategorie."))],
        ),
        clean=as_is,
    ),
    EntryField(
        "district_id",
        _l("Stadtteil"),
        lambda label: SelectField(label, coerce=optional_int, validators=[Optional()]),
        clean=as_is,
    ),
    EntryField(
        "short_description",
        _l("Kurzbeschreibung"),
        _text(
            DataRequired(REQUIRED),
            Length(max=200, message=_l("Höchstens 200 Zeichen.")),
        ),
        correctable=True,
        hint=_l("Erscheint in Listen und Suchergebnissen, höchstens 200 Zeichen."),
        prompt=_l("Kurzbeschreibung (eine Zeile)"),
    ),
    EntryField(
        "description",
        _l("Beschreibung"),
        lambda label: TextAreaField(
            label,
            validators=[Length(max=5000, message=_l("Höchstens 5000 Zeichen."))],
            filters=[plain_text],  # LF line ends as stored: an unchanged text compares equal
        ),
        clean=plain_text,
        correctable=True,
    ),
    EntryField(
        "street",
        _l("Straße"),
        _text(DataRequired(REQUIRED), Length(max=120)),
        group="address",
        correctable=True,
        autocomplete="address-line1",
    ),
    EntryField(
        "house_number",
        _l("Hausnummer"),
        _text(DataRequired(REQUIRED), Length(max=20)),
        group="address",
        correctable=True,
    ),
    EntryField(
        "postcode",
        _l("Postleitzahl"),
        _text(
            DataRequired(REQUIRED),
            Regexp(r"^\s*\d{5}\s*$", message=_l("Bitte fünf Ziffern angeben.")),
            bottrop_postcode,
        ),
        group="address",
        correctable=True,
        autocomplete="postal-code",
    ),
    EntryField(
        "lat",
        _l("Breitengrad"),
        lambda label: GermanDecimalField(label),
        clean=as_is,
        group="place",
    ),
    EntryField(
        "lon",
        _l("Längengrad"),
        lambda label: GermanDecimalField(label, validators=[coordinates_in_bottrop]),
        clean=as_is,
        group="place",
    ),
    EntryField(
        "attributes",
        _l("Merkmale"),
        lambda label: SelectMultipleField(
            label,
            widget=ListWidget(prefix_label=False),
            option_widget=CheckboxInput(),
            validate_choice=True,
        ),
        clean=as_is,
        group="attributes",
    ),
    EntryField(
        "phone",
        _l("Telefon"),
        _text(Optional(), Length(max=40), phone_number),
        clean=stripped_or_none,
        group="contact",
        correctable=True,
        public="tel",
        autocomplete="tel",
    ),
    EntryField(
        "email",
        _l("E-Mail"),
        optional_email,
        clean=lower_or_none,
        group="contact",
        correctable=True,
        public="mailto",
        autocomplete="email",
    ),
    EntryField(
        "website",
        _l("Website"),
        lambda label: URLField(label, validators=[Optional(), Length(max=300), http_url]),
        clean=stripped_or_none,
        group="contact",
        correctable=True,
        public="url",
        autocomplete="url",
        hint=_l("z. B. https://www.ihr-betrieb.de"),
    ),
    EntryField(
        "instagram",
        _l("Instagram-Profil"),
        _text(Optional(), Length(max=300), instagram_profile),
        clean=instagram_url,
        group="contact",
        correctable=True,
        public="link",
        hint=_l("Ihr Instagram-Name, z. B. @ihr.betrieb, oder die Adresse des Profils"),
    ),
)

BY_NAME: dict[str, EntryField] = {f.name: f for f in FIELDS}
CORRECTABLE: tuple[str, ...] = tuple(f.name for f in FIELDS if f.correctable)
PUBLIC_CONTACT: tuple[EntryField, ...] = tuple(f for f in FIELDS if f.public)

# The list sections and flags an owner edits on pages of their own (their editors and row
# checks live in the owner slice; how rows become change-set values in directory/service).
SECTION_LABELS = {
    "holidays_open": _l("An Feiertagen geöffnet"),
    "opening_hours": _l("Öffnungszeiten"),
    "services": _l("Leistungen und Produkte"),
    "special_days": _l("Besondere Tage"),
    "delivery_options": _l("Lieferung und Abholung"),
    "news_posts": _l("Neuigkeiten"),
    "current_offers": _l("Aktuelle Angebote"),
    "photos": _l("Fotos"),
}

# Everything a change set may hold, with the label moderators and owners read.
LABELS: dict[str, Any] = {f.name: f.label for f in FIELDS} | SECTION_LABELS


def form_class(name: str, names, base: type = FlaskForm, **extra) -> type:
    """A form class with the declared fields ``names`` (in declaration order) and ``extra``
    fields of its own."""
    wanted = set(names)
    attrs = {f.name: f.form_field(f.prompt or f.label) for f in FIELDS if f.name in wanted}
    return type(name, (base,), attrs | extra)


def cleaned(values: dict) -> dict:
    """Typed form values as they are stored: each through its declaration's ``clean``."""
    return {name: BY_NAME[name].clean(value) for name, value in values.items()}
