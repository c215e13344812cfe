// Suggestions for the search box: an ARIA combobox (WAI-ARIA 1.2 pattern "list autocomplete").
// Typing asks /api/v1/suggest after a short pause; Up/Down move through the list, Enter opens
// the chosen suggestion (or searches as usual), Escape closes the list.
(function () {
  "use strict";
  var input = document.querySelector("input[data-suggest]");
  if (!input || !window.fetch) { return; }
  var list = document.getElementById(input.getAttribute("aria-controls"));
  var endpoint = input.dataset.suggest;
  var timer = null, active = -1, items = [], last = "", controller = null, dismissed = null;

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function select(index) {
    var options = list.querySelectorAll("[role=option]");
    options.forEach(function (option, i) { option.setAttribute("aria-selected", i === index ? "true" : "false"); });
    active = index;
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", options[index].id);
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function render(suggestions) {
    items = suggestions;
    list.textContent = "";
    suggestions.forEach(function (s, i) {
      var li = document.createElement("li");
      li.id = "suggest-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.className = "suggestion suggestion-" + s.kind;
      var label = document.createElement("span");
      label.textContent = s.label;
      li.appendChild(label);
      if (s.detail) {
        var detail = document.createElement("small");
        detail.textContent = s.detail;
        li.appendChild(detail);
      }
      li.addEventListener("mousedown", function (event) { event.preventDefault(); window.location.href = s.url; });
      list.appendChild(li);
    });
    if (suggestions.length) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      select(-1);
    } else {
      close();
    }
  }

  function ask() {
    var q = input.value.trim();
    if (q.length < 2) { render([]); last = q; return; }
    if (q === last) { return; }
    last = q;
    if (controller) { controller.abort(); }
    controller = window.AbortController ? new AbortController() : null;
    fetch(endpoint + "?q=" + encodeURIComponent(q), { signal: controller ? controller.signal : undefined, headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
      .then(function (data) {
        // too late: the text changed, the list was closed for this text, or focus moved on
        if (input.value.trim() !== q || dismissed === q || document.activeElement !== input) { return; }
        render(data.suggestions || []);
      })
      .catch(function () { /* aborted or offline: no suggestions */ });
  }

  input.addEventListener("input", function () {
    dismissed = null;
    clearTimeout(timer);
    timer = setTimeout(ask, 200);
  });
  input.addEventListener("keydown", function (event) {
    var open = !list.hidden && items.length;
    if (event.key === "ArrowDown") {
      if (!open) {
        event.preventDefault();
        dismissed = null;
        if (items.length && input.value.trim() === last) { render(items); } else { ask(); }
        return;
      }
      event.preventDefault();
      select((active + 1) % items.length);
    } else if (event.key === "ArrowUp" && open) {
      event.preventDefault();
      select(active <= 0 ? items.length - 1 : active - 1);
    } else if (event.key === "Enter" && open && active >= 0) {
      event.preventDefault();
      window.location.href = items[active].url;
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      dismissed = input.value.trim();
      close();
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 100); });
})();
