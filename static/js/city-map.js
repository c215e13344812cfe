// The city map (/karte): the search's results as clustered markers, a popup that loads the
// business's details when opened, a list of what is in view (the keyboard-usable
// alternative to the markers), the shopper's own location, and layers for the WiFi4EU
// hotspots and the Fairtrade businesses. Without JavaScript, or when Leaflet cannot start,
// the page keeps its server-rendered list.
(function () {
  "use strict";
  var element = document.getElementById("stadtkarte");
  if (!element || !window.L || !L.markerClusterGroup) { return; }
  var data = element.dataset;
  var texts = JSON.parse(data.texts);
  var listBox = document.getElementById("map-list");
  var countBox = document.getElementById("map-list-count");
  var LIST_LIMIT = 50;

  function format(text, values) {
    return text.replace(/\{(\w+)\}/g, function (_m, key) { return String(values[key]); });
  }
  function node(tag, className, text) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    if (text !== undefined) { el.textContent = text; }
    return el;
  }
  function km(metres) { return (metres / 1000).toFixed(1).replace(".", ","); }

  element.hidden = false;
  document.body.classList.add("has-city-map");
  var filters = document.querySelector(".map-filters");
  if (filters && window.matchMedia("(min-width: 900px)").matches) { filters.open = true; }
  var legend = {};
  var map = L.map(element, { zoomControl: true });
  map.fitBounds(JSON.parse(data.bounds));
  L.tileLayer(data.tiles, { attribution: data.attribution, maxZoom: 19 }).addTo(map);

  var icons = [];
  for (var c = 0; c < 8; c++) {
    icons.push(L.divIcon({ className: "map-marker marker-c" + c, iconSize: [18, 18], iconAnchor: [9, 9], popupAnchor: [0, -8] }));
  }
  var clusters = L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 60 });
  var fairtrade = L.layerGroup();
  var wifi = L.layerGroup();
  var markers = [];
  var me = null;

  // --- popups: details on demand ---
  function popupContent(marker) {
    var box = node("div", "map-popup");
    box.appendChild(node("strong", "", marker.feature.properties.n));
    var body = node("p", "", texts.loading);
    box.appendChild(body);
    fetch(data.popup.replace("/0/", "/" + marker.feature.id + "/"), { headers: { "Accept": "application/json" } })
      .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
      .then(function (d) {
        body.textContent = "";
        body.appendChild(node("span", "map-popup-category", d.category + (d.district ? " · " + d.district : "")));
        body.appendChild(document.createElement("br"));
        body.appendChild(node("span", "state state-" + d.state_class, d.state));
        body.appendChild(document.createElement("br"));
        body.appendChild(node("span", "", d.address + ", " + d.place));
        if (me) {
          body.appendChild(document.createElement("br"));
          body.appendChild(node("span", "distance", format(texts.away, { km: km(me.getLatLng().distanceTo(marker.getLatLng())) })));
        }
        var links = node("p", "map-popup-links");
        var page = node("a", "map-popup-link", texts.details);
        page.href = d.url;
        links.appendChild(page);
        if (d.route) {
          links.appendChild(document.createTextNode(" · "));
          var route = node("a", "", texts.route);
          route.href = d.route;
          route.rel = "noopener";
          links.appendChild(route);
        }
        box.appendChild(links);
        marker.getPopup().update();
      })
      .catch(function () { body.textContent = texts.failed; });
    return box;
  }

  // --- the list of what is in view ---
  function renderList() {
    if (!markers.length && countBox.dataset.loaded !== "1") { return; }
    var bounds = map.getBounds();
    var visible = markers.filter(function (m) { return bounds.contains(m.getLatLng()); });
    if (me) {
      var here = me.getLatLng();
      visible.forEach(function (m) { m.away = here.distanceTo(m.getLatLng()); });
      visible.sort(function (a, b) { return a.away - b.away; });
    }
    countBox.textContent = format(texts.visible, { num: visible.length });
    listBox.textContent = "";
    if (!visible.length) {
      listBox.appendChild(node("p", "empty", texts.visible_none));
      return;
    }
    var list = node("ul", "map-results plain-list");
    visible.slice(0, LIST_LIMIT).forEach(function (m) {
      var item = document.createElement("li");
      var link = node("a");
      link.href = data.business.replace("__slug__", encodeURIComponent(m.feature.properties.s));
      link.appendChild(node("strong", "", m.feature.properties.n));
      item.appendChild(link);
      if (legend[m.feature.properties.c]) { item.appendChild(node("span", "map-result-meta", legend[m.feature.properties.c])); }
      if (me) { item.appendChild(node("span", "distance", " " + format(texts.away, { km: km(m.away) }))); }
      var show = node("button", "link-button map-show", texts.show);
      show.type = "button";
      m.listButton = show;
      show.addEventListener("click", function () {
        clusters.zoomToShowLayer(m, function () {
          m.openPopup();
          // the move renews this list (and drops this button): the keyboard goes on in
          // the popup, and comes back to the business's button when it closes
          var popup = m.getPopup().getElement();
          if (popup && !popup.hasAttribute("tabindex")) {
            popup.tabIndex = -1;
            popup.addEventListener("keydown", function (event) {
              if (event.key === "Escape") { m.closePopup(); }
            });
          }
          if (popup) { popup.focus(); }
          m.once("popupclose", function () {
            var active = document.activeElement;
            if ((!active || active === document.body || (popup && popup.contains(active))) && m.listButton.isConnected) {
              m.listButton.focus();
            }
          });
        });
      });
      item.appendChild(document.createTextNode(" "));
      item.appendChild(show);
      list.appendChild(item);
    });
    listBox.appendChild(list);
    if (visible.length > LIST_LIMIT) {
      listBox.appendChild(node("p", "hint", format(texts.more, { num: visible.length - LIST_LIMIT })));
    }
  }

  // --- the data ---
  fetch(data.geojson, { headers: { "Accept": "application/geo+json" } })
    .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
    .then(function (collection) {
      (collection.legend || []).forEach(function (entry) {
        legend[entry.c] = document.documentElement.lang === "en" && entry.name_en ? entry.name_en : entry.name;
      });
      collection.features.forEach(function (feature) {
        var point = feature.geometry.coordinates;
        var latlng = L.latLng(point[1], point[0]);
        var marker = L.marker(latlng, { icon: icons[feature.properties.c % 8], title: feature.properties.n, alt: feature.properties.n });
        marker.feature = feature;
        // the details are fetched the first time the popup opens, then kept
        marker.bindPopup(texts.loading, { minWidth: 200 });
        marker.once("popupopen", function () { marker.setPopupContent(popupContent(marker)); });
        markers.push(marker);
        if (feature.properties.f) {
          L.circleMarker(latlng, { radius: 13, color: "#1b7f3b", weight: 3, fill: false, interactive: false }).addTo(fairtrade);
        }
      });
      clusters.addLayers(markers);
      map.addLayer(clusters);
      countBox.dataset.loaded = "1";
      element.dataset.markers = String(markers.length);
      renderList();
    })
    .catch(function () {
      element.dataset.markers = "error";
      var warning = node("p", "notice notice-warning", texts.map_failed);
      warning.setAttribute("role", "status");
      element.parentNode.insertBefore(warning, element);
    });

  // --- layers ---
  JSON.parse(document.getElementById("map-hotspots").textContent).forEach(function (spot) {
    L.circleMarker([spot.lat, spot.lon], { radius: 7, color: "#0b5cad", weight: 2, fillColor: "#4ea1f3", fillOpacity: 0.9 })
      .bindPopup(function () {
        var box = node("div", "map-popup");
        box.appendChild(node("strong", "", spot.name));
        box.appendChild(node("p", "", spot.note || texts.wifi_note));
        return box;
      })
      .addTo(wifi);
  });
  var overlays = {};
  overlays[texts.wifi] = wifi;
  overlays[texts.fairtrade] = fairtrade;
  L.control.layers(null, overlays, { collapsed: false }).addTo(map);

  map.on("moveend", renderList);

  // --- "Mein Standort" ---
  var locate = document.getElementById("map-locate");
  var status = document.getElementById("map-locate-status");
  if (locate && "geolocation" in navigator) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      status.textContent = texts.locating;
      navigator.geolocation.getCurrentPosition(function (position) {
        var here = L.latLng(position.coords.latitude, position.coords.longitude);
        if (me) { me.setLatLng(here); } else {
          me = L.circleMarker(here, { radius: 8, color: "#fff", weight: 3, fillColor: "#d7263d", fillOpacity: 1 })
            .bindTooltip(texts.me).addTo(map);
        }
        status.textContent = texts.me;
        map.setView(here, Math.max(map.getZoom(), 15));
        renderList();
      }, function () {
        status.textContent = texts.no_location;
      }, { timeout: 10000, maximumAge: 300000 });
    });
  }
})();
