// Material's announcement script (partials/javascripts/announce.html) as a file: an announcement the
// reader dismissed stays hidden until its text changes.
(function () {
  "use strict";
  var el = document.querySelector("[data-md-component=announce]");
  if (!el) return;
  var content = el.querySelector(".md-typeset");
  if (__md_hash(content.innerHTML) === __md_get("__announce")) el.hidden = true;
})();
