// Material's palette restore (partials/javascripts/palette.html) as a file: runs right after the
// palette toggle, before the page is painted, and applies the colours the reader chose last time.
(function () {
  "use strict";
  var palette = __md_get("__palette");
  var inputs = document.querySelectorAll("input[name='__palette']");
  // The radio button of the palette in use is the checked one, so that Tab lands on it (and its label
  // shows the focus ring); Material only shows the label. Without a choice yet: the one the system's
  // light or dark setting picks.
  var index = palette && typeof palette.index === "number" ? palette.index : -1;
  for (var i = 0; index < 0 && i < inputs.length; i++) {
    if (matchMedia(inputs[i].getAttribute("data-md-color-media")).matches) index = i;
  }
  if (inputs[index]) inputs[index].checked = true;
  if (!palette || !palette.color) return;
  if (palette.color.media === "(prefers-color-scheme)") {
    var light = matchMedia("(prefers-color-scheme: light)").matches;
    var input = document.querySelector(light
      ? "[data-md-color-media='(prefers-color-scheme: light)']"
      : "[data-md-color-media='(prefers-color-scheme: dark)']");
    palette.color.media = input.getAttribute("data-md-color-media");
    palette.color.scheme = input.getAttribute("data-md-color-scheme");
    palette.color.primary = input.getAttribute("data-md-color-primary");
    palette.color.accent = input.getAttribute("data-md-color-accent");
  }
  Object.keys(palette.color).forEach(function (key) {
    document.body.setAttribute("data-md-color-" + key, palette.color[key]);
  });
})();
