// Progressive enhancements only: every page works without this file.
(function () {
  "use strict";
  // Print button: shown only where JavaScript can print.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
