"""Photos: what is accepted, how it is re-encoded, where it is shown, and that nothing of a
refused or rejected upload is left behind."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from hallobot.directory.media import rendition_path
from hallobot.directory.models import MediaFile
from hallobot.extensions import db
from hallobot.moderation.models import Revision
from hallobot.owner.media import ImageRejected, process_image
from tests.conftest import csrf_from, hidden_value, login_as
from tests.images import make_image_bytes, png_header_only


def _upload(
    client,
    business,
    data: bytes,
    alt="Verkaufstheke mit frischen Brötchen",
    kind="gallery",
    filename="foto.jpg",
    marker=None,
):
    page = client.get(f"/mein-betrieb/{business.slug}/fotos").get_data(as_text=True)
    if marker is None:
        marker = _marker(page)
    return client.post(
        f"/mein-betrieb/{business.slug}/fotos/hochladen",
        data={
            "csrf_token": csrf_from(page),
            "marker": marker,
            "kind": kind,
            "alt_text": alt,
            "photo": (io.BytesIO(data), filename),
        },
        content_type="multipart/form-data",
    )


def _marker(page: str) -> str:
    return hidden_value(page, "marker")


def _media_count(business) -> int:
    return db.session.scalar(
        select(func.count(MediaFile.id)).where(MediaFile.business_id == business.id)
    )


def _files(app, key) -> list[Path]:
    return [rendition_path(app.config["MEDIA_DIR"], key, size) for size in (400, 1200)]


# --- checking and re-encoding (Pillow, real files) ---


def test_exif_is_stripped_and_orientation_applied():
    exif = Image.Exif()
    exif[0x010F] = "Kamerahersteller"  # Make
    exif[0x013B] = "Erika Musterfrau"  # Artist
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    result = process_image(make_image_bytes("JPEG", (1600, 1000), exif=exif))
    large = Image.open(io.BytesIO(result.renditions[1200]))
    assert large.format == "WEBP"
    assert large.size == (750, 1200)  # upright: portrait after applying the orientation
    assert (result.width, result.height) == (750, 1200)
    assert not large.getexif() and "exif" not in large.info and "icc_profile" not in large.info
    for data in result.renditions.values():
        assert b"Kamerahersteller" not in data and b"Erika Musterfrau" not in data
    small = Image.open(io.BytesIO(result.renditions[400]))
    assert max(small.size) == 400


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_are_accepted_with_transparency(fmt):
    result = process_image(make_image_bytes(fmt, (500, 300), mode="RGBA"))
    image = Image.open(io.BytesIO(result.renditions[1200]))
    assert image.size == (500, 300)  # never enlarged
    assert image.mode == "RGBA"


def test_trailing_payload_does_not_survive():
    data = make_image_bytes("JPEG", (800, 600)) + b"<script>alert('x')</script>"
    result = process_image(data)
    assert all(b"<script>" not in r for r in result.renditions.values())


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9" height="9"/></svg>'
)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (SVG, "keine JPEG-, PNG- oder WebP-Datei"),
        (b"<html><script>alert(1)</script></html>", "keine JPEG-, PNG- oder WebP-Datei"),
        (make_image_bytes("GIF", (400, 300)), "keine JPEG-, PNG- oder WebP-Datei"),
        (make_image_bytes("BMP", (400, 300)), "keine JPEG-, PNG- oder WebP-Datei"),
        (make_image_bytes("JPEG", (800, 600))[:400], "beschädigt"),
        (png_header_only(50_000, 50_000), "zu viele Bildpunkte"),  # Pillow's bomb limit
        (png_header_only(8_000, 6_000), "zu viele Bildpunkte"),  # our 40 megapixels
        (make_image_bytes("PNG", (80, 400)), "zu klein"),
        (b"", "Bilddatei aus"),
    ],
    ids=["svg", "html", "gif", "bmp", "truncated", "bomb", "too-many-pixels", "tiny", "empty"],
)
def test_refused_uploads(data, message):
    with pytest.raises(ImageRejected) as info:
        process_image(data)
    assert message in str(info.value.message)


def test_more_than_5_mb_is_refused():
    with pytest.raises(ImageRejected) as info:
        process_image(b"\xff" * (5 * 1024 * 1024 + 1))
    assert "höchstens 5 MB" in str(info.value.message)


# --- through the browser forms ---


def test_upload_to_a_draft_is_shown_to_its_owner_only(app, draft_entry, owner_account):
    draft = draft_entry
    client = login_as(app, owner_account)
    response = _upload(client, draft, make_image_bytes("JPEG"))
    assert response.status_code == 302
    db.session.refresh(draft)
    [photo] = draft.photos
    assert photo.alt_text == "Verkaufstheke mit frischen Brötchen"
    assert all(path.is_file() for path in _files(app, photo.media_key))
    page = client.get(f"/mein-betrieb/{draft.slug}/fotos").get_data(as_text=True)
    assert f"/medien/{photo.media_key}-400.webp" in page
    image = client.get(f"/medien/{photo.media_key}-1200.webp")
    assert image.status_code == 200 and image.mimetype == "image/webp"
    assert "no-store" in image.headers["Cache-Control"]
    image.close()
    assert app.test_client().get(f"/medien/{photo.media_key}-400.webp").status_code == 404


def test_alt_text_is_required_and_nothing_is_stored(app, draft_entry, owner_account):
    draft = draft_entry
    client = login_as(app, owner_account)
    before = sorted(Path(app.config["MEDIA_DIR"]).rglob("*.webp"))
    response = _upload(client, draft, make_image_bytes("JPEG"), alt="  ")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Bitte beschreiben Sie das Bild" in page
    assert 'id="alt_text-error"' in page
    assert _media_count(draft) == 0
    assert sorted(Path(app.config["MEDIA_DIR"]).rglob("*.webp")) == before


def test_a_disguised_file_gets_a_message_beside_the_field(app, draft_entry, owner_account):
    draft = draft_entry
    client = login_as(app, owner_account)
    response = _upload(client, draft, SVG, filename="logo.png", alt="Unser Logo")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="photo-error"' in page and "keine JPEG-, PNG- oder WebP-Datei" in page
    assert 'value="Unser Logo"' in page  # the typed text is kept
    assert _media_count(draft) == 0


def test_a_request_above_the_upload_limit_gets_a_german_page(app, draft_entry, owner_account):
    draft = draft_entry
    client = login_as(app, owner_account)
    response = client.post(
        f"/mein-betrieb/{draft.slug}/fotos/hochladen",
        data=b"\0" * (7 * 1024 * 1024),  # refused by its length, before it is parsed
        content_type="multipart/form-data; boundary=grenze",
    )
    assert response.status_code == 413
    assert "Die Datei ist zu groß" in response.get_data(as_text=True)


def test_logo_replaces_the_old_one_and_its_files_go(app, draft_entry, owner_account):
    draft = draft_entry
    client = login_as(app, owner_account)
    assert (
        _upload(
            client, draft, make_image_bytes("PNG", (300, 300)), kind="logo", alt="Logo des Studios"
        ).status_code
        == 302
    )
    db.session.refresh(draft)
    old_key = draft.logo.media_key
    assert (
        _upload(
            client,
            draft,
            make_image_bytes("PNG", (320, 320)),
            kind="logo",
            alt="Neues Logo des Studios",
        ).status_code
        == 302
    )
    db.session.refresh(draft)
    assert draft.logo.alt_text == "Neues Logo des Studios"
    assert len(draft.photos) == 1
    assert not any(path.exists() for path in _files(app, old_key))
    assert _media_count(draft) == 1


def test_at_most_twelve_gallery_photos(app, draft_entry, owner_account):
    draft = draft_entry
    client = login_as(app, owner_account)
    data = make_image_bytes("JPEG", (400, 300))
    for n in range(12):
        assert _upload(client, draft, data, alt=f"Foto Nummer {n + 1}").status_code == 302
    response = _upload(client, draft, data, alt="Foto Nummer 13")
    assert response.status_code == 422
    assert "Höchstens 12 Galeriefotos" in response.get_data(as_text=True)
    assert _media_count(draft) == 12


def test_edit_alt_text_reorder_and_remove(app, draft_entry, owner_account):
    draft = draft_entry
    client = login_as(app, owner_account)
    for alt in ("Theke", "Schaufenster", "Team"):
        assert (
            _upload(client, draft, make_image_bytes("JPEG", (400, 300)), alt=alt).status_code == 302
        )
    db.session.refresh(draft)
    first_key = draft.photos[0].media_key
    url = f"/mein-betrieb/{draft.slug}/fotos"
    page = client.get(url).get_data(as_text=True)
    data = {
        "csrf_token": csrf_from(page),
        "marker": _marker(page),
        "rows": "3",
        **{f"p{i}_key": p.media_key for i, p in enumerate(draft.photos)},
        "p0_alt": "Theke",
        "p0_remove": "1",
        "p1_alt": "Schaufenster im Advent",
        "p1_position": "5",
        "p2_alt": "Unser Team",
        "p2_position": "1",
    }
    assert client.post(url, data=data).status_code == 302
    db.session.refresh(draft)
    assert [p.alt_text for p in draft.photos] == ["Unser Team", "Schaufenster im Advent"]
    assert not any(path.exists() for path in _files(app, first_key))

    data = {**data, "p2_alt": "x"}  # too short: refused, nothing changes
    page = client.get(url).get_data(as_text=True)
    data.update(csrf_token=csrf_from(page), marker=_marker(page))
    response = client.post(url, data=data)
    assert response.status_code == 422
    assert "Bitte beschreiben Sie das Bild" in response.get_data(as_text=True)


def test_stale_upload_is_refused_and_leaves_no_file(app, draft_entry, owner_account):
    draft = draft_entry
    client = login_as(app, owner_account)
    page = client.get(f"/mein-betrieb/{draft.slug}/fotos").get_data(as_text=True)
    old_marker = _marker(page)
    assert _upload(client, draft, make_image_bytes("JPEG", (400, 300))).status_code == 302
    files_before = sorted(Path(app.config["MEDIA_DIR"]).rglob("*.webp"))
    response = _upload(client, draft, make_image_bytes("JPEG", (400, 300)), marker=old_marker)
    assert response.status_code == 409
    assert "inzwischen geändert" in response.get_data(as_text=True)
    assert _media_count(draft) == 1
    assert sorted(Path(app.config["MEDIA_DIR"]).rglob("*.webp")) == files_before


def test_published_photo_waits_for_moderation_then_is_public(
    app, bakery, owner_account, moderator_account
):
    business = bakery
    owner = login_as(app, owner_account)
    response = _upload(owner, business, make_image_bytes("JPEG"), alt="Frische Brötchen im Korb")
    assert response.status_code == 302
    db.session.refresh(business)
    assert business.photos == []  # the public entry is unchanged
    revision = db.session.scalar(
        select(Revision).where(Revision.business_id == business.id, Revision.status == "open")
    )
    [proposed] = revision.changes["photos"]
    key = proposed["key"]
    anonymous = app.test_client()
    assert anonymous.get(f"/medien/{key}-400.webp").status_code == 404
    assert "Frische Brötchen im Korb" not in anonymous.get(f"/betrieb/{business.slug}").get_data(
        as_text=True
    )

    moderator = login_as(app, moderator_account)
    queue = moderator.get("/moderation").get_data(as_text=True)
    assert "1 neues Foto" in queue
    diff = moderator.get(f"/moderation/aenderung/{revision.id}").get_data(as_text=True)
    assert f"/medien/{key}-400.webp" in diff and "Galerie: Frische Brötchen im Korb" in diff
    preview = moderator.get(f"/medien/{key}-400.webp")
    assert preview.status_code == 200
    preview.close()
    page = moderator.get(f"/moderation/aenderung/{revision.id}").get_data(as_text=True)
    approve = moderator.post(
        f"/moderation/aenderung/{revision.id}/freigeben",
        data={
            "csrf_token": csrf_from(page),
            "reason": "",
            "seen": hidden_value(page, "seen"),
        },
    )
    assert approve.status_code == 302

    public = anonymous.get(f"/betrieb/{business.slug}").get_data(as_text=True)
    assert f'src="/medien/{key}-400.webp"' in public
    assert 'alt="Frische Brötchen im Korb"' in public
    image = anonymous.get(f"/medien/{key}-1200.webp")
    assert image.status_code == 200
    cache = {part.strip() for part in image.headers["Cache-Control"].split(",")}
    assert cache == {"public", "max-age=86400"}  # cacheable, and not "no-cache"
    assert "Set-Cookie" not in image.headers
    image.close()


def test_rejected_photo_files_are_deleted(app, bakery, owner_account, moderator_account):
    business = bakery
    owner = login_as(app, owner_account)
    response = _upload(owner, business, make_image_bytes("JPEG"), alt="Ein Foto zum Ablehnen")
    assert response.status_code == 302
    revision = db.session.scalar(
        select(Revision).where(Revision.business_id == business.id, Revision.status == "open")
    )
    key = revision.changes["photos"][0]["key"]
    assert all(path.exists() for path in _files(app, key))
    moderator = login_as(app, moderator_account)
    page = moderator.get(f"/moderation/aenderung/{revision.id}").get_data(as_text=True)
    response = moderator.post(
        f"/moderation/aenderung/{revision.id}/ablehnen",
        data={
            "csrf_token": csrf_from(page),
            "seen": hidden_value(page, "seen"),
            "reason": "Auf dem Foto sind Personen ohne Einwilligung zu erkennen.",
        },
    )
    assert response.status_code == 302
    assert not any(path.exists() for path in _files(app, key))
    assert _media_count(business) == 0


def test_a_refused_upload_shows_the_list_as_it_is_now_and_saves_from_it(
    app, draft_entry, owner_account
):
    """A tab opened before another tab's upload: its refused upload shows the list as it is
    now, with the marker of that version, so both of the page's forms save against it."""
    draft = draft_entry
    client = login_as(app, owner_account)
    old_marker = _marker(client.get(f"/mein-betrieb/{draft.slug}/fotos").get_data(as_text=True))
    assert _upload(client, draft, make_image_bytes("JPEG", (400, 300))).status_code == 302
    refused = _upload(client, draft, b"kein Bild", marker=old_marker)
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "Das ist keine JPEG-, PNG- oder WebP-Datei." in page
    assert 'name="p0_key"' in page  # the photo uploaded meanwhile is shown …
    current = _marker(client.get(f"/mein-betrieb/{draft.slug}/fotos").get_data(as_text=True))
    assert current != old_marker
    markers = re.findall(r'name="marker"[^>]*value="([^"]*)"', page)
    assert markers == [current, current]  # … with the marker of the list as it is now
    data = {
        "csrf_token": csrf_from(page),
        "marker": markers[0],
        "rows": hidden_value(page, "rows"),
        "p0_key": hidden_value(page, "p0_key"),
        "p0_alt": "Die Theke am Morgen",
    }
    assert client.post(f"/mein-betrieb/{draft.slug}/fotos", data=data).status_code == 302
    db.session.refresh(draft)
    assert [p.alt_text for p in draft.photos] == ["Die Theke am Morgen"]
