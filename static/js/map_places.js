/* TIPs map — going somewhere on the home map: jump to any French commune by name (a combobox over
 * TIPS.communes, its list fetched on the field's first use), and "around me" with the browser's
 * geolocation. Messages go to live regions; commune names through textContent. */
(function () {
  "use strict";
  var TIPS = (window.TIPS = window.TIPS || {});

  var COMMUNE_ZOOM = 12;
  var AROUND_ME_ZOOM = 11;

  /* The commune field: TIPS.communes' combobox; choosing a commune centres the map on it. */
  TIPS.communeJump = function (map, config) {
    var input = document.getElementById("commune-jump-input");
    var list = document.getElementById("commune-jump-list");
    var message = document.getElementById("commune-jump-message");
    if (!input || !list) return;
    var labels = config.labels;
    TIPS.communes.combobox(input, {
      list: list,
      message: message,
      url: config.communesUrl, // some 540 KB compressed: asked for on the field's first use
      labels: {
        none: labels.communeNone,
        count: labels.communeCount,
        loading: labels.communeLoading,
        error: labels.communeError,
      },
      choose: function (commune) {
        input.value = commune.label;
        message.textContent = labels.communeShown.replace("%(name)s", commune.label);
        map.setView([commune.lat, commune.lon], COMMUNE_ZOOM);
      },
    });
  };

  /* "Autour de moi": centre the map on the person, with a marker; say why when it cannot. */
  TIPS.aroundMe = function (map, config) {
    var button = document.getElementById("around-me");
    var message = document.getElementById("around-me-message");
    if (!button) return;
    var labels = config.labels;
    var here = null;

    button.addEventListener("click", function () {
      if (!navigator.geolocation) {
        message.textContent = labels.locateUnavailable;
        return;
      }
      message.textContent = labels.locating;
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          button.disabled = false;
          var at = L.latLng(position.coords.latitude, position.coords.longitude);
          if (here) here.setLatLng(at);
          else {
            here = L.circleMarker(at, {
              radius: 9,
              weight: 3,
              color: "#fff",
              fillColor: TIPS.INK,
              fillOpacity: 1,
              className: "you-are-here",
              interactive: false,
            }).addTo(map);
            here.bindTooltip(labels.youAreHere, { permanent: true, direction: "top", offset: [0, -8] });
          }
          map.setView(at, AROUND_ME_ZOOM);
          message.textContent = labels.locateDone;
        },
        function (error) {
          button.disabled = false;
          message.textContent =
            error.code === error.PERMISSION_DENIED ? labels.locateDenied : labels.locateUnavailable;
        },
        { enableHighAccuracy: false, timeout: 15000, maximumAge: 60000 }
      );
    });
  };
})();
