"""/api/v1: what the search box and the city map fetch. The logic lives in the search slice
(``service``, ``suggestions``, ``mapdata``, ``params``); these views parse, call it and
answer JSON."""

from __future__ import annotations

import gzip
from urllib.parse import urlencode

from flask import Blueprint, abort, jsonify, make_response, request, url_for

from hallobot.directory.hours import local_now
from hallobot.extensions import limiter
from hallobot.i18n import select_locale
from hallobot.search import mapdata, service, suggestions
from hallobot.search.params import args_of, query_from_args
from hallobot.text import one_line

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.route("/suggest")
@limiter.limit("300 per minute")
def suggest():
    """Up to six suggestions for the search box: categories and businesses."""
    prefix = one_line(request.args.get("q"))[:100]
    items = [
        {
            "kind": s.kind,
            "label": s.label,
            "detail": s.detail,
            "url": url_for("directory.category", slug=s.slug)
            if s.kind == "category"
            else url_for("directory.business", slug=s.slug),
        }
        for s in suggestions.suggest(prefix, english=select_locale() == "en")
    ]
    response = jsonify({"query": prefix, "suggestions": items})
    response.cache_control.public = True
    response.cache_control.max_age = 60
    return response


@bp.route("/businesses.geojson")
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
        body = mapdata.geojson(result, mapdata.map_index(token))
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


@bp.route("/businesses/<int:business_id>/popup")
@limiter.limit("600 per minute")
def business_popup(business_id: int):
    """What a map marker's popup shows: name, category, the live open state, address and
    links (page and route planner)."""
    details = mapdata.popup(business_id)
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
