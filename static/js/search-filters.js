// Search filters: apply a changed filter at once, and offer "In meiner Nähe" (the browser's
// location, only when asked). Without JavaScript the form's "Anwenden" button does the same.
(function () {
  "use strict";
  var form = document.getElementById("filter");
  if (!form) { return; }
  var english = document.documentElement.lang === "en";
  var status = document.getElementById("near-me-status");
  // Ticking a box applies it at once; radio buttons and lists wait for "Anwenden", so that
  // moving through them with the keyboard does not reload the page at every step.
  form.addEventListener("change", function (event) {
    var t = event.target;
    if (t.name === "ort") { form.elements.lat.value = ""; form.elements.lon.value = ""; }
    if (t.name === "sort" && t.value === "entfernung" && !form.elements.lat.value && !form.elements.ort.value) {
      status.textContent = english
        ? "Type a postcode, district or street, or choose “Near me”."
        : "Geben Sie eine Postleitzahl, einen Stadtteil oder eine Straße ein oder wählen Sie „In meiner Nähe“.";
      return;
    }
    if (t.type === "checkbox") { form.submit(); }
  });
  var button = document.getElementById("near-me");
  if (!button || !("geolocation" in navigator)) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = english ? "Finding your location …" : "Ihr Standort wird ermittelt …";
    navigator.geolocation.getCurrentPosition(function (position) {
      form.elements.lat.value = position.coords.latitude.toFixed(5);
      form.elements.lon.value = position.coords.longitude.toFixed(5);
      form.elements.ort.value = "";
      form.elements.sort.value = "entfernung";
      form.submit();
    }, function () {
      status.textContent = english
        ? "Your location is not available. Type a postcode, district or street instead."
        : "Ihr Standort ist nicht verfügbar. Geben Sie stattdessen eine Postleitzahl, einen Stadtteil oder eine Straße ein.";
    }, { timeout: 10000, maximumAge: 300000 });
  });
})();
