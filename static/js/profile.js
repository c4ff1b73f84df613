// The profile's tabs scroll sideways on a narrow screen: bring the current one into view.
(function () {
  "use strict";
  var current = document.querySelector(".profile-tabs [aria-current='page']");
  var strip = current && current.closest(".nav-tabs");
  if (!strip || strip.scrollWidth <= strip.clientWidth) return;
  strip.scrollLeft = current.offsetLeft - (strip.clientWidth - current.offsetWidth) / 2;
})();
