// Material's linked content tabs (partials/javascripts/content.html, feature content.tabs.link) as a
// file: reopens the tabs the reader chose last time.
(function () {
  "use strict";
  var tabs = __md_get("__tabs");
  if (!Array.isArray(tabs)) return;
  document.querySelectorAll(".tabbed-set").forEach(function (set) {
    var labels = set.querySelector(".tabbed-labels");
    for (var i = 0; i < tabs.length; i++) {
      var found = Array.from(labels.getElementsByTagName("label")).find(function (label) {
        return label.innerText.trim() === tabs[i];
      });
      if (found) {
        document.getElementById(found.htmlFor).checked = true;
        return;
      }
    }
  });
})();
