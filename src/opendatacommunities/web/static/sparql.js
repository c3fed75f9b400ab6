// The query editor: Yasgui talking to this site's endpoint only. The address bar always
// holds the query being shown, so every query has a shareable URL. The results table names
// each resource by its label (looked up in one extra query) and links it to its page here.
(function () {
  "use strict";
  var holder = document.getElementById("yasgui");
  if (!holder || typeof Yasgui === "undefined") { return; }
  var initial = holder.getAttribute("data-query");
  var base = holder.getAttribute("data-base") || window.location.origin;
  var endpoint = window.location.origin + "/sparql";
  // Labels are looked up for at most this many resources of one result.
  var MOST_LABELS = 2000;
  var SAFE_IRI = /^[^<>"{}|^`\\\u0000-\u0020]+$/;

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // Where a resource's page is: here for this site's IRIs, /resource?uri= for the others.
  function pageOf(iri) {
    if (iri.indexOf(base + "/") === 0) { return iri.substring(base.length); }
    return "/resource?uri=" + encodeURIComponent(iri);
  }

  function resourcesOf(results) {
    var seen = new Set();
    (results.getBindings() || []).forEach(function (row) {
      Object.keys(row).forEach(function (name) {
        var term = row[name];
        if (term && term.type === "uri" && seen.size < MOST_LABELS && SAFE_IRI.test(term.value)) {
          seen.add(term.value);
        }
      });
    });
    return Array.from(seen);
  }

  function labelQuery(iris) {
    return "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" +
      "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n" +
      "SELECT ?s (SAMPLE(?l) AS ?label) WHERE {\n" +
      "  VALUES ?s { " + iris.map(function (i) { return "<" + i + ">"; }).join(" ") + " }\n" +
      "  ?s rdfs:label|skos:prefLabel ?l\n" +
      "  FILTER(LANG(?l) = \"\" || LANGMATCHES(LANG(?l), \"en\"))\n" +
      "} GROUP BY ?s";
  }

  function fetchLabels(results) {
    var labels = new Map();
    var iris = results && results.getBindings ? resourcesOf(results) : [];
    if (!iris.length) { return Promise.resolve(labels); }
    return fetch(endpoint, {
      method: "POST",
      headers: { "Accept": "application/sparql-results+json" },
      body: new URLSearchParams({ query: labelQuery(iris) }),
    }).then(function (response) {
      return response.ok ? response.json() : { results: { bindings: [] } };
    }).then(function (answer) {
      answer.results.bindings.forEach(function (row) {
        if (row.label) { labels.set(row.s.value, row.label.value); }
      });
      return labels;
    }).catch(function () { return labels; });  // no labels: the IRIs still show
  }

  var Table = Yasgui.Yasr.plugins.table;
  class LabelledTable extends Table {
    async draw(config) {
      this.labels = await fetchLabels(this.yasr.results);
      return super.draw(config);
    }

    getCellContent(binding, prefixes) {
      var label = binding.type === "uri" && this.labels ? this.labels.get(binding.value) : null;
      if (!label) { return super.getCellContent(binding, prefixes); }
      var iri = super.getUriLinkFromBinding(binding, prefixes);
      return "<div><span><a class='label' href='" + escapeHtml(pageOf(binding.value)) + "'>" +
        escapeHtml(label) + "</a> <small class='labelled-iri'>" + iri + "</small></span></div>";
    }
  }
  Yasgui.Yasr.registerPlugin("table", LabelledTable);

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
