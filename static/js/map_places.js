/* TIPs map — going somewhere on the home map: jump to any French commune by name (a combobox over
 * TIPS.communes, its list fetched on the field's first use), and "around me" with the browser's
 * geolocation. Messages go to live regions; commune names through textContent. */
(function () {
  "use strict";
  var TIPS = (window.TIPS = window.TIPS || {});

  var COMMUNE_ZOOM = 12;
  var AROUND_ME_ZOOM = 11;

  /* The combobox pattern (WAI-ARIA APG): the input owns a listbox; arrows move the active option,
   * Enter chooses it, Escape closes the list. */
  TIPS.communeJump = function (map, config) {
    var input = document.getElementById("commune-jump-input");
    var list = document.getElementById("commune-jump-list");
    var message = document.getElementById("commune-jump-message");
    if (!input || !list) return;
    var labels = config.labels;
    var communes = null;
    var shown = [];
    var active = -1;

    function say(text) {
      message.textContent = text || "";
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function setActive(index) {
      var options = list.children;
      if (active >= 0 && options[active]) options[active].setAttribute("aria-selected", "false");
      active = index;
      if (active < 0 || !options[active]) {
        input.removeAttribute("aria-activedescendant");
        return;
      }
      options[active].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }

    function render() {
      var text = input.value;
      list.textContent = "";
      active = -1;
      if (!communes || !TIPS.communes.key(text)) {
        shown = [];
        say("");
        close();
        return;
      }
      shown = TIPS.communes.find(communes, text, 8);
      if (!shown.length) {
        say(labels.communeNone.replace("%(q)s", text.trim()));
        close();
        return;
      }
      shown.forEach(function (commune, i) {
        var option = TIPS.element(list, "li", "commune-option", commune.label);
        option.id = "commune-option-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
      });
      say(labels.communeCount.replace("%(n)s", shown.length));
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function choose(commune) {
      input.value = commune.label;
      close();
      say(labels.communeShown.replace("%(name)s", commune.label));
      map.setView([commune.lat, commune.lon], COMMUNE_ZOOM);
    }

    // The list (some 530 KB compressed) is asked for when the person comes to the field.
    function ensureLoaded() {
      if (communes) return;
      say(labels.communeLoading);
      TIPS.communes.load(config.communesUrl).then(
        function (loaded) {
          communes = loaded;
          render();
        },
        function () {
          say(labels.communeError);
        }
      );
    }

    input.addEventListener("focus", ensureLoaded);
    input.addEventListener("input", function () {
      ensureLoaded();
      render();
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (list.hidden) render();
        if (!shown.length) return;
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        setActive((active + step + shown.length) % shown.length);
      } else if (event.key === "Enter") {
        event.preventDefault();
        if (shown.length) choose(shown[active >= 0 ? active : 0]);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () {
      // After a click on an option, which comes later than the blur.
      setTimeout(close, 150);
    });
    list.addEventListener("mousedown", function (event) {
      event.preventDefault(); // keep the focus in the field
    });
    list.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) choose(shown[Array.prototype.indexOf.call(list.children, option)]);
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
