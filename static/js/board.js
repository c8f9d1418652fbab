// Table board: count the minutes down between htmx refreshes (the server value is the reference).
(function () {
  "use strict";
  function tick() {
    var el = document.querySelector("[data-countdown]");
    if (!el) { return; }
    var left = parseInt(el.getAttribute("data-countdown"), 10);
    if (isNaN(left) || left <= 0) { return; }
    left -= 1;
    el.setAttribute("data-countdown", String(left));
    var minutes = Math.floor(left / 60);
    var seconds = String(left % 60).padStart(2, "0");
    var clock = document.querySelector("[data-clock]");
    if (clock) { clock.textContent = "(" + minutes + ":" + seconds + ")"; }
  }
  window.setInterval(tick, 1000);
})();
