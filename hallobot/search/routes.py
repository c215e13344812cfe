"""/suche (a GET form: every filter is in the URL, results are shareable and work without
JavaScript) and /api/v1/suggest for the search box."""

from __future__ import annotations

import gzip
import math
from urllib.parse import urlencode

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    make_response,
    render_template,
    request,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination

from hallobot.directory.hours import local_now
from hallobot.extensions import db, limiter
from hallobot.geo.bounds import CENTRE, EAST, NORTH, SOUTH, WEST
from hallobot.i18n import select_locale
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
        geojson_url=url_for("search.businesses_geojson", **args_of(query)),
        hotspots=mapdata.hotspots(db.session),
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


@bp.route("/api/v1/businesses.geojson")
@limiter.limit("120 per minute")
def businesses_geojson():
    """The businesses matching the search's filters (same parameters as /suche) as compact
    GeoJSON, gzip-compressed when the client accepts it, with an ETag (304 when unchanged)."""
    query = query_from_args(request.args)
    token = service.index_token()
    minute = local_now().strftime("%Y-%m-%dT%H:%M") if "open_now" in query.flags else ""
    # gzip unless refused (q=0); each coding has its own validator, as a cache holding both
    # variants must tell them apart
    packed = request.accept_encodings.quality("gzip") > 0
    tag = mapdata.etag(token, urlencode(sorted(args_of(query).items())), minute)
    tag += "-gz" if packed else ""
    if request.if_none_match.contains_weak(tag):  # If-None-Match compares weakly
        response = make_response("", 304)
    else:
        result = service.find(query, everything=True)
        body = mapdata.geojson(result, mapdata.map_index(db.session, token))
        response = make_response(body)
        response.mimetype = "application/geo+json"
        if packed:
            response.set_data(gzip.compress(body, 6, mtime=0))
            response.content_encoding = "gzip"
    response.set_etag(tag)
    response.vary.add("Accept-Encoding")
    response.cache_control.public = True
    response.cache_control.max_age = 60
    return response


@bp.route("/api/v1/businesses/<int:business_id>/popup")
@limiter.limit("600 per minute")
def business_popup(business_id: int):
    """What a map marker's popup shows: name, category, the live open state, address and
    links (page and route planner)."""
    details = mapdata.popup(db.session, business_id)
    if details is None:
        abort(404)
    english = select_locale() == "en"
    state = details["state"]
    response = jsonify(
        {
            "id": details["id"],
            "name": details["name"],
            "category": details["category_en"]
            if english and details["category_en"]
            else details["category"],
            "district": details["district"],
            "address": details["address"],
            "place": details["place"],
            "open": state.css == "open",
            "state": state.text,
            "state_class": state.css,
            "url": url_for("directory.business", slug=details["slug"]),
            "route": route_url(details["lat"], details["lon"]),
        }
    )
    response.cache_control.public = True
    response.cache_control.max_age = 60
    return response


def route_url(lat: float | None, lon: float | None) -> str:
    """OpenStreetMap's route planner with the business as the destination."""
    if lat is None or lon is None:
        return ""
    return f"https://www.openstreetmap.org/directions?route=%3B{lat:.5f}%2C{lon:.5f}"


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
