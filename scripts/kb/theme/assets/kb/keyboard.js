// Keyboard reach for what the theme leaves to the pointer (WCAG 2.1.1):
// - the header's menu and search buttons are <label>s of Material's hidden checkboxes; the header
//   (partials/header.html) makes them focusable buttons, and here Enter and Space press them and
//   aria-expanded follows their checkbox;
// - a wide table scrolls sideways inside its own box (Material wraps it in .md-typeset__scrollwrap),
//   which a keyboard user can scroll only once it can take focus: every box that actually scrolls gets
//   tabindex="0" and a name from its table; boxes that fit need no extra tab stop;
// - the ¶ next to every heading (Python-Markdown's permalink) is for the pointer: a screen reader read it as
//   part of each heading's name ("适用情形 ¶") and it cost a Tab stop per heading; the table of contents
//   has the same links, so the mark is hidden from both (it still works under the mouse);
// - the search's line "N 个符合条件的结果" is a status: a screen reader says it when the results change.
(function () {
  "use strict";

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" && event.key !== " ") return;
    var label = event.target.closest && event.target.closest("label[data-kb-key-toggle]");
    if (!label) return;
    event.preventDefault();
    event.stopPropagation(); // Material's own Enter-on-a-label handler (on window) would press it twice
    label.click();
    // The navigation drawer opened from the keyboard: go into it; Escape comes back (below).
    var box = document.getElementById(label.htmlFor);
    if (label.htmlFor === "__drawer" && box && box.checked) {
      var first = document.querySelector(".md-sidebar--primary a[href], .md-sidebar--primary [tabindex='0']");
      if (first) setTimeout(function () { first.focus(); }, 0);
    }
  });

  document.addEventListener("keydown", function (event) {
    var drawer = document.getElementById("__drawer");
    if (event.key !== "Escape" || !drawer || !drawer.checked) return;
    var button = document.querySelector("label.md-header__button[for='__drawer']");
    if (!button || getComputedStyle(button).display === "none") return;
    drawer.checked = false;
    drawer.dispatchEvent(new Event("change", { bubbles: true }));
    button.focus();
  });

  function expanded() {
    var labels = document.querySelectorAll("label[data-kb-key-toggle]");
    for (var i = 0; i < labels.length; i++) {
      var box = document.getElementById(labels[i].htmlFor);
      if (box) labels[i].setAttribute("aria-expanded", box.checked ? "true" : "false");
    }
  }
  document.addEventListener("change", expanded);
  document.addEventListener("click", function () { setTimeout(expanded, 0); });
  document.addEventListener("keyup", function () { setTimeout(expanded, 0); });

  function name(box) {
    var table = box.querySelector("table");
    var caption = table && table.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    var heads = table ? table.querySelectorAll("thead th") : [];
    var words = [];
    for (var i = 0; i < heads.length && i < 3; i++) words.push(heads[i].textContent.trim());
    return "表格" + (words.length ? "（" + words.join("、") + "…）" : "") + "，可左右滚动";
  }

  function mark() {
    var boxes = document.querySelectorAll(".md-typeset__scrollwrap");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      if (box.scrollWidth > box.clientWidth + 1) {
        if (!box.hasAttribute("tabindex")) {
          box.setAttribute("tabindex", "0");
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", name(box));
        }
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    }
  }

  // Material wraps the tables when it mounts the page (window.document$, also after instant navigation).
  function quiet() {
    var marks = document.querySelectorAll(".md-typeset .headerlink");
    for (var i = 0; i < marks.length; i++) {
      marks[i].setAttribute("aria-hidden", "true");
      marks[i].setAttribute("tabindex", "-1");
    }
  }

  function ready() {
    mark();
    expanded();
    quiet();
    var meta = document.querySelector(".md-search-result__meta");
    if (meta) meta.setAttribute("role", "status");
  }
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(function () { setTimeout(ready, 0); });
  } else {
    document.addEventListener("DOMContentLoaded", ready);
  }
  var waiting = 0;
  window.addEventListener("resize", function () {
    clearTimeout(waiting);
    waiting = setTimeout(mark, 100);
  });
  // 关怀模式 changes the text size, and so which tables scroll.
  new MutationObserver(mark).observe(document.documentElement, { attributes: true, attributeFilter: ["data-kb-care"] });
})();
