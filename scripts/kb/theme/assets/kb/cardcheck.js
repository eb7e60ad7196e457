// cards/check/: is a printed card current? Reads ?id=<id>&v=<code> or the form, loads the
// cards/versions/<bucket>.js that holds the id (written by scripts/kb/pages.py: scripts, so that they
// load from file://; a few dozen small files, so this page stays small at any scale) and compares the
// code two characters per card section (scripts/kb/cardversion.py).
// The form only changes this page's address; nothing is sent anywhere.
(function () {
  "use strict";

  var ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  var ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
  var PER_SECTION = 2;

  // FNV-1a (32 bit) of the id modulo the number of files, as two hex digits: cardversion.bucket in Python.
  function bucket(id, buckets) {
    var h = 0x811c9dc5;
    for (var i = 0; i < id.length; i += 1) {
      h ^= id.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    var n = h % buckets;
    return (n < 16 ? "0" : "") + n.toString(16);
  }

  function normalise(code) {
    var out = "";
    String(code || "").toUpperCase().replace(/O/g, "0").replace(/[IL]/g, "1").split("").forEach(function (ch) {
      if (ALPHABET.indexOf(ch) >= 0) out += ch;
    });
    return out;
  }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  // The verdict for a typed code against the current version `data` (see cardversion.py).
  function verdict(data, typed) {
    var code = normalise(typed);
    var current = data.code;
    var publicLength = data.public_sections * PER_SECTION;
    if (code === current) return { current: true, code: code };
    // A card printed from the other edition: compare the sections both have.
    var shared = Math.min(code.length, current.length);
    if ((code.length === publicLength || current.length === publicLength) && shared === publicLength &&
        code.slice(0, shared) === current.slice(0, shared)) {
      return { current: true, code: code, partial: code.length < current.length ? "internal-unchecked" : "internal-only" };
    }
    var changed = null;
    if (code.length === current.length || code.length === publicLength) {
      changed = [];
      data.sections.forEach(function (section, i) {
        var start = i * PER_SECTION;
        if (start + PER_SECTION <= code.length && code.slice(start, start + PER_SECTION) !== section[2]) changed.push(section[1]);
      });
    }
    return { current: false, code: code, changed: changed };
  }

  function start() {
    var form = document.querySelector("[data-kb-card-check]");
    var result = document.getElementById("kb-card-check-result");
    if (!form || !result) return;
    var idField = form.querySelector("[name=id]"), codeField = form.querySelector("[name=v]");
    var pending = null;

    function say(nodes, kind) {
      result.replaceChildren.apply(result, nodes);
      result.className = "kb-card-check__result" + (kind ? " kb-card-check__result--" + kind : "");
    }

    function show(data, typed) {
      var v = verdict(data, typed);
      var cardUrl = form.getAttribute("data-kb-card-url").replace("__id__", data.id);
      if (v.current) {
        var ok = [el("p", "现行", "kb-card-check__verdict"),
          el("p", "编号 " + data.id + "（" + data.title + "）的版本码 " + v.code + " 是现行版本，自 " + data.since + " 起有效，可以继续使用。")];
        if (v.partial === "internal-unchecked") ok.push(el("p", "这是内部版卡片：“卡住时找谁”部分只能在内部版核对。"));
        return say(ok, "current");
      }
      var nodes = [el("p", "已更新", "kb-card-check__verdict"),
        el("p", "编号 " + data.id + "（" + data.title + "）的卡片已于 " + data.since + " 更新，手上版本码为 " + (v.code || "（空）") + " 的卡片不再现行，请重新打印。")];
      if (v.changed && v.changed.length) {
        nodes.push(el("p", "变了的部分："));
        var list = el("ul");
        v.changed.forEach(function (label) { list.appendChild(el("li", label)); });
        nodes.push(list);
      } else {
        nodes.push(el("p", "版本码位数与现行卡片不同，无法逐项比对；请先核对是否抄错（应为 " + data.code.length + " 位，现行版本码 " + data.code + "）。"));
      }
      var link = el("a", "打开现行卡片重新打印");
      link.href = cardUrl;
      var p = el("p");
      p.appendChild(link);
      nodes.push(p);
      say(nodes, "changed");
    }

    function check(id, typed) {
      id = String(id || "").trim();
      if (!ID.test(id) || id.length > 64) {
        return say([el("p", "编号应为小写字母、数字和连字符，如 fallback-window-handling。请对照卡片重新输入。")], "error");
      }
      if (!normalise(typed)) return say([el("p", "请输入卡片页脚的版本码。")], "error");
      var token = {};
      pending = token;
      say([el("p", "正在核对……")]);
      function notFound() {
        if (pending !== token) return;
        pending = null;
        say([el("p", "没有找到编号为 " + id + " 的卡片：请核对编号；这类事也可能已停用或尚未在本版发布。")], "error");
      }
      window.kbCardVersions = function (data) {
        if (pending !== token || !data || !data.cards) return;
        var card = Object.prototype.hasOwnProperty.call(data.cards, id) ? data.cards[id] : null;
        if (!card) return notFound();
        pending = null;
        show({ id: id, title: card.title, code: card.code, since: card.since, sections: card.sections,
               public_sections: data.public_sections }, typed);
      };
      var script = document.createElement("script");
      var buckets = parseInt(form.getAttribute("data-kb-buckets"), 10);
      script.src = form.getAttribute("data-kb-versions-url").replace("__bucket__", bucket(id, buckets));
      script.onload = function () { script.remove(); notFound(); };  // no answer for this id: not found
      script.onerror = function () { script.remove(); notFound(); };
      document.head.appendChild(script);
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var params = new URLSearchParams();
      params.set("id", idField.value.trim());
      params.set("v", codeField.value.trim());
      try {
        history.replaceState(null, "", "?" + params.toString());
      } catch (e) { /* file:// in some browsers */ }
      check(idField.value, codeField.value);
    });

    var query = new URLSearchParams(window.location.search);
    if (query.get("id") || query.get("v")) {
      idField.value = query.get("id") || "";
      codeField.value = query.get("v") || "";
      check(idField.value, codeField.value);
    }
  }

  window.kbCardCheck = { normalise: normalise, verdict: verdict, bucket: bucket };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
