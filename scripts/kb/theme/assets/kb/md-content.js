// Material's content script (partials/javascripts/content.html) as a file: a link to a content tab
// (#__tabbed_1_2) opens that tab.
(function () {
  "use strict";
  var target = document.getElementById(location.hash.slice(1));
  if (target && target.name) target.checked = target.name.startsWith("__tabbed_");
})();
