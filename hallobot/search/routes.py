"""/suche (a GET form: every filter is in the URL, results are shareable and work without
JavaScript) and /api/v1/suggest for the search box."""

from __future__ import annotations

import math

from flask import Blueprint, current_app, jsonify, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination

from hallobot.extensions import limiter
from hallobot.i18n import select_locale
from hallobot.search import service
from hallobot.search.params import FLAG_PARAMS, args_of, query_from_args
from hallobot.search.text import highlight, snippet

bp = Blueprint("search", __name__)

FLAG_LABELS = {
    "open_now": _l("Jetzt geöffnet"),
    "delivery": _l("Lieferung"),
    "pickup": _l("Abholung"),
    "voucher": _l("Gutscheine"),
    "fairtrade": _l("Fairtrade"),
    "accessible": _l("Barrierefrei"),
}


class ResultPages(Pagination):
    """Flask-SQLAlchemy's pagination (what the pagination macro reads) over a search
    result, which the search has already cut to one page."""

    def _query_items(self) -> list:
        return self._query_args["items"]

    def _query_count(self) -> int:
        return self._query_args["total"]


@bp.route("/suche")
@limiter.limit("120 per minute")
def search():
    query = query_from_args(request.args)
    result = service.search(query, per_page=current_app.config["PAGE_SIZE"])
    return render_template(
        "search/results.html",
        result=result,
        query=result.query,
        pages=ResultPages(
            page=result.query.page,
            per_page=current_app.config["PAGE_SIZE"],
            max_per_page=None,
            error_out=False,
            items=result.hits,
            total=result.total,
        ),
        args_of=args_of,
        flag_params=FLAG_PARAMS,
        flag_labels=FLAG_LABELS,
        km=km,
        highlight=highlight,
        snippet=snippet,
    )


@bp.route("/api/v1/suggest")
@limiter.limit("300 per minute")
def suggest():
    """Up to six suggestions for the search box: categories and businesses."""
    prefix = (request.args.get("q") or "")[:100]
    items = [
        {
            "kind": s.kind,
            "label": s.label,
            "detail": s.detail,
            "url": url_for("directory.category", slug=s.slug)
            if s.kind == "category"
            else url_for("directory.business", slug=s.slug),
        }
        for s in service.suggest(prefix, english=select_locale() == "en")
    ]
    response = jsonify({"query": prefix, "suggestions": items})
    response.cache_control.public = True
    response.cache_control.max_age = 60
    return response


def km(value: float | None) -> str:
    if value is None or math.isnan(value):
        return ""
    return f"{value:.1f}".replace(".", ",") + " km"
