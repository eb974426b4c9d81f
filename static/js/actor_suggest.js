/* TIPs map — suggest actors (the partner and parent fields) as a person types.
 *
 * Every field with data-suggest-url keeps the browser's own <datalist> behaviour: a free text
 * input whose list is filled, after a short pause in typing, with the results matching the text
 * (at most 20, from /acteurs/suggestions.json). An option's value is the result's "value" (the
 * name that designates the actor alone, its usual name when it can), its label the actor's type
 * and commune. Without JavaScript the field is a plain text input and the server resolves the
 * typed name, so the form works the same. (Communes: static/js/communes.js.)
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

  function optionFor(result, goneLabel) {
    var option = document.createElement("option");
    option.value = result.value;
    // The actor's type and commune (after its usual name when the value is another of its
    // names: see contributions/views/suggestions.py).
    var details = [result.label];
    if (result.disappeared) details.push(goneLabel);
    details = details.filter(Boolean);
    if (details.length) option.label = details.join(" · ");
    return option;
  }

  function attach(input) {
    var url = input.getAttribute("data-suggest-url");
    var goneLabel = input.getAttribute("data-suggest-gone") || "";
    var list = datalistOf(input);
    var cache = Object.create(null);
    var shown = [];
    var timer = null;
    var pending = null;

    function show(text, results) {
      // Only the answer to what the field still holds: an older, slower answer is dropped.
      if (input.value.trim() !== text) return;
      shown = results;
      list.textContent = "";
      results.forEach(function (result) {
        list.appendChild(optionFor(result, goneLabel));
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
      // Whether the person picked (or typed) one of the options shown.
      for (var i = 0; i < shown.length; i++) {
        if (String(shown[i].value) === text) return true;
      }
      return false;
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      var text = input.value.trim();
      // A picked suggestion fires "input" too: no need to ask again for its own name.
      if (text.length < MIN_LENGTH || chosen(text)) return;
      timer = window.setTimeout(function () {
        fetchSuggestions(text);
      }, DELAY_MS);
    });
  }

  function init() {
    var inputs = document.querySelectorAll("input[data-suggest-url]");
    for (var i = 0; i < inputs.length; i++) attach(inputs[i]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
