/* TIPs map — suggest actors as a person types in a partner or parent field.
 *
 * Every field with data-suggest-url keeps the browser's own <datalist> behaviour: a free text
 * input whose list is filled, after a short pause in typing, with the actors matching the text
 * (at most 20, from /acteurs/suggestions.json). Without JavaScript the field is a plain text
 * input and the server resolves the typed name, so the form works the same.
 */
(function () {
  "use strict";

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

  function optionFor(actor, goneLabel) {
    var option = document.createElement("option");
    option.value = actor.name;
    var details = [actor.commune, actor.type_label];
    if (actor.disappeared) details.push(goneLabel);
    option.label = details.filter(Boolean).join(" · ");
    return option;
  }

  function attach(input) {
    var url = input.getAttribute("data-suggest-url");
    var goneLabel = input.getAttribute("data-suggest-gone") || "";
    var list = datalistOf(input);
    var cache = Object.create(null);
    var timer = null;
    var pending = null;

    function show(text, results) {
      // Only the answer to what the field still holds: an older, slower answer is dropped.
      if (input.value.trim() !== text) return;
      list.textContent = "";
      results.forEach(function (actor) {
        list.appendChild(optionFor(actor, goneLabel));
      });
    }

    function fetchSuggestions(text) {
      if (cache[text]) {
        show(text, cache[text]);
        return;
      }
      if (pending) pending.abort();
      pending = window.AbortController ? new AbortController() : null;
      var address = url + (url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(text);
      fetch(address, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: pending ? pending.signal : undefined,
      })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (data) {
          cache[text] = data.results || [];
          show(text, cache[text]);
        })
        .catch(function () {
          // Aborted or unreachable: the field stays a free text input.
        });
    }

    function chosen(text) {
      // A picked suggestion fires "input" too: no need to ask again for its own name.
      for (var i = 0; i < list.options.length; i++) {
        if (list.options[i].value === text) return true;
      }
      return false;
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      var text = input.value.trim();
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
