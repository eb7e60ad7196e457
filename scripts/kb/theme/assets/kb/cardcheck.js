// cards/check/: is a printed card current? Reads ?id=<id>&v=<code> or the form, loads the
// cards/versions/<bucket>.js that holds the id (written by scripts/kb/pages.py: scripts, so that they
// load from file://; a few dozen small files, so this page stays small at any scale), checks the code's
// check character and compares it two characters per card section (scripts/kb/cardversion.py).
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

  // The code's last character when its length is odd: Luhn mod N over ALPHABET (N = 32), as
  // cardversion.check_character in Python. Catches every single wrong character.
  function checkCharacter(body) {
    var n = ALPHABET.length, total = 0;
    for (var i = 0; i < body.length; i += 1) {
      var value = ALPHABET.indexOf(body.charAt(body.length - 1 - i)) * (i % 2 === 0 ? 2 : 1);
      total += Math.floor(value / n) + value % n;
    }
    return ALPHABET.charAt((n - total % n) % n);
  }

  // The verdict for a typed code against the current version `data` (see cardversion.py):
  // {mistyped: "check" | "length"} for a code no card prints, else {current, changed: [labels],
  // checked: whether it had a check character, partial: "internal-unchecked" (an internal card on the
  // public site: its internal section is not known here) | "public-card" (a public card on the internal
  // site) | null}. Only the sections both the card and this edition have are compared.
  function verdict(data, typed) {
    var code = normalise(typed);
    var publicLength = data.public_sections * PER_SECTION;
    var internalLength = data.all_sections * PER_SECTION;
    var body, checked;
    if (code.length === publicLength + 1 || code.length === internalLength + 1) {
      body = code.slice(0, -1);
      checked = true;
      if (checkCharacter(body) !== code.charAt(code.length - 1)) return { mistyped: "check", code: code };
    } else if (code.length === publicLength || code.length === internalLength) {
      body = code;  // printed before the check character existed
      checked = false;
    } else {
      return { mistyped: "length", code: code };
    }
    var printed = body.length / PER_SECTION;
    var changed = [];
    data.sections.forEach(function (section, i) {
      if (i < printed && body.slice(i * PER_SECTION, (i + 1) * PER_SECTION) !== section[2]) changed.push(section[1]);
    });
    var partial = printed > data.sections.length ? "internal-unchecked" : printed < data.sections.length ? "public-card" : null;
    return { current: changed.length === 0, code: code, checked: checked, changed: changed, partial: partial };
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
      var name = "编号 " + data.id + "（" + data.title + "）";
      var internalLabel = data.internal_label;
      if (v.mistyped) {
        var lengths = (data.public_sections * PER_SECTION + 1) + " 位（内部版卡片 " + (data.all_sections * PER_SECTION + 1) +
          " 位；早期印的卡片没有最后一位校验位，是 " + data.public_sections * PER_SECTION + " 位或 " +
          data.all_sections * PER_SECTION + " 位）";
        return say([el("p", "输入有误", "kb-card-check__verdict"),
          el("p", v.mistyped === "check"
            ? "版本码 " + v.code + " 对不上它的校验位（最后一位）：很可能有一位抄错或输错了，请对照卡片页脚重新输入后再核对。"
            : "版本码应为 " + lengths + "，输入的 " + (v.code || "（空）") + " 是 " + v.code.length + " 位。请对照卡片页脚重新输入。")],
          "error");
      }
      var notes = [];
      if (v.partial === "internal-unchecked") {
        notes.push(el("p", "这是内部版卡片，本站是公开版：只核对了公开的部分，“" + internalLabel +
          "”是否变了在这里看不到，请在内部版核对。"));
      } else if (v.partial === "public-card") {
        notes.push(el("p", "这是公开版卡片，没有“" + internalLabel + "”部分；需要这部分的请打印内部版卡片。"));
      }
      if (v.current) {
        return say([el("p", "现行", "kb-card-check__verdict"),
          el("p", name + "的版本码 " + v.code + (v.partial === "internal-unchecked" ? " 的公开部分" : " ") +
            "是现行版本，自 " + data.since + " 起有效，可以继续使用。")].concat(notes), "current");
      }
      var nodes = [el("p", "已更新", "kb-card-check__verdict"),
        el("p", name + "的卡片已于 " + data.since + " 更新，手上版本码为 " + v.code + " 的卡片不再现行，请重新打印。"),
        el("p", "变了的部分：")];
      var list = el("ul");
      v.changed.forEach(function (label) { list.appendChild(el("li", label)); });
      nodes.push(list);
      nodes = nodes.concat(notes);
      if (!v.checked) {
        nodes.push(el("p", "这张卡片的版本码没有校验位（加校验位之前印的），抄错一位也会显示为某部分变了：如与实际不符，请先核对版本码。"));
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
               public_sections: data.public_sections, all_sections: data.all_sections,
               internal_label: data.internal_label }, typed);
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

  window.kbCardCheck = { normalise: normalise, verdict: verdict, bucket: bucket, checkCharacter: checkCharacter };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
