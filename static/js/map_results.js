/* TIPs map — the results beside the home map: the actors the filters and the search keep (short
 * name, type, commune), counted, drawn 50 at a time ("Voir plus") so that 10,000 actors never make
 * 10,000 nodes at once. Pointing at or focusing a result highlights its marker, or the cluster
 * that holds it; choosing one calls `choose(slug)`. Each result is a link to the card, so that a
 * new tab or a page without the map still works. Names through textContent, never innerHTML. */
(function () {
  "use strict";
  var TIPS = (window.TIPS = window.TIPS || {});

  var PAGE = 50;

  TIPS.mapResults = function (explore, config, choose) {
    var box = document.getElementById("map-results");
    if (!box) return null;
    var count = document.getElementById("map-results-count");
    var list = document.getElementById("map-results-list");
    var more = document.getElementById("map-results-more");
    var labels = config.labels;
    var actors = [];
    var drawn = 0;
    var lit = null;

    /* The marker if it is drawn on its own, else the cluster that holds it at this zoom. */
    function visibleLayer(slug) {
      var marker = explore.markers[slug];
      return marker ? explore.cluster.getVisibleParent(marker) : null;
    }

    function highlight(slug) {
      unlight();
      var layer = visibleLayer(slug);
      var element = layer && layer.getElement && layer.getElement();
      if (!element) return;
      element.classList.add("is-highlighted");
      if (layer.setZIndexOffset) layer.setZIndexOffset(1000);
      lit = layer;
    }

    function unlight() {
      if (!lit) return;
      var element = lit.getElement && lit.getElement();
      if (element) element.classList.remove("is-highlighted");
      if (lit.setZIndexOffset) lit.setZIndexOffset(0);
      lit = null;
    }

    function item(actor) {
      var li = document.createElement("li");
      li.className = "map-result" + (actor.gone ? " is-gone" : "");
      var link = TIPS.element(li, "a", "map-result-link");
      link.href = TIPS.cardUrl(actor.slug);
      link.setAttribute("data-slug", actor.slug);
      // Spaces between the parts, for the link's name as screen readers say it.
      TIPS.element(link, "span", "map-result-name", actor.name);
      link.appendChild(document.createTextNode(" "));
      var type = TIPS.element(link, "span", "map-result-type");
      TIPS.appendType(type, actor.type, config.types[actor.type]);
      if (actor.commune) {
        link.appendChild(document.createTextNode(" "));
        TIPS.element(link, "span", "map-result-commune", actor.commune);
      }
      return li;
    }

    function drawMore() {
      var page = document.createDocumentFragment();
      var end = Math.min(actors.length, drawn + PAGE);
      for (var i = drawn; i < end; i++) page.appendChild(item(actors[i]));
      list.appendChild(page);
      var first = list.children[drawn];
      drawn = end;
      var left = actors.length - drawn;
      more.hidden = left <= 0;
      more.textContent = labels.resultsMore.replace("%(n)s", Math.min(left, PAGE)).replace("%(left)s", left);
      return first;
    }

    list.addEventListener("mouseover", function (event) {
      var link = event.target.closest("[data-slug]");
      if (link) highlight(link.getAttribute("data-slug"));
    });
    list.addEventListener("mouseleave", unlight);
    list.addEventListener("focusin", function (event) {
      var link = event.target.closest("[data-slug]");
      if (link) highlight(link.getAttribute("data-slug"));
    });
    list.addEventListener("focusout", unlight);
    list.addEventListener("click", function (event) {
      var link = event.target.closest("[data-slug]");
      // A new tab (Ctrl, Shift, middle button) opens the full card as the link says.
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      unlight();
      choose(link.getAttribute("data-slug"), link);
    });
    more.addEventListener("click", function () {
      var first = drawMore();
      var link = first && first.querySelector("a");
      if (link) link.focus();
    });

    return {
      /* The actors of the latest payload, in its order (the names' alphabetical order). */
      show: function (rows) {
        unlight();
        actors = rows;
        drawn = 0;
        list.textContent = "";
        count.textContent = labels.results.replace("%(n)s", actors.length);
        box.classList.toggle("is-empty", !actors.length);
        if (!actors.length) TIPS.element(list, "li", "map-result-none", labels.resultsNone);
        else drawMore();
      },
      highlight: highlight,
      unlight: unlight,
    };
  };
})();
