"""Search latency at 1k, 10k and 100k published businesses, on SQLite and PostgreSQL.

    .venv/bin/python bench/search.py [--sizes 1000 10000 100000] [--backends sqlite postgresql]
                                     [--runs 1]

For each size and backend it builds a database (migrated, the city's categories and
districts, then N generated businesses with German names, descriptions, services, hours,
delivery options and attributes, indexed by ``reindex_all``), then sends a fixed mix of
200 queries through ``hallobot.search.service.search`` — one word, two words, typos,
filters only, and with filters — each with all facet counts, as the search page does.
It prints p50/p95/p99 of ``find`` (matching, ranking, facet counts, the page's ids) per
size and backend, the p95 including loading the page's 20 businesses for their cards
(``load_businesses``), and the build time. Databases are kept under
``bench/results/`` (SQLite) or as ``hallobot_bench_<n>`` (PostgreSQL on 127.0.0.1) and
reused when they already hold that many businesses. Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import create_engine, func, insert, select, text  # noqa: E402

from config import TestingConfig  # noqa: E402
from hallobot import create_app  # noqa: E402
from hallobot.directory.models import (  # noqa: E402
    Attribute,
    Business,
    Category,
    DeliveryOption,
    District,
    OpeningHours,
    Service,
    business_attributes,
)
from hallobot.extensions import db  # noqa: E402
from hallobot.importers import seed  # noqa: E402
from hallobot.search.index import reindex_all  # noqa: E402
from hallobot.search.query import SearchQuery  # noqa: E402
from hallobot.search.service import find, load_businesses  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PG = "postgresql+psycopg://postgres@127.0.0.1:5432"

SURNAMES = (
    "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch "
    "Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann "
    "Lange Schmitt Werner Schmitz Krause Meier Lehmann Schulze Köhler Herrmann König Walter "
    "Kaiser Fuchs Peters Scholz Möller Weiß Jung Hahn Schubert Vogel Friedrich Keller Günther "
    "Berger Winkler Roth Beck Lorenz Baumann Franke Albrecht Simon Ludwig Böhm Winter Kraus "
    "Schumacher Krämer Vogt Stein Jäger Sommer Groß Seidel Heinrich Brandt Haas Schreiber Graf "
    "Schulte Dietrich Ziegler Kuhn Pohl Engel Horn Busch Bergmann Voigt Sauer Arnold Pfeiffer "
    "Tenhagen Brinkhoff Pöppinghaus Kowalski Yılmaz Özdemir Nowak Rossi Papadopoulos Hegemann"
).split()

# name prefixes, services and description words by kind of business
TRADES = {
    "Bäckerei": ("Brötchen Roggenbrot Sauerteigbrot Blechkuchen Croissants Dinkelbrot", "backen"),
    "Landbäckerei": ("Bauernbrot Brötchen Streuselkuchen Vollkornbrot", "backen"),
    "Konditorei": ("Torten Hochzeitstorte Pralinen Kuchen", "backen"),
    "Metzgerei": ("Bratwurst Schinken Aufschnitt Mittagstisch Frikadellen", "räuchern"),
    "Café": ("Kaffee Cappuccino Frühstück Kuchen Waffeln", "genießen"),
    "Pizzeria": ("Pizza Pasta Salate Lieferservice Calzone", "backen"),
    "Imbiss": ("Pommes Currywurst Döner Burger Schnitzel", "braten"),
    "Restaurant": ("Mittagstisch Schnitzel Salate Menü Biergarten", "kochen"),
    "Friseursalon": ("Haarschnitt Färben Dauerwelle Bartpflege Hochsteckfrisur", "schneiden"),
    "Blumenhaus": ("Sträuße Hochzeitsfloristik Trauerkränze Zimmerpflanzen", "binden"),
    "Apotheke": ("Arzneimittel Beratung Kosmetik Homöopathie Botendienst", "beraten"),
    "Schuhhaus": ("Damenschuhe Herrenschuhe Kinderschuhe Wanderschuhe Einlagen", "beraten"),
    "Schuhmacherei": ("Schuhreparatur Absätze Schlüsseldienst Gravuren", "reparieren"),
    "Buchhandlung": ("Bücher Kinderbücher Hörbücher Kalender Bestellservice", "lesen"),
    "Optik": ("Brillen Kontaktlinsen Sehtest Sonnenbrillen", "messen"),
    "Kfz-Werkstatt": ("Inspektion Reifenwechsel TÜV Ölwechsel Klimaservice", "reparieren"),
    "Fahrradladen": ("Fahrräder E-Bikes Reparatur Ersatzteile Leasing", "reparieren"),
    "Tischlerei": ("Möbel Fenster Türen Treppen Innenausbau", "bauen"),
    "Elektro": ("Elektroinstallation Photovoltaik Smart Home Wallbox", "installieren"),
    "Getränkemarkt": ("Bier Wein Wasser Säfte Lieferservice", "liefern"),
    "Reisebüro": ("Pauschalreisen Kreuzfahrten Flüge Busreisen", "planen"),
    "Fotostudio": ("Passbilder Bewerbungsfotos Hochzeitsfotografie", "fotografieren"),
    "Handyshop": ("Smartphones Handyreparatur Mobilfunkverträge Zubehör", "reparieren"),
    "Kosmetikstudio": ("Gesichtsbehandlung Maniküre Pediküre Wimpern", "pflegen"),
}
STREETS = (
    "Hochstraße Gladbecker Straße Essener Straße Osterfelder Straße Hauptstraße Kirchhellener "
    "Straße Prosperstraße Horster Straße Scharnhölzstraße Böckenhoffstraße Hansastraße "
    "Ostring Westring Südring Altmarkt Pferdemarkt Am Lamperfeld Feldhausener Straße"
).split(" ")
WORDS = (
    "Familienbetrieb seit Jahren in Bottrop freundliche Beratung regional frisch handgemacht "
    "Qualität Meisterbetrieb faire Preise Parkplätze vor der Tür barrierefrei erreichbar "
    "Innenstadt Kirchhellen Grafenwald Fuhlenbrock Eigen Boy Batenbrock Vonderort Welheim"
).split()


def streets() -> list[str]:
    joined, result = " ".join(STREETS), []
    for part in joined.replace(" Straße", "_Straße").split(" "):
        result.append(part.replace("_", " "))
    return result


def generate(n: int, rng: random.Random) -> None:
    """Insert ``n`` published businesses with Core statements (fast), in batches."""
    categories = {c.name: c for c in db.session.scalars(select(Category))}
    children = [c for c in categories.values() if c.parent_id]
    districts = db.session.scalars(select(District)).all()
    attributes = db.session.scalars(select(Attribute)).all()
    street_names = streets()
    trades = list(TRADES.items())
    now = datetime(2026, 11, 1)
    start_id = (db.session.scalar(select(func.max(Business.id))) or 0) + 1
    batch = 2000
    for first in range(0, n, batch):
        rows, services, hours, delivery, links = [], [], [], [], []
        for i in range(first, min(n, first + batch)):
            bid = start_id + i
            trade, (products, verb) = trades[i % len(trades)]
            surname = rng.choice(SURNAMES)
            district = rng.choice(districts)
            items = products.split()
            description = (
                f"{trade} {surname} in {district.name}: {' '.join(rng.sample(WORDS, 8))}. "
                f"Wir {verb} für Sie {', '.join(rng.sample(items, min(3, len(items))))}."
            )
            rows.append(
                {
                    "id": bid,
                    "name": f"{trade} {surname}" + ("" if i % 3 else f" {district.name}"),
                    "slug": f"bench-{bid}",
                    "category_id": rng.choice(children).id,
                    "district_id": district.id,
                    "short_description": description[:190],
                    "description": description,
                    "street": rng.choice(street_names),
                    "house_number": str(rng.randint(1, 200)),
                    "postcode": rng.choice(district.postcodes or ["46236"]),
                    "city": "Bottrop",
                    "lat": district.lat + rng.uniform(-0.01, 0.01),
                    "lon": district.lon + rng.uniform(-0.015, 0.015),
                    "social": {},
                    "holidays_open": rng.random() < 0.1,
                    "voucher_info": "Gutscheine im Laden" if rng.random() < 0.4 else None,
                    "status": "published",
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                    "published_at": now,
                }
            )
            for pos, item in enumerate(rng.sample(items, min(3, len(items)))):
                services.append(
                    {
                        "business_id": bid,
                        "name": item,
                        "price_cents": rng.randint(100, 9000),
                        "position": pos,
                    }
                )
            opens = rng.choice((7, 8, 9, 10))
            closes = rng.choice((13, 18, 19, 20, 22))
            for day in range(6 if rng.random() < 0.8 else 7):
                hours.append(
                    {
                        "business_id": bid,
                        "weekday": day,
                        "opens": datetime(2000, 1, 1, opens).time(),
                        "closes": datetime(2000, 1, 1, closes).time(),
                    }
                )
            if rng.random() < 0.3:
                delivery.append(
                    {
                        "business_id": bid,
                        "kind": rng.choice(("delivery", "pickup")),
                        "postcodes": [],
                        "radius_km": 5.0,
                        "fee_cents": 250,
                        "min_order_cents": 1500,
                        "free_from_cents": None,
                    }
                )
            for attribute in rng.sample(attributes, rng.randint(0, 2)):
                links.append({"business_id": bid, "attribute_id": attribute.id})
        db.session.execute(insert(Business.__table__), rows)
        db.session.execute(insert(Service.__table__), services)
        db.session.execute(insert(OpeningHours.__table__), hours)
        if delivery:
            db.session.execute(insert(DeliveryOption.__table__), delivery)
        if links:
            db.session.execute(insert(business_attributes), links)
    db.session.commit()


def queries(rng: random.Random, districts: list[str], categories: list[str]) -> list[SearchQuery]:
    """The fixed mix: 60 one-word, 40 two-word, 40 typos, 30 filters only, 30 word+filters."""
    words = [w for trade, (items, _verb) in TRADES.items() for w in [trade, *items.split()]]
    words += ["Bäcker", "baecker", "Frisör", "Schuster", "Handy", "Blumen", "Schuhe", "Döner"]
    flags = ("open_now", "delivery", "pickup", "voucher", "fairtrade", "accessible")

    def typo(word: str) -> str:
        i = rng.randrange(1, len(word) - 1)
        return word[:i] + word[i + 1 :] if rng.random() < 0.5 else word[:i] + "x" + word[i + 1 :]

    mix = [SearchQuery(text=rng.choice(words)) for _ in range(60)]
    mix += [SearchQuery(text=f"{rng.choice(words)} {rng.choice(districts)}") for _ in range(40)]
    long_words = [w for w in words if len(w) >= 6]
    mix += [SearchQuery(text=typo(rng.choice(long_words))) for _ in range(40)]
    for _ in range(30):
        mix.append(
            SearchQuery(
                category=rng.choice(categories),
                district=rng.choice(districts + [""]),
                flags=frozenset(rng.sample(flags, rng.randint(0, 2))),
            )
        )
    for _ in range(30):
        mix.append(
            SearchQuery(
                text=rng.choice(words),
                flags=frozenset(rng.sample(flags, 1)),
                sort=rng.choice(("relevanz", "name")),
            )
        )
    return mix


def database(backend: str, size: int) -> str:
    if backend == "sqlite":
        folder = ROOT / "bench" / "results"
        folder.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{folder / f'search-{size}.sqlite3'}"
    name = f"hallobot_bench_{size}"
    admin = create_engine(f"{PG}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if exists.first() is None:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"{PG}/{name}"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def prepare(backend: str, size: int, **config) -> tuple:
    """The application (with ``config``) on a database with ``size`` generated businesses
    (built when it does not hold that many yet), and the seconds building took (0 when
    reused)."""
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=database(backend, size), **config)
    built = 0.0
    with app.app_context():
        upgrade()
        have = db.session.scalar(select(func.count(Business.id)))
        if have != size:
            start = time.perf_counter()
            db.session.execute(text("DELETE FROM business_attributes"))
            for table in ("delivery_options", "opening_hours", "services"):
                db.session.execute(text(f"DELETE FROM {table}"))
            db.session.execute(text("DELETE FROM search_special_days"))
            db.session.execute(text("DELETE FROM search_documents"))
            db.session.execute(text("DELETE FROM businesses"))
            db.session.commit()
            report = seed.load_reference(ROOT / "seed_data")
            db.session.commit()
            del report
            generate(size, random.Random(size))
            reindex_all()
            db.session.commit()
            built = time.perf_counter() - start
        db.session.remove()
    return app, built


def run(backend: str, size: int, runs: int) -> dict:
    app, built = prepare(backend, size)
    with app.app_context():
        districts = [d.slug for d in db.session.scalars(select(District))]
        categories = [c.slug for c in db.session.scalars(select(Category))]
        mix = queries(random.Random(42), districts, categories)
        for query in mix[:20]:  # warm the caches
            load_businesses(find(query))
            db.session.remove()
        timings, with_cards, hits = [], [], 0
        for _ in range(runs):
            for query in mix:
                start = time.perf_counter()
                result = find(query)
                middle = time.perf_counter()
                load_businesses(result)
                end = time.perf_counter()
                timings.append((middle - start) * 1000)
                with_cards.append((end - start) * 1000)
                hits += result.total
                db.session.remove()
        db.engine.dispose()
    return {
        "p50": percentile(timings, 50),
        "p95": percentile(timings, 95),
        "p99": percentile(timings, 99),
        "cards_p95": percentile(with_cards, 95),
        "built": built,
        "mean_hits": hits / len(timings),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--runs", type=int, default=1, help="passes over the 200 queries")
    args = parser.parse_args()
    print(
        f"{'backend':11} {'size':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'p95+cards':>11} {'avg hits':>9} {'build s':>8}"
    )
    for size in args.sizes:
        for backend in args.backends:
            r = run(backend, size, args.runs)
            built = f"{r['built']:.0f}" if r["built"] else "reused"
            print(
                f"{backend:11} {size:>7} {r['p50']:>8.1f} {r['p95']:>8.1f} {r['p99']:>8.1f} "
                f"{r['cards_p95']:>11.1f} {r['mean_hits']:>9.0f} {built:>8}",
                flush=True,
            )


if __name__ == "__main__":
    main()
