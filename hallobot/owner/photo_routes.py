"""/mein-betrieb/<slug>/fotos: the photo list (alt texts, order, removal) — a section editor
like the others — and uploads, one photo at a time."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, redirect, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from hallobot.directory.loaders import owned_business_or_404
from hallobot.directory.models import Business
from hallobot.extensions import limiter
from hallobot.owner.blueprint import bp, flash_outcome, user_key
from hallobot.owner.editing import edit_marker, open_revision, values_for_form
from hallobot.owner.errors import OwnerError, StaleEdit
from hallobot.owner.forms import PhotoUploadForm
from hallobot.owner.media import ImageRejected, process_image
from hallobot.owner.photos import MAX_GALLERY, add_photo, photo_list, save_photos
from hallobot.owner.section_routes import ListSection, editor_view, render_section
from hallobot.web import show_error


@dataclass(frozen=True)
class PhotoSection(ListSection):
    """The photo list: saved against the current list (only photos in it count), and shown
    with the upload form."""

    def save(self, business: Business, typed: dict, marker: str) -> str:
        media_root = current_app.config["MEDIA_DIR"]
        return save_photos(current_user, business, typed["rows"], marker, media_root)

    def more(self, business: Business, marker: str) -> dict:
        photos = photo_list(business, open_revision(business))
        return {
            "upload": PhotoUploadForm(formdata=None, marker=marker),
            "kinds": {p["key"]: p["kind"] for p in photos},
            "gallery_count": sum(p["kind"] == "gallery" for p in photos),
            "max_gallery": MAX_GALLERY,
        }


PHOTOS = PhotoSection(
    name="photos",
    template="owner/photos.html",
    prefix="p",
    fields=("key", "alt", "position", "remove"),
    row=dict,
    check=None,
    most=MAX_GALLERY + 1,  # the gallery and a logo
    blank=0,
    saved=_l("Die Fotos sind gespeichert."),
    proposed=_l("Gespeichert. Die Änderungen an den Fotos werden nach Prüfung öffentlich."),
)


bp.add_url_rule("/<slug>/fotos", "photos", editor_view(PHOTOS), methods=["GET", "POST"])


def _add_photo(business: Business, upload: PhotoUploadForm) -> str:
    """Check and re-encode the uploaded file, then add it to the entry's photos."""
    data = upload.photo.data.read() if upload.photo.data else b""
    image = process_image(data, current_app.config["PHOTO_MAX_BYTES"])
    return add_photo(
        current_user,
        business,
        image,
        upload.kind.data,
        upload.alt_text.data,
        upload.marker.data or "",
        current_app.config["MEDIA_DIR"],
    )


UPLOAD_SAVED = _l("Das Foto ist gespeichert.")
UPLOAD_PROPOSED = _l(
    "Das Foto ist hochgeladen. Es wird nach Prüfung durch unsere Moderation öffentlich."
)


@bp.route("/<slug>/fotos/hochladen", methods=["POST"])
@limiter.limit("60 per hour;200 per day", key_func=user_key)
def upload_photo(slug: str):
    """One photo at a time: checked and re-encoded, then added (directly to a draft, as a
    proposal to a published entry). On an error the page shows the message beside the
    field and keeps the typed text; the file has to be chosen again (browsers never keep it).
    The page shows the photo list as it is now, and both its forms carry that version's
    marker: the next try goes against the list the owner sees."""
    business = owned_business_or_404(slug)
    upload = PhotoUploadForm()
    status = 422
    if upload.validate_on_submit():
        try:
            outcome = _add_photo(business, upload)
        except (ImageRejected, OwnerError) as exc:
            show_error(upload, exc)
            status = 409 if isinstance(exc, StaleEdit) else 422
        else:
            flash_outcome(outcome, UPLOAD_SAVED, UPLOAD_PROPOSED)
            return redirect(url_for("owner.photos", slug=business.slug))
    revision = open_revision(business)
    upload.marker.data = edit_marker(business, revision)
    typed = PHOTOS.shown(values_for_form(business, revision))
    return render_section(business, PHOTOS, typed, upload.marker.data, status=status, upload=upload)
