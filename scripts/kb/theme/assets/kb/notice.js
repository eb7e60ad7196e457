// 一次性告知单 (notice/<id>/): ticking a material the applicant brought ([data-kb-material]) removes it from
// #kb-notice, which then lists exactly the missing ones; the date typed in [data-kb-notice-date] is printed.
// Nothing is stored or sent: no form, no storage, no request.
(function () {
  "use strict";

  var WEEKDAYS = "日一二三四五六";

  // [date, weekday] of an ISO date: 2026年10月9日 and （星期五）; null for anything else
  function longDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    if (!m) return null;
    var d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    return [+m[1] + "年" + +m[2] + "月" + +m[3] + "日", "（星期" + WEEKDAYS.charAt(d.getUTCDay()) + "）"];
  }

  function todayIso() {
    var now = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  function numbers(el) {
    return (el.getAttribute("data-kb-fit") || "").split(",").map(Number);
  }

  // The largest type size at which the materials still missing fit one sheet (heights estimated at build
  // time by scripts/kb/notice.py); if none does, say on screen that the notice takes two sheets.
  function fit(notice) {
    var sheet = notice.closest("[data-kb-fit]");
    if (!sheet) return;
    var total = numbers(sheet);
    var budget = Number(sheet.getAttribute("data-kb-fit-budget"));
    notice.querySelectorAll("[data-kb-missing]").forEach(function (item) {
      if (item.hidden) return;
      numbers(item).forEach(function (mm, i) { total[i] += mm; });
    });
    var level = total.findIndex(function (mm) { return mm <= budget; });
    var overflow = level < 0;
    if (overflow) level = total.length - 1;
    for (var i = 0; i < total.length; i += 1) sheet.classList.toggle("kb-notice--d" + i, i === level);
    var warning = document.querySelector("[data-kb-notice-overflow]");
    if (warning) warning.hidden = !overflow;
  }

  function update() {
    var notice = document.getElementById("kb-notice");
    if (!notice) return;
    // the situation chosen (situations.js): a material of another situation is neither offered nor missing
    var situation = document.documentElement.getAttribute("data-kb-chosen-situation") || "";
    function applies(el) {
      var ids = el.getAttribute("data-kb-for");
      return !situation || !ids || ids.split(/\s+/).indexOf(situation) >= 0;
    }
    var brought = {}, groups = {};
    document.querySelectorAll("input[data-kb-material]").forEach(function (box) {
      var item = box.closest("li");
      if (item) item.hidden = !applies(item);
      if (!box.checked || (item && item.hidden)) return;
      brought[box.getAttribute("data-kb-material")] = true;
      // one material of a group of alternatives brought: the whole group is brought
      if (box.hasAttribute("data-kb-group")) groups[box.getAttribute("data-kb-group")] = true;
    });
    var missing = 0, counted = {};
    notice.querySelectorAll("[data-kb-missing]").forEach(function (item) {
      var group = item.getAttribute("data-kb-group");
      var has = !applies(item) || brought[item.getAttribute("data-kb-missing")] === true || (group && groups[group] === true);
      item.hidden = has;
      if (has) return;
      if (group) {
        if (counted[group]) return;
        counted[group] = true;
      }
      missing += 1;
    });
    fit(notice);
    var complete = notice.querySelector("[data-kb-notice-complete]");
    var intro = notice.querySelector("[data-kb-notice-intro]");
    if (complete) complete.hidden = missing > 0;
    if (intro) intro.hidden = missing === 0;
    var count = document.querySelector("[data-kb-notice-count]");
    var said = missing ? "告知单列出还缺的 " + missing + " 项材料。" : "材料已经齐全，告知单上无需补正的材料。";
    if (count && count.textContent !== said) count.textContent = said;
    var input = document.querySelector("[data-kb-notice-date]");
    var out = document.querySelector("[data-kb-notice-date-out]");
    if (input && out) {
      var text = longDate(input.value);
      // the date in a span.kb-date that never breaks across lines, as on the guide's deadline panel
      var date = document.createElement("span");
      date.className = "kb-date";
      date.textContent = text ? text[0] : "＿＿＿＿年＿＿月＿＿日";
      out.replaceChildren(date, text ? text[1] : "");
      if (text) out.setAttribute("datetime", input.value);
      else out.removeAttribute("datetime");
    }
  }

  function start() {
    var input = document.querySelector("[data-kb-notice-date]");
    if (input) input.value = todayIso();
    document.addEventListener("change", function (event) {
      if (event.target.matches("input[data-kb-material], [data-kb-notice-date]")) update();
    });
    document.addEventListener("input", function (event) {
      if (event.target.matches("[data-kb-notice-date]")) update();
    });
    document.addEventListener("click", function (event) {
      if (event.target.closest("[data-kb-print]")) window.print();
    });
    document.addEventListener("kb:situation", update);
    update();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
