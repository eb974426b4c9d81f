/* TIPs map — the network page: the validated network with the map's filters, the partners outside
 * the chosen territory if asked, and a measure for the node sizes; the legend's counts, the
 * measures table, the picked actor's summary and the exports follow the drawing.
 * Actors without any relation in the selection are left out of the drawing, the table and the
 * counts unless asked for: a network draws relations, and a hundred lone dots hid them.
 * The URL holds the map's filters plus ?exterieurs=on, ?isoles=on and ?mesure=<measure>:
 * reloading or sending it restores the same drawing; the back button walks through changes.
 * TIPS.network exposes the drawing (cy, data, ready, timings) to the browser tests and the bench. */
(function () {
  "use strict";
  var TIPS = (window.TIPS = window.TIPS || {});
  var drawing = TIPS.networkDrawing;

  function initNetworkPage() {
    var settings = TIPS.config("network-config");
    var labels = settings.labels;
    var form = document.getElementById("filters");
    var territory = form.elements.territoire;
    var externals = document.getElementById("externals");
    var isolated = document.getElementById("isolated");
    var isolatedCount = document.getElementById("isolated-count");
    var measureSelect = document.getElementById("measure");
    var container = document.getElementById("network");
    var status = document.getElementById("network-status");
    var summary = TIPS.networkSummary(document.getElementById("network-summary"), settings);
    var table = TIPS.networkTable(document.getElementById("network-measures"), settings);
    var ask = TIPS.latestJSON();
    var state = (TIPS.network = { cy: null, data: null, ready: false, timings: {}, hidden: 0 });
    var cy = null;
    var labelling = null;

    function measure() {
      return measureSelect.value || "degree";
    }

    // The partners outside only with a territory chosen; the measure stays out of the URL at its
    // default, like an empty filter.
    var urlState = TIPS.urlState(form, ["exterieurs", "isoles", "mesure"], function (key) {
      if (key === "exterieurs") return externals.checked && territory.value ? "on" : "";
      if (key === "isoles") return isolated.checked ? "on" : "";
      return measure() === "degree" ? "" : measure();
    });

    function updateExternals() {
      externals.disabled = !territory.value;
    }

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
      labelling = TIPS.networkLabels(cy, {
        top: function () {
          return Math.min(30, Math.max(8, Math.round((container.clientWidth * container.clientHeight) / 16000)));
        },
        maxWidth: function () {
          return Math.min(160, Math.max(90, container.clientWidth * 0.3));
        },
      });
      cy.on("tap", "node", function (event) {
        select(event.target.id());
      });
      // A tap beside a small node still picks it (on a phone, a finger is 44 pixels wide), even
      // where one of the lines around it passes under the finger.
      cy.on("tap", function (event) {
        if (event.target !== cy && !event.target.isEdge()) return;
        var near = drawing.nodeNear(cy, event);
        if (!near) return unselect();
        cy.$(":selected").unselect();
        near.select();
        select(near.id());
      });
      state.cy = cy;
      state.labels = labelling;
    }

    function setFormFromUrl() {
      urlState.setForm();
      var current = urlState.current();
      externals.checked = current.get("exterieurs") === "on";
      isolated.checked = current.get("isoles") === "on";
      updateExternals();
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
      // The measure only sizes the nodes and the lone actors are left out here: the data do not
      // depend on them.
      ask(
        TIPS.withQuery(settings.dataUrl, urlState.query(["exterieurs"])),
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

    /* The data without the actors that have no relation in them, unless asked for. */
    function drawable(data) {
      var linked = {};
      data.edges.forEach(function (edge) {
        linked[edge.source] = linked[edge.target] = true;
      });
      var alone = data.nodes.filter(function (node) {
        return !linked[node.id];
      });
      state.alone = {};
      alone.forEach(function (node) {
        state.alone[node.id] = true;
      });
      state.hidden = isolated.checked ? 0 : alone.length;
      var template = isolated.checked ? labels.isolatedShown : labels.isolatedHidden;
      isolatedCount.textContent = template.replace("%(n)s", alone.length);
      if (isolated.checked) return data;
      var nodes = data.nodes.filter(function (node) {
        return linked[node.id];
      });
      return { date: data.date, nodes: nodes, edges: data.edges, counts: { nodes: nodes.length, edges: data.edges.length } };
    }

    function draw(fetched) {
      state.data = fetched;
      var data = (state.drawn = drawable(fetched));
      makeCy(data.nodes.length > settings.largeNetwork);
      unselect();
      cy.elements().remove();
      cy.add(drawing.elements(data, measure()));
      drawing.seedPositions(cy);
      var layout = cy.layout(drawing.layout(data.nodes.length, settings.largeNetwork));
      layout.one("layoutstop", function () {
        state.timings.layoutStop = performance.now();
        cy.fit(undefined, 20);
        labelling.fitted();
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

    function redraw() {
      if (state.data) draw(state.data);
    }

    /* A new measure changes sizes and labels only: the layout stays where it is. */
    function resize() {
      if (!state.drawn || !cy) return;
      var fresh = {};
      drawing.elements(state.drawn, measure()).forEach(function (element) {
        if (element.group === "nodes") fresh[element.data.id] = element;
      });
      cy.batch(function () {
        cy.nodes().forEach(function (node) {
          var element = fresh[node.id()];
          if (!element) return;
          node.data({ size: element.data.size, importance: element.data.importance });
        });
      });
      labelling.rank();
    }

    function select(id) {
      var node = null;
      state.drawn.nodes.forEach(function (candidate) {
        if (candidate.id === id) node = candidate;
      });
      if (!node) return;
      summary.show(
        node,
        function () {
          cy.$(":selected").unselect();
          unselect();
        },
        !!state.alone[id]
      );
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
      if (!cy) return;
      cy.fit(undefined, 20);
      labelling.fitted();
    });

    // Events: filters and focus change the URL (a history entry) and the drawing; the measure
    // only the sizes (the URL keeps it without a history entry).
    function changed() {
      urlState.write(true);
      updateLinks();
      load();
    }
    TIPS.onFilterChange(form, function (event) {
      updateExternals();
      changed(event);
    });
    externals.addEventListener("change", changed);
    isolated.addEventListener("change", function () {
      urlState.write(true);
      updateLinks();
      redraw();
    });
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

    updateExternals();
    updateLinks();
    load();
  }

  if (document.getElementById("network-config")) initNetworkPage();
})();
