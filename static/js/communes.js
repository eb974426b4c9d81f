/* TIPs map — every French commune, offline: the list static/data/communes.json (built by
 * `manage.py build_communes`), fetched once and only when a page asks for it, and matched as a
 * person types: case and accents ignored, hyphens and apostrophes as spaces, the names that
 * start with the text first, the larger communes first among equals. Used by the home map's
 * "jump to a commune" field and the proposal form's commune field (combobox() below):
 *
 *   TIPS.communes.load(url).then(function (list) { TIPS.communes.find(list, "vichy"); });
 */
(function () {
  "use strict";
  var TIPS = (window.TIPS = window.TIPS || {});
  if (TIPS.communes) return;

  /* The JS twin of tips_map/text.py's fold(): "Œuvre  Élue" -> "oeuvre elue". */
  TIPS.fold = function (text) {
    return String(text || "")
      .replace(/[œŒ]/g, "oe")
      .replace(/[æÆ]/g, "ae")
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/\s+/g, " ")
      .trim();
  };

  /* What names are compared on: folded, and "Saint-Étienne", "saint etienne", "l'isle" and
   * "L’Isle" alike. */
  function key(text) {
    return TIPS.fold(text).replace(/[-'’‘\s]+/g, " ").trim();
  }

  var loaded = {};

  /* The communes as objects {name, code, departement, lat, lon, size, label}: one request per
   * page whatever the number of callers; a failed request is tried again on the next call. */
  function load(url) {
    if (!loaded[url]) {
      loaded[url] = TIPS.fetchJSON(url).then(
        function (data) {
          var at = {};
          data.fields.forEach(function (name, i) {
            at[name] = i;
          });
          return data.communes.map(function (row) {
            var commune = {
              name: row[at.name],
              code: row[at.code],
              departement: row[at.departement],
              lat: row[at.lat],
              lon: row[at.lon],
              size: row[at.size] || 0,
            };
            commune.label = label(commune);
            commune.key = key(commune.name);
            return commune;
          });
        },
        function (error) {
          delete loaded[url];
          throw error;
        }
      );
    }
    return loaded[url];
  }

  /* "Saint-Étienne (42)": the département tells homonyms apart. */
  function label(commune) {
    return commune.name + " (" + commune.departement + ")";
  }

  /* At most `limit` communes for what the person typed: the exact name, then the names starting
   * with it, then those with a word starting with it ("etienne" finds Saint-Étienne); digits
   * match the INSEE code. Within each rank the larger commune first, then alphabetical order. */
  function find(communes, text, limit) {
    var wanted = key(text);
    limit = limit || 10;
    if (!wanted) return [];
    var byCode = /^[0-9][0-9ab]*$/.test(wanted);
    var found = [];
    communes.forEach(function (commune) {
      var rank;
      if (byCode) rank = commune.code.toLowerCase().indexOf(wanted) === 0 ? 1 : -1;
      else if (commune.key === wanted) rank = 0;
      else if (commune.key.indexOf(wanted) === 0) rank = 1;
      else if (commune.key.indexOf(" " + wanted) > 0) rank = 2;
      else rank = -1;
      if (rank >= 0) found.push({ rank: rank, commune: commune });
    });
    found.sort(function (a, b) {
      return (
        a.rank - b.rank ||
        b.commune.size - a.commune.size ||
        a.commune.key.localeCompare(b.commune.key) ||
        a.commune.code.localeCompare(b.commune.code)
      );
    });
    return found.slice(0, limit).map(function (item) {
      return item.commune;
    });
  }

  /* The nearest commune to a point and its distance in km (an equirectangular approximation,
   * good to a few hundred metres at these distances): what tells a point in France from one
   * abroad, France's outline not being on the page. */
  function nearest(communes, lat, lon) {
    var best = null;
    var bestSquare = Infinity;
    var cos = Math.cos((lat * Math.PI) / 180);
    communes.forEach(function (commune) {
      var dLat = commune.lat - lat;
      var dLon = (commune.lon - lon) * cos;
      var square = dLat * dLat + dLon * dLon;
      if (square < bestSquare) {
        bestSquare = square;
        best = commune;
      }
    });
    return best && { commune: best, km: Math.sqrt(bestSquare) * 111.2 };
  }

  /* The combobox pattern (WAI-ARIA APG) over the communes, for a text input that stays a free
   * text field: `options.list` (an empty <ul>) gets the suggestions, `options.message` (a live
   * region) says how many, or that none matches, or that the list is loading; arrows move the
   * active option, Enter or a click chooses it (options.choose(commune)), Escape closes. The
   * list is fetched on the field's first use. options.labels: none, count, loading, error, with
   * %(q)s and %(n)s. */
  function combobox(input, options) {
    var list = options.list;
    var labels = options.labels;
    var communes = null;
    var shown = [];
    var active = -1;
    var prefix = list.id + "-";

    input.setAttribute("role", "combobox");
    input.setAttribute("autocomplete", "off");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    list.setAttribute("role", "listbox");
    list.hidden = true;

    function say(text) {
      options.message.textContent = text || "";
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function setActive(index) {
      var items = list.children;
      if (active >= 0 && items[active]) items[active].setAttribute("aria-selected", "false");
      active = index;
      if (active < 0 || !items[active]) {
        input.removeAttribute("aria-activedescendant");
        return;
      }
      items[active].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }

    function render() {
      var text = input.value;
      list.textContent = "";
      active = -1;
      shown = communes && key(text) ? find(communes, text, 8) : [];
      if (!communes || !key(text)) {
        if (communes) say("");
        close();
        return;
      }
      if (!shown.length) {
        say(labels.none.replace("%(q)s", text.trim()));
        close();
        return;
      }
      shown.forEach(function (commune, i) {
        var item = TIPS.element(list, "li", "commune-option", commune.label);
        item.id = prefix + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
      });
      say(labels.count.replace("%(n)s", shown.length));
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function choose(commune) {
      close();
      say("");
      options.choose(commune);
    }

    function ensureLoaded() {
      if (communes) return;
      say(labels.loading);
      load(options.url).then(
        function (loaded) {
          communes = loaded;
          if (document.activeElement === input) render();
          else say("");
        },
        function () {
          say(labels.error);
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
      } else if (event.key === "Enter" && !list.hidden && shown.length) {
        event.preventDefault(); // choose, not send the form
        choose(shown[active >= 0 ? active : 0]);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () {
      setTimeout(close, 150); // after a click on an option, which comes later than the blur
    });
    list.addEventListener("mousedown", function (event) {
      event.preventDefault(); // keep the focus in the field
    });
    list.addEventListener("click", function (event) {
      var item = event.target.closest("[role=option]");
      if (item) choose(shown[Array.prototype.indexOf.call(list.children, item)]);
    });
  }

  TIPS.communes = {
    load: load,
    find: find,
    label: label,
    key: key,
    nearest: nearest,
    combobox: combobox,
  };
})();
