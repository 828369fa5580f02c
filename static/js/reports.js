// Report pickers: show the quarter, class and organisation fields only for reports that use them.
// Without JavaScript every field stays visible and the server ignores the ones a report does not use.
(function () {
  "use strict";

  function sync(form, changed) {
    var select = form.querySelector("[data-report-code]");
    if (!select) return;
    var option = select.options[select.selectedIndex];
    if (!option) return;
    var optionalQuarter = option.dataset.acceptsQuarter === "1";
    var needs = {
      quarter: option.dataset.needsQuarter === "1" || optionalQuarter,
      poverty_class: option.dataset.acceptsClass === "1",
      organisation: option.dataset.needsOrganisation === "1",
    };
    // "Cả năm" (the whole year) only for reports whose quarter is optional, and their default.
    var wholeYear = form.querySelector("[data-whole-year]");
    if (wholeYear) {
      wholeYear.disabled = !optionalQuarter;
      wholeYear.hidden = !optionalQuarter;
      var quarter = wholeYear.parentNode;
      if (optionalQuarter && changed) quarter.value = "";
      if (!optionalQuarter && quarter.value === "") quarter.value = quarter.dataset.default;
    }
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
    sync(form, false);
    form.addEventListener("change", function (event) {
      if (event.target.matches("[data-report-code]")) sync(form, true);
    });
  });
})();
