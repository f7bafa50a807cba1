// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Print buttons on posters and contact cards.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  // After a failed form, move focus to the summary of what went wrong.
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
})();
