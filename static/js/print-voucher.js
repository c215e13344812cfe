// "Gutschein drucken": the browser's print dialogue (the print stylesheet shows the voucher only).
(function () {
  "use strict";
  var button = document.getElementById("print-voucher");
  if (!button || !window.print) { return; }
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
