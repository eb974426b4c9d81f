/* TIPs map — the panel of the actor picked in the network drawing: name, type, commune, relations
 * per type, betweenness, brokerage, notes, and the link to its card.
 * Every text from the data goes through textContent, never innerHTML: names are user input. */
(function () {
  "use strict";
  var TIPS = (window.TIPS = window.TIPS || {});

  TIPS.networkSummary = function (box, settings) {
    var labels = settings.labels;

    function element(tag, className, text) {
      return TIPS.element(box, tag, className, text);
    }

    function facts(node) {
      var list = element("dl", "facts network-facts");
      function fact(term, value) {
        TIPS.element(list, "dt", "", term);
        TIPS.element(list, "dd", "", value);
      }
      if (node.commune) fact(labels.commune, node.commune);
      fact(labels.degree, String(node.degree));
      TIPS.RELATION_TYPES.forEach(function (relation) {
        fact(settings.relations[relation], String((node.degree_by_type || {})[relation] || 0));
      });
      fact(labels.betweenness, TIPS.formatNumber(node.betweenness, 3));
      fact(labels.brokerage, TIPS.formatNumber(node.brokerage, 3));
    }

    function hide() {
      box.hidden = true;
      box.textContent = "";
    }

    /* `closed` runs when the person closes the panel with its button; `alone`: the actor has no
     * relation in the drawing's selection. */
    function show(node, closed, alone) {
      box.textContent = "";
      var close = element("button", "network-summary-close", "×");
      close.type = "button";
      close.setAttribute("aria-label", "×");
      close.addEventListener("click", closed);
      element("h3", "", node.name);
      TIPS.appendType(element("p"), node.type, settings.types[node.type] || node.type);
      facts(node);
      var notes = [];
      if (node.external) notes.push(labels.external);
      if (node.gone) notes.push(labels.gone);
      if (alone) notes.push(labels.isolated);
      notes.forEach(function (text) {
        element("p", "hint", text);
      });
      var link = element("a", "button network-card-link", labels.card);
      link.href = TIPS.cardUrl(node.id);
      box.hidden = false;
    }

    return { show: show, hide: hide };
  };
})();
