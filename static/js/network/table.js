/* TIPs map — the network's measures table: the drawing's accessible equivalent, one row per actor
 * drawn, sortable by every column (the header's buttons; aria-sort says the order).
 * Every text from the data goes through textContent, never innerHTML: names are user input. */
(function () {
  "use strict";
  var TIPS = (window.TIPS = window.TIPS || {});

  TIPS.networkTable = function (table, settings) {
    var labels = settings.labels;
    var nodes = [];
    var sort = { key: "degree", descending: true };

    function cellValue(node, key) {
      if (key === "name") return node.name;
      if (key === "type") return settings.types[node.type] || node.type;
      if (TIPS.RELATION_TYPES.indexOf(key) !== -1) return (node.degree_by_type || {})[key] || 0;
      return node[key] || 0;
    }

    function row(node) {
      var tr = document.createElement("tr");
      if (node.gone) tr.className = "is-gone";
      if (node.external) tr.className += " is-external";
      var name = TIPS.element(tr, "th");
      name.scope = "row";
      TIPS.element(name, "a", "", node.name).href = TIPS.cardUrl(node.id);
      if (node.external) TIPS.element(name, "span", "hint", " (" + labels.external.toLowerCase() + ")");
      TIPS.appendType(TIPS.element(tr, "td"), node.type, settings.types[node.type] || node.type);
      [
        String(node.degree || 0),
        String(cellValue(node, "partage_information")),
        String(cellValue(node, "prestation_service")),
        String(cellValue(node, "collaboration")),
        TIPS.formatNumber(node.betweenness, 3),
        TIPS.formatNumber(node.brokerage, 3),
        node.community === null || node.community === undefined ? "—" : String(node.community),
      ].forEach(function (text) {
        TIPS.element(tr, "td", "number", text);
      });
      return tr;
    }

    function render() {
      var sorted = nodes.slice();
      var collator = new Intl.Collator(TIPS.lang(), { sensitivity: "base" });
      sorted.sort(function (a, b) {
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
      sorted.forEach(function (node) {
        body.appendChild(row(node));
      });
      table.replaceChild(body, table.tBodies[0]);
    }

    table.querySelectorAll("thead th[data-sort] button").forEach(function (button) {
      button.addEventListener("click", function () {
        var th = button.closest("th");
        var key = th.getAttribute("data-sort");
        if (sort.key === key) sort.descending = !sort.descending;
        else sort = { key: key, descending: th.hasAttribute("data-numeric") };
        render();
      });
    });

    return {
      /* The actors of the drawing, in the current order. */
      show: function (drawnNodes) {
        nodes = drawnNodes || [];
        render();
      },
    };
  };
})();
