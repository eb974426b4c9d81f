/* TIPs map — on a phone, the explore pages' filters in a drawer over the view.
 * The page works without it: the filters then stay below the view. With it, a "Filtres" button
 * (with the number of active filters) opens the drawer; its close button, Escape or sending the
 * filters close it, and the focus goes back to the button. While it is open the rest of the page
 * is inert, so the keyboard stays inside. Desktop keeps the filters column: nothing changes there. */
(function () {
  "use strict";
  var layout = document.querySelector(".explore-layout");
  if (!layout) return;
  var side = layout.querySelector(".explore-side");
  var head = layout.querySelector(".explore-head");
  var toggle = head.querySelector(".filters-toggle");
  var bar = side.querySelector(".drawer-bar");
  var close = bar.querySelector(".drawer-close");
  var form = document.getElementById("filters");
  var count = toggle.querySelector("[data-filters-count]");
  var phone = window.matchMedia("(max-width: 52rem)");

  // The switch between map, list and network is not a filter: keep it in sight, by the title.
  var viewSwitch = side.querySelector(".view-switch");
  if (viewSwitch) head.insertBefore(viewSwitch, toggle);

  // What the open drawer makes inert: every sibling of the drawer and of each of its ancestors.
  function outside() {
    var nodes = [];
    for (var node = side; node.parentNode && node !== document.body; node = node.parentNode) {
      Array.prototype.forEach.call(node.parentNode.children, function (sibling) {
        if (sibling !== node && sibling.tagName !== "SCRIPT") nodes.push(sibling);
      });
    }
    return nodes;
  }

  function setOpen(open, restoreFocus) {
    side.classList.toggle("is-open", open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    document.body.classList.toggle("drawer-open", open);
    outside().forEach(function (node) {
      node.inert = open;
    });
    if (open) close.focus();
    else if (restoreFocus) toggle.focus();
  }

  function activeFilters() {
    if (!form) return 0;
    var n = 0;
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name) return;
      if (field.type === "checkbox" || field.type === "radio") n += field.checked ? 1 : 0;
      else if ((field.tagName === "SELECT" || field.type === "search" || field.type === "text") && field.value) n += 1;
    });
    return n;
  }

  function showCount() {
    var n = activeFilters();
    count.textContent = n;
    count.parentNode.hidden = n === 0;
  }

  layout.classList.add("has-drawer");
  toggle.hidden = false;
  bar.hidden = false;
  showCount();
  toggle.addEventListener("click", function () {
    setOpen(!side.classList.contains("is-open"), false);
  });
  close.addEventListener("click", function () {
    setOpen(false, true);
  });
  side.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && side.classList.contains("is-open")) {
      event.preventDefault();
      setOpen(false, true);
    }
  });
  if (form) {
    form.addEventListener("change", showCount);
    form.addEventListener("input", showCount);
    form.addEventListener("submit", function () {
      if (side.classList.contains("is-open")) setOpen(false, true);
    });
  }
  window.addEventListener("popstate", function () {
    setTimeout(showCount, 0);
  });
  // Leaving the phone width (a rotated tablet, a wider window) with the drawer open.
  phone.addEventListener("change", function () {
    if (!phone.matches && side.classList.contains("is-open")) setOpen(false, false);
  });
})();
