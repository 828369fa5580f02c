// Household and assessment forms. No inline scripts (Content Security Policy): behaviour hangs on
// data- attributes.
(function () {
  "use strict";

  // Members formset: <section data-formset="prefix"> with a <template data-formset-template> of an
  // empty form (prefix __prefix__) and a [data-formset-add] button that appends a copy.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-formset-add]");
    if (!button) return;
    var section = button.closest("[data-formset]");
    var prefix = section.dataset.formset;
    var total = section.querySelector("#id_" + prefix + "-TOTAL_FORMS");
    var template = section.querySelector("template[data-formset-template]");
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var form = holder.firstElementChild;
    section.querySelector("[data-formset-forms]").appendChild(form);
    total.value = String(index + 1);
    var first = form.querySelector("input[type=text], input:not([type]), select");
    if (first) first.focus();
  });
})();

// Assessment form: the income box typed in last (data-income-basis="annual" or "per_capita") is
// the figure the other one is computed from; the hidden [data-income-basis-field] tells the server.
// Registered on the document, so it runs before htmx's delayed preview request reads the form.
document.addEventListener("input", function (event) {
  var el = event.target;
  var basis = el.dataset && el.dataset.incomeBasis;
  if (!basis || !el.form) return;
  var field = el.form.querySelector("[data-income-basis-field]");
  if (field) field.value = basis;
});

// The live preview's verdict on the income typed (letters, a negative sum) is also shown at the
// income field, as a save would show it: the message under the field (the id Django's
// aria-describedby names, {id}_error), the field marked invalid. The preview
// (templates/households/_classification.html) sends one item per income box: its id and the
// message, empty when the figure is right.
document.body.addEventListener("htmx:afterSwap", function (event) {
  if (!event.detail.target || event.detail.target.id !== "classification") return;
  var source = document.getElementById("income-errors");
  if (!source) return;
  source.querySelectorAll("li[data-field]").forEach(function (item) {
    var id = item.dataset.field;
    var input = document.getElementById(id);
    if (!input) return;
    var message = item.textContent;
    var feedbackId = id + "_error";
    var feedback = document.getElementById(feedbackId);
    var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (token) {
      return token && token !== feedbackId;
    });
    if (message) {
      if (!feedback) {
        feedback = document.createElement("div");
        feedback.id = feedbackId;
        feedback.className = "invalid-feedback";
        input.insertAdjacentElement("afterend", feedback);
      }
      feedback.textContent = message;
      input.classList.add("is-invalid");
      input.setAttribute("aria-invalid", "true");
      described.push(feedbackId);
    } else {
      if (feedback) feedback.remove();
      input.classList.remove("is-invalid");
      input.removeAttribute("aria-invalid");
    }
    if (described.length) input.setAttribute("aria-describedby", described.join(" "));
    else input.removeAttribute("aria-describedby");
  });
});

// <select data-navigate> whose option values are addresses: opens the chosen page.
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el.matches && el.matches("select[data-navigate]") && el.value) {
    window.location.assign(el.value);
  }
});
