"""The city map at 10k businesses: GeoJSON size, server time, and the browser's first
clustered render.

    .venv/bin/python bench/map.py [--size 10000] [--backend sqlite] [--requests 200]

Uses the database ``bench/search.py`` builds (``bench/results/search-<n>.sqlite3``, or
``hallobot_bench_<n>`` on PostgreSQL; built when missing). Prints:

* the size of ``/api/v1/businesses.geojson`` for the whole city, raw and gzip-compressed;
* p50/p95 of the server's time for that endpoint (the Flask application answering real
  requests through its test client, gzip accepted, no validator sent, so every answer is
  computed and compressed) over a fixed mix of filters: none, each flag, categories,
  districts, words;
* the time from navigating headless Chromium to ``/karte`` until the first marker clusters
  are drawn (the page served by a local threaded server; tiles from the same server).

Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import gzip
import random
import shutil
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from search import percentile, prepare  # noqa: E402
from sqlalchemy import select  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from hallobot.directory.models import Category, District  # noqa: E402
from hallobot.extensions import db  # noqa: E402

FLAGS = ("offen", "lieferung", "abholung", "gutschein", "fairtrade", "barrierefrei")
WORDS = ("bäcker", "friseur", "schuhe", "pizza", "reparatur", "blumen", "kaffee", "handy")


def mix(app, n: int, rng: random.Random) -> list[str]:
    with app.app_context():
        districts = [d.slug for d in db.session.scalars(select(District))]
        categories = [c.slug for c in db.session.scalars(select(Category))]
        db.session.remove()
    urls = ["/api/v1/businesses.geojson"]
    while len(urls) < n:
        kind = rng.randrange(4)
        if kind == 0:
            args = f"{rng.choice(FLAGS)}=1"
        elif kind == 1:
            args = f"kategorie={rng.choice(categories)}&{rng.choice(FLAGS)}=1"
        elif kind == 2:
            args = f"stadtteil={rng.choice(districts)}"
        else:
            args = f"q={rng.choice(WORDS)}"
        urls.append(f"/api/v1/businesses.geojson?{args}")
    return urls


def server_times(app, urls: list[str]) -> list[float]:
    client = app.test_client()
    for url in urls[:10]:  # warm the snapshot and the map features
        client.get(url, headers={"Accept-Encoding": "gzip"})
    times = []
    for url in urls:
        start = time.perf_counter()
        response = client.get(url, headers={"Accept-Encoding": "gzip"})
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url}: {response.status_code}")
    return times


def first_clusters(app, runs: int = 5) -> list[float]:
    from playwright.sync_api import sync_playwright

    app.config["MAP_TILE_URL"] = "/static/vendor/leaflet-1.9.4/images/layers.png?{z}/{x}/{y}"
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.port}/karte"
    results = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            for n in range(runs + 1):
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                start = time.perf_counter()
                page.goto(url, wait_until="commit")
                page.wait_for_selector(".marker-cluster", timeout=30_000)
                elapsed = (time.perf_counter() - start) * 1000
                if n:  # the first run warms the server's caches
                    results.append(elapsed)
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--backend", default="sqlite", choices=("sqlite", "postgresql"))
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    app, built = prepare(args.backend, args.size, RATELIMIT_ENABLED=False)
    client = app.test_client()
    raw = client.get("/api/v1/businesses.geojson").data
    packed = client.get("/api/v1/businesses.geojson", headers={"Accept-Encoding": "gzip"}).data
    features = gzip.decompress(packed).count(b'"type":"Feature"')
    print(
        f"{args.backend}, {args.size} businesses" + (f" (built in {built:.0f} s)" if built else "")
    )
    print(
        f"GeoJSON, whole city: {features} features, {len(raw) / 1024:.0f} KB raw, "
        f"{len(packed) / 1024:.0f} KB gzip"
    )
    times = server_times(app, mix(app, args.requests, random.Random(7)))
    print(
        f"server time over {len(times)} requests: p50 {statistics.median(times):.1f} ms, "
        f"p95 {percentile(times, 95):.1f} ms, max {max(times):.1f} ms"
    )
    whole = server_times(app, ["/api/v1/businesses.geojson"] * 40)
    print(
        f"server time, whole city only ({len(whole)} requests): "
        f"p50 {statistics.median(whole):.1f} ms, p95 {percentile(whole, 95):.1f} ms"
    )
    renders = first_clusters(app)
    print(
        f"/karte to first clusters in Chromium: median {statistics.median(renders):.0f} ms, "
        f"max {max(renders):.0f} ms ({len(renders)} loads)"
    )


if __name__ == "__main__":
    main()
