/* TIPs map — shared map helpers (Leaflet): actor markers, popups, relation lines in the report's
 * legend (TIPS.LINES, from tips.js).
 * Every text from the data goes through textContent, never innerHTML: names are user input. */
(function () {
  "use strict";
  var TIPS = (window.TIPS = window.TIPS || {});
  // Every popup opens clear of the zoom buttons (top left, 44 px on phones) and the map's edges.
  L.Popup.mergeOptions({ autoPanPaddingTopLeft: L.point(60, 16), autoPanPaddingBottomRight: L.point(16, 16) });

  TIPS.actorIcon = function (type, options) {
    options = options || {};
    var classes = ["actor-marker", "type-" + type];
    if (options.gone) classes.push("is-gone");
    if (options.external) classes.push("is-external");
    if (options.main) classes.push("is-main");
    var size = options.main ? 22 : 16;
    var offset = options.offset || [0, 0];
    return L.divIcon({
      className: classes.join(" "),
      iconSize: [size, size],
      iconAnchor: [size / 2 - offset[0], size / 2 - offset[1]],
      popupAnchor: [offset[0], offset[1] - size / 2],
      html: "",
    });
  };

  /* A popup as DOM nodes: name (link to the card), type, commune, and optional notes. */
  TIPS.popup = function (actor, typeLabel, extra) {
    var box = document.createElement("div");
    box.className = "actor-popup";
    TIPS.element(box, "a", "actor-popup-name", actor.name).href = TIPS.cardUrl(actor.slug);
    TIPS.appendType(TIPS.element(box, "p", "actor-popup-type"), actor.type, typeLabel);
    if (actor.commune) TIPS.element(box, "p", "", actor.commune);
    (extra || []).forEach(function (text) {
      TIPS.element(box, "p", "actor-popup-note", text);
    });
    return box;
  };

  /* Draw relations between points already placed: lines styled by type, arrows for services. */
  TIPS.drawRelations = function (map, lines, pointsBySlug, layer) {
    var group = layer || L.layerGroup().addTo(map);
    lines.forEach(function (line) {
      var from = pointsBySlug[line.from];
      var to = pointsBySlug[line.to];
      if (!from || !to) return;
      var style = TIPS.LINES[line.type] || TIPS.LINES.partage_information;
      var a = L.latLng(from.lat, from.lon);
      var b = L.latLng(to.lat, to.lon);
      L.polyline([a, b], {
        color: TIPS.INK,
        opacity: 0.75,
        weight: style.width,
        dashArray: style.dash ? style.dash.join(" ") : null,
        className: "relation-line relation-line-" + line.type,
        interactive: false,
      }).addTo(group);
      if (style.arrow) {
        TIPS.arrow(map, a, b).addTo(group);
      }
    });
    return group;
  };

  /* An arrowhead two thirds of the way from provider to beneficiary, pointing at the latter. */
  TIPS.arrow = function (map, a, b) {
    var at = L.latLng(a.lat + (b.lat - a.lat) * 0.66, a.lng + (b.lng - a.lng) * 0.66);
    var marker = L.marker(at, {
      interactive: false,
      keyboard: false,
      icon: L.divIcon({ className: "relation-arrow", iconSize: [14, 14], iconAnchor: [7, 7], html: "" }),
    });
    function orient() {
      var p = map.latLngToLayerPoint(a);
      var q = map.latLngToLayerPoint(b);
      var angle = (Math.atan2(q.y - p.y, q.x - p.x) * 180) / Math.PI;
      var element = marker.getElement();
      if (element) element.style.setProperty("--angle", angle + "deg");
    }
    marker.on("add", function () {
      orient();
      map.on("zoomend", orient);
    });
    return marker;
  };

  TIPS.boundaryStyle = { color: "#174ea6", weight: 1.5, opacity: 0.8, fill: true, fillOpacity: 0.04 };
})();
