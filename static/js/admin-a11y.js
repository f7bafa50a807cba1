/* The back office's script-drawn widgets, named for screen readers (templates/admin/base_site.html).
   Django's autocomplete draws each choice with select2, whose boxes carry no name of their own
   (their text is the choice, empty until one is made): each box takes the name of its field,
   from the field's label or from the aria-label the server gave it (a row of a table). Boxes
   drawn later (a row added, a choice made, a list opened) are named as they appear. */
(function () {
  "use strict";

  function fieldName(select) {
    var given = select.getAttribute("aria-label");
    if (given) return given;
    var label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
    return label ? label.textContent.replace(/[:：]\s*$/, "").trim() : "";
  }

  function nameBoxes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var box = select.nextElementSibling;
      if (!box || !box.classList.contains("select2")) return;
      var name = fieldName(select);
      if (!name) return;
      box.querySelectorAll(
        ".select2-selection, .select2-selection__rendered, .select2-search__field"
      ).forEach(function (part) {
        if (!part.getAttribute("aria-label")) part.setAttribute("aria-label", name);
      });
      // An open box points at its list with aria-owns (ARIA 1.0); ARIA 1.2 asks aria-controls.
      box.querySelectorAll("[aria-owns]").forEach(function (part) {
        part.setAttribute("aria-controls", part.getAttribute("aria-owns"));
      });
    });
    // The search box of an open list, drawn at the end of the page, names the list's field
    // (its aria-controls is "select2-<the field's id>-results").
    document.querySelectorAll(".select2-dropdown .select2-search__field").forEach(function (field) {
      var list = /^select2-(.+)-results$/.exec(field.getAttribute("aria-controls") || "");
      var select = list ? document.getElementById(list[1]) : null;
      var name = select ? fieldName(select) : "";
      if (name && !field.getAttribute("aria-label")) field.setAttribute("aria-label", name);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    nameBoxes();
    new MutationObserver(nameBoxes).observe(document.body, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ["aria-owns"],
    });
  });
})();
