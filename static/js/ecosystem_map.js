/* TIPs map — small maps of an ecosystem: an actor's card (the actor, its partners, the lines
 * between them) and a territory page (its boundary, its actors, their partners outside it). */
(function () {
  "use strict";
  var TIPS = (window.TIPS = window.TIPS || {});

  TIPS.initEcosystemMap = function (map) {
    var data = TIPS.config(map.getContainer().getAttribute("data-config"));
    var labels = TIPS.config("map-labels");
    var points = data.points || [];
    if (data.actor) points = [Object.assign({ main: true }, data.actor)].concat(data.partners || []);
    var bySlug = {};
    var bounds = [];
    var boundary = null;
    if (data.boundary) {
      boundary = L.geoJSON(data.boundary, { style: TIPS.boundaryStyle, interactive: false }).addTo(map);
    }
    TIPS.drawRelations(map, data.lines || [], indexBySlug(points, bySlug));
    var offsets = ringOffsets(points);
    points.forEach(function (point, i) {
      var marker = L.marker([point.lat, point.lon], {
        icon: TIPS.actorIcon(point.type, {
          gone: point.gone,
          external: point.external,
          main: point.main,
          offset: offsets[i],
        }),
        title: point.name,
        alt: point.name,
        keyboard: true,
        zIndexOffset: point.main ? 1000 : 0,
      }).addTo(map);
      var extra = [];
      if (point.external) extra.push(labels.external);
      if (point.gone) extra.push(labels.gone);
      marker.bindPopup(TIPS.popup(point, labels.types[point.type], extra));
      bounds.push([point.lat, point.lon]);
    });
    if (boundary) {
      // The territory and its partners outside it, as the report's figure shows them.
      var all = boundary.getBounds();
      bounds.forEach(function (b) {
        all.extend(b);
      });
      map.fitBounds(all, { padding: [10, 10], animate: false });
    } else if (bounds.length > 1) map.fitBounds(bounds, { padding: [25, 25], maxZoom: 13, animate: false });
    else if (bounds.length === 1) map.setView(bounds[0], 12);
    map.getContainer().setAttribute("data-markers", points.length);
  };

  /* Many actors sit at their commune's town hall: spread the ones sharing a spot on a small
   * ring (in pixels, so at every zoom) so that each stays visible and clickable. */
  function ringOffsets(points) {
    var groups = {};
    points.forEach(function (point, i) {
      if (point.main) return;
      var key = point.lat + "," + point.lon;
      (groups[key] = groups[key] || []).push(i);
    });
    var offsets = points.map(function () {
      return [0, 0];
    });
    Object.keys(groups).forEach(function (key) {
      var members = groups[key];
      var shared = members.length > 1 || points.some(function (p) {
        return p.main && p.lat + "," + p.lon === key;
      });
      if (!shared) return;
      var radius = 16 + 2 * members.length;
      members.forEach(function (index, k) {
        var angle = (2 * Math.PI * k) / members.length - Math.PI / 2;
        offsets[index] = [Math.round(radius * Math.cos(angle)), Math.round(radius * Math.sin(angle))];
      });
    });
    return offsets;
  }

  function indexBySlug(points, bySlug) {
    points.forEach(function (point) {
      bySlug[point.slug] = point;
    });
    return bySlug;
  }
})();
