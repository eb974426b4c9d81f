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
    return L.divIcon({
      className: classes.join(" "),
      iconSize: [size, size],
      popupAnchor: [0, -size / 2],
      html: "",
      // Read by the clusters' rings (clusters.js): the type without looking at the DOM.
      actorType: type,
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

  /* Draw relations between markers already placed: curved lines styled by type, arrows for
   * services. `positionOf(slug)` says where an end is drawn now (a fanned-out actor moves), so
   * the returned redraw() follows the markers. Each line bends in proportion to its length, and
   * the lines between the same two spots bend by turns to either side: none hides another. */
  TIPS.drawRelations = function (map, lines, positionOf, layer) {
    var group = layer || L.layerGroup().addTo(map);
    var drawn = [];
    var perPair = {};
    function spot(slug) {
      var at = positionOf(slug);
      return at ? at.lat + "," + at.lng : slug;
    }
    lines.forEach(function (line) {
      var ends = [spot(line.from), spot(line.to)];
      var key = ends.slice().sort().join(" ");
      var siblings = (perPair[key] = perPair[key] || []);
      // 0.1, -0.1, 0.18, -0.18…, the sign taken in the pair's order so that siblings part.
      var k = siblings.length;
      var bend = (k % 2 ? -1 : 1) * (0.1 + 0.08 * Math.floor(k / 2)) * (ends[0] <= ends[1] ? 1 : -1);
      siblings.push(line);
      var style = TIPS.LINES[line.type] || TIPS.LINES.partage_information;
      var path = L.polyline([], {
        color: TIPS.INK,
        opacity: 0.75,
        weight: style.width,
        dashArray: style.dash ? style.dash.join(" ") : null,
        className: "relation-line relation-line-" + line.type,
        interactive: false,
      }).addTo(group);
      var arrow = style.arrow ? TIPS.arrow(map).addTo(group) : null;
      drawn.push({ line: line, path: path, arrow: arrow, bend: bend });
    });
    function redraw() {
      drawn.forEach(function (item) {
        var a = positionOf(item.line.from);
        var b = positionOf(item.line.to);
        if (!a || !b) return;
        var curve = TIPS.curve(map, a, b, item.bend);
        item.path.setLatLngs(curve.points);
        if (item.arrow) item.arrow.place(curve.at(0.66), curve.at(0.7), curve.length >= 24);
      });
    }
    redraw();
    map.on("zoomend", redraw);
    return { layer: group, redraw: redraw };
  };

  /* A quadratic Bézier from a to b, its control point off the middle by `bend` × the length,
   * as a polyline of 17 points; at(t) is a point on it, length its chord in pixels now. */
  TIPS.curve = function (map, a, b, bend) {
    var zoom = map.getZoom();
    var p = map.project(a, zoom);
    var q = map.project(b, zoom);
    var c = L.point((p.x + q.x) / 2 - (q.y - p.y) * bend, (p.y + q.y) / 2 + (q.x - p.x) * bend);
    function at(t) {
      var u = 1 - t;
      return map.unproject(L.point(u * u * p.x + 2 * u * t * c.x + t * t * q.x, u * u * p.y + 2 * u * t * c.y + t * t * q.y), zoom);
    }
    var points = [];
    for (var i = 0; i <= 16; i++) points.push(at(i / 16));
    return { points: points, at: at, length: p.distanceTo(q) };
  };

  /* An arrowhead, placed by place(at, ahead, shown): at `at`, pointing towards `ahead` (the
   * beneficiary's side), hidden when the line is too short to carry it. */
  TIPS.arrow = function (map) {
    var ends = null;
    var marker = L.marker([0, 0], {
      interactive: false,
      keyboard: false,
      icon: L.divIcon({ className: "relation-arrow", iconSize: [14, 14], iconAnchor: [7, 7], html: "" }),
    });
    function orient() {
      var element = marker.getElement();
      if (!element || !ends) return;
      var p = map.latLngToLayerPoint(ends[0]);
      var q = map.latLngToLayerPoint(ends[1]);
      element.style.setProperty("--angle", (Math.atan2(q.y - p.y, q.x - p.x) * 180) / Math.PI + "deg");
      element.classList.toggle("is-hidden", !ends[2]);
    }
    marker.place = function (at, ahead, shown) {
      ends = [at, ahead, shown];
      marker.setLatLng(at);
      orient();
    };
    marker.on("add", orient);
    return marker;
  };

  /* The département outlines: the only background offline, lighter over tiles (map_layers.css). */
  TIPS.boundaryStyle = {
    color: "#174ea6",
    weight: 1.5,
    opacity: 0.8,
    fill: true,
    fillOpacity: 0.04,
    className: "map-outline",
  };
  /* A territory's own boundary on its page: as strong over tiles as without. */
  TIPS.territoryStyle = {
    color: "#174ea6",
    weight: 2,
    opacity: 0.9,
    fill: true,
    fillOpacity: 0.05,
    className: "territory-outline",
  };
})();
