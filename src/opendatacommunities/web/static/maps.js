// Maps: the area under the pointer or with keyboard focus is named, with its figure, in the
// line below the map (the words of the area's title, which browsers show only on hover).
// Without this script each area still has its title, and the numbers are in the table.
(function () {
  "use strict";
  function show(event) {
    var target = event.target;
    var link = target && target.closest ? target.closest("figure.map a.area") : null;
    if (!link) return;
    var detail = link.closest("figure.map").querySelector(".map-detail");
    var title = link.querySelector("title");
    if (detail && title) detail.textContent = title.textContent;
  }
  document.addEventListener("mouseover", show);
  document.addEventListener("focusin", show);
})();
