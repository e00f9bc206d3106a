// Field errors on the staff site and the portal (both layouts load this file; pages work without it).
(function () {
  "use strict";
  // Remove one id from an element's aria-describedby (the attribute goes when nothing is left).
  function dropDescription(element, id) {
    var ids = (element.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (x) {
      return x && x !== id;
    });
    if (ids.length) element.setAttribute("aria-describedby", ids.join(" "));
    else element.removeAttribute("aria-describedby");
  }
  // A field in error that the user changes no longer shows the error it had: the server checks it again.
  // The field is a staff form's wrapper, a portal field's, or the fieldset of a choice (the type of matter).
  function clearError(event) {
    var field = event.target.closest(".field.has-error, .p-field.has-error, fieldset.has-error");
    if (!field) return;
    field.classList.remove("has-error");
    field.querySelectorAll("[aria-invalid]").forEach(function (input) {
      input.removeAttribute("aria-invalid");
      input.classList.remove("p-invalid");
      if (input.id) dropDescription(input, input.id + "_error");
    });
    field.querySelectorAll("[role=alert]").forEach(function (error) { error.remove(); });
  }
  document.addEventListener("input", clearError);
  document.addEventListener("change", clearError);
  // After a refused form, the first field in error has the focus, so its error is read out with it.
  document.addEventListener("DOMContentLoaded", function () {
    var invalid = document.querySelector("main [aria-invalid=true]");
    if (invalid) invalid.focus();
  });
})();
