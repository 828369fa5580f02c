// Report pickers: show the quarter and organisation fields only for reports that use them.
// Without JavaScript every field stays visible and the server ignores the ones a report does not use.
(function () {
  "use strict";

  function sync(form) {
    var select = form.querySelector("[data-report-code]");
    if (!select) return;
    var option = select.options[select.selectedIndex];
    if (!option) return;
    var needs = {
      quarter: option.dataset.needsQuarter === "1",
      organisation: option.dataset.needsOrganisation === "1",
    };
    Object.keys(needs).forEach(function (name) {
      var box = form.querySelector('[data-field="' + name + '"]');
      if (!box) return;
      box.hidden = !needs[name];
      box.querySelectorAll("select, input").forEach(function (el) {
        el.disabled = !needs[name];
      });
    });
  }

  document.querySelectorAll("form[data-report-pickers]").forEach(function (form) {
    sync(form);
    form.addEventListener("change", function (event) {
      if (event.target.matches("[data-report-code]")) sync(form);
    });
  });
})();
