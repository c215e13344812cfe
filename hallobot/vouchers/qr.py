"""QR codes for vouchers: an SVG (segno, no image library needed) of the voucher's page."""

from __future__ import annotations

import io

import segno


def qr_svg(url: str, scale: int = 4) -> str:
    """The QR code of ``url`` as an SVG document (error correction M: still readable when
    a printed voucher is creased or smudged)."""
    out = io.BytesIO()
    segno.make(url, error="m").save(
        out, kind="svg", scale=scale, xmldecl=False, svgns=True, title="QR-Code", dark="#000"
    )
    return out.getvalue().decode()
