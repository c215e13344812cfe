"""Photos of an entry: a logo and up to 12 gallery pictures, each with an alt text. Uploads
are checked and re-encoded by ``owner.media`` first; here they join the photo list (directly
on a draft, as a proposal on a published entry), and the list's alt texts, order and
removals are saved. Files and database change together."""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l

from hallobot.accounts.models import User
from hallobot.directory.media import delete_renditions, write_renditions
from hallobot.directory.models import Business, MediaFile, PhotoKind
from hallobot.extensions import db
from hallobot.moderation.models import Revision
from hallobot.owner.editing import locked_for_edit, save_section, values_for_form
from hallobot.owner.errors import OwnerError
from hallobot.owner.media import ProcessedImage
from hallobot.owner.rows import in_row, row_position
from hallobot.text import one_line
from hallobot.transaction import after_commit, after_rollback, transactional

MAX_GALLERY = 12
ALT_MIN, ALT_MAX = 3, 200


def _check_alt(alt: str, what) -> str:
    alt = one_line(alt)
    if len(alt) < ALT_MIN:
        raise OwnerError(what, "alt_text")
    if len(alt) > ALT_MAX:
        raise OwnerError(_l("Der Bildtext darf höchstens 200 Zeichen haben."), "alt_text")
    return alt


def photo_list(business: Business, revision: Revision | None) -> list[dict]:
    """The photos as the owner sees them: the public ones with any pending proposal."""
    return values_for_form(business, revision)["photos"]


def photos_from_form(rows: list[dict], current: list[dict]) -> list[dict]:
    """Rows (key, alt, position, remove) of the photo list → logo first, then the gallery
    in the chosen order. Only photos already in the list may appear; a photo is removed only
    when its box is ticked: one the form did not show (uploaded meanwhile in another tab)
    stays, after the others."""
    by_key = {p["key"]: p for p in current}
    kept, posted = [], set()
    for index, row in enumerate(rows, start=1):
        with in_row(index):
            photo = by_key.get(row.get("key") or "")
            if photo is None or photo["key"] in posted:
                continue
            posted.add(photo["key"])
            if row.get("remove"):
                continue
            alt = _check_alt(
                row.get("alt") or "",
                _l("Foto %(n)d: Bitte beschreiben Sie das Bild in einem kurzen Text.", n=index),
            )
            position = row_position(row.get("position"), index)
            kept.append((photo["kind"] != "logo", position, index, {**photo, "alt": alt}))
    unseen = len(rows) + 1
    for n, photo in enumerate(p for p in current if p["key"] not in posted):
        kept.append((photo["kind"] != "logo", 10_000 + n, unseen + n, photo))
    return [item for *_order, item in sorted(kept, key=lambda k: k[:3])]


@transactional
def save_photos(
    user: User, business: Business, rows: list[dict], marker: str, media_root: str
) -> str:
    """Save alt texts, order and removals of the photo list; the files of removed photos
    that nothing uses any more are deleted after the commit."""
    business, revision = locked_for_edit(business, marker)
    wanted = photos_from_form(rows, photo_list(business, revision))
    forgotten: list[str] = []
    outcome = save_section(user, business, revision, {"photos": wanted}, forgotten)
    after_commit(lambda: delete_renditions(media_root, forgotten))
    return outcome


@transactional
def add_photo(
    user: User,
    business: Business,
    image: ProcessedImage,
    kind: str,
    alt: str,
    marker: str,
    media_root: str,
) -> str:
    """Store an uploaded (already re-encoded) photo and add it to the entry: as the logo
    (replacing the old one) or to the gallery. Files and database change together: if the
    save fails, the written files are removed again."""
    if kind not in (PhotoKind.LOGO, PhotoKind.GALLERY):
        raise OwnerError(_l("Bitte wählen Sie, ob es das Logo oder ein Galeriefoto ist."), "kind")
    alt = _check_alt(alt, _l("Bitte beschreiben Sie das Bild in einem kurzen Text (Bildtext)."))
    business, revision = locked_for_edit(business, marker)
    photos = [dict(p) for p in photo_list(business, revision)]
    if kind == PhotoKind.LOGO:
        photos = [p for p in photos if p["kind"] != PhotoKind.LOGO]
    elif sum(p["kind"] == PhotoKind.GALLERY for p in photos) >= MAX_GALLERY:
        raise OwnerError(
            _l("Höchstens %(n)d Galeriefotos. Entfernen Sie zuerst eines.", n=MAX_GALLERY),
            "photo",
        )
    key = secrets.token_hex(16)
    item = {"key": key, "kind": str(kind), "alt": alt}
    photos = [item, *photos] if kind == PhotoKind.LOGO else [*photos, item]
    write_renditions(media_root, key, image.renditions)
    after_rollback(lambda: delete_renditions(media_root, [key]))
    db.session.add(
        MediaFile(
            key=key,
            business_id=business.id,
            uploaded_by_id=user.id,
            width=image.width,
            height=image.height,
        )
    )
    db.session.flush()
    forgotten: list[str] = []
    outcome = save_section(user, business, revision, {"photos": photos}, forgotten)
    after_commit(lambda: delete_renditions(media_root, forgotten))
    return outcome
