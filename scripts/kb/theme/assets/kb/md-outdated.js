// Material's outdated-version banner (partials/javascripts/outdated.html) as a file; the site root
// comes from this file's own address (<root>/assets/kb/md-outdated.js).
(function () {
  "use strict";
  var el = document.querySelector("[data-md-component=outdated]");
  var base = new URL("../../", document.currentScript.src);
  if (__md_get("__outdated", sessionStorage, base) === true && el) el.hidden = false;
})();
