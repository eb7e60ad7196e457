// A wide table scrolls sideways inside its own box (Material wraps it in .md-typeset__scrollwrap). A
// keyboard user can scroll that box only once it can take focus (WCAG 2.1.1), so every box that
// actually scrolls gets tabindex="0" and a name from its table; boxes that fit need no extra tab stop.
(function () {
  "use strict";

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
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(function () { setTimeout(mark, 0); });
  } else {
    document.addEventListener("DOMContentLoaded", mark);
  }
  var waiting = 0;
  window.addEventListener("resize", function () {
    clearTimeout(waiting);
    waiting = setTimeout(mark, 100);
  });
  // 关怀模式 changes the text size, and so which tables scroll.
  new MutationObserver(mark).observe(document.documentElement, { attributes: true, attributeFilter: ["data-kb-care"] });
})();
