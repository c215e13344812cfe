"""Stand-ins for the external HTTP services, served for real on 127.0.0.1 (no internet):

* ``NominatimStandIn`` answers ``/search?format=json`` like Nominatim, from a small
  gazetteer of Bottrop streets (structured and free-text queries, ``bounded``/``viewbox``
  honoured), and records every request with its parameters, headers and arrival time.
  Tests can force answers for an address or make it fail with an HTTP status.
* ``TileServer`` answers every ``….png`` with one plain map tile, so pages with a map load
  their tiles from loopback (``/offline/…`` answers 404: tiles that cannot be loaded).
"""

from __future__ import annotations

import io
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from hallobot.geo.service import normalise_address

LICENCE = "Data © OpenStreetMap contributors, ODbL 1.0. https://osm.org/copyright"

# folded street name -> (postcode, lat, lon, Stadtteil): coordinates from the facts sheet
GAZETTEER = {
    "hochstrasse": ("46236", 51.5245, 6.9275, "Stadtmitte"),
    "gladbecker strasse": ("46236", 51.528939, 6.929466, "Stadtmitte"),
    "luetzowstrasse": ("46236", 51.527587, 6.926493, "Stadtmitte"),
    "kirchhellener strasse": ("46236", 51.5300, 6.9240, "Stadtmitte"),
    "boyer markt": ("46240", 51.5330, 6.9670, "Boy"),
    "johannesstrasse": ("46240", 51.5340, 6.9650, "Boy"),
    "prosperstrasse": ("46238", 51.52193, 6.96385, "Batenbrock"),
    "knappenstrasse": ("46238", 51.518367, 6.956830, "Batenbrock"),
    "hafenstrasse": ("46242", 51.5030, 6.9440, "Ebel"),
    "hauptstrasse": ("46244", 51.6022, 6.9214, "Kirchhellen"),
    "warner allee": ("46244", 51.6200, 6.9725, "Feldhausen"),
    "alter postweg": ("46244", 51.6440, 6.9310, "Ekel"),
}
STREET_NAMES = {
    "hochstrasse": "Hochstraße",
    "gladbecker strasse": "Gladbecker Straße",
    "luetzowstrasse": "Lützowstraße",
    "kirchhellener strasse": "Kirchhellener Straße",
    "boyer markt": "Boyer Markt",
    "johannesstrasse": "Johannesstraße",
    "prosperstrasse": "Prosperstraße",
    "knappenstrasse": "Knappenstraße",
    "hafenstrasse": "Hafenstraße",
    "hauptstrasse": "Hauptstraße",
    "warner allee": "Warner-Allee",
    "alter postweg": "Alter Postweg",
}


def _serve(host: str, handler, name: str) -> tuple[ThreadingHTTPServer, threading.Thread]:
    """A threaded HTTP server on ``host`` (a free port), serving in a daemon thread."""
    server = ThreadingHTTPServer((host, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    return server, thread


def _shut(server: ThreadingHTTPServer | None, thread: threading.Thread | None) -> None:
    if server is not None:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@dataclass(frozen=True)
class RecordedRequest:
    path: str
    params: dict[str, str]
    headers: dict[str, str]
    at: float  # time.monotonic() when the request arrived


def nominatim_result(
    lat: float, lon: float, display_name: str, postcode: str | None = None, place_id: int = 1
) -> dict:
    """One search result in Nominatim's JSON shape (format=json, addressdetails=1)."""
    address = {"city": "Bottrop", "state": "Nordrhein-Westfalen", "country": "Deutschland"}
    if postcode:
        address["postcode"] = postcode
    address["country_code"] = "de"
    return {
        "place_id": place_id,
        "licence": LICENCE,
        "osm_type": "node",
        "osm_id": place_id,
        "lat": f"{lat:.7f}",
        "lon": f"{lon:.7f}",
        "class": "place",
        "type": "house",
        "place_rank": 30,
        "importance": 0.1,
        "addresstype": "place",
        "name": "",
        "display_name": display_name,
        "address": address,
        "boundingbox": [f"{v:.7f}" for v in (lat - 1e-4, lat + 1e-4, lon - 1e-4, lon + 1e-4)],
    }


@dataclass
class NominatimStandIn:
    host: str = "127.0.0.1"
    requests: list[RecordedRequest] = field(default_factory=list)
    forced: dict[str, list[dict]] = field(default_factory=dict)  # address words -> answer
    fail_with: int | None = None  # answer every search with this HTTP status
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self._server.server_port}"

    def start(self) -> None:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802 - the http.server API
                parts = urlsplit(self.path)
                params = dict(parse_qsl(parts.query, keep_blank_values=True))
                standin.requests.append(
                    RecordedRequest(parts.path, params, dict(self.headers), time.monotonic())
                )
                if parts.path.rstrip("/") != "/search":
                    return self._send(404, {"error": "not found"})
                if standin.fail_with:
                    return self._send(standin.fail_with, {"error": "stand-in failure"})
                if params.get("format") != "json":
                    return self._send(400, {"error": "format=json expected"})
                return self._send(200, standin.search(params))

            def _send(self, status: int, body) -> None:
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format, *args) -> None:  # quiet
                pass

        self._server, self._thread = _serve(self.host, Handler, "nominatim-standin")

    def stop(self) -> None:
        _shut(self._server, self._thread)

    def reset(self) -> None:
        self.requests.clear()
        self.forced.clear()
        self.fail_with = None

    def searches(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path.rstrip("/") == "/search"]

    # --- answering ---

    def search(self, params: dict[str, str]) -> list[dict]:
        if "q" in params:
            text = params["q"]
        else:
            text = " ".join(params.get(k, "") for k in ("street", "postalcode", "city"))
        folded = normalise_address(text)
        for key, answer in self.forced.items():  # every word of the key is in the query
            if set(normalise_address(key).split()) <= set(folded.split()):
                return answer
        results = self._lookup(folded, params)
        if params.get("bounded") == "1" and params.get("viewbox"):
            west, south, east, north = sorted_box(params["viewbox"])
            results = [
                r
                for r in results
                if south <= float(r["lat"]) <= north and west <= float(r["lon"]) <= east
            ]
        return results[: int(params.get("limit", "10"))]

    def _lookup(self, folded: str, params: dict[str, str]) -> list[dict]:
        padded = f" {folded} "
        street = max((name for name in GAZETTEER if f" {name} " in padded), key=len, default=None)
        if street is None:
            return []
        postcode, lat, lon, district = GAZETTEER[street]
        wanted = params.get("postalcode") or _postcode_in(folded)
        if wanted and wanted != postcode:
            return []
        number = _house_number(folded.replace(street, " "))
        if number is not None:  # houses along the street, about 1.4 m apart per number
            lon += number * 0.00002
        name = STREET_NAMES[street]
        parts = [str(number)] if number is not None else []
        parts += [name, district, "Bottrop", "Nordrhein-Westfalen", postcode, "Deutschland"]
        return [nominatim_result(lat, lon, ", ".join(parts), postcode)]


def sorted_box(viewbox: str) -> tuple[float, float, float, float]:
    """Nominatim's viewbox is two corners "x1,y1,x2,y2" in any order: west, south, east,
    north."""
    x1, y1, x2, y2 = (float(v) for v in viewbox.split(","))
    return min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)


def _postcode_in(folded: str) -> str | None:
    match = re.search(r"\b\d{5}\b", folded)
    return match.group(0) if match else None


def _house_number(folded: str) -> int | None:
    for token in folded.split():
        if token.isdigit() and len(token) < 5:
            return int(token)
    return None


# --- map tiles ---


def tile_png() -> bytes:
    """A plain 256 × 256 tile: a light background with a faint grid line on two edges."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (256, 256), (238, 234, 226))
    draw = ImageDraw.Draw(image)
    draw.line([(0, 0), (255, 0)], fill=(214, 208, 198), width=1)
    draw.line([(0, 0), (0, 255)], fill=(214, 208, 198), width=1)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@dataclass
class TileServer:
    host: str = "127.0.0.1"
    requests: list[str] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    @property
    def url_template(self) -> str:
        return f"http://{self.host}:{self._server.server_port}/tiles/{{z}}/{{x}}/{{y}}.png"

    @property
    def offline_template(self) -> str:
        return self.url_template.replace("/tiles/", "/offline/")

    def start(self) -> None:
        tiles, png = self, tile_png()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802 - the http.server API
                tiles.requests.append(self.path)
                ok = self.path.endswith(".png") and not self.path.startswith("/offline/")
                body = png if ok else b"not found"
                self.send_response(200 if ok else 404)
                self.send_header("Content-Type", "image/png" if ok else "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "max-age=3600")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format, *args) -> None:  # quiet
                pass

        self._server, self._thread = _serve(self.host, Handler, "tile-server")

    def stop(self) -> None:
        _shut(self._server, self._thread)
