"""The search's URL parameters, read and written in one place (the search page, the map
and the API share them): ``q, kategorie, stadtteil, offen, lieferung, abholung, gutschein,
fairtrade, barrierefrei, bottrop-gutschein, sort, lat, lon, ort, seite``."""

from __future__ import annotations

import re
from collections.abc import Mapping

from hallobot.geo.bounds import in_bottrop
from hallobot.search.query import SORTS, SearchQuery
from hallobot.text import one_line

FLAG_PARAMS = {
    "open_now": "offen",
    "delivery": "lieferung",
    "pickup": "abholung",
    "voucher": "gutschein",
    "fairtrade": "fairtrade",
    "accessible": "barrierefrei",
    "city_voucher": "bottrop-gutschein",
}


# a coordinate as the browser writes it ("51.52345", a comma also taken); ASCII digits only,
# so no "nan", "inf", "1e5" or "١٢" (which float() and int() would read)
_COORDINATE = re.compile(r"-?[0-9]{1,3}(?:[.,][0-9]{1,15})?", re.ASCII)
_DIGITS = re.compile(r"[0-9]+", re.ASCII)
LAST_PAGE = 10_000


def _float(value: str | None) -> float | None:
    text = (value or "").strip()
    return float(text.replace(",", ".")) if _COORDINATE.fullmatch(text) else None


def _page(value: str | None) -> int:
    """The page asked for, 1 … LAST_PAGE; 1 for anything but ASCII digits."""
    text = (value or "").strip().lstrip("0")
    if not _DIGITS.fullmatch(text):
        return 1
    return LAST_PAGE if len(text) > len(str(LAST_PAGE)) else min(int(text), LAST_PAGE)


def query_from_args(args: Mapping) -> SearchQuery:
    """A SearchQuery from request arguments; anything malformed is ignored, not an error.
    Typed text is one line without control characters (it is shown on the page)."""
    lat, lon = _float(args.get("lat")), _float(args.get("lon"))
    near = (lat, lon) if lat is not None and lon is not None and in_bottrop(lat, lon) else None
    sort = args.get("sort") or "relevanz"
    return SearchQuery(
        text=one_line(args.get("q"))[:200],
        category=(args.get("kategorie") or "")[:100],
        district=(args.get("stadtteil") or "")[:100],
        flags=frozenset(f for f, name in FLAG_PARAMS.items() if args.get(name) == "1"),
        sort=sort if sort in SORTS else "relevanz",
        near=near,
        place=one_line(args.get("ort"))[:100],
        page=_page(args.get("seite")),
    )


def args_of(query: SearchQuery, **changes) -> dict:
    """URL arguments for ``query`` with ``changes`` (None removes an argument); page 1
    unless a page is given. Flags are changed with flag names: ``delivery=False``."""
    values = {
        "q": query.text,
        "kategorie": query.category,
        "stadtteil": query.district,
        "sort": query.sort if query.sort != "relevanz" else "",
        "ort": query.place,
        "lat": f"{query.near[0]:.5f}" if query.near else "",
        "lon": f"{query.near[1]:.5f}" if query.near else "",
    }
    flags = set(query.flags)
    for key, value in changes.items():
        if key in FLAG_PARAMS:
            flags.add(key) if value else flags.discard(key)
        elif key != "seite":
            values[key] = value
    result = {k: v for k, v in values.items() if v}
    result.update({FLAG_PARAMS[f]: "1" for f in sorted(flags)})
    if changes.get("seite", 1) != 1:
        result["seite"] = changes["seite"]
    return result
