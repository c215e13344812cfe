// Tell the owner before uploading when a file is too large or of the wrong type.
// The server checks again; this only saves a long upload that would be refused.
(function () {
  "use strict";
  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      var max = Number(input.dataset.maxBytes);
      var message = "";
      if (file && file.size > max) {
        message = document.documentElement.lang === "en"
          ? "The file is too large: at most " + Math.round(max / 1048576) + " MB."
          : "Die Datei ist zu groß: höchstens " + Math.round(max / 1048576) + " MB.";
      } else if (file && !/^image\/(jpeg|png|webp)$/.test(file.type)) {
        message = document.documentElement.lang === "en"
          ? "Please choose a JPEG, PNG or WebP file."
          : "Bitte wählen Sie eine JPEG-, PNG- oder WebP-Datei.";
      }
      input.setCustomValidity(message);
      if (message) { input.reportValidity(); }
    });
  });
})();
