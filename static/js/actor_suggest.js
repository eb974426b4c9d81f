/* TIPs map — suggest actors (partner and parent fields) or communes (the location's commune
 * picker) as a person types.
 *
 * Every field with data-suggest-url keeps the browser's own <datalist> behaviour: a free text
 * input whose list is filled, after a short pause in typing, with the results matching the text
 * (at most 20, from /acteurs/suggestions.json or /territoires/communes.json). An option's value
 * is the result's "value" (for an actor, the name that designates it alone, its usual name when
 * it can), or the key named by data-suggest-value ("label" for communes). When
 * the field's value becomes one of the options (the person picked it), the field fires
 * "suggestion-picked" with the result as detail: location_picker.js places the commune's centre.
 * Without JavaScript the field is a plain text input and the server resolves the typed name, so
 * the form works the same.
 */
(function () {
  "use strict";
  var TIPS = window.TIPS; // tips.js, loaded before
  var DELAY_MS = 150;
  var MIN_LENGTH = 2;

  function datalistOf(input) {
    var id = input.getAttribute("list") || input.id + "-suggestions";
    input.setAttribute("list", id);
    var list = document.getElementById(id);
    if (!list) {
      list = document.createElement("datalist");
      list.id = id;
      input.insertAdjacentElement("afterend", list);
    }
    return list;
  }

  function optionFor(result, valueKey, goneLabel) {
    var option = document.createElement("option");
    option.value = result[valueKey];
    // An actor's type and commune (after its usual name when the value is another of its
    // names: see contributions/views/suggestions.py); a commune's label says it all.
    var details = valueKey === "label" ? [] : [result.label];
    if (result.disappeared) details.push(goneLabel);
    details = details.filter(Boolean);
    if (details.length) option.label = details.join(" · ");
    return option;
  }

  function attach(input) {
    var url = input.getAttribute("data-suggest-url");
    var valueKey = input.getAttribute("data-suggest-value") || "value";
    var goneLabel = input.getAttribute("data-suggest-gone") || "";
    var list = datalistOf(input);
    var cache = Object.create(null);
    var shown = [];
    var picked = null;
    var timer = null;
    var pending = null;

    function show(text, results) {
      // Only the answer to what the field still holds: an older, slower answer is dropped.
      if (input.value.trim() !== text) return;
      shown = results;
      list.textContent = "";
      results.forEach(function (result) {
        list.appendChild(optionFor(result, valueKey, goneLabel));
      });
    }

    function fetchSuggestions(text) {
      if (cache[text]) {
        show(text, cache[text]);
        return;
      }
      if (pending) pending.abort();
      pending = window.AbortController ? new AbortController() : null;
      var address = TIPS.withQuery(url, new URLSearchParams({ q: text }));
      TIPS.fetchJSON(address, { signal: pending ? pending.signal : undefined })
        .then(function (data) {
          cache[text] = data.results || [];
          show(text, cache[text]);
        })
        .catch(function () {
          // Aborted or unreachable: the field stays a free text input.
        });
    }

    function chosen(text) {
      // The suggestion whose option holds this text, if the person picked (or typed) one.
      for (var i = 0; i < shown.length; i++) {
        if (String(shown[i][valueKey]) === text) return shown[i];
      }
      return null;
    }

    function announce(result) {
      // Once per pick: picking fires "input", and "change" too in some browsers.
      if (result === picked) return;
      picked = result;
      if (result) {
        var event = new CustomEvent("suggestion-picked", { bubbles: true, detail: result });
        input.dispatchEvent(event);
      }
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      var text = input.value.trim();
      var result = chosen(text);
      announce(result);
      // A picked suggestion fires "input" too: no need to ask again for its own name.
      if (text.length < MIN_LENGTH || result) return;
      timer = window.setTimeout(function () {
        fetchSuggestions(text);
      }, DELAY_MS);
    });
    input.addEventListener("change", function () {
      announce(chosen(input.value.trim()));
    });
  }

  function init() {
    var inputs = document.querySelectorAll("input[data-suggest-url]");
    for (var i = 0; i < inputs.length; i++) attach(inputs[i]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
