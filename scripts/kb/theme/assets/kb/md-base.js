// Material for MkDocs' storage helpers (partials/javascripts/base.html), as a file instead of an
// inline script. Material wrote the page's base_url into the script, so the script differed from page
// to page; here the site root is worked out from this file's own address (<root>/assets/kb/md-base.js),
// which gives the same localStorage keys and lets one Content-Security-Policy fit every page.
(function () {
  "use strict";
  var script = document.currentScript;
  var scope = script.getAttribute("data-md-scope");
  window.__md_scope = scope ? new URL(scope, location) : new URL("../../", script.src);
  window.__md_hash = function (value) {
    return Array.from(value).reduce(function (hash, char) {
      return (hash << 5) - hash + char.charCodeAt(0);
    }, 0);
  };
  window.__md_get = function (key, storage, base) {
    storage = storage || localStorage;
    base = base || window.__md_scope;
    return JSON.parse(storage.getItem(base.pathname + "." + key));
  };
  window.__md_set = function (key, value, storage, base) {
    storage = storage || localStorage;
    base = base || window.__md_scope;
    try {
      storage.setItem(base.pathname + "." + key, JSON.stringify(value));
    } catch (error) {
      // storage full or disabled: the preference is simply not remembered
    }
  };
})();
