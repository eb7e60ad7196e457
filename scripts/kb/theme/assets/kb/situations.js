// 办理情形 on a guide or a 一次性告知单: choosing one situation ([data-kb-situation] radios) hides every item
// marked for other situations ([data-kb-for="id id"]); "显示全部情形" ([data-kb-situation-all]) shows everything
// again, each item still labelled with its situations. Then a "kb:situation" event tells the deadline panel
// and the notice to count again with what is shown. Nothing is stored or sent.
(function () {
  "use strict";

  function chosen() {
    var radio = document.querySelector("input[data-kb-situation]:checked");
    return radio ? radio.getAttribute("data-kb-situation") : "";
  }

  function apply() {
    var id = chosen();
    document.querySelectorAll("[data-kb-for]").forEach(function (el) {
      var ids = el.getAttribute("data-kb-for").split(/\s+/);
      el.hidden = id !== "" && ids.indexOf(id) < 0;
    });
    var title = "";
    var radio = document.querySelector("input[data-kb-situation]:checked");
    if (radio) {
      var label = radio.closest("label");
      title = label ? label.textContent.trim() : id;
    }
    document.documentElement.setAttribute("data-kb-chosen-situation", id);
    document.querySelectorAll("[data-kb-situation-chosen]").forEach(function (el) {
      el.textContent = id ? "只显示“" + title + "”适用的内容。" : "";
    });
    document.querySelectorAll("[data-kb-situation-out]").forEach(function (el) {
      el.textContent = title;
      var line = el.closest("[data-kb-situation-line]");
      if (line) line.hidden = !id;
    });
    document.dispatchEvent(new CustomEvent("kb:situation", { detail: { id: id } }));
  }

  function start() {
    document.addEventListener("change", function (event) {
      if (event.target.matches("input[data-kb-situation]")) apply();
    });
    document.addEventListener("click", function (event) {
      if (!event.target.closest("[data-kb-situation-all]")) return;
      document.querySelectorAll("input[data-kb-situation]").forEach(function (radio) { radio.checked = false; });
      apply();
    });
    apply();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
