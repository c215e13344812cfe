"""N+1 guard: business and listing pages run a constant number of queries (≤ 10),
whether a listing has 5 or 60 businesses and however many services each has."""

from __future__ import annotations

import pytest

from hallobot.extensions import db

MAX_QUERIES = 10


def _build(factories, n: int, services: int):
    category = factories.category(name=f"Zählkategorie {n}")
    district = factories.district(name=f"Zählviertel {n}")
    businesses = [
        factories.business(category=category, district=district, services=services)
        for _ in range(n)
    ]
    db.session.commit()
    return category, district, businesses


def _count(client, count_queries, path: str) -> int:
    with count_queries() as statements:
        response = client.get(path)
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize("path_kind", ["category", "district", "business", "search"])
def test_constant_query_count(client, factories, count_queries, path_kind):
    counts = []
    for n, services in ((5, 1), (60, 8)):
        category, district, businesses = _build(factories, n, services)
        path = {
            "category": f"/kategorie/{category.slug}",
            "district": f"/stadtteil/{district.slug}",
            "business": f"/betrieb/{businesses[-1].slug}",
            "search": f"/suche?q=testbetrieb&kategorie={category.slug}",
        }[path_kind]
        counts.append(_count(client, count_queries, path))
    assert counts[0] == counts[1], f"query count grows with data: {counts}"
    assert counts[1] <= MAX_QUERIES, counts


def test_home_query_count(client, count_queries):
    assert _count(client, count_queries, "/") <= MAX_QUERIES
