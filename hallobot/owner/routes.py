"""/mein-betrieb: the owner's dashboard, new entries, the basic data and submission for review.

``bp`` is the slice's one blueprint (defined in ``blueprint``); the views of the section
editors, photos and ownership live in their own modules, imported here so that registering
``bp`` brings them all."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectChoice

from hallobot.accounts.forms import EmptyForm
from hallobot.directory import service as directory_service
from hallobot.directory.loaders import owned_business_or_404
from hallobot.geo.bounds import BOUNDS, CENTRE
from hallobot.geo.service import GeocoderSettings
from hallobot.i18n import select_locale
from hallobot.owner import ownership_routes, photo_routes, section_routes, service
from hallobot.owner.blueprint import bp, flash_outcome
from hallobot.owner.editing import edit_marker, open_revision, values_for_form
from hallobot.owner.errors import OwnerError, StaleEdit
from hallobot.owner.forms import BusinessForm, EditForm
from hallobot.owner.ownership import claims_of
from hallobot.web import confirmed, show_error

# The slice's other route modules: importing them registered their views on ``bp``.
ROUTE_MODULES = (section_routes, photo_routes, ownership_routes)


def _fill_choices(form: BusinessForm) -> None:
    form.category_id.choices = [SelectChoice("", _("– bitte wählen –"))] + [
        SelectChoice(c.id, c.name, optgroup=c.parent.name) for c in service.category_choices()
    ]
    form.district_id.choices = [SelectChoice("", _("– bitte wählen –"))] + [
        SelectChoice(d.id, d.name) for d in service.district_choices()
    ]
    english = select_locale() == "en"
    form.attributes.choices = [
        SelectChoice(a.slug, a.name_en if english else a.name)
        for a in directory_service.attribute_choices()
    ]


def _geocoder() -> GeocoderSettings:
    return GeocoderSettings.from_config(current_app.config)


@bp.route("")
def dashboard():
    return render_template(
        "owner/dashboard.html",
        businesses=directory_service.owned_businesses(current_user),
        claims=claims_of(current_user),
        pending_revisions=service.businesses_with_open_revision(current_user),
        rejected=service.rejected_changes(current_user),
        form=EmptyForm(),
    )


@bp.route("/neu", methods=["GET", "POST"])
def new_business():
    form = BusinessForm()
    _fill_choices(form)
    if form.validate_on_submit():
        try:
            data = service.basic_data(form.data)
            business = service.create_business(current_user, data, _geocoder())
        except OwnerError as exc:
            show_error(form, exc)
        else:
            flash(
                _("Ihr Eintrag „%(name)s“ ist als Entwurf gespeichert.", name=business.name),
                "success",
            )
            return redirect(url_for("owner.dashboard"))
    return render_template("owner/new.html", form=form)


EDIT_SAVED = _l("Gespeichert.")
EDIT_PROPOSED = _l(
    "Gespeichert. Die Änderungen werden nach Prüfung durch unsere Moderation öffentlich; bis "
    "dahin bleibt der bisherige Eintrag sichtbar."
)


def _edit_form(business) -> EditForm:
    """The basic-data form: as posted, or filled with the values (and any pending proposal)
    and the marker of this version."""
    if request.method == "POST":
        form = EditForm()
    else:
        revision = open_revision(business)
        form = EditForm(data=values_for_form(business, revision))
        form.marker.data = edit_marker(business, revision)
    _fill_choices(form)
    return form


@bp.route("/<slug>/bearbeiten", methods=["GET", "POST"])
def edit(slug: str):
    business = owned_business_or_404(slug)
    form, status = _edit_form(business), 200
    if form.validate_on_submit():
        try:
            data = service.basic_data(form.data)
            outcome = service.save_basic_data(
                current_user, business, data, form.marker.data, _geocoder()
            )
        except StaleEdit as exc:
            show_error(form, exc)  # a message for the whole form; the typed values stay
            form.marker.data, status = edit_marker(business, open_revision(business)), 409
        except OwnerError as exc:
            show_error(form, exc, "name")
        else:
            flash_outcome(outcome, EDIT_SAVED, EDIT_PROPOSED)
            return redirect(url_for("owner.dashboard"))
    page = render_template(
        "owner/edit.html",
        business=business,
        form=form,
        revision=open_revision(business),
        pin_map={"centre": CENTRE, "bounds": BOUNDS},
    )
    return page, 422 if form.errors else status


@bp.route("/<slug>/einreichen", methods=["POST"])
def submit(slug: str):
    business = owned_business_or_404(slug)
    return confirmed(
        lambda: service.submit_for_review(business),
        _("Danke! „%(name)s“ wird jetzt von unserer Moderation geprüft.", name=business.name),
        url_for("owner.dashboard"),
    )
