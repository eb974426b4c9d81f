/* TIPs map — an actor's card as a side panel of the home map, without leaving it. The panel holds
 * the fragment /acteurs/<slug>/panneau/ rendered (and escaped) by our own server's templates.
 * The selection is ?sel=<slug>: opening pushes a history entry, so that Back closes the panel and
 * the address is a permalink; Escape and the close button close it too. The focus goes into the
 * panel and comes back to where it was. */
(function () {
  "use strict";
  var TIPS = (window.TIPS = window.TIPS || {});

  /* `changed(slug)` is told of every opening and closing (null), for the map to follow. */
  TIPS.cardPanel = function (config, changed) {
    var panel = document.getElementById("map-panel");
    if (!panel) return null;
    var body = document.getElementById("map-panel-body");
    var closeButton = document.getElementById("map-panel-close");
    var labels = config.labels;
    var current = null;
    var opener = null;
    var request = 0;
    var pushed = 0; // history entries opened in a row, ours to undo on close

    function params() {
      return new URLSearchParams(window.location.search);
    }

    function address(slug) {
      var query = params();
      if (slug) query.set("sel", slug);
      else query.delete("sel");
      return TIPS.withQuery(window.location.pathname, query);
    }

    function note(text) {
      body.textContent = "";
      TIPS.element(body, "p", "map-panel-note", text);
    }

    /* Show the panel of `slug`; options.push adds the history entry (not for a permalink or Back). */
    function open(slug, options) {
      options = options || {};
      if (!panel.hidden && current === slug) return;
      if (panel.hidden) opener = options.from || document.activeElement;
      if (options.push) {
        pushed = panel.hidden ? 1 : pushed + 1;
        window.history.pushState(null, "", address(slug));
      }
      current = slug;
      panel.hidden = false;
      note(labels.panelLoading);
      var mine = ++request;
      fetch(config.panelUrl.replace("__slug__", encodeURIComponent(slug)), {
        headers: { Accept: "text/html" },
      })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.text();
        })
        .then(function (html) {
          if (mine !== request) return;
          // Parsed apart, then moved in: scripts in it would not run, and there are none.
          var fragment = new DOMParser().parseFromString(html, "text/html");
          body.replaceChildren.apply(body, Array.prototype.slice.call(fragment.body.childNodes));
          var title = body.querySelector("#card-panel-title");
          panel.setAttribute("aria-labelledby", "card-panel-title");
          if (title && !options.quiet) title.focus();
        })
        .catch(function () {
          if (mine === request) note(labels.panelError);
        });
      if (!options.quiet) closeButton.focus();
      changed(slug);
    }

    /* Hide it; options.fromHistory when Back did it (the address already says so). */
    function close(options) {
      options = options || {};
      if (panel.hidden) return;
      panel.hidden = true;
      current = null;
      request++;
      body.textContent = "";
      // The entries the panel pushed: back to the one before them, as Back would. (Counted here,
      // not in history.state, which the map's replaceState of its view resets.)
      if (options.fromHistory) pushed = 0;
      else if (pushed > 0) window.history.go(-pushed);
      else window.history.replaceState(null, "", address(null));
      if (opener && document.body.contains(opener)) opener.focus();
      opener = null;
      changed(null);
    }

    closeButton.addEventListener("click", function () {
      close();
    });
    // Escape anywhere but in a field that used it (the commune list closing, say).
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !panel.hidden && !event.defaultPrevented) {
        event.preventDefault();
        close();
      }
    });
    // A partner named in the panel opens in the panel; a new tab still opens its card.
    body.addEventListener("click", function (event) {
      var link = event.target.closest("[data-panel-slug]");
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      open(link.getAttribute("data-panel-slug"), { push: true });
    });

    return {
      open: open,
      close: close,
      current: function () {
        return current;
      },
      /* After Back or Forward: the panel says what the address says. */
      follow: function () {
        var slug = params().get("sel");
        // Back or Forward alike counts down: too few is harmless, too many would leave the page.
        pushed = slug ? Math.max(pushed - 1, 0) : 0;
        if (slug) open(slug, { quiet: true });
        else close({ fromHistory: true });
      },
    };
  };
})();
