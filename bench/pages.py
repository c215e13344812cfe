"""Page timings and SQL queries per page on the demo data (in-process, Flask test client).

    .venv/bin/python bench/pages.py [--runs 200]

Builds a temporary SQLite database (migrated, demo data loaded), then requests each page
``--runs`` times and prints p50/p95 server time, the SQL statements per request and the
HTML size (raw and gzip). Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event  # noqa: E402

from config import TestingConfig  # noqa: E402
from hallobot import create_app  # noqa: E402
from hallobot.extensions import db  # noqa: E402
from hallobot.importers import seed  # noqa: E402

PAGES = [
    "/",
    "/kategorie/essen-trinken",
    "/kategorie/essen-trinken?seite=2",
    "/stadtteil/stadtmitte",
    "/betrieb/baeckerei-kruse",
    "/suche?q=baecker",
    "/suche?q=pizza&stadtteil=stadtmitte",
    "/impressum",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            TestingConfig,
            SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp}/bench.sqlite3",
            RATELIMIT_ENABLED=False,
        )
        seed_dir = Path(__file__).resolve().parent.parent / "seed_data"
        with app.app_context():
            upgrade()
            report = seed.load_reference(seed_dir)
            seed.load_demo(seed_dir, report)
            db.session.commit()
            engine = db.engine
        statements: list[str] = []

        def record(conn, cursor, statement, *rest):
            if statement != "BEGIN":  # our SQLite transaction control, not a query
                statements.append(statement)

        event.listen(engine, "before_cursor_execute", record)
        client = app.test_client()
        header = ("page", "p50 ms", "p95 ms", "queries", "HTML kB", "gzip kB")
        print(f"{header[0]:40} " + " ".join(f"{h:>8}" for h in header[1:]))
        for path in PAGES:
            client.get(path)  # warm up
            timings = []
            for _ in range(args.runs):
                statements.clear()
                start = time.perf_counter()
                response = client.get(path)
                timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (path, response.status_code)
            body = response.get_data()
            timings.sort()
            p95 = timings[int(len(timings) * 0.95) - 1]
            print(
                f"{path:40} {statistics.median(timings):8.2f} {p95:8.2f} {len(statements):8d} "
                f"{len(body) / 1024:8.1f} {len(gzip.compress(body)) / 1024:8.1f}"
            )


if __name__ == "__main__":
    main()
