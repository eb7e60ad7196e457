// 关怀模式: large text, higher contrast and bigger click targets (care.css) for readers who need them.
// Loaded as a blocking script in the <head> of every page (the theme's and the cards' and notices' own
// layouts), so the setting the reader chose last time is on <html> before anything is painted. The
// choice lives in localStorage on this device only (nothing is sent anywhere); it works opened from
// disk (file://) and under the site's Content-Security-Policy (script-src 'self': this is a file).
(function () {
  "use strict";
  var KEY = "kb.care";
  var root = document.documentElement;

  function remembered() {
    try {
      return localStorage.getItem(KEY) === "on";
    } catch (error) {
      return false; // storage switched off: the mode still works for this page
    }
  }

  function remember(on) {
    try {
      localStorage.setItem(KEY, on ? "on" : "off");
    } catch (error) {
      // storage switched off or full: nothing to keep
    }
  }

  function show(on) {
    root.setAttribute("data-kb-care", on ? "on" : "off");
    var buttons = document.querySelectorAll("[data-kb-care-toggle]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", on ? "true" : "false");
    }
  }

  show(remembered());
  document.addEventListener("DOMContentLoaded", function () {
    show(root.getAttribute("data-kb-care") === "on");
  });
  // A <button> is pressed by Enter and Space as well as by a click: all three arrive here as "click".
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-kb-care-toggle]");
    if (!button) return;
    var on = root.getAttribute("data-kb-care") !== "on";
    remember(on);
    show(on);
  });
  // Another tab of the same site changed it: follow.
  window.addEventListener("storage", function (event) {
    if (event.key === KEY) show(event.newValue === "on");
  });
})();
