/* TIPs map — the ego network of a card: the actor, its partners and, at depth 2, theirs; a tap on
 * a partner opens its card. Drawn as the network page draws (network/drawing.js). */
(function () {
  "use strict";
  var TIPS = (window.TIPS = window.TIPS || {});
  var drawing = TIPS.networkDrawing;

  TIPS.initEgo = function (box) {
    var slug = box.getAttribute("data-slug");
    var url = box.getAttribute("data-url");
    var container = box.querySelector(".ego-canvas");
    var status = box.querySelector(".ego-status");
    var cy = cytoscape({
      container: container,
      style: drawing.stylesheet({ allLabels: true }),
      minZoom: 0.2,
      maxZoom: 3,
      boxSelectionEnabled: false,
    });
    var ask = TIPS.latestJSON();
    box.cy = cy;

    /* One step: a ring of partners around the actor; two steps: as the network page lays out. */
    function layout(depth, count) {
      if (String(depth) !== "1" || !cy.getElementById(slug).length) return drawing.layout(count, Infinity);
      return {
        name: "concentric",
        animate: false,
        padding: 15,
        minNodeSpacing: 20,
        concentric: function (node) {
          return node.id() === slug ? 2 : 1;
        },
        levelWidth: function () {
          return 1;
        },
      };
    }

    function draw(data, depth) {
      cy.elements().remove();
      // Every label around one actor; at two steps those of the bigger nodes (all once zoomed in).
      cy.style(drawing.stylesheet({ allLabels: String(depth) === "1" }));
      cy.add(drawing.elements(data, "degree", slug));
      var run = cy.layout(layout(depth, data.nodes.length));
      run.one("layoutstop", function () {
        cy.fit(undefined, 15);
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

    function load(depth) {
      box.removeAttribute("data-ready");
      ask(
        TIPS.withQuery(url, new URLSearchParams({ ego: slug, profondeur: depth })),
        function (data) {
          draw(data, depth);
        },
        function () {
          if (status) status.textContent = status.getAttribute("data-error");
        }
      );
    }

    cy.on("tap", "node", function (event) {
      if (event.target.id() !== slug) window.location.href = TIPS.cardUrl(event.target.id());
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
