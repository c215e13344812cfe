"""/suche: the search page (GET form, shareable URLs)."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from hallobot.directory import service as directory
from hallobot.search import service
from hallobot.web import page_number

bp = Blueprint("search", __name__)


@bp.route("/suche")
def search():
    query = (request.args.get("q") or "").strip()[:200]
    categories = directory.top_categories_with_counts()
    districts = directory.districts_with_counts()
    # the filter values are looked up in the lists the form shows anyway (no extra queries)
    wanted_category = request.args.get("kategorie", "")
    category = next(
        (
            c
            for row in categories
            for c in (row.category, *row.category.children)
            if c.slug == wanted_category
        ),
        None,
    )
    wanted_district = request.args.get("stadtteil", "")
    district = next((r.district for r in districts if r.district.slug == wanted_district), None)
    page = service.search(
        query, page_number(), current_app.config["PAGE_SIZE"], category=category, district=district
    )
    return render_template(
        "search/results.html",
        query=query,
        page=page,
        category=category,
        district=district,
        categories=categories,
        districts=districts,
    )
