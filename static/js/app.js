// Behaviour shared by every page. No inline scripts anywhere (Content Security Policy): pages
// declare what they need with data- attributes and JSON data blocks.
(function () {
  "use strict";

  // <form data-confirm="Bạn chắc chắn?"> or <button data-confirm="..."> asks before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var message = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  // The error summary of a failed save (templates/core/_error_summary.html) takes the focus, so a
  // phone shows it and a screen reader reads it; each of its links puts the cursor in its field
  // with the field's label in view.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (summary && document.activeElement !== summary) summary.focus();
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) return;
    var field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field) return;
    event.preventDefault();
    var label = document.querySelector("label[for='" + field.id + "']");
    (label || field).scrollIntoView({ block: "center" });
    field.focus({ preventScroll: true });
  });

  // <select data-autosubmit> submits its form when changed (filters, pickers).
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("[data-autosubmit]") && el.form) {
      el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit();
    }
  });

  // <a data-unfold> in a [data-fold] block shows its folded rows ([data-empty-unit]) in place; without
  // script the link reloads the page with ?all=1.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-unfold]");
    var block = link && link.closest("[data-fold]");
    if (!block) return;
    event.preventDefault();
    block.querySelectorAll("[data-empty-unit]").forEach(function (row) {
      row.hidden = false;
    });
    link.closest("[data-fold-toggle]").remove();
  });

  // <canvas data-chart="id-of-json-script"> draws a Chart.js chart from a json_script block.
  function drawCharts(root) {
    if (typeof window.Chart === "undefined") return;
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.dataset.drawn) return;
      var source = document.getElementById(canvas.dataset.chart);
      if (!source) return;
      var config = JSON.parse(source.textContent);
      // Vietnamese number format on axes and tooltips: 1.458 and 6,79.
      var fmt = new Intl.NumberFormat(document.documentElement.lang === "en" ? "en-US" : "vi-VN", {
        maximumFractionDigits: 2,
      });
      config.options = config.options || {};
      config.options.locale = document.documentElement.lang === "en" ? "en-US" : "vi-VN";
      config.options.maintainAspectRatio = false;
      config.options.onClick = function (evt, elements) {
        var links = config.links || [];
        if (elements.length && links[elements[0].index]) {
          window.location.href = links[elements[0].index];
        }
      };
      config.options.scales = config.options.scales || {};
      Object.keys(config.options.scales).forEach(function (axis) {
        var ticks = (config.options.scales[axis].ticks = config.options.scales[axis].ticks || {});
        if (!ticks.callback && config.options.scales[axis].type !== "category") {
          ticks.callback = function (value) {
            return typeof value === "number" ? fmt.format(value) : value;
          };
        }
      });
      new window.Chart(canvas, config);
      canvas.dataset.drawn = "1";
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    drawCharts(document);
  });
  document.body.addEventListener("htmx:afterSettle", function (event) {
    drawCharts(event.target);
  });

  // A table wider than its .table-responsive box scrolls sideways: keyboard users reach it with
  // Tab and scroll it with the arrow keys (WCAG 2.1.1; axe-core's scrollable-region-focusable).
  function focusableScrollers(root) {
    root.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth) {
        if (!box.hasAttribute("tabindex")) box.setAttribute("tabindex", "0");
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    focusableScrollers(document);
  });
  document.body.addEventListener("htmx:afterSettle", function () {
    focusableScrollers(document);
  });
  window.addEventListener("resize", function () {
    focusableScrollers(document);
  });
})();
