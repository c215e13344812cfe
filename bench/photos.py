"""Photo uploads: time and peak memory of checking and re-encoding typical files.

Run: .venv/bin/python bench/photos.py
Prints, per input, the median of 5 runs, the sizes of the two renditions and how much the
process's peak memory (ru_maxrss, which only grows) rose while handling that input.
Inputs are made here with Pillow: a 12-megapixel phone photo (JPEG with EXIF), a 4000 px
screenshot (PNG), a logo (PNG with transparency), a WebP, and the largest accepted size
(40 megapixels, JPEG and PNG).
"""

from __future__ import annotations

import io
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageDraw  # noqa: E402

from hallobot.owner.media import process_image  # noqa: E402


def picture(size, mode="RGB", fmt="JPEG", exif=False) -> bytes:
    image = Image.new(mode, size, (214, 170, 110) if mode == "RGB" else (180, 60, 40, 0))
    draw = ImageDraw.Draw(image)
    for x in range(0, size[0], max(1, size[0] // 40)):  # some structure for the encoder
        draw.line(
            [(x, 0), (size[0] - x, size[1])],
            fill=(90, 60, 30) if mode == "RGB" else (20, 40, 160, 255),
            width=3,
        )
    out = io.BytesIO()
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F], data[0x0112] = "Kamera", 6
        kwargs["exif"] = data
    if fmt == "JPEG":
        kwargs["quality"] = 90
    image.save(out, fmt, **kwargs)
    return out.getvalue()


INPUTS = {
    "phone photo 4000×3000 JPEG": lambda: picture((4000, 3000), exif=True),
    "screenshot 4000×2250 PNG": lambda: picture((4000, 2250), fmt="PNG"),
    "logo 800×800 PNG (alpha)": lambda: picture((800, 800), mode="RGBA", fmt="PNG"),
    "photo 2000×1500 WebP": lambda: picture((2000, 1500), fmt="WEBP"),
    "largest 8000×5000 JPEG": lambda: picture((8000, 5000)),
    "largest 8000×5000 PNG": lambda: picture((8000, 5000), fmt="PNG"),
}


def main() -> None:
    print(f"{'input':30} {'file':>9} {'p50 ms':>8} {'400 px':>8} {'1200 px':>8} {'+peak MB':>9}")
    for name, make in INPUTS.items():
        data = make()
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        times = []
        for _ in range(5):
            start = time.perf_counter()
            result = process_image(data)
            times.append((time.perf_counter() - start) * 1000)
        grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
        small, large = (len(result.renditions[s]) // 1024 for s in (400, 1200))
        print(
            f"{name:30} {len(data) // 1024:>7}kB {statistics.median(times):>8.0f}"
            f" {small:>6}kB {large:>6}kB {grown:>9.0f}"
        )


if __name__ == "__main__":
    main()
