/* TIPs map — two controls of every map: fullscreen (the Fullscreen API on the map's container, a
 * page-filling fallback where the browser has none, e.g. iPhone Safari) and the legend of actor
 * types on the map itself, collapsible, folded by default on a narrow map (a phone). */
(function () {
  "use strict";
  var TIPS = (window.TIPS = window.TIPS || {});
  var NARROW = 600; // px: under this map width the legend starts folded
  var legendCount = 0;

  function labels() {
    return TIPS.mapLayersConfig ? TIPS.mapLayersConfig().labels : {};
  }

  function button(parent, className, text) {
    var node = L.DomUtil.create("button", className, parent);
    node.type = "button";
    node.textContent = text;
    return node;
  }

  var Fullscreen = L.Control.extend({
    options: { position: "topleft" },
    onAdd: function (map) {
      var bar = L.DomUtil.create("div", "leaflet-bar map-fullscreen");
      var toggle = button(bar, "map-fullscreen-toggle", "");
      var container = map.getContainer();
      var native = !!(container.requestFullscreen && document.exitFullscreen);
      function isOn() {
        return native ? document.fullscreenElement === container : container.classList.contains("is-fullscreen");
      }
      function show() {
        var on = isOn();
        var text = on ? labels().exitFullscreen : labels().fullscreen;
        toggle.setAttribute("aria-pressed", on ? "true" : "false");
        toggle.setAttribute("aria-label", text || "");
        toggle.title = text || "";
        container.classList.toggle("is-fullscreen", on);
        map.invalidateSize();
      }
      L.DomEvent.disableClickPropagation(bar);
      L.DomEvent.on(toggle, "click", function () {
        if (native) {
          if (isOn()) document.exitFullscreen();
          else container.requestFullscreen().catch(function () {});
        } else {
          container.classList.toggle("is-fullscreen");
          show();
        }
      });
      if (native) document.addEventListener("fullscreenchange", show);
      show();
      return bar;
    },
  });

  TIPS.addFullscreenControl = function (map) {
    return new Fullscreen().addTo(map);
  };

  /* The legend of the page ([data-map-legend], includes/type_legend.html) moves into the map: the
   * same nodes, so the counts the page script writes into [data-type-count] land there. */
  var Legend = L.Control.extend({
    options: { position: "bottomleft" },
    onAdd: function (map) {
      var box = L.DomUtil.create("div", "map-legend");
      var id = "map-legend-body-" + ++legendCount;
      var toggle = button(box, "map-legend-toggle", labels().legend || "");
      var body = L.DomUtil.create("div", "map-legend-body", box);
      body.id = id;
      body.appendChild(this.options.legend);
      toggle.setAttribute("aria-controls", id);
      function set(open) {
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
        body.hidden = !open;
      }
      L.DomEvent.on(toggle, "click", function () {
        set(body.hidden);
      });
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      set(map.getContainer().clientWidth >= NARROW);
      return box;
    },
  });

  TIPS.addLegendControl = function (map, wanted) {
    var legend = document.querySelector("[data-map-legend]");
    if (!legend) return null;
    // The side column's wrapper (the embed's <details>) has nothing left to show.
    var wrapper = legend.parentElement && legend.parentElement.closest("[data-map-legend-wrapper], .embed-legend");
    if (wrapper) wrapper.hidden = true;
    if (!wanted) {
      legend.remove();
      return null;
    }
    legend.removeAttribute("data-map-legend");
    return new Legend({ legend: legend }).addTo(map);
  };
})();
