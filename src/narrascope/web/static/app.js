// narrascope workbench: small enhancements only; every page works without scripts.
(function () {
  "use strict";
  // "/" focuses the search box (unless typing in a field already).
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "/" || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var t = ev.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable)) return;
    var box = document.querySelector("input[type=search], form.search input");
    if (box) { ev.preventDefault(); box.focus(); box.select(); }
  });
  // Enter or Space on a highlighted quote opens its statement in the quote tracker.
  document.addEventListener("keydown", function (ev) {
    var t = ev.target;
    if (!t || !t.matches || !t.matches("mark.quote[data-statement]")) return;
    if (ev.key === "Enter" || ev.key === " ") {
      ev.preventDefault();
      window.location.href = "/statements/" + encodeURIComponent(t.getAttribute("data-statement"));
    }
  });
  document.addEventListener("dblclick", function (ev) {
    var t = ev.target && ev.target.closest ? ev.target.closest("mark.quote[data-statement]") : null;
    if (t) window.location.href = "/statements/" + encodeURIComponent(t.getAttribute("data-statement"));
  });
})();
// Filter forms: leave empty fields out of the URL.
document.addEventListener("submit", function (ev) {
  var form = ev.target;
  if (!form.classList || !form.classList.contains("search") || (form.method || "get").toLowerCase() !== "get") return;
  Array.prototype.forEach.call(form.elements, function (el) {
    if (el.name && !el.value) el.disabled = true;
  });
});
// Legend toggles (e.g. narrative evidence) switch a class on the article text.
document.addEventListener("click", function (ev) {
  var b = ev.target && ev.target.closest ? ev.target.closest("button.toggle[data-toggle]") : null;
  if (!b) return;
  var target = document.getElementById(b.getAttribute("aria-controls"));
  if (!target) return;
  var on = target.classList.toggle(b.getAttribute("data-toggle"));
  b.setAttribute("aria-pressed", on ? "true" : "false");
});
