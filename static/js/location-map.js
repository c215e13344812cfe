// The small map on a business page: the business's pin, nothing to click away. Without
// JavaScript (or tiles) the links beside it still lead to the route planner.
(function () {
  "use strict";
  var element = document.getElementById("standort");
  if (!element || !window.L) { return; }
  var data = element.dataset;
  var point = [parseFloat(data.lat), parseFloat(data.lon)];
  element.hidden = false;
  var map = L.map(element, { scrollWheelZoom: false }).setView(point, 16);
  L.tileLayer(data.tiles, { attribution: data.attribution, maxZoom: 19 }).addTo(map);
  L.marker(point, {
    icon: L.divIcon({ className: "map-marker marker-c0", iconSize: [18, 18], iconAnchor: [9, 9] }),
    title: data.name,
    alt: data.name,
    keyboard: false
  }).addTo(map);
})();
