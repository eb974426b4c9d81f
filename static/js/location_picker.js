/* TIPs map — place an actor: click on the map, pick a commune, or type coordinates.
 *
 * The commune picker is a text field whose suggestions come from /territoires/communes.json
 * (actor_suggest.js, which fires "suggestion-picked" when the person picks one). It shows once
 * the map is ready: without JavaScript, the commune's name and coordinates are typed instead. */
(function () {
  "use strict";
  var TIPS = (window.TIPS = window.TIPS || {});

  TIPS.initLocationPicker = function (map) {
    var lat = document.getElementById("id_acteur-latitude");
    var lon = document.getElementById("id_acteur-longitude");
    var commune = document.getElementById("id_acteur-commune_name");
    var picker = document.getElementById("commune-picker");
    var marker = null;

    function place(latitude, longitude, zoom) {
      var latlng = L.latLng(latitude, longitude);
      if (!marker) marker = L.marker(latlng, { keyboard: false }).addTo(map);
      else marker.setLatLng(latlng);
      map.setView(latlng, zoom || Math.max(map.getZoom(), 11));
    }

    function fromFields() {
      var a = parseFloat(lat.value);
      var b = parseFloat(lon.value);
      if (isFinite(a) && isFinite(b) && Math.abs(a) <= 90 && Math.abs(b) <= 180) place(a, b);
    }

    map.on("click", function (event) {
      lat.value = event.latlng.lat.toFixed(6);
      lon.value = event.latlng.lng.toFixed(6);
      place(event.latlng.lat, event.latlng.lng, map.getZoom());
    });
    if (picker) {
      var field = picker.closest(".field");
      if (field) field.hidden = false;
      picker.addEventListener("suggestion-picked", function (event) {
        var found = event.detail;
        if (typeof found.lat !== "number" || typeof found.lon !== "number") return;
        lat.value = String(found.lat);
        lon.value = String(found.lon);
        if (commune && !commune.value) commune.value = found.name;
        place(found.lat, found.lon, 12);
      });
    }
    lat.addEventListener("change", fromFields);
    lon.addEventListener("change", fromFields);
    fromFields();
    TIPS.fetchJSON("/territoires/contours.geojson").then(function (geojson) {
      L.geoJSON(geojson, { style: TIPS.boundaryStyle, interactive: false }).addTo(map);
    });
  };
})();
