/* TIPs map — what every page script shares: its configuration, its JSON requests, the state it
 * keeps in the URL, the page's language and the report's legend for relations.
 * Load it before the page scripts; they find it on window.TIPS. */
(function () {
  "use strict";
  var TIPS = (window.TIPS = window.TIPS || {});
  // A card includes it twice (its map's assets and its ego network): the first copy serves both.
  if (TIPS.fetchJSON) return;

  /* What the template wrote with json_script; {} without the element, so that one script serves
   * the pages that have it and those that do not. */
  TIPS.config = function (id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : {};
  };

  TIPS.cardUrl = function (slug) {
    return "/acteurs/" + encodeURIComponent(slug) + "/";
  };

  /* No lone "?" when the query is empty; "&" when the address already has a query of its own. */
  TIPS.withQuery = function (url, params) {
    var query = params ? params.toString() : "";
    if (!query) return url;
    return url + (url.indexOf("?") < 0 ? "?" : "&") + query;
  };

  /* A JSON answer, or a rejection for a network failure and for an HTTP error alike, so that one
   * catch shows the page's error message. options.signal lets the caller abort it. */
  TIPS.fetchJSON = function (url, options) {
    options = options || {};
    return fetch(url, { headers: { Accept: "application/json" }, signal: options.signal }).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    });
  };

  /* For data asked again on every change of a filter: only the answer to the latest request reaches
   * `done` or `failed`, so an older, slower one never overwrites it. */
  TIPS.latestJSON = function () {
    var request = 0;
    return function (url, done, failed) {
      var mine = ++request;
      TIPS.fetchJSON(url)
        .then(function (data) {
          if (mine === request) done(data);
        })
        .catch(function (error) {
          if (mine === request) failed(error);
        });
    };
  };

  /* State in the URL: reloading or sending it restores the same view, the back button walks
   * through filter changes. The query is the filter form's fields, then the page's own `keys`
   * (?vue, ?sel on the map; ?focus, ?mesure on the network), whose values own(key) gives: by
   * default as the URL holds them. */
  TIPS.urlState = function (form, keys, own) {
    function current() {
      return new URLSearchParams(window.location.search);
    }
    own =
      own ||
      function (key) {
        return current().get(key);
      };

    function filters() {
      var data = new URLSearchParams();
      if (!form) {
        // The embedded map has no form: its filters are the ones its URL was made with.
        current().forEach(function (value, key) {
          if (keys.indexOf(key) === -1 && value !== "") data.append(key, value);
        });
        return data;
      }
      new FormData(form).forEach(function (value, key) {
        if (value !== "") data.append(key, value);
      });
      return data;
    }

    /* `only`: the network asks for its data with the focus but not the measure, which only sizes
     * the nodes. */
    function query(only) {
      var data = filters();
      (only || keys).forEach(function (key) {
        var value = own(key);
        if (value) data.set(key, value);
      });
      return data;
    }

    function go(data, push) {
      var url = TIPS.withQuery(window.location.pathname, data);
      if (url === window.location.pathname + window.location.search) return;
      window.history[push ? "pushState" : "replaceState"](null, "", url);
    }

    return {
      current: current,
      filters: filters,
      query: query,
      /* A history entry (push) for what the back button should undo, none for the rest. */
      write: function (push) {
        go(query(), push);
      },
      /* One key of the URL, without a history entry: the map's view and selection follow the
       * person's moves, not a filter change still waiting for the end of the typing. */
      set: function (key, value) {
        var data = current();
        if (value) data.set(key, value);
        else data.delete(key);
        go(data, false);
      },
      setForm: function () {
        if (!form) return;
        var url = current();
        Array.prototype.forEach.call(form.elements, function (field) {
          if (!field.name) return;
          if (field.type === "checkbox") {
            field.checked = url.getAll(field.name).indexOf(field.value) !== -1;
          } else if (field.tagName === "SELECT" || field.type === "search" || field.type === "text") {
            field.value = url.get(field.name) || "";
          }
        });
      },
      /* The map, list and network links keep the filters; the link of the page itself keeps
       * `here` instead when given (the network's focus and measure are its own). */
      keepFilters: function (here) {
        var shared = filters().toString();
        document.querySelectorAll("[data-keeps-filters]").forEach(function (link) {
          var own = here && link.getAttribute("aria-current") === "page" ? here.toString() : shared;
          link.href = TIPS.withQuery(link.getAttribute("data-keeps-filters"), own);
        });
      },
    };
  };

  /* Filter changes: at once for a choice or a submit, after a pause in typing for the search. */
  TIPS.onFilterChange = function (form, changed) {
    if (!form) return;
    var typingTimer = null;
    form.addEventListener("change", changed);
    form.addEventListener("input", function (event) {
      if (event.target.type !== "search") return;
      clearTimeout(typingTimer);
      typingTimer = setTimeout(function () {
        changed(event);
      }, 300);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      changed(event);
    });
  };

  /* A new element at the end of `parent`, its text (from the data, say) always as textContent:
   * never parsed as HTML, so a name cannot inject markup. */
  TIPS.element = function (parent, tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    parent.appendChild(node);
    return node;
  };

  /* An actor's type as the legend shows it: its colour dot, then its name. */
  TIPS.appendType = function (parent, type, label) {
    var dot = document.createElement("span");
    dot.className = "type-dot type-" + type;
    dot.setAttribute("aria-hidden", "true");
    parent.appendChild(dot);
    parent.appendChild(document.createTextNode(label || ""));
    return parent;
  };

  TIPS.lang = function () {
    return document.documentElement.lang || "fr";
  };

  TIPS.formatNumber = function (value, digits) {
    // null: a measure still being computed in the background for this actor (measures_status).
    if (value === null || value === undefined) return "—";
    return new Intl.NumberFormat(TIPS.lang(), { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value || 0);
  };

  /* "2025-03-14" as the page's language writes a date; anything else as it came. */
  TIPS.formatDate = function (iso) {
    var parts = String(iso || "").split("-").map(Number);
    if (parts.length < 3 || !parts.every(isFinite)) return iso || "";
    var date = new Date(parts[0], parts[1] - 1, parts[2]);
    return date.toLocaleDateString(TIPS.lang(), { day: "numeric", month: "long", year: "numeric" });
  };

  /* The report's legend, the same on the maps, the network and its exports: information sharing
   * solid, service provision dashed with an arrow from provider to beneficiary, collaboration
   * bold. Widths in pixels, dashes as [dash, gap]. */
  TIPS.INK = "#1d1d1f";
  TIPS.RELATION_TYPES = ["partage_information", "prestation_service", "collaboration"];
  TIPS.LINES = {
    partage_information: { width: 2, dash: null, arrow: false },
    prestation_service: { width: 2, dash: [6, 5], arrow: true },
    collaboration: { width: 5, dash: null, arrow: false },
  };
})();
