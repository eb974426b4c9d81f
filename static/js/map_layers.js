/* TIPs map — what every map of the site has: a background (Plan IGN, OpenStreetMap, or what the
 * settings name) in a layer switcher, a discreet note when no tile can load (offline, tests), and
 * the controls of map_controls.js (fullscreen, the legend on the map).
 *
 * django-leaflet fires "map:init" for each map before the page's own callback: the background is
 * chosen here, from the settings ("map-layers-config") and the page's ?fond=<key> (?fond=aucun: none),
 * before any tile is asked for. Tiles are fetched by the browser, never by the server. */
(function () {
  "use strict";
  var TIPS = (window.TIPS = window.TIPS || {});
  var NONE = "aucun";
  // Failed tiles before the map says so, when not one has loaded: a single error is a hiccup.
  var ERRORS_BEFORE_NOTE = 3;

  TIPS.mapLayersConfig = function () {
    if (!TIPS._mapLayersConfig) {
      var config = TIPS.config("map-layers-config");
      TIPS._mapLayersConfig = { backgrounds: config.backgrounds || [], labels: config.labels || {} };
    }
    return TIPS._mapLayersConfig;
  };

  /* The page's own choices, from its address: ?fond=<key> or aucun, ?legende=0. */
  TIPS.mapChoices = function () {
    var query = new URLSearchParams(window.location.search);
    return { background: query.get("fond"), legend: query.get("legende") !== "0" };
  };

  /* Count loaded and failed tiles of the layer shown; say so when none loads. The container's
   * class tells the style sheet which background is under the outlines (lighter over tiles). */
  function watchTiles(map, layer, note) {
    var container = map.getContainer();
    var state = { loaded: 0, failed: 0 };
    layer.on("tileload", function () {
      state.loaded += 1;
      note.hide();
      container.classList.add("has-tiles");
      container.classList.remove("no-tiles");
    });
    layer.on("tileerror", function () {
      state.failed += 1;
      if (state.loaded === 0 && state.failed >= ERRORS_BEFORE_NOTE) {
        note.show(map);
        container.classList.add("no-tiles");
      }
    });
    layer.on("add", function () {
      state.loaded = 0;
      state.failed = 0;
    });
    layer.on("remove", function () {
      note.hide();
      container.classList.remove("has-tiles", "no-tiles");
    });
  }

  /* The note in the map's corner: a plain Leaflet control, text only. */
  var Note = L.Control.extend({
    options: { position: "bottomright" },
    onAdd: function () {
      var box = L.DomUtil.create("p", "map-tiles-note");
      box.setAttribute("role", "status");
      box.textContent = this.options.text;
      box.hidden = true;
      this._box = box;
      return box;
    },
    show: function (map) {
      if (!this._box) return;
      var box = this._box;
      var options = this.options;
      // "…: only the outlines are shown" where there are outlines (not on a card's map); they
      // may arrive after the tiles failed, so the text follows the layers added later.
      function say() {
        var outlines = map.getContainer().querySelector("path.map-outline, path.territory-outline");
        box.textContent = outlines ? options.text : options.short;
      }
      say();
      box.hidden = false;
      if (!this._following) {
        this._following = true;
        map.on("layeradd", function () {
          if (!box.hidden) say();
        });
      }
    },
    hide: function () {
      if (this._box) this._box.hidden = true;
    },
  });

  /* Add the backgrounds to `map`: the one the address names (or the first), the others in a
   * layer switcher with "no background" last. Returns the layer shown, or null. */
  TIPS.addBackgrounds = function (map, wanted) {
    var config = TIPS.mapLayersConfig();
    var backgrounds = config.backgrounds;
    map.getContainer().setAttribute("data-background", "");
    if (!backgrounds.length) return null;
    var note = new Note({ text: config.labels.unavailable || "", short: config.labels.unavailableShort || "" }).addTo(map);
    var layers = {};
    var shown = null;
    backgrounds.forEach(function (background) {
      var layer = L.tileLayer(background.url, {
        attribution: background.attribution,
        maxZoom: background.maxZoom || 19,
        className: "map-background map-background-" + background.key,
      });
      layer.on("add", function () {
        map.getContainer().setAttribute("data-background", background.key);
      });
      watchTiles(map, layer, note);
      layers[background.name] = layer;
      if (background.key === wanted) shown = layer;
    });
    var none = L.layerGroup();
    none.on("add", function () {
      map.getContainer().setAttribute("data-background", NONE);
    });
    layers[config.labels.none || NONE] = none;
    if (!shown && wanted !== NONE) shown = layers[backgrounds[0].name];
    L.control.layers(layers, null, { position: "topright" }).addTo(map);
    (shown || none).addTo(map);
    return shown;
  };

  window.addEventListener("map:init", function (event) {
    var map = event.detail.map;
    var choices = TIPS.mapChoices();
    TIPS.addBackgrounds(map, choices.background);
    if (TIPS.addFullscreenControl) TIPS.addFullscreenControl(map);
    if (TIPS.addLegendControl) TIPS.addLegendControl(map, choices.legend);
  });
})();
