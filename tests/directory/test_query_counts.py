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
        if path_kind == "search":
            # the first search after an index change also reads the index's snapshot and
            # who is open now (see hallobot/search/snapshot.py): two queries more, once
            assert _count(client, count_queries, path) <= MAX_QUERIES + 2
        counts.append(_count(client, count_queries, path))
    assert counts[0] == counts[1], f"query count grows with data: {counts}"
    assert counts[1] <= MAX_QUERIES, counts


def test_home_query_count(client, factories, count_queries):
    _build(factories, 12, 2)
    assert _count(client, count_queries, "/") <= MAX_QUERIES


def _add_photos(business, n: int) -> None:
    from hallobot.directory.models import MediaFile, Photo

    for i in range(n):
        key = f"{business.id:08d}{i:024d}"
        db.session.add(MediaFile(key=key, business_id=business.id, width=1200, height=900))
        business.photos.append(
            Photo(media_key=key, kind="logo" if i == 0 else "gallery", alt_text=f"Foto {i}")
        )
    db.session.commit()


def test_business_page_with_photos_has_a_constant_query_count(client, factories, count_queries):
    counts = []
    for size, n in ((1, 1), (2, 13)):
        _category, _district, businesses = _build(factories, size, 2)
        _add_photos(businesses[0], n)
        page = client.get(f"/betrieb/{businesses[0].slug}").get_data(as_text=True)
        assert page.count("/medien/") >= n
        counts.append(_count(client, count_queries, f"/betrieb/{businesses[0].slug}"))
    assert counts[0] == counts[1] <= MAX_QUERIES, counts


def test_moderation_queue_has_a_constant_query_count(
    app, factories, count_queries, moderator_account
):
    from hallobot.moderation.models import Report, Revision
    from tests.conftest import login_as

    moderator = login_as(app, moderator_account)
    counts = []
    for n in (1, 15):
        _category, _district, businesses = _build(factories, n, 1)
        for business in businesses:
            db.session.add(Revision(business=business, changes={"description": "Neu"}))
            db.session.add(Report(business=business, reason="sonstiges", message="Prüfen"))
        db.session.commit()
        counts.append(_count(moderator, count_queries, "/moderation"))
    assert counts[0] == counts[1] <= MAX_QUERIES, counts
