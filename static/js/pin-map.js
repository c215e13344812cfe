// The owner's pin on the edit page: drag it, or click into the map, and the latitude and
// longitude fields below are filled in (German decimals, six places); typing into the fields
// moves the pin. Without JavaScript the fields work alone. When the tiles cannot be loaded
// (offline) the map stays blank but the pin still works. The server checks the result.
(function () {
  "use strict";
  var element = document.getElementById("pin-map");
  var status = document.getElementById("pin-map-status");
  var latField = document.getElementById("lat");
  var lonField = document.getElementById("lon");
  if (!element || !latField || !lonField || !window.L) { return; }
  var data = element.dataset;
  var texts = JSON.parse(data.texts || "{}");
  var centre = JSON.parse(data.centre);
  var bounds = L.latLngBounds(JSON.parse(data.bounds));

  function parse(value) {
    var text = String(value || "").trim();
    return /^-?\d+([.,]\d+)?$/.test(text) ? Number(text.replace(",", ".")) : null;
  }

  function format(number) {
    return number.toFixed(6).replace(/0+$/, "").replace(/\.$/, "").replace(".", ",");
  }

  function fieldPoint() {
    var lat = parse(latField.value);
    var lon = parse(lonField.value);
    return lat === null || lon === null ? null : L.latLng(lat, lon);
  }

  function say(text) {
    if (!status) { return; }
    status.textContent = text;
    status.hidden = !text;
  }

  var start = fieldPoint();
  element.hidden = false;
  var map = L.map(element, { scrollWheelZoom: false, maxBounds: bounds.pad(0.5) });
  map.setView(start || centre, start ? 17 : 13);
  var tiles = L.tileLayer(data.tiles, { attribution: data.attribution, maxZoom: 19 });
  tiles.once("tileerror", function () { say(texts.no_tiles); });
  tiles.addTo(map);
  var marker = L.marker(start || centre, {
    draggable: true,
    autoPan: true,
    title: texts.pin,
    alt: texts.pin
  }).addTo(map);
  if (!start) { say(texts.unplaced); }

  function place(latlng) {
    latField.value = format(latlng.lat);
    lonField.value = format(latlng.lng);
    say(texts.moved.replace("{lat}", latField.value).replace("{lon}", lonField.value));
  }

  marker.on("dragend", function () { place(marker.getLatLng()); });
  map.on("click", function (event) {
    marker.setLatLng(event.latlng);
    place(event.latlng);
  });

  function follow() {
    var point = fieldPoint();
    if (point) {
      marker.setLatLng(point);
      map.panTo(point);
    }
  }
  latField.addEventListener("change", follow);
  lonField.addEventListener("change", follow);
})();
