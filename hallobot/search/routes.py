"""/suche (a GET form: every filter is in the URL, results are shareable and work without
JavaScript) and the city map /karte. What the search box and the map fetch is in ``api/``."""

from __future__ import annotations

import math

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination

from hallobot.extensions import limiter
from hallobot.geo.bounds import CENTRE, EAST, NORTH, SOUTH, WEST
from hallobot.search import mapdata, service
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
    "city_voucher": _l("Akzeptiert den Bottrop-Gutschein"),
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
    return _results_page("search/results.html", query_from_args(request.args))


@bp.route("/karte")
@limiter.limit("120 per minute")
def map_page():
    """The city map: the same filters as /suche; without JavaScript its list of results is
    the page, with it the list follows the visible part of the map."""
    query = query_from_args(request.args)
    return _results_page(
        "search/map.html",
        query,
        geojson_url=url_for("api.businesses_geojson", **args_of(query)),
        hotspots=mapdata.hotspots(),
        bounds=[[SOUTH, WEST], [NORTH, EAST]],
        centre=CENTRE,
    )


def _results_page(template: str, query, **extra):
    result = service.search(query, per_page=current_app.config["PAGE_SIZE"])
    return render_template(
        template,
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
        **extra,
    )


def km(value: float | None) -> str:
    if value is None or math.isnan(value):
        return ""
    return f"{value:.1f}".replace(".", ",") + " km"
