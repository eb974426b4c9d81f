/* TIPs map — the ecosystem as a network (Cytoscape.js): the network page and the ego network
 * of an actor's card. Colours are the map's type palette (CSS variables --type-<key>); relations
 * are drawn as the report draws them: information sharing solid, service provision dashed with
 * an arrow from provider to beneficiary, collaboration bold.
 * The URL holds the map's filters plus ?focus=<territory> and ?mesure=<measure>: reloading or
 * sending it restores the same drawing; the back button walks through filter changes.
 * Every text from the data goes through textContent, never innerHTML: names are user input. */
(function () {
  "use strict";
  var TIPS = (window.TIPS = window.TIPS || {});
  var RELATION_TYPES = ["partage_information", "prestation_service", "collaboration"];
  var STATE_KEYS = ["focus", "mesure"];
  var INK = "#1d1d1f";
  // Labels: the bigger nodes always, the others once zoomed in (font-size x zoom >= this).
  var LABEL_FONT = 11;
  var LABEL_MIN_ZOOMED = 13;

  function config(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : {};
  }

  function cardUrl(slug) {
    return "/acteurs/" + encodeURIComponent(slug) + "/";
  }

  function lang() {
    return document.documentElement.lang || "fr";
  }

  var palette = {};
  function typeColour(type) {
    if (!palette[type]) {
      var value = getComputedStyle(document.documentElement).getPropertyValue("--type-" + type).trim();
      palette[type] = value || getComputedStyle(document.documentElement).getPropertyValue("--type-autre").trim() || "#6d6d6d";
    }
    return palette[type];
  }

  function formatNumber(value, digits) {
    // null: a measure still being computed in the background for this actor (measures_status).
    if (value === null || value === undefined) return "—";
    return new Intl.NumberFormat(lang(), { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value || 0);
  }

  function formatDate(iso) {
    var parts = String(iso || "").split("-").map(Number);
    if (parts.length < 3 || !parts.every(isFinite)) return iso || "";
    var date = new Date(parts[0], parts[1] - 1, parts[2]);
    return date.toLocaleDateString(lang(), { day: "numeric", month: "long", year: "numeric" });
  }

  function stylesheet(options) {
    options = options || {};
    return [
      {
        selector: "node",
        style: {
          "background-color": "data(colour)",
          width: "data(size)",
          height: "data(size)",
          "border-width": 1.5,
          "border-color": "#ffffff",
          label: "data(name)",
          "font-size": LABEL_FONT,
          "min-zoomed-font-size": options.allLabels ? 0 : LABEL_MIN_ZOOMED,
          "font-family": "system-ui, sans-serif",
          color: INK,
          "text-valign": "bottom",
          "text-margin-y": 3,
          "text-wrap": "wrap",
          "text-max-width": 100,
          "text-outline-color": "#ffffff",
          "text-outline-width": 2,
        },
      },
      { selector: "node.labelled", style: { "font-size": 17, "font-weight": 600, "min-zoomed-font-size": 6 } },
      { selector: "node.external", style: { "background-color": "#ffffff", "border-width": 3, "border-color": INK } },
      { selector: "node.gone", style: { opacity: 0.55, "border-style": "dashed", "border-width": 2, "border-color": "#555b66" } },
      { selector: "node.ego", style: { "border-width": 4, "border-color": INK } },
      { selector: "node:selected", style: { "overlay-color": "#ffbf47", "overlay-opacity": 0.45, "overlay-padding": 6 } },
      {
        selector: "edge",
        style: {
          width: 1.5,
          "line-color": INK,
          "target-arrow-color": INK,
          opacity: 0.55,
          "curve-style": options.straight ? "straight" : "bezier",
          "arrow-scale": 1.1,
        },
      },
      { selector: 'edge[type = "prestation_service"]', style: { "line-style": "dashed", "line-dash-pattern": [6, 5] } },
      { selector: "edge[?directed]", style: { "target-arrow-shape": "triangle" } },
      { selector: 'edge[type = "collaboration"]', style: { width: 5 } },
      { selector: "edge.highlighted", style: { opacity: 1, "line-color": "#174ea6", "target-arrow-color": "#174ea6" } },
    ];
  }

  /* Node sizes from a measure: area roughly proportional to the value. */
  function sizeFor(value, max, small, big) {
    if (!max) return small + 4;
    return small + (big - small) * Math.sqrt(Math.max(0, value) / max);
  }

  function elementsFrom(data, measure, ego) {
    var max = 0;
    data.nodes.forEach(function (node) {
      max = Math.max(max, node[measure] || 0);
    });
    var ids = {};
    var elements = [];
    // The bigger nodes keep their label at every zoom: the top 15 %, at most 40, value > 0.
    var ranked = data.nodes
      .filter(function (node) {
        return (node[measure] || 0) > 0;
      })
      .sort(function (a, b) {
        return (b[measure] || 0) - (a[measure] || 0);
      });
    var labelled = {};
    var keep = data.nodes.length <= 40 ? ranked.length : Math.min(40, Math.max(10, Math.round(ranked.length * 0.15)));
    ranked.slice(0, keep).forEach(function (node) {
      labelled[node.id] = true;
    });
    data.nodes.forEach(function (node) {
      ids[node.id] = true;
      var classes = [];
      if (node.external) classes.push("external");
      if (node.gone) classes.push("gone");
      if (node.isolated) classes.push("isolated");
      if (labelled[node.id]) classes.push("labelled");
      if (ego && node.id === ego) classes.push("ego");
      elements.push({
        group: "nodes",
        data: {
          id: node.id,
          name: node.name,
          type: node.type,
          colour: typeColour(node.type),
          size: sizeFor(node[measure] || 0, max, 12, 56),
          degree: node.degree || 0,
        },
        classes: classes.join(" "),
      });
    });
    data.edges.forEach(function (edge) {
      if (!ids[edge.source] || !ids[edge.target]) return;
      elements.push({
        group: "edges",
        data: { id: "e" + edge.id, source: edge.source, target: edge.target, type: edge.type, directed: !!edge.directed },
      });
    });
    return elements;
  }

  /* Force-directed (cose, bounded, not animated) up to `large` nodes, concentric by degree above:
   * see bench/README.md for the measured times. window.TIPS_NETWORK_LAYOUT forces one (bench). */
  function layoutOptions(count, large) {
    var name = window.TIPS_NETWORK_LAYOUT || (count > large ? "concentric" : "cose");
    if (name === "concentric") {
      return {
        name: "concentric",
        animate: false,
        concentric: function (node) {
          return node.data("degree");
        },
        levelWidth: function () {
          return 2;
        },
        minNodeSpacing: 6,
        padding: 20,
      };
    }
    return {
      name: "cose",
      animate: false,
      randomize: true,
      numIter: count > 250 ? 300 : 1000,
      idealEdgeLength: function () {
        return 70;
      },
      nodeRepulsion: function () {
        return 9000;
      },
      nodeOverlap: 10,
      componentSpacing: 90,
      gravity: 1.2,
      padding: 20,
    };
  }

  /* Legend rows shared by the PNG and SVG exports. */
  function legendRows(labels, relations, typeLabels, counts, hasExternal) {
    var rows = [{ kind: "title", text: labels.actorTypes }];
    Object.keys(typeLabels).forEach(function (type) {
      if (counts[type]) rows.push({ kind: "type", type: type, text: typeLabels[type] + " (" + counts[type] + ")" });
    });
    if (hasExternal) rows.push({ kind: "external", text: labels.external });
    rows.push({ kind: "title", text: labels.relationTypes });
    RELATION_TYPES.forEach(function (type) {
      rows.push({ kind: "relation", type: type, text: relations[type] });
    });
    return rows;
  }

  var ROW = 24;

  /* The legend's width: its longest text, measured in the font it is drawn with. */
  function legendWidth(rows) {
    var ctx = document.createElement("canvas").getContext("2d");
    var widest = 0;
    rows.forEach(function (row) {
      ctx.font = (row.kind === "title" ? "bold 15px " : "14px ") + "system-ui, sans-serif";
      widest = Math.max(widest, ctx.measureText(row.text).width + (row.kind === "title" ? 0 : 42));
    });
    return Math.ceil(widest) + 40;
  }

  function drawLegendCanvas(ctx, rows, x, y) {
    ctx.textBaseline = "middle";
    rows.forEach(function (row, i) {
      var mid = y + i * ROW + ROW / 2;
      ctx.fillStyle = INK;
      ctx.font = (row.kind === "title" ? "bold 15px " : "14px ") + "system-ui, sans-serif";
      if (row.kind === "title") {
        ctx.fillText(row.text, x, mid);
        return;
      }
      if (row.kind === "type" || row.kind === "external") {
        ctx.beginPath();
        ctx.arc(x + 8, mid, 7, 0, 2 * Math.PI);
        ctx.fillStyle = row.kind === "type" ? typeColour(row.type) : "#ffffff";
        ctx.fill();
        ctx.lineWidth = row.kind === "type" ? 1 : 3;
        ctx.strokeStyle = INK;
        ctx.stroke();
      } else {
        ctx.beginPath();
        ctx.strokeStyle = INK;
        ctx.lineWidth = row.type === "collaboration" ? 5 : 2;
        ctx.setLineDash(row.type === "prestation_service" ? [6, 5] : []);
        ctx.moveTo(x, mid);
        ctx.lineTo(x + 28, mid);
        ctx.stroke();
        ctx.setLineDash([]);
        if (row.type === "prestation_service") {
          ctx.beginPath();
          ctx.fillStyle = INK;
          ctx.moveTo(x + 34, mid);
          ctx.lineTo(x + 26, mid - 5);
          ctx.lineTo(x + 26, mid + 5);
          ctx.fill();
        }
      }
      ctx.fillStyle = INK;
      ctx.fillText(row.text, x + 42, mid);
    });
  }

  function svgLegend(doc, rows, x, y) {
    var ns = "http://www.w3.org/2000/svg";
    var group = doc.createElementNS(ns, "g");
    group.setAttribute("class", "network-legend");
    group.setAttribute("font-family", "system-ui, sans-serif");
    function el(name, attrs) {
      var node = doc.createElementNS(ns, name);
      Object.keys(attrs).forEach(function (key) {
        node.setAttribute(key, attrs[key]);
      });
      group.appendChild(node);
      return node;
    }
    rows.forEach(function (row, i) {
      var mid = y + i * ROW + ROW / 2;
      if (row.kind === "title") {
        el("text", { x: x, y: mid + 5, "font-size": 15, "font-weight": "bold", fill: INK }).textContent = row.text;
        return;
      }
      if (row.kind === "type" || row.kind === "external") {
        el("circle", {
          cx: x + 8,
          cy: mid,
          r: 7,
          fill: row.kind === "type" ? typeColour(row.type) : "#ffffff",
          stroke: INK,
          "stroke-width": row.kind === "type" ? 1 : 3,
        });
      } else {
        var line = { x1: x, y1: mid, x2: x + 28, y2: mid, stroke: INK, "stroke-width": row.type === "collaboration" ? 5 : 2 };
        if (row.type === "prestation_service") line["stroke-dasharray"] = "6 5";
        el("line", line);
        if (row.type === "prestation_service") {
          el("polygon", { points: [x + 34, mid, x + 26, mid - 5, x + 26, mid + 5].join(" "), fill: INK });
        }
      }
      el("text", { x: x + 42, y: mid + 5, "font-size": 14, fill: INK }).textContent = row.text;
    });
    return group;
  }

  function download(blob, name) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () {
      URL.revokeObjectURL(link.href);
    }, 10000);
  }

  /* The network page. ------------------------------------------------------------------------ */
  function initNetworkPage() {
    var settings = config("network-config");
    var labels = settings.labels;
    var form = document.getElementById("filters");
    var focusSelect = document.getElementById("focus");
    var measureSelect = document.getElementById("measure");
    var container = document.getElementById("network");
    var status = document.getElementById("network-status");
    var summary = document.getElementById("network-summary");
    var table = document.getElementById("network-measures");
    var request = 0;
    var sort = { key: "degree", descending: true };
    var state = (TIPS.network = { cy: null, data: null, ready: false, timings: {} });

    var cy = null;

    /* Big drawings skip edges and labels while panning or zooming: init-only options, so the
     * instance is remade when a drawing crosses the threshold. */
    function makeCy(large) {
      if (cy && cy.scratch("large") === large) return;
      if (cy) cy.destroy();
      cy = cytoscape({
        container: container,
        style: stylesheet({ straight: large }),
        minZoom: 0.05,
        maxZoom: 4,
        boxSelectionEnabled: false,
        hideEdgesOnViewport: large,
        textureOnViewport: large,
      });
      cy.scratch("large", large);
      cy.on("tap", "node", function (event) {
        showSummary(event.target.id());
      });
      cy.on("tap", function (event) {
        if (event.target === cy) hideSummary();
      });
      state.cy = cy;
    }

    function params() {
      return new URLSearchParams(window.location.search);
    }

    function filterParams() {
      var data = new URLSearchParams();
      if (form) {
        new FormData(form).forEach(function (value, key) {
          if (value !== "") data.append(key, value);
        });
      }
      return data;
    }

    function dataParams() {
      var data = filterParams();
      if (focusSelect.value) data.set("focus", focusSelect.value);
      return data;
    }

    function pageParams() {
      var data = dataParams();
      if (measureSelect.value && measureSelect.value !== "degree") data.set("mesure", measureSelect.value);
      return data;
    }

    function writeUrl(push) {
      var query = pageParams().toString();
      var url = window.location.pathname + (query ? "?" + query : "");
      if (url === window.location.pathname + window.location.search) return;
      window.history[push ? "pushState" : "replaceState"](null, "", url);
    }

    function setFormFromUrl() {
      var current = params();
      if (form) {
        Array.prototype.forEach.call(form.elements, function (field) {
          if (!field.name) return;
          if (field.type === "checkbox") {
            field.checked = current.getAll(field.name).indexOf(field.value) !== -1;
          } else if (field.tagName === "SELECT" || field.type === "search" || field.type === "text") {
            field.value = current.get(field.name) || "";
          }
        });
      }
      focusSelect.value = current.get("focus") || "";
      measureSelect.value = current.get("mesure") || "degree";
    }

    /* The map and list keep the filters; the focus and the measure are this page's own. */
    function updateLinks() {
      var query = filterParams().toString();
      document.querySelectorAll("[data-keeps-filters]").forEach(function (link) {
        var base = link.getAttribute("data-keeps-filters");
        var own = link.getAttribute("aria-current") === "page" ? pageParams().toString() : query;
        link.href = base + (own ? "?" + own : "");
      });
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
      var mine = ++request;
      var query = dataParams().toString();
      state.ready = false;
      container.removeAttribute("data-ready");
      status.textContent = labels.loading;
      state.timings = { start: performance.now() };
      return fetch(settings.dataUrl + (query ? "?" + query : ""), { headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (data) {
          if (mine !== request) return; // a newer filter change won the race
          state.timings.loaded = performance.now();
          draw(data);
        })
        .catch(function (error) {
          if (mine !== request) return;
          status.textContent = labels.error;
          if (window.console) console.error(error);
        });
    }

    function draw(data) {
      state.data = data;
      makeCy(data.nodes.length > settings.largeNetwork);
      hideSummary();
      cy.elements().remove();
      cy.add(elementsFrom(data, measureSelect.value || "degree"));
      var layout = cy.layout(layoutOptions(data.nodes.length, settings.largeNetwork));
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
      document.getElementById("network-date").textContent = labels.date.replace("%(date)s", formatDate(data.date));
      renderTable();
    }

    function resize() {
      if (!state.data || !cy) return;
      var measure = measureSelect.value || "degree";
      var fresh = {};
      elementsFrom(state.data, measure).forEach(function (element) {
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

    /* Summary of a node: name, type, commune, relations per type, betweenness, link to its card. */
    function showSummary(id) {
      var node = null;
      state.data.nodes.forEach(function (candidate) {
        if (candidate.id === id) node = candidate;
      });
      if (!node) return;
      summary.textContent = "";
      var close = document.createElement("button");
      close.type = "button";
      close.className = "network-summary-close";
      close.setAttribute("aria-label", "×");
      close.textContent = "×";
      close.addEventListener("click", function () {
        cy.$(":selected").unselect();
        hideSummary();
      });
      summary.appendChild(close);
      var title = document.createElement("h3");
      title.textContent = node.name;
      summary.appendChild(title);
      var type = document.createElement("p");
      var dot = document.createElement("span");
      dot.className = "type-dot type-" + node.type;
      dot.setAttribute("aria-hidden", "true");
      type.appendChild(dot);
      type.appendChild(document.createTextNode(settings.types[node.type] || node.type));
      summary.appendChild(type);
      var facts = document.createElement("dl");
      facts.className = "facts network-facts";
      function fact(term, value) {
        var dt = document.createElement("dt");
        dt.textContent = term;
        var dd = document.createElement("dd");
        dd.textContent = value;
        facts.appendChild(dt);
        facts.appendChild(dd);
      }
      if (node.commune) fact(labels.commune, node.commune);
      fact(labels.degree, String(node.degree));
      RELATION_TYPES.forEach(function (relation) {
        fact(settings.relations[relation], String((node.degree_by_type || {})[relation] || 0));
      });
      fact(labels.betweenness, formatNumber(node.betweenness, 3));
      fact(labels.brokerage, formatNumber(node.brokerage, 3));
      summary.appendChild(facts);
      var notes = [];
      if (node.external) notes.push(labels.external);
      if (node.gone) notes.push(labels.gone);
      if (node.isolated) notes.push(labels.isolated);
      notes.forEach(function (text) {
        var note = document.createElement("p");
        note.className = "hint";
        note.textContent = text;
        summary.appendChild(note);
      });
      var link = document.createElement("a");
      link.href = cardUrl(node.id);
      link.className = "button network-card-link";
      link.textContent = labels.card;
      summary.appendChild(link);
      summary.hidden = false;
      cy.edges().removeClass("highlighted");
      cy.getElementById(id).connectedEdges().addClass("highlighted");
    }

    function hideSummary() {
      summary.hidden = true;
      summary.textContent = "";
      if (cy) cy.edges().removeClass("highlighted");
    }

    /* The measures table: the drawing's accessible equivalent, sortable by every column. */
    function cellValue(node, key) {
      if (key === "name") return node.name;
      if (key === "type") return settings.types[node.type] || node.type;
      if (RELATION_TYPES.indexOf(key) !== -1) return (node.degree_by_type || {})[key] || 0;
      return node[key] || 0;
    }

    function renderTable() {
      var nodes = (state.data ? state.data.nodes : []).slice();
      var collator = new Intl.Collator(lang(), { sensitivity: "base" });
      nodes.sort(function (a, b) {
        var x = cellValue(a, sort.key);
        var y = cellValue(b, sort.key);
        var order = typeof x === "number" ? x - y : collator.compare(x, y);
        if (sort.descending) order = -order;
        return order || collator.compare(a.name, b.name);
      });
      table.querySelectorAll("thead th").forEach(function (th) {
        if (th.getAttribute("data-sort") === sort.key) th.setAttribute("aria-sort", sort.descending ? "descending" : "ascending");
        else th.removeAttribute("aria-sort");
      });
      var body = document.createElement("tbody");
      nodes.forEach(function (node) {
        var row = document.createElement("tr");
        if (node.gone) row.className = "is-gone";
        if (node.external) row.className += " is-external";
        var name = document.createElement("th");
        name.scope = "row";
        var link = document.createElement("a");
        link.href = cardUrl(node.id);
        link.textContent = node.name;
        name.appendChild(link);
        if (node.external) {
          var hint = document.createElement("span");
          hint.className = "hint";
          hint.textContent = " (" + labels.external.toLowerCase() + ")";
          name.appendChild(hint);
        }
        row.appendChild(name);
        var type = document.createElement("td");
        var dot = document.createElement("span");
        dot.className = "type-dot type-" + node.type;
        dot.setAttribute("aria-hidden", "true");
        type.appendChild(dot);
        type.appendChild(document.createTextNode(settings.types[node.type] || node.type));
        row.appendChild(type);
        [
          String(node.degree || 0),
          String(cellValue(node, "partage_information")),
          String(cellValue(node, "prestation_service")),
          String(cellValue(node, "collaboration")),
          formatNumber(node.betweenness, 3),
          formatNumber(node.brokerage, 3),
          node.community === null || node.community === undefined ? "—" : String(node.community),
        ].forEach(function (text) {
          var cell = document.createElement("td");
          cell.className = "number";
          cell.textContent = text;
          row.appendChild(cell);
        });
        body.appendChild(row);
      });
      table.replaceChild(body, table.tBodies[0]);
    }

    table.querySelectorAll("thead th[data-sort] button").forEach(function (button) {
      button.addEventListener("click", function () {
        var th = button.closest("th");
        var key = th.getAttribute("data-sort");
        if (sort.key === key) sort.descending = !sort.descending;
        else sort = { key: key, descending: th.hasAttribute("data-numeric") };
        renderTable();
      });
    });

    /* Exports: the drawing with its legend and the data's date. */
    function exportParts() {
      var counts = state.counts || {};
      var hasExternal = cy.nodes(".external").length > 0;
      var rows = legendRows(labels, settings.relations, settings.types, counts, hasExternal);
      var bb = cy.elements().boundingBox();
      var scale = Math.min(3, Math.max(0.5, 1400 / Math.max(bb.w || 1, bb.h || 1)));
      var date = labels.date.replace("%(date)s", formatDate(state.data && state.data.date));
      return { rows: rows, width: legendWidth(rows), scale: scale, date: date, stamp: (state.data && state.data.date) || "" };
    }

    function exportPng() {
      var parts = exportParts();
      var image = new Image();
      image.onload = function () {
        var legendHeight = parts.rows.length * ROW + 40;
        var canvas = document.createElement("canvas");
        canvas.width = image.width + parts.width;
        canvas.height = Math.max(image.height, legendHeight) + 40;
        var ctx = canvas.getContext("2d");
        ctx.fillStyle = "#ffffff";
        ctx.fillRect(0, 0, canvas.width, canvas.height);
        ctx.drawImage(image, 0, 0);
        drawLegendCanvas(ctx, parts.rows, image.width + 20, 20);
        ctx.fillStyle = INK;
        ctx.font = "14px system-ui, sans-serif";
        ctx.textBaseline = "alphabetic";
        ctx.fillText(parts.date + " — TIPs map", 20, canvas.height - 14);
        canvas.toBlob(function (blob) {
          download(blob, "reseau-" + parts.stamp + ".png");
        }, "image/png");
      };
      image.src = cy.png({ full: true, bg: "#ffffff", scale: parts.scale, output: "base64uri" });
    }

    function exportSvg() {
      var parts = exportParts();
      var source = cy.svg({ full: true, bg: "#ffffff", scale: parts.scale });
      var doc = new DOMParser().parseFromString(source, "image/svg+xml");
      var root = doc.documentElement;
      var width = parseFloat(root.getAttribute("width")) || 800;
      var height = parseFloat(root.getAttribute("height")) || 600;
      var totalWidth = width + parts.width;
      var totalHeight = Math.max(height, parts.rows.length * ROW + 40) + 40;
      var ns = "http://www.w3.org/2000/svg";
      var background = doc.createElementNS(ns, "rect");
      background.setAttribute("width", totalWidth);
      background.setAttribute("height", totalHeight);
      background.setAttribute("fill", "#ffffff");
      root.insertBefore(background, root.firstChild);
      root.setAttribute("width", totalWidth);
      root.setAttribute("height", totalHeight);
      root.setAttribute("viewBox", "0 0 " + totalWidth + " " + totalHeight);
      root.appendChild(svgLegend(doc, parts.rows, width + 20, 20));
      var text = doc.createElementNS(ns, "text");
      text.setAttribute("class", "network-date");
      text.setAttribute("x", 20);
      text.setAttribute("y", totalHeight - 14);
      text.setAttribute("font-size", 14);
      text.setAttribute("font-family", "system-ui, sans-serif");
      text.setAttribute("fill", INK);
      text.textContent = parts.date + " — TIPs map";
      root.appendChild(text);
      var blob = new Blob([new XMLSerializer().serializeToString(doc)], { type: "image/svg+xml" });
      download(blob, "reseau-" + parts.stamp + ".svg");
    }

    document.getElementById("export-png").addEventListener("click", exportPng);
    document.getElementById("export-svg").addEventListener("click", exportSvg);
    document.getElementById("fit-network").addEventListener("click", function () {
      if (cy) cy.fit(undefined, 20);
    });

    // Events: filters and focus change the URL (a history entry) and the drawing; the measure
    // only the sizes (the URL keeps it without a history entry).
    function changed() {
      writeUrl(true);
      updateLinks();
      load();
    }
    var typingTimer = null;
    if (form) {
      form.addEventListener("change", changed);
      form.addEventListener("input", function (event) {
        if (event.target.type !== "search") return;
        clearTimeout(typingTimer);
        typingTimer = setTimeout(changed, 300);
      });
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        changed();
      });
    }
    focusSelect.addEventListener("change", changed);
    measureSelect.addEventListener("change", function () {
      writeUrl(false);
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

  /* The ego network of a card: the actor, its partners and, at depth 2, theirs. ----------------- */
  TIPS.initEgo = function (box) {
    var slug = box.getAttribute("data-slug");
    var url = box.getAttribute("data-url");
    var container = box.querySelector(".ego-canvas");
    var status = box.querySelector(".ego-status");
    var cy = cytoscape({
      container: container,
      style: stylesheet({ allLabels: true }),
      minZoom: 0.2,
      maxZoom: 3,
      boxSelectionEnabled: false,
    });
    var request = 0;
    box.cy = cy;

    function load(depth) {
      var mine = ++request;
      box.removeAttribute("data-ready");
      var query = new URLSearchParams({ ego: slug, profondeur: depth });
      fetch(url + "?" + query.toString(), { headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (data) {
          if (mine !== request) return;
          cy.elements().remove();
          // One step: a ring of partners around the actor, every label; two steps: a
          // force-directed drawing, labels of the bigger nodes (all once zoomed in).
          cy.style(stylesheet({ allLabels: String(depth) === "1" }));
          cy.add(elementsFrom(data, "degree", slug));
          var root = cy.getElementById(slug);
          var layout = cy.layout(
            String(depth) === "1" && root.length
              ? { name: "concentric", animate: false, padding: 15, minNodeSpacing: 20, concentric: function (node) {
                  return node.id() === slug ? 2 : 1;
                }, levelWidth: function () {
                  return 1;
                } }
              : layoutOptions(data.nodes.length, Infinity)
          );
          layout.one("layoutstop", function () {
            cy.fit(undefined, 15);
            box.setAttribute("data-nodes", cy.nodes().length);
            box.setAttribute("data-edges", cy.edges().length);
            box.setAttribute("data-ready", "true");
          });
          layout.run();
          if (status) {
            status.textContent = status
              .getAttribute("data-template")
              .replace("%(nodes)s", data.counts.nodes)
              .replace("%(edges)s", data.counts.edges);
          }
        })
        .catch(function () {
          if (mine !== request) return;
          if (status) status.textContent = status.getAttribute("data-error");
        });
    }

    cy.on("tap", "node", function (event) {
      if (event.target.id() !== slug) window.location.href = cardUrl(event.target.id());
    });
    box.querySelectorAll('input[name="ego-depth"]').forEach(function (input) {
      input.addEventListener("change", function () {
        if (input.checked) load(input.value);
      });
    });
    var checked = box.querySelector('input[name="ego-depth"]:checked');
    load(checked ? checked.value : 1);
  };

  if (document.getElementById("network-config")) initNetworkPage();
  document.querySelectorAll("[data-ego-network]:not([data-initialised])").forEach(function (box) {
    box.setAttribute("data-initialised", "true");
    TIPS.initEgo(box);
  });
})();
