/* TIPs map — place an actor: click on the map, pick a commune, or type coordinates. */
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
      picker.addEventListener("change", function () {
        if (!picker.value) return;
        var parts = picker.value.split(",");
        lat.value = parts[0];
        lon.value = parts[1];
        var option = picker.options[picker.selectedIndex];
        if (commune && !commune.value) commune.value = option.getAttribute("data-name");
        place(parseFloat(parts[0]), parseFloat(parts[1]), 12);
      });
    }
    lat.addEventListener("change", fromFields);
    lon.addEventListener("change", fromFields);
    fromFields();
    fetch("/territoires/contours.geojson")
      .then(function (response) {
        return response.json();
      })
      .then(function (geojson) {
        L.geoJSON(geojson, { style: TIPS.boundaryStyle, interactive: false }).addTo(map);
      });
  };
})();
