/* TIPs map — place an actor: pick a commune, click on the map, or type coordinates.
 *
 * The form's "Commune" field becomes a combobox over every French commune (TIPS.communes, the
 * list static/data/communes.json fetched on the field's first use): choosing one writes its name
 * in the field, puts the point at its centre and the map on it. Whatever is typed is sent as
 * typed: the list only helps. The country follows the point: a point farther than ABROAD_KM from
 * every French commune is abroad (the "FR" is cleared and the person told to give the country),
 * any other point is in France. Labels and the list's address come from the map's data-*
 * attributes (the template translates them). Without JavaScript the fields are typed. */
(function () {
  "use strict";
  var TIPS = (window.TIPS = window.TIPS || {});

  var COMMUNE_ZOOM = 13;
  var ABROAD_KM = 30;

  TIPS.initLocationPicker = function (map) {
    var lat = document.getElementById("id_acteur-latitude");
    var lon = document.getElementById("id_acteur-longitude");
    var commune = document.getElementById("id_acteur-commune_name");
    var country = document.getElementById("id_acteur-country");
    var settings = map.getContainer().dataset;
    var marker = null;

    function place(latitude, longitude, zoom) {
      var latlng = L.latLng(latitude, longitude);
      if (!marker) marker = L.marker(latlng, { keyboard: false }).addTo(map);
      else marker.setLatLng(latlng);
      map.setView(latlng, zoom || Math.max(map.getZoom(), 11));
    }

    // A live region under a field, for what the script has to say about it.
    function messageAfter(field, id) {
      var holder = field.closest(".field") || field.parentNode;
      var message = document.createElement("p");
      message.id = id;
      message.className = "hint location-message";
      message.setAttribute("role", "status");
      message.setAttribute("aria-live", "polite");
      holder.appendChild(message);
      return message;
    }

    var countryMessage = country ? messageAfter(country, "country-message") : null;

    // The country follows the point, once the communes are known.
    function followCountry(latitude, longitude) {
      if (!country) return;
      TIPS.communes.load(settings.communesUrl).then(function (communes) {
        var found = TIPS.communes.nearest(communes, latitude, longitude);
        if (!found) return;
        if (found.km > ABROAD_KM) {
          if (country.value.trim().toUpperCase() === "FR" || !country.value.trim()) {
            country.value = "";
            countryMessage.textContent = settings.labelAbroad;
          }
        } else {
          if (!country.value.trim()) country.value = "FR";
          countryMessage.textContent = "";
        }
      });
    }

    function fromFields() {
      var a = parseFloat(lat.value);
      var b = parseFloat(lon.value);
      if (isFinite(a) && isFinite(b) && Math.abs(a) <= 90 && Math.abs(b) <= 180) {
        place(a, b);
        return true;
      }
      return false;
    }

    map.on("click", function (event) {
      lat.value = event.latlng.lat.toFixed(6);
      lon.value = event.latlng.lng.toFixed(6);
      place(event.latlng.lat, event.latlng.lng, map.getZoom());
      followCountry(event.latlng.lat, event.latlng.lng);
    });

    if (commune && settings.communesUrl) {
      var holder = commune.closest(".field") || commune.parentNode;
      holder.classList.add("commune-combobox");
      var list = document.createElement("ul");
      list.id = "commune-choices";
      list.className = "commune-jump-list";
      list.setAttribute("aria-label", settings.labelList);
      commune.insertAdjacentElement("afterend", list);
      var message = messageAfter(commune, "commune-message");
      var described = commune.getAttribute("aria-describedby");
      commune.setAttribute("aria-describedby", (described ? described + " " : "") + message.id);
      TIPS.communes.combobox(commune, {
        url: settings.communesUrl,
        list: list,
        message: message,
        labels: {
          none: settings.labelNone,
          count: settings.labelCount,
          loading: settings.labelLoading,
          error: settings.labelError,
        },
        choose: function (chosen) {
          commune.value = chosen.name;
          lat.value = String(chosen.lat);
          lon.value = String(chosen.lon);
          if (country) {
            country.value = "FR";
            countryMessage.textContent = "";
          }
          place(chosen.lat, chosen.lon, COMMUNE_ZOOM);
          message.textContent = settings.labelPlaced.replace("%(name)s", chosen.label);
        },
      });
    }

    function typed() {
      if (fromFields()) followCountry(parseFloat(lat.value), parseFloat(lon.value));
    }
    lat.addEventListener("change", typed);
    lon.addEventListener("change", typed);
    fromFields();
    TIPS.fetchJSON("/territoires/contours.geojson").then(function (geojson) {
      L.geoJSON(geojson, { style: TIPS.boundaryStyle, interactive: false }).addTo(map);
    });
  };
})();
