// The member workspace: small progressive enhancements; every form works without this file.
(function () {
  "use strict";

  // A form sent once stays sent: a second tap does nothing while the first is on its way.
  // (The server also recognises a form posted twice; this only spares the wait.)
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent) { event.preventDefault(); return; }
      form.dataset.sent = "1";
      // Disable after the browser has collected the form, so the pressed button still counts.
      window.setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
      }, 0);
    });
  });
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-once]").forEach(function (form) {
      delete form.dataset.sent;
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = false; });
    });
  });

  // Photos chosen from the camera or the gallery: show them before they are sent.
  document.querySelectorAll("[data-preview-for]").forEach(function (list) {
    var input = document.getElementById(list.getAttribute("data-preview-for"));
    if (!input || !window.URL || !URL.createObjectURL) { return; }
    input.addEventListener("change", function () {
      list.textContent = "";
      Array.prototype.forEach.call(input.files || [], function (file) {
        if (!/^image\//.test(file.type)) { return; }
        var item = document.createElement("li");
        var img = document.createElement("img");
        img.alt = file.name;
        img.src = URL.createObjectURL(file);
        img.onload = function () { URL.revokeObjectURL(img.src); };
        item.appendChild(img);
        list.appendChild(item);
      });
    });
  });

  // "Show password", for those who type slowly on a small keyboard.
  document.querySelectorAll("[data-show-password]").forEach(function (box) {
    var field = document.getElementById(box.getAttribute("data-show-password"));
    if (!field) { return; }
    box.closest("[hidden]") && box.closest("[hidden]").removeAttribute("hidden");
    box.addEventListener("change", function () { field.type = box.checked ? "text" : "password"; });
  });
})();
