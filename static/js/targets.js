// Allocation screen: live totals of the children's targets and their difference from the parent's.
// The proportional helper and the check itself run on the server; this only keeps the figures in
// view while the officer types, and asks for the mismatch reason when the totals differ.
(function () {
  "use strict";

  var fmt = new Intl.NumberFormat(document.documentElement.lang === "en" ? "en-US" : "vi-VN");

  function update(form) {
    var mismatch = false;
    ["poor", "near"].forEach(function (measure) {
      var total = 0;
      form.querySelectorAll('input[data-measure="' + measure + '"]').forEach(function (input) {
        var value = parseInt(input.value, 10);
        if (!isNaN(value) && value > 0) total += value;
      });
      var parentCell = form.querySelector('[data-parent="' + measure + '"]');
      var parent = parentCell ? parseInt(parentCell.dataset.value, 10) || 0 : 0;
      var diff = total - parent;
      var totalCell = form.querySelector('[data-total="' + measure + '"]');
      var diffCell = form.querySelector('[data-diff="' + measure + '"]');
      if (totalCell) totalCell.textContent = fmt.format(total);
      if (diffCell) {
        diffCell.textContent = diff === 0 ? "0" : (diff > 0 ? "+" : "−") + fmt.format(Math.abs(diff));
        diffCell.classList.toggle("text-danger", diff !== 0);
        diffCell.classList.toggle("fw-semibold", diff !== 0);
        diffCell.classList.toggle("text-success", diff === 0);
      }
      if (diff !== 0) mismatch = true;
    });
    var reason = form.querySelector("[data-mismatch]");
    if (reason) {
      var textarea = reason.querySelector("textarea");
      var keep = textarea && textarea.value.trim() !== "";
      reason.hidden = !mismatch && !keep;
    }
  }

  document.querySelectorAll("form[data-allocation]").forEach(function (form) {
    form.addEventListener("input", function () {
      update(form);
    });
    update(form);
  });
})();
