// 办理时限 as dates on a guide page: the acceptance day in [data-kb-accepted] gives the last day of the
// committed limit ([data-kb-due-total]), of other limits ([data-kb-due-extra]) and of each step taken one
// after another ([data-kb-due-step]). The rules are those of scripts/kb/deadline.py, over the table
// scripts/kb/calendar.py writes to assets/kb/calendar.js (window.KB_CALENDAR); tests compare the two
// for every day of a year. Nothing is stored or sent. A year without its State Council notice counts the
// statutory holidays the table carries for it (up to table.statutory_until) and Monday-Friday otherwise, and
// the panel says which years; a last day after 9999-12-31 is refused, as in Python, never shown as year 10000.
(function () {
  "use strict";

  var MS_PER_DAY = 86400000;
  var WEEKDAYS = "一二三四五六日";
  var LAST_DAY = Math.round(Date.UTC(9999, 11, 31) / MS_PER_DAY); // date.max in Python

  // Dates are whole days counted from 1970-01-01 (UTC), so no time zone can shift them.
  function toDay(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    if (!m) return null;
    var y = +m[1], mo = +m[2] - 1, d = +m[3];
    if (y < 1000) return null;
    var t = Date.UTC(y, mo, d), check = new Date(t);
    if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo || check.getUTCDate() !== d) return null;
    return Math.round(t / MS_PER_DAY);
  }
  function isoOf(day) { return new Date(day * MS_PER_DAY).toISOString().slice(0, 10); }
  function yearOf(day) { return new Date(day * MS_PER_DAY).getUTCFullYear(); }
  function weekdayOf(day) { return (new Date(day * MS_PER_DAY).getUTCDay() + 6) % 7; } // Monday = 0

  function Calendar(table) {
    this.first = table.first_year;
    this.last = table.last_year;
    this.rest = new Set(table.rest);
    this.work = new Set(table.work);
    this.source = table.source || "";
    this.statutoryUntil = table.statutory_until || 0;
  }
  Calendar.prototype.covers = function (day) {
    var y = yearOf(day);
    return y >= this.first && y <= this.last;
  };
  // A year without its notice yet: the statutory holidays are in `rest`, the swaps are not known.
  Calendar.prototype.pending = function (year) {
    return year > this.last && year <= this.statutoryUntil;
  };
  Calendar.prototype.isWorkday = function (day) {
    var iso = isoOf(day);
    if (this.work.has(iso)) return true;
    return weekdayOf(day) < 5 && !this.rest.has(iso);
  };

  // The last day of `limit` ("即办" or {value, unit}) for a matter accepted on `accepted` (a day number).
  function dueDay(accepted, limit, cal) {
    var uncovered = {};
    function workday(day) {
      if (!cal.covers(day)) uncovered[yearOf(day)] = true;
      return cal.isWorkday(day);
    }
    var day = accepted;
    if (limit !== "即办") {
      var value = limit.value, unit = limit.unit;
      if (unit === "工作日") {
        for (var left = value; left > 0 && day <= LAST_DAY;) {
          day += 1;
          if (day <= LAST_DAY && workday(day)) left -= 1;
        }
      } else if (unit === "自然日") {
        day = accepted + value;
        while (day <= LAST_DAY && !workday(day)) day += 1;
      } else if (unit === "小时") {
        day = accepted + Math.ceil(value / 24);
      } else {
        throw new Error("unknown unit " + unit);
      }
    }
    // past 9999-12-31: no day (Python raises DateOutOfRange)
    if (day > LAST_DAY) return { day: null, uncovered: [] };
    return { day: day, uncovered: Object.keys(uncovered).map(Number).sort() };
  }

  var official = null;
  function calendar() {
    if (!official && window.KB_CALENDAR) official = new Calendar(window.KB_CALENDAR);
    return official;
  }

  // Public, for tests and other scripts: due("2026-09-29", {value: 5, unit: "工作日"}) ->
  // {date: "2026-10-12", uncovered: []}; {date: null, uncovered: []} when the last day would be after 9999-12-31.
  function due(acceptedIso, limit, table) {
    var cal = table ? new Calendar(table) : calendar();
    var start = toDay(acceptedIso);
    if (start === null) throw new Error("not a date: " + acceptedIso);
    var result = dueDay(start, limit, cal);
    return { date: result.day === null ? null : isoOf(result.day), uncovered: result.uncovered };
  }

  // 2026年10月9日（星期五） in ``el``: the date in a span.kb-date that never breaks across lines
  // (a narrow table would show 2026年10 / 月9日), the weekday free to go to the next line.
  function showDate(el, day) {
    var d = new Date(day * MS_PER_DAY);
    var date = document.createElement("span");
    date.className = "kb-date";
    date.textContent = d.getUTCFullYear() + "年" + (d.getUTCMonth() + 1) + "月" + d.getUTCDate() + "日";
    el.replaceChildren(date, "（星期" + WEEKDAYS.charAt(weekdayOf(day)) + "）");
  }

  function limitOf(el) {
    var unit = el.getAttribute("data-kb-unit");
    return unit === "即办" ? "即办" : { value: parseInt(el.getAttribute("data-kb-value"), 10), unit: unit };
  }

  function show(el, result) {
    if (result === null || result.day === null) {
      el.removeAttribute("datetime");
      el.textContent = result === null ? "（请先选择受理日期）" : "超出可计算的日期范围";
      return;
    }
    el.setAttribute("datetime", isoOf(result.day));
    showDate(el, result.day);
  }

  function update(panel) {
    var cal = calendar();
    var input = panel.querySelector("[data-kb-accepted]");
    if (!cal || !input) return;
    var accepted = toDay(input.value);
    var years = {};
    function note(result) {
      result.uncovered.forEach(function (y) { years[y] = true; });
      return result;
    }
    panel.querySelectorAll("[data-kb-due-total], [data-kb-due-statutory], [data-kb-due-extra]").forEach(function (el) {
      show(el, accepted === null ? null : note(dueDay(accepted, limitOf(el), cal)));
    });
    var steps = Array.prototype.slice.call(panel.querySelectorAll("[data-kb-due-step]"));
    steps.sort(function (a, b) {
      return a.getAttribute("data-kb-due-step") - b.getAttribute("data-kb-due-step");
    });
    var start = accepted, beyond = false;
    panel.querySelectorAll("[data-kb-due-total], [data-kb-due-statutory], [data-kb-due-extra]").forEach(function (el) {
      if (accepted !== null && !el.hasAttribute("datetime")) beyond = true;
    });
    // steps one after another; a step of another situation (its row hidden) is left out, and a special
    // step (data-kb-counted="false") is dated from where it starts without moving the next step's start
    steps.forEach(function (el) {
      var row = el.closest("tr");
      if (row && row.hidden) return;
      if (start === null) {
        if (accepted !== null) beyond = true;
        return show(el, null);
      }
      var result = note(dueDay(start, limitOf(el), cal));
      show(el, result);
      if (result.day === null) { beyond = true; start = null; return; }
      if (el.getAttribute("data-kb-counted") !== "false") start = result.day;
    });
    var warning = panel.querySelector("[data-kb-calendar-warning]");
    if (!warning) return;
    var list = Object.keys(years).map(Number).sort();
    var pending = list.filter(function (y) { return cal.pending(y); });
    var unknown = list.filter(function (y) { return !cal.pending(y); });
    function part(selector, years, yearsSelector) {
      var el = warning.querySelector(selector);
      if (!el) return false;
      if (yearsSelector) el.querySelector(yearsSelector).textContent = years.join("、");
      el.hidden = !years.length;
      return !el.hidden;
    }
    var shown = part("[data-kb-calendar-pending]", pending, "[data-kb-calendar-years]");
    shown = part("[data-kb-calendar-unknown]", unknown, "[data-kb-calendar-unknown-years]") || shown;
    shown = part("[data-kb-calendar-range]", beyond ? [true] : [], null) || shown;
    warning.hidden = !shown;
  }

  function todayIso() {
    var now = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  function start() {
    document.querySelectorAll("[data-kb-deadline]").forEach(function (panel) {
      var input = panel.querySelector("[data-kb-accepted]");
      if (!input) return;
      input.value = todayIso();
      input.addEventListener("input", function () { update(panel); });
      input.addEventListener("change", function () { update(panel); });
      document.addEventListener("kb:situation", function () { update(panel); });
      update(panel);
    });
  }

  window.kbDeadline = { due: due, Calendar: Calendar };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
