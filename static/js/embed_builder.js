/* TIPs map — the embed generator: on each change of its form, the embed address, the code to
 * copy and the preview follow. The server builds the same address and code on a submit
 * (explore/views/embed_builder.py); the parameter names come from its configuration. */
(function () {
  "use strict";
  var TIPS = window.TIPS;
  var config = TIPS.config("embed-builder-config");
  var form = document.getElementById("embed-options");
  var code = document.getElementById("embed-code");
  var preview = document.getElementById("embed-preview");
  var copy = document.getElementById("embed-copy");
  if (!form || !code || !preview) return;

  /* As Django's escape(): the code the server writes, character for character. */
  function escapeAttribute(text) {
    return String(text)
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&#x27;");
  }

  /* The filters as the form sends them, then the background, then legende=0 when hidden. */
  function embedQuery(data) {
    var params = new URLSearchParams();
    config.filters.forEach(function (name) {
      data.getAll(name).forEach(function (value) {
        if (value !== "") params.append(name, value);
      });
    });
    params.append(config.background, data.get(config.background) || "ign");
    if (data.get(config.legend) === "0") params.append(config.legend, "0");
    // Python's urlencode escapes "*" and keeps "~"; URLSearchParams the other way round.
    return params.toString().replace(/\*/g, "%2A").replace(/%7E/g, "~");
  }

  function update() {
    var data = new FormData(form);
    var src = TIPS.withQuery(config.embedUrl, embedQuery(data));
    var width = data.get("largeur") === "fixe" ? String(data.get("largeur_px") || "") : "100%";
    var height = String(data.get("hauteur") || "");
    code.value =
      '<iframe src="' + escapeAttribute(src) + '" width="' + escapeAttribute(width) +
      '" height="' + escapeAttribute(height) + '" title="' + escapeAttribute(config.title) +
      '" loading="lazy" style="border:0"></iframe>';
    if (preview.getAttribute("src") !== src) preview.setAttribute("src", src);
    preview.setAttribute("width", width);
    preview.setAttribute("height", height);
    // The page's own address keeps the choices: reloading or sending it gives the same code.
    var own = new URLSearchParams();
    data.forEach(function (value, key) {
      if (value !== "") own.append(key, value);
    });
    window.history.replaceState(null, "", TIPS.withQuery(window.location.pathname, own));
    if (copy) document.getElementById("embed-copy-status").textContent = "";
  }

  TIPS.onFilterChange(form, update);
  // Sizes are typed: follow them as the search does, after a pause.
  var typing = null;
  form.addEventListener("input", function (event) {
    if (event.target.type !== "number") return;
    clearTimeout(typing);
    typing = setTimeout(update, 300);
  });

  if (copy) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      var status = document.getElementById("embed-copy-status");
      var done = function () {
        status.textContent = copy.getAttribute("data-copied");
      };
      code.select();
      if (navigator.clipboard) navigator.clipboard.writeText(code.value).then(done, function () {
        document.execCommand("copy");
        done();
      });
      else {
        document.execCommand("copy");
        done();
      }
    });
  }
})();
