/* Large text and high contrast: remembered in this browser, applied before the page paints. */
(function () {
  "use strict";
  var root = document.documentElement;
  var names = ["large-text", "high-contrast"];
  function stored(name) {
    try { return window.localStorage.getItem("pref-" + name) === "on"; } catch (e) { return false; }
  }
  names.forEach(function (name) { if (stored(name)) { root.classList.add(name); } });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-preference]").forEach(function (button) {
      var name = button.getAttribute("data-preference");
      button.setAttribute("aria-pressed", root.classList.contains(name) ? "true" : "false");
      button.addEventListener("click", function () {
        var on = root.classList.toggle(name);
        button.setAttribute("aria-pressed", on ? "true" : "false");
        try { window.localStorage.setItem("pref-" + name, on ? "on" : "off"); } catch (e) { /* private mode */ }
      });
    });
  });
}());
