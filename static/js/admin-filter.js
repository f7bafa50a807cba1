// A sidebar filter picked by typing (templates/admin/autocomplete_filter.html): the list is
// filtered as soon as a choice is made or cleared. Select2 tells its changes through jQuery.
"use strict";
(function ($) {
  $(document).on("change", "form.autocomplete-filter select", function () {
    this.form.submit();
  });
})(django.jQuery);
