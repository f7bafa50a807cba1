/* The back office's script-drawn widgets, named for screen readers (templates/admin/base_site.html).
   Django's autocomplete draws each choice with select2, whose boxes carry no name of their own
   (their text is the choice, empty until one is made): each box takes the name of its field,
   from the field's label or from the aria-label the server gave it (a row of a table). Boxes
   drawn later (a row added, a choice made) are named as they appear. */
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
    });
    // The search box of an open list, drawn at the end of the page.
    document.querySelectorAll(".select2-dropdown .select2-search__field").forEach(function (field) {
      if (!field.getAttribute("aria-label")) field.setAttribute("aria-label", "搜索");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    nameBoxes();
    new MutationObserver(nameBoxes).observe(document.body, { childList: true, subtree: true });
  });
})();
