// The export page's "select all" box (templates/admin/import_export/export.html), wired here
// because the Content-Security-Policy refuses the library's onchange attribute.
(function () {
  "use strict";
  document.querySelectorAll("input.select-toggle").forEach(function (box) {
    box.addEventListener("change", function () {
      document.querySelectorAll(".selectable-field-export-row input[type=checkbox]")
        .forEach(function (field) { field.checked = box.checked; });
    });
  });
})();
