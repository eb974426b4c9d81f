/* TIPs map — how the network is drawn (Cytoscape.js), on the network page and on a card: the
 * map's type palette (CSS variables --type-<key>), relations in the report's legend (TIPS.LINES),
 * node sizes from a measure, layouts. */
(function () {
  "use strict";
  var TIPS = (window.TIPS = window.TIPS || {});
  var INK = TIPS.INK;
  var LINES = TIPS.LINES;
  // A tap this close to a node (screen pixels from its edge) picks it: 44-pixel targets on a
  // phone, however small the node is drawn; a mouse is more precise.
  var TOUCH_REACH = 22;
  var MOUSE_REACH = 4;

  // Read once per type: getComputedStyle for each of thousands of nodes would slow the drawing.
  var palette = {};
  function colour(type) {
    if (!palette[type]) {
      var value = getComputedStyle(document.documentElement).getPropertyValue("--type-" + type).trim();
      palette[type] = value || getComputedStyle(document.documentElement).getPropertyValue("--type-autre").trim() || "#6d6d6d";
    }
    return palette[type];
  }

  /* The labels are network/labels.js's: they are placed once the drawing is laid out. */
  function stylesheet(options) {
    options = options || {};
    return TIPS.networkLabels.style.concat([
      {
        selector: "node",
        style: {
          "background-color": "data(colour)",
          width: "data(size)",
          height: "data(size)",
          "border-width": 1.5,
          "border-color": "#ffffff",
        },
      },
      { selector: "node.external", style: { "background-color": "#ffffff", "border-width": 3, "border-color": INK } },
      { selector: "node.gone", style: { opacity: 0.55, "border-style": "dashed", "border-width": 2, "border-color": "#555b66" } },
      { selector: "node.ego", style: { "border-width": 4, "border-color": INK } },
      { selector: "node:selected", style: { "overlay-color": "#ffbf47", "overlay-opacity": 0.45, "overlay-padding": 6 } },
      {
        // Thinner than the legend's lines: a network crosses many more of them than a map.
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
      { selector: 'edge[type = "prestation_service"]', style: { "line-style": "dashed", "line-dash-pattern": LINES.prestation_service.dash } },
      { selector: "edge[?directed]", style: { "target-arrow-shape": "triangle" } },
      { selector: 'edge[type = "collaboration"]', style: { width: LINES.collaboration.width } },
      { selector: "edge.highlighted", style: { opacity: 1, "line-color": "#174ea6", "target-arrow-color": "#174ea6" } },
    ]);
  }

  /* Node sizes from a measure: area roughly proportional to the value. */
  function sizeFor(value, max, small, big) {
    if (!max) return small + 4;
    return small + (big - small) * Math.sqrt(Math.max(0, value) / max);
  }

  /* The data's nodes and edges as Cytoscape elements, sized by `measure`; `ego` is the card's
   * actor; `sizes` the smallest and biggest node ([12, 56] by default). */
  function elements(data, measure, ego, sizes) {
    sizes = sizes || [12, 56];
    var max = 0;
    data.nodes.forEach(function (node) {
      max = Math.max(max, node[measure] || 0);
    });
    var ids = {};
    var result = [];
    data.nodes.forEach(function (node) {
      ids[node.id] = true;
      var classes = [];
      if (node.external) classes.push("external");
      if (node.gone) classes.push("gone");
      if (node.isolated) classes.push("isolated");
      if (ego && node.id === ego) classes.push("ego");
      result.push({
        group: "nodes",
        data: {
          id: node.id,
          name: node.name,
          type: node.type,
          colour: colour(node.type),
          size: sizeFor(node[measure] || 0, max, sizes[0], sizes[1]),
          importance: node[measure] || 0,
          degree: node.degree || 0,
          halign: "center",
          valign: "bottom",
        },
        classes: classes.join(" "),
      });
    });
    data.edges.forEach(function (edge) {
      if (!ids[edge.source] || !ids[edge.target]) return;
      result.push({
        group: "edges",
        data: { id: "e" + edge.id, source: edge.source, target: edge.target, type: edge.type, directed: !!edge.directed },
      });
    });
    return result;
  }

  /* Force-directed (cose, bounded, not animated) up to `large` nodes, concentric by degree above:
   * see bench/README.md for the measured times. window.TIPS_NETWORK_LAYOUT forces one (bench). */
  function layout(count, large) {
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
      randomize: false, // starts from seedPositions: the same data gives the same drawing
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

  /* The node a tap on the background meant, if one is within reach of it; null otherwise. */
  function nodeNear(cy, event) {
    var original = event.originalEvent || {};
    var touch = /^touch/.test(original.type || "") || original.pointerType === "touch";
    var reach = touch ? TOUCH_REACH : MOUSE_REACH;
    var at = event.renderedPosition;
    var best = null;
    var bestDistance = Infinity;
    if (!at) return null;
    cy.nodes().forEach(function (node) {
      var p = node.renderedPosition();
      var distance = Math.sqrt(Math.pow(p.x - at.x, 2) + Math.pow(p.y - at.y, 2)) - node.renderedWidth() / 2;
      if (distance <= reach && distance < bestDistance) {
        best = node;
        bestDistance = distance;
      }
    });
    return best;
  }

  /* Starting positions on a sunflower spiral, in the data's order: the force layout then settles
   * the same way on every visit (a random start would give another picture, and other names,
   * each time the page is opened). */
  function seedPositions(cy) {
    cy.nodes().positions(function (node, i) {
      var radius = 30 * Math.sqrt(i + 1);
      var angle = i * 2.399963;
      return { x: radius * Math.cos(angle), y: radius * Math.sin(angle) };
    });
  }

  TIPS.networkDrawing = {
    colour: colour,
    stylesheet: stylesheet,
    elements: elements,
    layout: layout,
    seedPositions: seedPositions,
    nodeNear: nodeNear,
  };
})();
