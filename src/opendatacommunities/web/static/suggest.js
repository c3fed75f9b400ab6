// The site's search box as a combobox (WAI-ARIA Authoring Practices, "list autocomplete"):
// as someone types, /search/suggest offers a few results; Down and Up move through them,
// Enter opens the one chosen (or searches when none is), Escape closes the list. Without
// this script the box is a plain form that submits to /search.
(function () {
  "use strict";
  var input = document.getElementById("site-search");
  var list = document.getElementById("site-search-list");
  var status = document.getElementById("site-search-status");
  if (!input || !list || !status || !window.fetch) return;
  var options = [];
  var active = -1;
  var timer = null;
  var asked = 0;

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("autocomplete", "off");

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function choose(index) {
    if (active >= 0) options[active].setAttribute("aria-selected", "false");
    active = index;
    if (index < 0) {
      input.removeAttribute("aria-activedescendant");
      return;
    }
    options[index].setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", options[index].id);
    options[index].scrollIntoView({ block: "nearest" });
  }

  function option(suggestion, index) {
    var item = document.createElement("li");
    item.id = list.id + "-" + index;
    item.setAttribute("role", "option");
    item.setAttribute("aria-selected", "false");
    item.dataset.page = suggestion.page;
    var name = document.createElement("span");
    name.textContent = suggestion.label;
    item.appendChild(name);
    var about = [suggestion.kind, suggestion.within && "in " + suggestion.within, suggestion.code];
    var meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = " " + about.filter(Boolean).join(" · ");
    item.appendChild(meta);
    item.addEventListener("mousedown", function (event) {
      event.preventDefault(); // keep the focus in the box
      window.location.assign(suggestion.page);
    });
    return item;
  }

  function show(suggestions) {
    list.textContent = "";
    options = suggestions.map(option);
    options.forEach(function (item) { list.appendChild(item); });
    active = -1;
    input.removeAttribute("aria-activedescendant");
    var count = suggestions.length;
    status.textContent = count ? count + (count === 1 ? " suggestion" : " suggestions") : "No suggestions";
    if (count) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    } else {
      close();
    }
  }

  function ask() {
    var text = input.value.trim();
    var mine = ++asked;
    if (!text) { close(); return; }
    fetch("/search/suggest?q=" + encodeURIComponent(text), { headers: { accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
      .then(function (found) { if (mine === asked) show(found.suggestions); })
      .catch(function () { if (mine === asked) close(); });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 120);
  });
  input.addEventListener("keydown", function (event) {
    var open = !list.hidden && options.length;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (!open) { ask(); return; }
      choose((active + 1) % options.length);
    } else if (event.key === "ArrowUp" && open) {
      event.preventDefault();
      choose(active <= 0 ? options.length - 1 : active - 1);
    } else if (event.key === "Enter" && open && active >= 0) {
      event.preventDefault();
      window.location.assign(options[active].dataset.page);
    } else if (event.key === "Escape") {
      if (open) { event.preventDefault(); close(); } else { input.value = ""; }
    }
  });
  input.addEventListener("blur", close);
})();
