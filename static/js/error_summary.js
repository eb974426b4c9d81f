/* TIPs map — the error banner of a proposal form (templates/contributions/includes/
 * error_summary.html) takes the focus when the page opens, so that keyboard and screen reader
 * users start from the list of what to correct. Its links go to each field and focus it, its
 * label and message in view. Without JavaScript the links still scroll to the fields.
 */
(function () {
  "use strict";
  var summary = document.getElementById("form-errors");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) return;
    var field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field) return;
    event.preventDefault();
    (field.closest(".field") || field).scrollIntoView({ block: "center" });
    field.focus({ preventScroll: true });
  });
})();
