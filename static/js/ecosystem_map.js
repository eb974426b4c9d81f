/* TIPs map — small maps of an ecosystem: an actor's card (the actor, its partners, the lines
 * between them), a territory page (its boundary, its actors, their partners outside it) and a
 * proposal on the moderation page.
 *
 * Every actor is drawn where it is. Many sit at their commune's town hall: those sharing a spot
 * are marked by one ring of their types with their number (clusters.js), and fan out around the
 * spot when the person clicks it (the card's actor in the middle), so that their relation lines
 * show; a click on the map, Escape or the ring again folds them back. */
(function () {
  "use strict";
  var TIPS = (window.TIPS = window.TIPS || {});
  var STEP = 24; // px between two fanned-out actors, and between two rings of them
  var FIRST_RING = 40; // px from the spot to the first ring (clear of the spot's own ring)

  TIPS.initEcosystemMap = function (map) {
    var data = TIPS.config(map.getContainer().getAttribute("data-config"));
    var labels = TIPS.config("map-labels");
    var points = data.points || [];
    if (data.actor) points = [Object.assign({ main: true }, data.actor)].concat(data.partners || []);
    var markers = {};
    var bounds = [];
    var boundary = null;
    if (data.boundary) {
      boundary = L.geoJSON(data.boundary, { style: TIPS.territoryStyle, interactive: false }).addTo(map);
    }
    points.forEach(function (point) {
      var marker = L.marker([point.lat, point.lon], {
        icon: TIPS.actorIcon(point.type, { gone: point.gone, external: point.external, main: point.main }),
        title: point.name,
        alt: point.name,
        keyboard: true,
        main: !!point.main,
        zIndexOffset: point.main ? 1000 : 0,
      }).addTo(map);
      var extra = [];
      if (point.external) extra.push(labels.external);
      if (point.gone) extra.push(labels.gone);
      marker.bindPopup(TIPS.popup(point, labels.types[point.type], extra));
      markers[point.slug] = marker;
      bounds.push([point.lat, point.lon]);
    });
    var relations = TIPS.drawRelations(map, data.lines || [], function (slug) {
      return markers[slug] ? markers[slug].getLatLng() : null;
    });
    sameSpots(points, markers).forEach(function (members) {
      stack(map, members, relations.redraw);
    });
    if (boundary) {
      // The territory and its partners outside it, as the report's figure shows them.
      var all = boundary.getBounds();
      bounds.forEach(function (b) {
        all.extend(b);
      });
      map.fitBounds(all, { padding: [10, 10], animate: false });
    } else if (bounds.length > 1) map.fitBounds(bounds, { padding: [40, 40], maxZoom: 13, animate: false });
    else if (bounds.length === 1) map.setView(bounds[0], 12);
    relations.redraw();
    map.getContainer().setAttribute("data-markers", points.length);
  };

  /* Offsets in pixels for n actors around a spot: rings of growing radius, STEP apart on each,
   * so that 28 actors of one town hall stay within a small map. */
  function ringsFor(n) {
    var offsets = [];
    var radius = FIRST_RING;
    while (offsets.length < n) {
      var room = Math.floor((2 * Math.PI * radius) / STEP);
      var here = Math.min(room, n - offsets.length);
      for (var k = 0; k < here; k++) {
        var angle = (2 * Math.PI * k) / here - Math.PI / 2 + (radius === FIRST_RING ? 0 : Math.PI / here);
        offsets.push(L.point(radius * Math.cos(angle), radius * Math.sin(angle)));
      }
      radius += STEP;
    }
    return offsets;
  }

  /* The markers of the actors that stand on exactly the same spot, a list per spot of two or more. */
  function sameSpots(points, markers) {
    var spots = {};
    points.forEach(function (point) {
      var key = point.lat + "," + point.lon;
      (spots[key] = spots[key] || []).push(markers[point.slug]);
    });
    return Object.keys(spots)
      .map(function (key) {
        return spots[key];
      })
      .filter(function (members) {
        return members.length > 1;
      });
  }

  /* One spot's actors: the ring of their types over them, which fans them out on click. */
  function stack(map, members, redraw) {
    var spot = members[0].getLatLng();
    var main = members.filter(function (marker) {
      return marker.options.main;
    })[0];
    var around = members.filter(function (marker) {
      return marker !== main;
    });
    var badge = L.marker(spot, {
      icon: TIPS.clusterIcon({
        getAllChildMarkers: function () {
          return members;
        },
      }),
      keyboard: true,
      zIndexOffset: 2000,
      riseOnHover: true,
    }).addTo(map);
    var legs = L.layerGroup();
    var open = false;

    function place() {
      var centre = map.latLngToContainerPoint(spot);
      var rings = ringsFor(around.length);
      legs.clearLayers();
      around.forEach(function (marker, k) {
        var at = map.containerPointToLatLng(centre.add(rings[k]));
        marker.setLatLng(at);
        L.polyline([spot, at], { className: "fan-leg", interactive: false, weight: 1 }).addTo(legs);
      });
      // The whole fan in view: the map moves (no zoom), so the positions stay right.
      var outer = rings.length ? rings[rings.length - 1].distanceTo(L.point(0, 0)) + 16 : 0;
      // Below, room for the attribution and the offline note too.
      map.panInside(spot, { paddingTopLeft: [outer, outer], paddingBottomRight: [outer, outer + 40], animate: false });
    }

    function fan(on) {
      if (on === open) return;
      open = on;
      if (on) {
        place();
        legs.addTo(map);
      } else {
        map.removeLayer(legs);
        around.forEach(function (marker) {
          marker.setLatLng(spot);
        });
      }
      // Open, the ring goes under the card's actor, which stands in the middle of its partners.
      badge.setZIndexOffset(on ? 500 : 2000);
      var element = badge.getElement();
      if (element) {
        element.classList.toggle("is-open", on);
        element.setAttribute("aria-expanded", on ? "true" : "false");
      }
      map.getContainer().setAttribute("data-fanned", map.getContainer().querySelectorAll(".actor-cluster.is-open").length);
      redraw();
    }

    badge.on("click", function () {
      fan(!open);
    });
    badge.on("add", function () {
      badge.getElement().setAttribute("aria-expanded", "false");
    });
    var element = badge.getElement();
    if (element) element.setAttribute("aria-expanded", "false");
    map.on("click", function () {
      fan(false);
    });
    map.on("zoomend", function () {
      if (open) {
        place();
        redraw();
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") fan(false);
    });
  }
})();
