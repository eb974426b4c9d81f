/* TIPs map — shared map helpers: actor markers, popups, relation lines in the report's legend.
 * Every text from the data goes through textContent, never innerHTML: names are user input. */
(function () {
  "use strict";
  var TIPS = (window.TIPS = window.TIPS || {});

  // The report's legend: information sharing solid, service provision dashed with an arrow,
  // collaboration bold.
  var LINE_STYLES = {
    partage_information: { weight: 2, dashArray: null },
    prestation_service: { weight: 2, dashArray: "6 5" },
    collaboration: { weight: 5, dashArray: null },
  };

  TIPS.config = function (id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : {};
  };

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

  TIPS.cardUrl = function (slug) {
    return "/acteurs/" + encodeURIComponent(slug) + "/";
  };

  /* A popup as DOM nodes: name (link to the card), type, commune, and optional notes. */
  TIPS.popup = function (actor, typeLabel, extra) {
    var box = document.createElement("div");
    box.className = "actor-popup";
    var title = document.createElement("a");
    title.href = TIPS.cardUrl(actor.slug);
    title.className = "actor-popup-name";
    title.textContent = actor.name;
    box.appendChild(title);
    var type = document.createElement("p");
    type.className = "actor-popup-type";
    var dot = document.createElement("span");
    dot.className = "type-dot type-" + actor.type;
    dot.setAttribute("aria-hidden", "true");
    type.appendChild(dot);
    type.appendChild(document.createTextNode(typeLabel || ""));
    box.appendChild(type);
    if (actor.commune) {
      var commune = document.createElement("p");
      commune.textContent = actor.commune;
      box.appendChild(commune);
    }
    (extra || []).forEach(function (text) {
      var note = document.createElement("p");
      note.className = "actor-popup-note";
      note.textContent = text;
      box.appendChild(note);
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
      var style = LINE_STYLES[line.type] || LINE_STYLES.partage_information;
      var a = L.latLng(from.lat, from.lon);
      var b = L.latLng(to.lat, to.lon);
      L.polyline([a, b], {
        color: "#1d1d1f",
        opacity: 0.75,
        weight: style.weight,
        dashArray: style.dashArray,
        className: "relation-line relation-line-" + line.type,
        interactive: false,
      }).addTo(group);
      if (line.type === "prestation_service") {
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
