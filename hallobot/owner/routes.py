"""/mein-betrieb: the owner's dashboard, new entries and submission for review."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectChoice, TextAreaField

from hallobot.accounts.forms import EmptyForm
from hallobot.directory import service as directory_service
from hallobot.directory.hours import local_now
from hallobot.directory.loaders import owned_business_or_404
from hallobot.extensions import limiter
from hallobot.geo.bounds import BOUNDS, CENTRE
from hallobot.geo.service import GeocoderSettings
from hallobot.i18n import select_locale
from hallobot.mail.service import MailError, send_template
from hallobot.models_base import utcnow
from hallobot.money import money_input
from hallobot.owner import editing, errors, ownership, service
from hallobot.owner import photos as photo_service
from hallobot.owner import rows as row_checks
from hallobot.owner.forms import BusinessForm, EditForm, InvitationForm, PhotoUploadForm
from hallobot.owner.media import ImageRejected, process_image
from hallobot.web import show_error

bp = Blueprint("owner", __name__, url_prefix="/mein-betrieb")


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


def _user_key() -> str:
    """Rate-limit key for owners' actions: the account, whatever the address."""
    return f"user:{current_user.get_id()}"


class ClaimForm(FlaskForm):
    message = TextAreaField(_l("Wie gehören Sie zu diesem Betrieb?"))


@bp.route("")
def dashboard():
    return render_template(
        "owner/dashboard.html",
        businesses=directory_service.owned_businesses(current_user),
        claims=ownership.claims_of(current_user),
        pending_revisions=service.businesses_with_open_revision(current_user),
        rejected=service.rejected_changes(current_user),
        form=EmptyForm(),
    )


@bp.route("/uebernehmen/<slug>", methods=["GET", "POST"])
def claim(slug: str):
    business = ownership.claimable_business(slug) or abort(404)
    form = ClaimForm()
    if form.validate_on_submit():
        try:
            ownership.request_claim(current_user, business, form.message.data)
        except errors.OwnerError as exc:
            show_error(form, exc)
        else:
            flash(_("Danke! Wir prüfen Ihren Antrag und melden uns per E-Mail."), "success")
            return redirect(url_for("owner.dashboard"))
    status = 422 if form.errors else 200
    return render_template("owner/claim.html", business=business, form=form), status


@bp.route("/neu", methods=["GET", "POST"])
def new_business():
    form = BusinessForm()
    _fill_choices(form)
    if form.validate_on_submit():
        try:
            geocoder = GeocoderSettings.from_config(current_app.config)
            business = service.create_business(
                current_user, service.basic_data(form.data), geocoder
            )
        except errors.OwnerError as exc:
            show_error(form, exc)
        else:
            flash(
                _("Ihr Eintrag „%(name)s“ ist als Entwurf gespeichert.", name=business.name),
                "success",
            )
            return redirect(url_for("owner.dashboard"))
    return render_template("owner/new.html", form=form)


@bp.route("/<slug>/bearbeiten", methods=["GET", "POST"])
def edit(slug: str):
    business = owned_business_or_404(slug)
    revision = editing.open_revision(business)
    if request.method == "GET":
        form = EditForm(data=editing.values_for_form(business, revision))
        form.marker.data = editing.edit_marker(business, revision)
    else:
        form = EditForm()
    _fill_choices(form)
    status = 200
    if form.validate_on_submit():
        try:
            geocoder = GeocoderSettings.from_config(current_app.config)
            outcome = service.save_basic_data(
                current_user, business, service.basic_data(form.data), form.marker.data, geocoder
            )
        except errors.StaleEdit as exc:
            flash(exc.message, "error")
            form.marker.data = editing.edit_marker(business, editing.open_revision(business))
            status = 409
        except errors.OwnerError as exc:
            show_error(form, exc, "name")
        else:
            flash(
                {
                    "saved": _("Gespeichert."),
                    "proposed": _(
                        "Gespeichert. Die Änderungen werden nach Prüfung durch unsere "
                        "Moderation öffentlich; bis dahin bleibt der bisherige Eintrag "
                        "sichtbar."
                    ),
                    "unchanged": _("Es gab nichts zu ändern."),
                }[outcome],
                "success",
            )
            return redirect(url_for("owner.dashboard"))
    if form.errors:
        status = 422
    page = render_template(
        "owner/edit.html",
        business=business,
        form=form,
        revision=editing.open_revision(business),
        pin_map={"centre": CENTRE, "bounds": BOUNDS},
    )
    return page, status


def _posted_rows(prefix: str, fields: tuple[str, ...], limit: int) -> list[dict]:
    """The rows of a section editor as posted: ``<prefix><i>_<field>`` for each row."""
    count = min(int(request.form.get("rows", "0") or 0), limit)
    return [{f: request.form.get(f"{prefix}{i}_{f}", "") for f in fields} for i in range(count)]


SLOTS_PER_DAY = 3


def _hours_rows(values: list[list]) -> dict[int, list[tuple[str, str]]]:
    rows: dict[int, list[tuple[str, str]]] = {day: [] for day in range(7)}
    for weekday, opens, closes in values:
        rows[weekday].append((opens, closes))
    return rows


def _hours_from_request() -> tuple[dict[int, list[tuple[str, str]]], set[int]]:
    rows, same = {}, set()
    for day in range(7):
        rows[day] = [
            (
                request.form.get(f"d{day}_{n}_von", "").strip(),
                request.form.get(f"d{day}_{n}_bis", "").strip(),
            )
            for n in range(SLOTS_PER_DAY)
        ]
        if day and request.form.get(f"d{day}_wie_montag"):
            same.add(day)
    for day in same:  # "wie Montag": the day takes Monday's slots
        rows[day] = list(rows[0])
    return rows, same


def _section_page(
    business,
    template: str,
    rows_from_values,
    rows_from_request,
    save,
    saved_message: str,
    proposed_message: str,
    **context,
):
    """The flow every section editor shares: show the values (with any pending proposal),
    or take the posted rows, save them (directly or as a proposal) and say what happened.
    On an error the typed rows are shown again with the message; nothing is half-saved."""
    revision = editing.open_revision(business)
    form = EmptyForm()
    error, status, error_row = None, 200, None
    if request.method == "GET":
        rows = rows_from_values(editing.values_for_form(business, revision))
        marker = editing.edit_marker(business, revision)
    else:
        rows = rows_from_request()
        marker = request.form.get("marker", "")
    if form.validate_on_submit():
        try:
            outcome = save(rows, marker)
        except errors.StaleEdit as exc:
            error, status = exc.message, 409
            marker = editing.edit_marker(business, editing.open_revision(business))
        except errors.OwnerError as exc:
            error, status, error_row = exc.message, 422, exc.row
        else:
            messages = {
                "saved": saved_message,
                "proposed": proposed_message,
                "unchanged": _("Es gab nichts zu ändern."),
            }
            flash(messages[outcome], "success")
            return redirect(url_for("owner.dashboard"))
    page = render_template(
        template,
        business=business,
        form=form,
        rows=rows,
        marker=marker,
        error=error,
        error_row=error_row,
        revision=revision,
        **context,
    )
    return page, status


@bp.route("/<slug>/oeffnungszeiten", methods=["GET", "POST"])
def hours(slug: str):
    business = owned_business_or_404(slug)
    same: set[int] = set()
    holidays = {"open": False}

    def from_values(values):
        holidays["open"] = values["holidays_open"]
        return _hours_rows(values["opening_hours"])

    def from_request():
        rows, chosen = _hours_from_request()
        same.update(chosen)
        holidays["open"] = bool(request.form.get("holidays_open"))
        return rows

    def save(rows, marker):
        slots = row_checks.hours_from_form(rows)
        return editing.save_hours(current_user, business, slots, holidays["open"], marker)

    return _section_page(
        business,
        "owner/hours.html",
        from_values,
        from_request,
        save,
        _("Die Öffnungszeiten sind gespeichert."),
        _(
            "Gespeichert. Die neuen Öffnungszeiten werden nach Prüfung durch unsere Moderation "
            "öffentlich."
        ),
        same=same,
        slots=SLOTS_PER_DAY,
        holidays=holidays,
    )


EMPTY_SERVICE_ROWS = 3
SERVICE_FIELDS = ("name", "description", "price", "unit", "position", "remove")


def _service_rows(services: list[dict]) -> list[dict]:
    rows = [
        {
            "name": sv["name"],
            "description": sv.get("description") or "",
            "price": money_input(sv.get("price_cents")),
            "unit": sv.get("unit") or "",
            "position": str(i + 1),
            "remove": "",
        }
        for i, sv in enumerate(services)
    ]
    start = len(rows)
    rows += [
        dict.fromkeys(SERVICE_FIELDS, "") | {"position": str(start + i + 1)}
        for i in range(EMPTY_SERVICE_ROWS)
    ]
    return rows


@bp.route("/<slug>/leistungen", methods=["GET", "POST"])
def services(slug: str):
    business = owned_business_or_404(slug)

    def from_request():
        return _posted_rows("s", SERVICE_FIELDS, 100)

    def save(rows, marker):
        items = row_checks.services_from_form(rows)
        return editing.save_list_section(current_user, business, "services", items, marker)

    return _section_page(
        business,
        "owner/services.html",
        lambda values: _service_rows(values["services"]),
        from_request,
        save,
        _("Die Leistungen sind gespeichert."),
        _("Gespeichert. Die Leistungen werden nach Prüfung durch unsere Moderation öffentlich."),
    )


SPECIAL_FIELDS = ("date", "closed", "opens", "closes", "note", "remove")


def _special_rows(days: list[dict]) -> list[dict]:
    rows = [
        {
            "date": d["date"],
            "closed": "1" if d["closed"] else "",
            "opens": d["opens"] or "",
            "closes": d["closes"] or "",
            "note": d.get("note") or "",
            "remove": "",
        }
        for d in days
    ]
    return rows + [dict.fromkeys(SPECIAL_FIELDS, "") for _ in range(EMPTY_SERVICE_ROWS)]


@bp.route("/<slug>/besondere-tage", methods=["GET", "POST"])
def special_days(slug: str):
    business = owned_business_or_404(slug)

    def from_request():
        return _posted_rows("t", SPECIAL_FIELDS, 200)

    def save(rows, marker):
        days = row_checks.special_days_from_form(rows)
        return editing.save_list_section(current_user, business, "special_days", days, marker)

    return _section_page(
        business,
        "owner/special_days.html",
        lambda values: _special_rows(values["special_days"]),
        from_request,
        save,
        _("Die besonderen Tage sind gespeichert."),
        _(
            "Gespeichert. Die besonderen Tage werden nach Prüfung durch unsere Moderation "
            "öffentlich."
        ),
    )


DELIVERY_FIELDS = ("kind", "postcodes", "radius", "fee", "minimum", "free_from", "note", "remove")


def _delivery_rows(options: list[dict]) -> list[dict]:
    rows = [
        {
            "kind": d["kind"],
            "postcodes": ", ".join(d["postcodes"]),
            "radius": "" if d["radius_km"] is None else str(d["radius_km"]).replace(".", ","),
            "fee": money_input(d["fee_cents"]),
            "minimum": money_input(d["min_order_cents"]),
            "free_from": money_input(d["free_from_cents"]),
            "note": d.get("note") or "",
            "remove": "",
        }
        for d in options
    ]
    return rows + [dict.fromkeys(DELIVERY_FIELDS, "") for _ in range(2)]


@bp.route("/<slug>/lieferung", methods=["GET", "POST"])
def delivery(slug: str):
    business = owned_business_or_404(slug)

    def from_request():
        return _posted_rows("l", DELIVERY_FIELDS, 20)

    def save(rows, marker):
        options = row_checks.delivery_from_form(rows)
        return editing.save_list_section(
            current_user, business, "delivery_options", options, marker
        )

    return _section_page(
        business,
        "owner/delivery.html",
        lambda values: _delivery_rows(values["delivery_options"]),
        from_request,
        save,
        _("Lieferung und Abholung sind gespeichert."),
        _(
            "Gespeichert. Die Angaben zu Lieferung und Abholung werden nach Prüfung durch unsere "
            "Moderation öffentlich."
        ),
    )


NEWS_FIELDS = ("title", "body", "published", "valid_until", "remove")


def _news_rows(posts: list[dict]) -> list[dict]:
    rows = [
        {
            "title": n["title"],
            "body": n.get("body") or "",
            "published": n["published"] or "",
            "valid_until": n.get("valid_until") or "",
            "remove": "",
        }
        for n in posts
    ]
    return [dict.fromkeys(NEWS_FIELDS, "")] + rows


@bp.route("/<slug>/neuigkeiten", methods=["GET", "POST"])
def news(slug: str):
    business = owned_business_or_404(slug)

    def from_request():
        return _posted_rows("n", NEWS_FIELDS, 50)

    def save(rows, marker):
        posts = row_checks.news_from_form(rows, local_now().date())
        return editing.save_list_section(current_user, business, "news_posts", posts, marker)

    return _section_page(
        business,
        "owner/news.html",
        lambda values: _news_rows(values["news_posts"]),
        from_request,
        save,
        _("Die Neuigkeiten sind gespeichert."),
        _("Gespeichert. Die Neuigkeiten werden nach Prüfung durch unsere Moderation öffentlich."),
    )


OFFER_FIELDS = ("label", "starts", "ends", "remove")


@bp.route("/<slug>/aktuelle-angebote", methods=["GET", "POST"])
def offers(slug: str):
    business = owned_business_or_404(slug)

    def from_values(values):
        rows = [dict(o, remove="") for o in values["current_offers"]]
        return rows + [dict.fromkeys(OFFER_FIELDS, "") for _ in range(2)]

    def from_request():
        return _posted_rows("o", OFFER_FIELDS, 30)

    def save(rows, marker):
        items = row_checks.offers_from_form(rows)
        return editing.save_list_section(current_user, business, "current_offers", items, marker)

    return _section_page(
        business,
        "owner/offers.html",
        from_values,
        from_request,
        save,
        _("Die aktuellen Angebote sind gespeichert."),
        _(
            "Gespeichert. Die aktuellen Angebote werden nach Prüfung durch unsere Moderation "
            "öffentlich."
        ),
    )


PHOTO_FIELDS = ("key", "alt", "position", "remove")


def _photo_rows(photos: list[dict]) -> list[dict]:
    return [dict(p, position=str(i + 1), remove="") for i, p in enumerate(photos)]


def _photo_context(business, revision) -> dict:
    photos = photo_service.photo_list(business, revision)
    return {
        "kinds": {p["key"]: p["kind"] for p in photos},
        "gallery_count": sum(p["kind"] == "gallery" for p in photos),
        "max_gallery": photo_service.MAX_GALLERY,
    }


@bp.route("/<slug>/fotos", methods=["GET", "POST"])
def photos(slug: str):
    business = owned_business_or_404(slug)

    def save(rows, marker):
        return photo_service.save_photos(
            current_user, business, rows, marker, current_app.config["MEDIA_DIR"]
        )

    return _section_page(
        business,
        "owner/photos.html",
        lambda values: _photo_rows(values["photos"]),
        lambda: _posted_rows("p", PHOTO_FIELDS, photo_service.MAX_GALLERY + 1),
        save,
        _("Die Fotos sind gespeichert."),
        _("Gespeichert. Die Änderungen an den Fotos werden nach Prüfung öffentlich."),
        upload=PhotoUploadForm(formdata=None),
        **_photo_context(business, editing.open_revision(business)),
    )


@bp.route("/<slug>/fotos/hochladen", methods=["POST"])
@limiter.limit("60 per hour;200 per day", key_func=_user_key)
def upload_photo(slug: str):
    """One photo at a time: checked and re-encoded, then added (directly to a draft, as a
    proposal to a published entry). On an error the page shows the message beside the
    field and keeps the typed text; the file has to be chosen again (browsers never keep it)."""
    business = owned_business_or_404(slug)
    upload = PhotoUploadForm()
    marker = request.form.get("marker", "")
    error, status = None, 422
    if upload.validate_on_submit():
        data = upload.photo.data.read() if upload.photo.data else b""
        try:
            image = process_image(data, current_app.config["PHOTO_MAX_BYTES"])
            outcome = photo_service.add_photo(
                current_user,
                business,
                image,
                upload.kind.data,
                upload.alt_text.data,
                marker,
                current_app.config["MEDIA_DIR"],
            )
        except errors.StaleEdit as exc:
            error, status = exc.message, 409
        except (ImageRejected, errors.OwnerError) as exc:
            target = upload[exc.field] if exc.field in ("photo", "kind", "alt_text") else None
            if target is not None:
                target.errors = [*target.errors, exc.message]
            else:
                error = exc.message
        else:
            flash(
                _("Das Foto ist gespeichert.")
                if outcome == "saved"
                else _(
                    "Das Foto ist hochgeladen. Es wird nach Prüfung durch unsere Moderation "
                    "öffentlich."
                ),
                "success",
            )
            return redirect(url_for("owner.photos", slug=business.slug))
    revision = editing.open_revision(business)
    if status == 409:
        marker = editing.edit_marker(business, revision)
    page = render_template(
        "owner/photos.html",
        business=business,
        form=EmptyForm(),
        rows=_photo_rows(photo_service.photo_list(business, revision)),
        marker=marker,
        error=error,
        revision=revision,
        upload=upload,
        **_photo_context(business, revision),
    )
    return page, status


@bp.route("/<slug>/inhaber", methods=["GET", "POST"])
@limiter.limit("10 per hour;30 per day", methods=["POST"], key_func=_user_key)
def co_owners(slug: str):
    """The owners of an entry, open invitations, and the form to invite a co-owner."""
    business = owned_business_or_404(slug)
    form = InvitationForm()
    if form.validate_on_submit():
        try:
            invitation, token = ownership.invite_co_owner(current_user, business, form.email.data)
        except errors.OwnerError as exc:
            show_error(form, exc, "email")
        else:
            try:
                with force_locale("de"):  # the invitee's language is not known: German
                    send_template(
                        invitation.email,
                        _("Einladung: „%(name)s“ auf hallobot mitverwalten", name=business.name),
                        "owner_invitation",
                        invitation=invitation,
                        inviter=current_user,
                        link=url_for("owner.accept_invitation", token=token, _external=True),
                        register_link=url_for("accounts.register", _external=True),
                    )
            except MailError:
                flash(
                    _(
                        "Die Einladung ist angelegt, aber die E-Mail konnte nicht versendet "
                        "werden. Bitte laden Sie später erneut ein."
                    ),
                    "error",
                )
            else:
                flash(
                    _("Die Einladung an %(email)s ist versendet.", email=invitation.email),
                    "success",
                )
            return redirect(url_for("owner.co_owners", slug=business.slug))
    page = render_template(
        "owner/co_owners.html",
        business=business,
        form=form,
        invitations=ownership.open_invitations(business),
        revoke_form=EmptyForm(),
    )
    return page, 422 if form.errors else 200


@bp.route("/<slug>/inhaber/einladung/<int:invitation_id>/zurueckziehen", methods=["POST"])
def revoke_invitation(slug: str, invitation_id: int):
    business = owned_business_or_404(slug)
    if EmptyForm().validate_on_submit():
        try:
            ownership.revoke_invitation(current_user, business, invitation_id)
        except errors.OwnerError as exc:
            flash(exc.message, "error")
        else:
            flash(_("Die Einladung ist zurückgezogen."), "success")
    return redirect(url_for("owner.co_owners", slug=business.slug))


@bp.route("/<slug>/inhaber/austreten", methods=["POST"])
def leave(slug: str):
    """An owner gives up managing the entry (only while another owner remains)."""
    business = owned_business_or_404(slug)
    if EmptyForm().validate_on_submit():
        try:
            ownership.leave_business(current_user, business)
        except errors.OwnerError as exc:
            flash(exc.message, "error")
            return redirect(url_for("owner.co_owners", slug=business.slug))
        flash(_("Sie verwalten „%(name)s“ nicht mehr.", name=business.name), "success")
    return redirect(url_for("owner.dashboard"))


@bp.route("/einladung/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    invitation = ownership.invitation_for_token(token)
    form = EmptyForm()
    error = None
    if form.validate_on_submit():
        try:
            business = ownership.accept_invitation(current_user, token)
        except errors.OwnerError as exc:
            error = exc.message
        else:
            flash(
                _("Willkommen! Sie verwalten jetzt „%(name)s“ mit.", name=business.name),
                "success",
            )
            return redirect(url_for("owner.dashboard"))
    valid = invitation is not None and invitation.is_open(utcnow())
    page = render_template(
        "owner/accept_invitation.html",
        invitation=invitation if valid else None,
        form=form,
        error=error,
    )
    return page, (422 if error else 200) if valid else 404


@bp.route("/<slug>/einreichen", methods=["POST"])
def submit(slug: str):
    business = owned_business_or_404(slug)
    if EmptyForm().validate_on_submit():
        try:
            service.submit_for_review(business)
        except errors.OwnerError as exc:
            flash(exc.message, "error")
        else:
            flash(
                _(
                    "Danke! „%(name)s“ wird jetzt von unserer Moderation geprüft.",
                    name=business.name,
                ),
                "success",
            )
    return redirect(url_for("owner.dashboard"))
