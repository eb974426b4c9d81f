/* TIPs map — the network's labels, by importance and never on top of each other, on the network
 * page and on a card. A label keeps one size on screen whatever the zoom (its font is set in the
 * drawing's units as pixels / zoom), so zooming in makes room: at the fitted zoom only the `top`
 * most important actors are candidates (by the measure that sizes the nodes, then the degree),
 * once zoomed in every actor is; the hovered, the selected ones and a card's actor first, with
 * their whole name.
 * A candidate whose label would overlap one already placed, or another node, stays without label
 * (its name shows on hover or tap, and in the table).
 * Each node says where its label goes (data halign/valign: below by default; around a ring on a
 * card), so that the box checked is the box Cytoscape draws. */
(function () {
  "use strict";
  var TIPS = (window.TIPS = window.TIPS || {});
  var PX = 13; // the labels' size on screen
  var GAP = 3; // between a node and its label, on screen
  var PAD = 2; // the label's white background beyond its text
  var LINE = 1.3; // a line's height, in font sizes
  var FONT = "system-ui, sans-serif";
  var MAX_LABELS = 150; // placed at once, whatever the zoom: the check is quadratic
  var MAX_OBSTACLES = 3000; // nodes on screen a label avoids; above, only the other labels
  var LEADERS = 5; // the most important actors are named even over a small node (a hub's partners)
  var widths = {};
  var ctx = null;

  /* A name's width on screen at PX, as the canvas measures it in the label's font. */
  function textWidth(text, weight) {
    var key = weight + "|" + text;
    if (widths[key] === undefined) {
      ctx = ctx || document.createElement("canvas").getContext("2d");
      ctx.font = weight + " " + PX + "px " + FONT;
      widths[key] = ctx.measureText(text).width;
    }
    return widths[key];
  }

  // Where a label may go on the network page, in this order: below its node, above, right, left.
  var SIDES = [
    { halign: "center", valign: "bottom" },
    { halign: "center", valign: "top" },
    { halign: "right", valign: "center" },
    { halign: "left", valign: "center" },
  ];

  /* The label's box in the drawing's units on `side`, `width` and `height` (its text's and its
   * background's) in screen pixels: as Cytoscape places it, its text `GAP` beyond the node's
   * edge, the background PAD around it; a pixel more on each side, never less than drawn. */
  function box(node, zoom, width, height, side) {
    var p = node.position();
    var half = node.width() / 2;
    var gap = (GAP - PAD - 1) / zoom;
    var w = (width + 2) / zoom;
    var h = (height + 2) / zoom;
    var halign = side.halign;
    var valign = side.valign;
    var x1 = halign === "right" ? p.x + half + gap : halign === "left" ? p.x - half - gap - w : p.x - w / 2;
    var y1 = valign === "bottom" ? p.y + half + gap : valign === "top" ? p.y - half - gap - h : p.y - h / 2;
    return { x1: x1, y1: y1, x2: x1 + w, y2: y1 + h };
  }

  function overlaps(a, b, margin) {
    return a.x1 - margin < b.x2 && b.x1 - margin < a.x2 && a.y1 - margin < b.y2 && b.y1 - margin < a.y2;
  }

  /* `options`: top() the labels at the fitted zoom (Infinity: all), maxWidth() the longest
   * label on screen before its ellipsis, fixedSides: each label on its node's side (data
   * halign, valign) rather than the first free one of SIDES. */
  TIPS.networkLabels = function (cy, options) {
    var ranked = [];
    var fitZoom = null;
    var hovered = null;
    var timer = null;
    var lastZoom = Infinity;

    function rank() {
      var collator = new Intl.Collator(TIPS.lang(), { sensitivity: "base" });
      ranked = cy.nodes().toArray();
      ranked.sort(function (a, b) {
        return (
          (b.data("importance") || 0) - (a.data("importance") || 0) ||
          (b.data("degree") || 0) - (a.data("degree") || 0) ||
          collator.compare(a.data("name"), b.data("name"))
        );
      });
    }

    function place() {
      timer = null;
      if (!cy.nodes().length) return;
      var zoom = cy.zoom();
      var extent = cy.extent();
      var zoomedIn = fitZoom !== null && zoom > fitZoom * 1.3;
      var limit = zoomedIn ? Infinity : options.top();
      var first = cy.nodes(".ego, :selected").toArray();
      if (hovered && !hovered.removed()) first.unshift(hovered);
      var placed = [];
      var shown = {};
      var seen = {};
      var margin = 3 / zoom;
      var obstacles = [];
      cy.nodes().some(function (node) {
        var p = node.position();
        if (p.x < extent.x1 || p.x > extent.x2 || p.y < extent.y1 || p.y > extent.y2) return false;
        var half = node.width() / 2;
        obstacles.push({ id: node.id(), x1: p.x - half, y1: p.y - half, x2: p.x + half, y2: p.y + half });
        return obstacles.length > MAX_OBSTACLES;
      });
      if (obstacles.length > MAX_OBSTACLES) obstacles = [];
      // Zooming in keeps the names already shown (they only get more room), before new ones.
      var kept = zoom >= lastZoom ? ranked.filter(function (node) {
        return node.hasClass("label-shown");
      }) : [];
      lastZoom = zoom;
      first.concat(kept, ranked).some(function (node, index) {
        var id = node.id();
        var chosen = index < first.length;
        var leader = chosen || index < first.length + LEADERS;
        if (seen[id] || node.removed()) return false;
        seen[id] = true;
        if (!chosen && placed.length >= limit) return true;
        var p = node.position();
        if (p.x < extent.x1 || p.x > extent.x2 || p.y < extent.y1 || p.y > extent.y2) return false;
        var weight = node.hasClass("ego") || chosen ? "600" : "400";
        var maxWidth = chosen ? Math.max(options.maxWidth(), 320) : options.maxWidth();
        var width = Math.min(textWidth(node.data("name"), weight), maxWidth) + 2 * PAD;
        var sides = options.fixedSides ? [{ halign: node.data("halign"), valign: node.data("valign") }] : SIDES;
        var rect = null;
        var side = null;
        sides.some(function (candidate) {
          var tried = box(node, zoom, width, PX * LINE + 2 * PAD, candidate);
          // Within the drawing's box: a name cut by its edge is not read.
          var free =
            (chosen || (tried.x1 >= extent.x1 && tried.x2 <= extent.x2 && tried.y1 >= extent.y1 && tried.y2 <= extent.y2)) &&
            placed.every(function (other) {
              return !overlaps(tried, other, margin);
            }) &&
            (leader ||
              obstacles.every(function (other) {
                return other.id === id || !overlaps(tried, other, 0);
              }));
          if (free) {
            rect = tried;
            side = candidate;
          }
          return free;
        });
        if (!rect) return false;
        placed.push(rect);
        shown[id] = {
          fs: PX / zoom,
          tmw: maxWidth / zoom,
          pad: PAD / zoom,
          gap: GAP / zoom,
          fw: weight,
          halign: side.halign,
          valign: side.valign,
        };
        return placed.length >= MAX_LABELS;
      });
      cy.batch(function () {
        cy.nodes(".label-shown").forEach(function (node) {
          if (!shown[node.id()]) node.removeClass("label-shown");
        });
        Object.keys(shown).forEach(function (id) {
          var node = cy.getElementById(id);
          node.data(shown[id]);
          node.addClass("label-shown");
        });
      });
      // The placement above estimates each label's box; check it against the boxes Cytoscape
      // draws (its font metrics, its ellipsis) and drop, in rank order, any label that still
      // touches one kept before it.
      var drawnBoxes = [];
      var asked = {};
      first.forEach(function (node) {
        asked[node.id()] = true;
      });
      Object.keys(shown).forEach(function (id) {
        var node = cy.getElementById(id);
        var drawn = node.boundingBox({ includeLabels: true, includeNodes: false, includeEdges: false, includeOverlays: false, includeUnderlays: false });
        if (!asked[id] && drawnBoxes.some(function (other) { return overlaps(drawn, other, 0); })) {
          node.removeClass("label-shown");
          delete shown[id];
        } else drawnBoxes.push(drawn);
      });
      cy.scratch("labels", Object.keys(shown).length);
      cy.emit("labelsplaced");
    }

    /* After a pan or a zoom, once per frame at most. */
    function later() {
      if (timer === null) timer = window.requestAnimationFrame(place);
    }

    cy.on("viewport", later);
    cy.on("select unselect", "node", later);
    cy.on("mouseover", "node", function (event) {
      hovered = event.target;
      place();
    });
    cy.on("mouseout", "node", function () {
      hovered = null;
      place();
    });

    return {
      /* The nodes' order of importance changed (new drawing, other measure). */
      rank: function () {
        rank();
        place();
      },
      /* The drawing was just fitted: this zoom is the default one. */
      fitted: function () {
        fitZoom = cy.zoom();
        rank();
        place();
      },
      place: place,
    };
  };

  /* The labels' style: none but those placed, at one size on screen, on a white background. */
  TIPS.networkLabels.style = [
    { selector: "node", style: { label: "", "text-halign": "data(halign)", "text-valign": "data(valign)" } },
    {
      selector: "node.label-shown",
      style: {
        label: "data(name)",
        "font-size": "data(fs)",
        "font-weight": "data(fw)",
        "font-family": FONT,
        "min-zoomed-font-size": 0,
        "text-wrap": "ellipsis",
        "text-max-width": "data(tmw)",
        "text-background-color": "#ffffff",
        "text-background-opacity": 0.85,
        "text-background-padding": "data(pad)",
        "text-background-shape": "roundrectangle",
        "text-outline-width": 0,
        // Above the other nodes and the edges, which would otherwise cross the name.
        "z-index": 10,
      },
    },
    { selector: 'node.label-shown[valign = "bottom"]', style: { "text-margin-y": "data(gap)" } },
    { selector: 'node.label-shown[valign = "top"]', style: { "text-margin-y": function (n) { return -n.data("gap"); } } },
    { selector: 'node.label-shown[halign = "right"]', style: { "text-margin-x": "data(gap)" } },
    { selector: 'node.label-shown[halign = "left"]', style: { "text-margin-x": function (n) { return -n.data("gap"); } } },
  ];
})();
