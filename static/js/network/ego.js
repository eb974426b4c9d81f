/* TIPs map — the ego network of a card: the actor at the centre, its partners on a ring around it
 * and, at depth 2, theirs on a wider ring; each label outside its node, away from the centre, so
 * that the names do not cover each other (network/labels.js hides one that would, its name then
 * shows on hover or tap). A tap on a partner opens its card. Drawn as the network page draws
 * (network/drawing.js): the report's line styles, the type colours. */
(function () {
  "use strict";
  var TIPS = (window.TIPS = window.TIPS || {});
  var drawing = TIPS.networkDrawing;
  var LABEL_HEIGHT = 22; // a label's line and its gap, on screen

  TIPS.initEgo = function (box) {
    var slug = box.getAttribute("data-slug");
    var url = box.getAttribute("data-url");
    var container = box.querySelector(".ego-canvas");
    var status = box.querySelector(".ego-status");
    var cy = cytoscape({
      container: container,
      style: drawing.stylesheet(),
      minZoom: 0.2,
      maxZoom: 3,
      boxSelectionEnabled: false,
    });
    var ask = TIPS.latestJSON();
    var depth = "1";
    box.cy = cy;

    function labelWidth() {
      return Math.min(150, Math.max(80, container.clientWidth * 0.27));
    }

    var labelling = TIPS.networkLabels(cy, {
      top: function () {
        return depth === "1" ? Infinity : 16;
      },
      maxWidth: labelWidth,
      fixedSides: true,
    });

    /* Rings by distance from the actor: 0 the actor, 1 its partners, 2 theirs. */
    function steps() {
      var ego = cy.getElementById(slug);
      var result = {};
      if (!ego.length) return result;
      result[slug] = 0;
      ego.neighborhood("node").forEach(function (node) {
        result[node.id()] = 1;
      });
      cy.nodes().forEach(function (node) {
        if (result[node.id()] === undefined) result[node.id()] = 2;
      });
      return result;
    }

    function layout(step) {
      return {
        name: "concentric",
        animate: false,
        padding: 10,
        // Room on the ring for a label's height between two neighbours.
        minNodeSpacing: depth === "1" ? 26 : 14,
        concentric: function (node) {
          return 2 - (step[node.id()] || 0);
        },
        levelWidth: function () {
          return 1;
        },
        sort: function (a, b) {
          return a.data("name").localeCompare(b.data("name"));
        },
      };
    }

    /* Each label on the side of its node away from the centre. */
    function orientLabels() {
      var centre = cy.getElementById(slug);
      var c = centre.length ? centre.position() : { x: 0, y: 0 };
      cy.batch(function () {
        cy.nodes().forEach(function (node) {
          var p = node.position();
          var dx = p.x - c.x;
          var dy = p.y - c.y;
          var length = Math.sqrt(dx * dx + dy * dy) || 1;
          var side = { halign: "center", valign: "bottom" };
          if (node.id() !== slug) {
            if (dx / length > 0.3) side = { halign: "right", valign: "center" };
            else if (dx / length < -0.3) side = { halign: "left", valign: "center" };
            else side = { halign: "center", valign: dy < 0 ? "top" : "bottom" };
          }
          node.data(side);
        });
      });
    }

    /* The rings in the middle, a label's width free on the left and the right, a line above and
     * below: the zoom at which the whole drawing and its labels fit the box. */
    function fit() {
      var bb = cy.nodes().boundingBox();
      var width = container.clientWidth - 2 * (labelWidth() + 12);
      var height = container.clientHeight - 2 * (LABEL_HEIGHT + 10);
      var zoom = Math.min(2, width / Math.max(bb.w, 1), height / Math.max(bb.h, 1));
      cy.zoom(Math.max(cy.minZoom(), zoom));
      cy.center(cy.nodes());
    }

    function draw(data) {
      cy.elements().remove();
      cy.add(drawing.elements(data, "degree", slug, [14, 34]));
      var run = cy.layout(layout(steps()));
      run.one("layoutstop", function () {
        orientLabels();
        fit();
        labelling.fitted();
        box.setAttribute("data-nodes", cy.nodes().length);
        box.setAttribute("data-edges", cy.edges().length);
        box.setAttribute("data-ready", "true");
      });
      run.run();
      if (status) {
        status.textContent = status
          .getAttribute("data-template")
          .replace("%(nodes)s", data.counts.nodes)
          .replace("%(edges)s", data.counts.edges);
      }
    }

    function load(value) {
      depth = String(value);
      box.removeAttribute("data-ready");
      ask(
        TIPS.withQuery(url, new URLSearchParams({ ego: slug, profondeur: depth })),
        draw,
        function () {
          if (status) status.textContent = status.getAttribute("data-error");
        }
      );
    }

    function open(node) {
      if (node.id() !== slug) window.location.href = TIPS.cardUrl(node.id());
    }

    cy.on("tap", "node", function (event) {
      open(event.target);
    });
    // A tap beside a small node still opens it (on a phone, a finger is 44 pixels wide).
    cy.on("tap", function (event) {
      if (event.target !== cy) return;
      var near = drawing.nodeNear(cy, event);
      if (near) open(near);
    });
    box.querySelectorAll('input[name="ego-depth"]').forEach(function (input) {
      input.addEventListener("change", function () {
        if (input.checked) load(input.value);
      });
    });
    var checked = box.querySelector('input[name="ego-depth"]:checked');
    load(checked ? checked.value : 1);
  };

  document.querySelectorAll("[data-ego-network]:not([data-initialised])").forEach(function (box) {
    box.setAttribute("data-initialised", "true");
    TIPS.initEgo(box);
  });
})();
