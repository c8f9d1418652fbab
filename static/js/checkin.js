// Check-in desk: scan badges with the phone's camera (BarcodeDetector) when the browser has it.
// Without it (or without JavaScript) the badge-code field and the name search still work.
(function () {
  "use strict";
  var box = document.querySelector("[data-checkin-scanner]");
  var form = document.querySelector("[data-checkin-form]");
  if (!box || !form || !("BarcodeDetector" in window) || !navigator.mediaDevices) {
    return;
  }
  var video = box.querySelector("video");
  var status = box.querySelector(".scanner__status");
  var field = form.querySelector("input[name=token]");
  var busy = false;
  window.BarcodeDetector.getSupportedFormats().then(function (formats) {
    if (formats.indexOf("qr_code") < 0) { return; }
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    return navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      box.hidden = false;
      video.srcObject = stream;
      return video.play().then(function () { scan(detector); });
    });
  }).catch(function () {
    box.hidden = true;
  });

  function scan(detector) {
    if (busy) { return; }
    detector.detect(video).then(function (codes) {
      if (codes.length && codes[0].rawValue) {
        busy = true;
        field.value = codes[0].rawValue;
        status.textContent = field.getAttribute("data-found") || "✓";
        form.submit();
        return;
      }
      window.setTimeout(function () { scan(detector); }, 250);
    }).catch(function () {
      window.setTimeout(function () { scan(detector); }, 1000);
    });
  }
})();
