/* TIPs map — clusters that tell the types apart: a ring of the type shares of the cluster's actors
 * in the six type colours, the count inside, and a label that says it ("12 acteurs : 5 …").
 * A click on a cluster whose actors share one spot (a town hall) spreads them at once; any other
 * cluster zooms to its actors.
 *
 * The icon is built for every cluster shown, at every zoom, over up to tens of thousands of
 * actors: one loop over the child markers counting by type, no DOM query, and the SVG as a string
 * of numbers and fixed type keys only (names never enter it). */
(function () {
  "use strict";
  var TIPS = (window.TIPS = window.TIPS || {});
  var RADIUS = 15.9155; // circumference 100: a share in % is its dash length
  var SAME_SPOT = 24; // px apart at the deepest zoom, or less: one spot, spread on click

  var names = null;
  function typeLabels() {
    // Read once: the page's JSON is parsed for the first cluster, not for each.
    if (!names) names = TIPS.config("explore-config").types || TIPS.config("map-labels").types || {};
    return names;
  }

  // The report's typology in its order, "other" last, as the page's labels give it (built from
  // ActorType on the server): the ring's segments always in this order.
  var order = null;
  function typeOrder() {
    if (!order) order = Object.keys(typeLabels());
    return order;
  }

  TIPS.markerType = function (marker) {
    var type = marker.options.actorType || (marker.options.icon && marker.options.icon.options.actorType);
    return typeOrder().indexOf(type) >= 0 ? type : "autre";
  };

  /* The count by type of the markers of a cluster, in the typology's order. */
  TIPS.clusterShares = function (markers) {
    var counts = {};
    for (var i = 0; i < markers.length; i++) {
      var type = TIPS.markerType(markers[i]);
      counts[type] = (counts[type] || 0) + 1;
    }
    return typeOrder().filter(function (type) {
      return counts[type];
    }).map(function (type) {
      return { type: type, count: counts[type] };
    });
  };

  function ringSvg(shares, total) {
    var parts = ['<svg class="cluster-ring" viewBox="0 0 36 36" aria-hidden="true" focusable="false">'];
    var start = 0;
    shares.forEach(function (share) {
      var length = (100 * share.count) / total;
      parts.push(
        '<circle class="cluster-segment type-stroke-' + share.type + '" data-type="' + share.type +
          '" cx="18" cy="18" r="' + RADIUS + '" stroke-dasharray="' + length.toFixed(3) + " " +
          (100 - length).toFixed(3) + '" stroke-dashoffset="' + (25 - start).toFixed(3) + '"></circle>'
      );
      start += length;
    });
    parts.push("</svg>");
    return parts.join("");
  }

  /* A divIcon whose element carries its label as text (its accessible name) and as its title,
   * both set through the DOM; the number drawn in the ring is hidden from screen readers. */
  var ClusterIcon = L.DivIcon.extend({
    createIcon: function (old) {
      var element = L.DivIcon.prototype.createIcon.call(this, old);
      // A div, not a span: the count stays the cluster's only span (what tools sum up).
      var said = document.createElement("div");
      said.className = "visually-hidden";
      said.textContent = this.options.label;
      element.appendChild(said);
      element.title = this.options.label;
      return element;
    },
  });

  TIPS.clusterIcon = function (cluster) {
    var markers = cluster.getAllChildMarkers();
    var total = markers.length;
    var shares = TIPS.clusterShares(markers);
    var labels = typeLabels();
    var template = TIPS.mapLayersConfig().labels.cluster || "%(n)s";
    var label =
      template.replace("%(n)s", total) +
      " : " +
      shares
        .slice()
        .sort(function (a, b) {
          return b.count - a.count;
        })
        .map(function (share) {
          return share.count + " " + (labels[share.type] || share.type);
        })
        .join(", ");
    var size = total < 10 ? 34 : total < 100 ? 40 : total < 1000 ? 46 : 52;
    var main = markers.some(function (marker) {
      return marker.options.main;
    });
    return new ClusterIcon({
      // "marker-cluster": the library's own class, which tools and tests look for.
      className: "marker-cluster actor-cluster" + (main ? " has-main" : ""),
      iconSize: [size, size],
      label: label,
      html: ringSvg(shares, total) + '<span class="cluster-count" aria-hidden="true">' + total + "</span>",
    });
  };

  /* Do the cluster's actors stand on one spot, so that zooming in would never part them? */
  function sharesOneSpot(cluster, map) {
    var bounds = cluster.getBounds();
    var zoom = map.getMaxZoom();
    var a = map.project(bounds.getNorthWest(), zoom);
    var b = map.project(bounds.getSouthEast(), zoom);
    return a.distanceTo(b) <= SAME_SPOT;
  }

  function spreadOrZoom(event) {
    var original = event.originalEvent;
    if (event.type === "clusterkeypress" && original && original.keyCode !== 13) return;
    var cluster = event.layer;
    var map = this._map;
    if (map.getZoom() >= map.getMaxZoom() || sharesOneSpot(cluster, map)) cluster.spiderfy();
    else cluster.zoomToBounds({ padding: [20, 20] });
  }

  // Every cluster group made with TIPS.clusterOptions() spreads or zooms as above.
  L.MarkerClusterGroup.addInitHook(function () {
    if (this.options.spreadSameSpot) this.on("clusterclick clusterkeypress", spreadOrZoom, this);
  });

  /* The options of every cluster group of the site; `extra` adds or overrides some. */
  TIPS.clusterOptions = function (extra) {
    return L.Util.extend(
      {
        showCoverageOnHover: false,
        maxClusterRadius: 45,
        iconCreateFunction: TIPS.clusterIcon,
        // Replaced by spreadOrZoom: spread a same-spot cluster at once, not after zooming to 18.
        zoomToBoundsOnClick: false,
        spiderfyOnMaxZoom: false,
        spreadSameSpot: true,
        spiderfyDistanceMultiplier: 1.4,
      },
      extra || {}
    );
  };
})();
