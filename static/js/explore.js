/* TIPs map — the home map: clustered actors, filters shared with the list, state in the URL.
 * The URL holds filters, search, map view (?vue=lat,lon,zoom) and selection (?sel=slug, the
 * actor whose card the side panel shows): reloading or sending it restores the same view; the
 * back button walks through filter changes and closes the panel. Beside the map (when the page
 * has them, not in the embed): the results list, the commune jump and "around me" (map_results.js,
 * map_places.js, card_panel.js). */
(function () {
  "use strict";
  var TIPS = (window.TIPS = window.TIPS || {});

  TIPS.initExploreMap = function (map) {
    var config = TIPS.config("explore-config");
    var form = document.getElementById("filters");
    var cluster = L.markerClusterGroup(TIPS.clusterOptions());
    var markersBySlug = {};
    var boundaries = null;
    map.addLayer(cluster);
    var explore = (TIPS.explore = { map: map, cluster: cluster, markers: markersBySlug });

    var urlState = TIPS.urlState(form, ["vue", "sel", "fond", "legende"]);
    var ask = TIPS.latestJSON();
    var loadedFilters = null;
    var selectedMarker = null;

    /* The chosen actor on the map: zoomed to, out of its cluster, marked while its panel is open. */
    function showSelected(slug) {
      if (selectedMarker && selectedMarker.getElement()) {
        selectedMarker.getElement().classList.remove("is-selected");
      }
      selectedMarker = slug ? markersBySlug[slug] : null;
      if (!selectedMarker) return;
      var marker = selectedMarker;
      cluster.zoomToShowLayer(marker, function () {
        if (marker === selectedMarker && marker.getElement()) {
          marker.getElement().classList.add("is-selected");
        }
      });
    }
    var panel = TIPS.cardPanel ? TIPS.cardPanel(config, showSelected) : null;
    explore.panel = panel;
    var results = TIPS.mapResults
      ? TIPS.mapResults(explore, config, function (slug, link) {
          panel.open(slug, { push: true, from: link });
        })
      : null;
    if (TIPS.communeJump) TIPS.communeJump(map, config);
    if (TIPS.aroundMe) TIPS.aroundMe(map, config);

    function updateLinks() {
      // The embed generator's link (data-keeps-filters) is among them.
      urlState.keepFilters();
    }

    function setState(key, value) {
      urlState.set(key, value);
      updateLinks();
    }

    function updateCounts(counts) {
      Object.keys(counts).forEach(function (type) {
        var node = document.querySelector('[data-type-count="' + type + '"]');
        if (node) node.textContent = counts[type];
      });
    }

    function load(fit) {
      var status = document.getElementById("map-status");
      loadedFilters = urlState.filters().toString();
      ask(
        TIPS.withQuery(config.dataUrl, urlState.filters()),
        function (data) {
          draw(data, fit);
          updateCounts(data.counts);
          if (status) status.textContent = config.labels.shown.replace("%(n)s", data.actors.length);
        },
        function () {
          if (status) status.textContent = config.labels.error;
        }
      );
    }

    function draw(data, fit) {
      cluster.clearLayers();
      Object.keys(markersBySlug).forEach(function (slug) {
        delete markersBySlug[slug];
      });
      var index = {};
      data.fields.forEach(function (name, i) {
        index[name] = i;
      });
      var markers = [];
      var inFrance = [];
      var actors = [];
      data.actors.forEach(function (row) {
        var actor = {
          slug: row[index.slug],
          name: row[index.name],
          type: data.types[row[index.type]],
          commune: row[index.commune],
          gone: (row[index.flags] & 1) === 1,
          abroad: (row[index.flags] & 2) === 2,
        };
        var latlng = L.latLng(row[index.lat], row[index.lon]);
        var marker = L.marker(latlng, {
          icon: TIPS.actorIcon(actor.type, { gone: actor.gone }),
          title: actor.name,
          alt: actor.name,
          keyboard: true,
        });
        var extra = actor.gone ? [config.labels.gone] : [];
        // Built when opened: tens of thousands of popups' HTML up front would delay the markers.
        marker.bindPopup(function () {
          return TIPS.popup(actor, config.types[actor.type], extra);
        });
        markersBySlug[actor.slug] = marker;
        actors.push(actor);
        markers.push(marker);
        if (!actor.abroad) inFrance.push(latlng);
      });
      cluster.addLayers(markers);
      explore.count = markers.length;
      if (fit && inFrance.length) {
        map.fitBounds(L.latLngBounds(inFrance), { padding: [30, 30], maxZoom: 12, animate: false });
      }
      // The list after the markers' first paint: they are what the person waits for.
      if (results) {
        setTimeout(function () {
          results.show(actors);
        }, 0);
      }
      var selected = urlState.current().get("sel");
      if (panel && selected) {
        // A permalink: its panel, the focus left alone. Open already: the filters just changed.
        if (panel.current() !== selected) panel.open(selected, { quiet: true });
      } else if (selected && markersBySlug[selected]) {
        cluster.zoomToShowLayer(markersBySlug[selected], function () {
          markersBySlug[selected].openPopup();
        });
      }
      map.getContainer().setAttribute("data-markers", markers.length);
    }

    function restoreView() {
      var view = (urlState.current().get("vue") || "").split(",").map(Number);
      if (view.length === 3 && view.every(isFinite)) {
        map.setView([view[0], view[1]], view[2]);
        return true;
      }
      return false;
    }

    function toggleBoundaries(show) {
      if (!show) {
        if (boundaries) map.removeLayer(boundaries);
        return;
      }
      if (boundaries) {
        boundaries.addTo(map);
        return;
      }
      TIPS.fetchJSON(config.boundariesUrl).then(function (geojson) {
        boundaries = L.geoJSON(geojson, { style: TIPS.boundaryStyle, interactive: false }).addTo(map);
        boundaries.bringToBack();
      });
    }

    // Events: filters change the URL (a history entry) and the markers; panning only the view.
    // A search fits the map to what it found.
    TIPS.onFilterChange(form, function (event) {
      if (event.target.id === "show-boundaries") return;
      // The search field's "change" when it loses the focus, after its "input": nothing new, and
      // redrawing would take the focus away from the result the person tabbed to.
      if (event.type === "change" && urlState.filters().toString() === loadedFilters) return;
      urlState.write(true);
      updateLinks();
      load(event.type === "submit" || event.target.type === "search");
    });
    // The popup's name opens the side panel; a new tab still opens the full card.
    map.getContainer().addEventListener("click", function (event) {
      var link = event.target.closest(".actor-popup-name");
      if (!panel || !link || event.ctrlKey || event.metaKey || event.shiftKey) return;
      var slug = Object.keys(markersBySlug).find(function (key) {
        return markersBySlug[key].isPopupOpen();
      });
      if (!slug) return;
      event.preventDefault();
      map.closePopup();
      panel.open(slug, { push: true });
    });
    var boundaryToggle = document.getElementById("show-boundaries");
    if (boundaryToggle) {
      boundaryToggle.addEventListener("change", function () {
        toggleBoundaries(boundaryToggle.checked);
      });
    }
    map.on("moveend", function () {
      var c = map.getCenter();
      setState("vue", [+c.lat.toFixed(4), +c.lng.toFixed(4), map.getZoom()].join(","));
    });
    window.addEventListener("popstate", function () {
      urlState.setForm();
      updateLinks();
      // Only the selection moved (the panel opened or closed): the map stays where it is.
      if (panel && urlState.filters().toString() === loadedFilters) {
        panel.follow();
        return;
      }
      var restored = restoreView();
      load(!restored);
      if (panel) panel.follow();
    });

    var restored = restoreView();
    updateLinks();
    load(!restored);
    // Outlines from the start: they are the only background when tiles cannot load.
    if (!boundaryToggle || boundaryToggle.checked) toggleBoundaries(true);
  };
})();
