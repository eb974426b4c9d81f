/* TIPs map — every French commune, offline: the list static/data/communes.json (built by
 * `manage.py build_communes`), fetched once and only when a page asks for it, and matched as a
 * person types: case and accents ignored, hyphens and apostrophes as spaces, the names that
 * start with the text first, the larger communes first among equals. Used by the home map's
 * "jump to a commune" field; a form's commune picker can use it the same way:
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

  TIPS.communes = { load: load, find: find, label: label, key: key };
})();
