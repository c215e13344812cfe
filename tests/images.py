"""Image files for upload tests, made with Pillow (and by hand where Pillow would refuse)."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image


def make_image_bytes(
    fmt: str = "JPEG",
    size: tuple[int, int] = (1600, 1000),
    mode: str = "RGB",
    exif: Image.Exif | None = None,
    color=(200, 120, 40),
) -> bytes:
    image = Image.new(mode, size, color if mode != "RGBA" else (*color, 128))
    # a little structure, so that orientation and scaling can be checked
    image.paste((20, 40, 160) if mode != "RGBA" else (20, 40, 160, 255), (0, 0, size[0] // 4, 40))
    out = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(out, fmt, **kwargs)
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` × ``height`` pixels but carries almost no data:
    the shape of a decompression bomb, without using the memory."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )
