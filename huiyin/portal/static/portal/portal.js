// Progressive enhancements of the portal; every page works without JavaScript.
(function () {
  "use strict";
  function sync() {
    var anon = document.querySelector("form.p-submit input[name=anonymous]");
    var collective = document.querySelector("form.p-submit input[name=collective]");
    document.querySelectorAll("form.p-submit .p-identity").forEach(function (el) {
      el.classList.toggle("is-hidden", !!(anon && anon.checked));
    });
    var coll = document.getElementById("collective-fields");
    if (coll && collective) coll.classList.toggle("is-hidden", !collective.checked);
  }
  document.addEventListener("change", function (event) {
    if (event.target.closest("form.p-submit")) sync();
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      event.preventDefault();
      window.print();
    }
    var copy = event.target.closest("[data-copy]");
    if (copy && navigator.clipboard) {
      var source = document.querySelector(copy.getAttribute("data-copy"));
      if (source) {
        navigator.clipboard.writeText(source.textContent.trim()).then(function () {
          // Say it was copied, on the button itself (read out by screen readers through aria-live).
          var label = copy.getAttribute("data-copied");
          if (!label) return;
          if (!copy.hasAttribute("data-label")) copy.setAttribute("data-label", copy.textContent);
          copy.textContent = label;
          setTimeout(function () { copy.textContent = copy.getAttribute("data-label"); }, 2000);
        });
      }
    }
  });
  // A submit button pressed twice sends one request; the idempotency key covers the rest.
  document.addEventListener("submit", function (event) {
    var button = event.target.querySelector("button[type=submit]");
    if (button) setTimeout(function () { button.disabled = true; }, 0);
  });
  // A page restored from the back-forward cache keeps the button disabled above: enable it again.
  // Pressing it then resends the same idempotency key, which answers "already submitted".
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("button[type=submit][disabled]").forEach(function (button) {
      button.disabled = false;
    });
  });
  document.addEventListener("DOMContentLoaded", sync);
})();
