"""Photo uploads: open with Pillow, refuse anything that is not a real JPEG, PNG or WebP
image, and re-encode it. Only the re-encoded renditions are kept, so nothing of the uploaded
file survives: no EXIF (location, camera), no embedded profile, no trailing payload.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from hallobot.directory.media import SIZES
from hallobot.errors import DomainError

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")
MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # e.g. 8000 × 5000; more is refused before decoding
MIN_SIDE = 100
WEBP_QUALITY = 82


class ImageRejected(DomainError):
    """The upload is not an image we accept; the message says why."""


@dataclass(frozen=True)
class ProcessedImage:
    width: int  # of the largest rendition
    height: int
    renditions: dict[int, bytes]  # longest side → WebP bytes


def process_image(data: bytes, max_bytes: int = MAX_BYTES) -> ProcessedImage:
    """Check and re-encode an upload into WebP renditions of at most 400 and 1200 px."""
    if not data:
        raise ImageRejected(_l("Bitte wählen Sie eine Bilddatei aus."), "photo")
    if len(data) > max_bytes:
        raise ImageRejected(
            _l("Die Datei ist zu groß: höchstens %(mb)d MB.", mb=max_bytes // (1024 * 1024)),
            "photo",
        )
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise _too_many_pixels()
                if image.format == "JPEG":  # decode at a reduced scale, still ≥ 2 × 1200 px
                    image.draft("RGB", (2 * SIZES[-1], 2 * SIZES[-1]))
                image.load()
                clean = _clean_copy(image)
        except ImageRejected:
            raise
        except UnidentifiedImageError as exc:
            raise ImageRejected(
                _l(
                    "Das ist keine JPEG-, PNG- oder WebP-Datei. Andere Formate (z. B. SVG, GIF, "
                    "HEIC) nehmen wir nicht an."
                ),
                "photo",
            ) from exc
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _too_many_pixels() from exc
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise ImageRejected(
                _l("Die Bilddatei ist beschädigt oder unvollständig."), "photo"
            ) from exc
    if min(clean.size) < MIN_SIDE:
        raise ImageRejected(
            _l("Das Bild ist zu klein: mindestens %(px)d Pixel je Seite.", px=MIN_SIDE), "photo"
        )
    renditions = {}
    width, height = clean.size
    for size in sorted(SIZES, reverse=True):  # each from the one before: less work
        clean.thumbnail((size, size), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        clean.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
        renditions[size] = out.getvalue()
    return ProcessedImage(width=width, height=height, renditions=renditions)


def _too_many_pixels() -> ImageRejected:
    return ImageRejected(
        _l(
            "Das Bild hat zu viele Bildpunkte (höchstens %(mp)d Megapixel).",
            mp=MAX_PIXELS // 1_000_000,
        ),
        "photo",
    )


def _clean_copy(image: Image.Image) -> Image.Image:
    """Upright (EXIF orientation applied), at most 1200 px, RGB or RGBA, and built from the
    pixels alone so that no metadata of the upload is carried over. Scaling down comes
    before the copies, so a large photo is held in memory about twice, not five times."""
    ImageOps.exif_transpose(image, in_place=True)
    image.thumbnail((SIZES[-1], SIZES[-1]), Image.Resampling.LANCZOS, reducing_gap=3.0)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    image = image.convert("RGBA" if has_alpha else "RGB")
    return Image.frombytes(image.mode, image.size, image.tobytes())
