/* TIPs map — the network page: the validated network with the map's filters, a territory focus
 * and a measure for the node sizes; the legend's counts, the measures table, the picked actor's
 * summary and the exports follow the drawing.
 * The URL holds the map's filters plus ?focus=<territory> and ?mesure=<measure>: reloading or
 * sending it restores the same drawing; the back button walks through filter changes.
 * TIPS.network exposes the drawing (cy, data, ready, timings) to the browser tests and the bench. */
(function () {
  "use strict";
  var TIPS = (window.TIPS = window.TIPS || {});
  var drawing = TIPS.networkDrawing;

  function initNetworkPage() {
    var settings = TIPS.config("network-config");
    var labels = settings.labels;
    var form = document.getElementById("filters");
    var focusSelect = document.getElementById("focus");
    var measureSelect = document.getElementById("measure");
    var container = document.getElementById("network");
    var status = document.getElementById("network-status");
    var summary = TIPS.networkSummary(document.getElementById("network-summary"), settings);
    var table = TIPS.networkTable(document.getElementById("network-measures"), settings);
    var ask = TIPS.latestJSON();
    var state = (TIPS.network = { cy: null, data: null, ready: false, timings: {} });
    var cy = null;

    function measure() {
      return measureSelect.value || "degree";
    }

    // The measure stays out of the URL at its default, like an empty filter.
    var urlState = TIPS.urlState(form, ["focus", "mesure"], function (key) {
      if (key === "focus") return focusSelect.value;
      return measure() === "degree" ? "" : measure();
    });

    /* Big drawings skip edges and labels while panning or zooming: init-only options, so the
     * instance is remade when a drawing crosses the threshold. */
    function makeCy(large) {
      if (cy && cy.scratch("large") === large) return;
      if (cy) cy.destroy();
      cy = cytoscape({
        container: container,
        style: drawing.stylesheet({ straight: large }),
        minZoom: 0.05,
        maxZoom: 4,
        boxSelectionEnabled: false,
        hideEdgesOnViewport: large,
        textureOnViewport: large,
      });
      cy.scratch("large", large);
      cy.on("tap", "node", function (event) {
        select(event.target.id());
      });
      cy.on("tap", function (event) {
        if (event.target === cy) unselect();
      });
      state.cy = cy;
    }

    function setFormFromUrl() {
      urlState.setForm();
      var current = urlState.current();
      focusSelect.value = current.get("focus") || "";
      measureSelect.value = current.get("mesure") || "degree";
    }

    /* The map and list keep the filters; the network's own link keeps its focus and measure. */
    function updateLinks() {
      urlState.keepFilters(urlState.query());
    }

    function updateLegend(data) {
      var counts = {};
      data.nodes.forEach(function (node) {
        counts[node.type] = (counts[node.type] || 0) + 1;
      });
      document.querySelectorAll("[data-type-count]").forEach(function (node) {
        node.textContent = counts[node.getAttribute("data-type-count")] || 0;
      });
      var external = document.querySelector(".legend-external");
      if (external) external.hidden = !data.nodes.some(function (node) {
        return node.external;
      });
      return counts;
    }

    function load() {
      state.ready = false;
      container.removeAttribute("data-ready");
      status.textContent = labels.loading;
      state.timings = { start: performance.now() };
      // The measure only sizes the nodes: the data do not depend on it.
      ask(
        TIPS.withQuery(settings.dataUrl, urlState.query(["focus"])),
        function (data) {
          state.timings.loaded = performance.now();
          draw(data);
        },
        function (error) {
          status.textContent = labels.error;
          if (window.console) console.error(error);
        }
      );
    }

    function draw(data) {
      state.data = data;
      makeCy(data.nodes.length > settings.largeNetwork);
      unselect();
      cy.elements().remove();
      cy.add(drawing.elements(data, measure()));
      var layout = cy.layout(drawing.layout(data.nodes.length, settings.largeNetwork));
      layout.one("layoutstop", function () {
        state.timings.layoutStop = performance.now();
        cy.fit(undefined, 20);
        state.ready = true;
        container.setAttribute("data-nodes", cy.nodes().length);
        container.setAttribute("data-edges", cy.edges().length);
        container.setAttribute("data-ready", "true");
      });
      state.timings.layoutStart = performance.now();
      layout.run();
      state.counts = updateLegend(data);
      status.textContent = data.nodes.length
        ? labels.shown.replace("%(nodes)s", data.counts.nodes).replace("%(edges)s", data.counts.edges)
        : labels.empty;
      document.getElementById("network-date").textContent = labels.date.replace("%(date)s", TIPS.formatDate(data.date));
      table.show(data.nodes);
    }

    /* A new measure changes sizes and labels only: the layout stays where it is. */
    function resize() {
      if (!state.data || !cy) return;
      var fresh = {};
      drawing.elements(state.data, measure()).forEach(function (element) {
        if (element.group === "nodes") fresh[element.data.id] = element;
      });
      cy.batch(function () {
        cy.nodes().forEach(function (node) {
          var element = fresh[node.id()];
          if (!element) return;
          node.data("size", element.data.size);
          node.toggleClass("labelled", element.classes.split(" ").indexOf("labelled") !== -1);
        });
      });
    }

    function select(id) {
      var node = null;
      state.data.nodes.forEach(function (candidate) {
        if (candidate.id === id) node = candidate;
      });
      if (!node) return;
      summary.show(node, function () {
        cy.$(":selected").unselect();
        unselect();
      });
      cy.edges().removeClass("highlighted");
      cy.getElementById(id).connectedEdges().addClass("highlighted");
    }

    function unselect() {
      summary.hide();
      if (cy) cy.edges().removeClass("highlighted");
    }

    function drawn() {
      return { counts: state.counts, date: state.data && state.data.date };
    }

    document.getElementById("export-png").addEventListener("click", function () {
      TIPS.networkExport.png(cy, settings, drawn());
    });
    document.getElementById("export-svg").addEventListener("click", function () {
      TIPS.networkExport.svg(cy, settings, drawn());
    });
    document.getElementById("fit-network").addEventListener("click", function () {
      if (cy) cy.fit(undefined, 20);
    });

    // Events: filters and focus change the URL (a history entry) and the drawing; the measure
    // only the sizes (the URL keeps it without a history entry).
    function changed() {
      urlState.write(true);
      updateLinks();
      load();
    }
    TIPS.onFilterChange(form, changed);
    focusSelect.addEventListener("change", changed);
    measureSelect.addEventListener("change", function () {
      urlState.write(false);
      updateLinks();
      resize();
    });
    window.addEventListener("popstate", function () {
      setFormFromUrl();
      updateLinks();
      load();
    });

    updateLinks();
    load();
  }

  if (document.getElementById("network-config")) initNetworkPage();
})();
