"""Where photo renditions live on disk, and which uploads are still in use.

A rendition is ``<MEDIA_DIR>/<key[:2]>/<key>-<size>.webp``; the key is random, so a file's
name tells nothing and cannot be guessed. Which files are in use is database data: the
published photos and any open proposal that names them.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import select

from hallobot.directory.models import Business, MediaFile, Photo, Status
from hallobot.extensions import db

SIZES = (400, 1200)


def rendition_path(root: str | os.PathLike, key: str, size: int) -> Path:
    return Path(root) / key[:2] / f"{key}-{size}.webp"


def write_renditions(root: str | os.PathLike, key: str, renditions: dict[int, bytes]) -> None:
    """Write all renditions or none (a partial write is removed again)."""
    written = []
    try:
        for size, data in renditions.items():
            path = rendition_path(root, key, size)
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(data)
            tmp.replace(path)
            written.append(path)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise


def delete_renditions(root: str | os.PathLike, keys: list[str]) -> None:
    for key in keys:
        for size in SIZES:
            rendition_path(root, key, size).unlink(missing_ok=True)


def media_by_key(key: str) -> MediaFile | None:
    return db.session.scalar(select(MediaFile).where(MediaFile.key == key))


def business_of(media: MediaFile) -> Business | None:
    """The business an upload belongs to (for the permission check of unpublished ones)."""
    return db.session.get(Business, media.business_id)


def is_public(media: MediaFile) -> bool:
    """Published photo of a published business: anyone may see it."""
    return (
        db.session.scalar(
            select(Photo.id)
            .join(Business, Business.id == Photo.business_id)
            .where(Photo.media_key == media.key, Business.status == Status.PUBLISHED)
            .limit(1)
        )
        is not None
    )


def unused_media(business_id: int, keep: set[str]) -> list[MediaFile]:
    """Uploads of a business that neither a photo row nor ``keep`` (an open proposal) uses."""
    used = select(Photo.media_key).where(Photo.business_id == business_id)
    return list(
        db.session.scalars(
            select(MediaFile).where(
                MediaFile.business_id == business_id,
                MediaFile.key.not_in(used),
                *([MediaFile.key.not_in(keep)] if keep else []),
            )
        )
    )


def forget_unused_media(business_id: int, keep: set[str]) -> list[str]:
    """Delete the rows of unused uploads (the caller commits, then deletes the files of the
    returned keys with :func:`delete_renditions`)."""
    keys = []
    for media in unused_media(business_id, keep):
        keys.append(media.key)
        db.session.delete(media)
    return keys
