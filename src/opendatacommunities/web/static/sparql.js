// The query editor: Yasgui talking to this site's endpoint only. The address bar always
// holds the query being shown, so every query has a shareable URL.
(function () {
  "use strict";
  var holder = document.getElementById("yasgui");
  if (!holder || typeof Yasgui === "undefined") { return; }
  var initial = holder.getAttribute("data-query");
  var endpoint = window.location.origin + "/sparql";
  var yasgui = new Yasgui(holder, {
    requestConfig: {
      endpoint: endpoint,
      method: "POST",
      acceptHeaderSelect: "application/sparql-results+json",
      acceptHeaderGraph: "text/turtle",
    },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
  });
  var tab = yasgui.getTab();
  if (initial) {
    tab.setQuery(initial);
    tab.query();
  }
  yasgui.on("query", function (_, current) {
    var address = "/sparql?query=" + encodeURIComponent(current.getQuery());
    window.history.replaceState(null, "", address);
  });
})();
