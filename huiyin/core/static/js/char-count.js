// A live count beside each text area with a length limit (the staff and portal layouts load this file; pages
// work without it). The limit is data-max-chars, set by huiyin.core.forms.CountedTextarea instead of maxlength,
// which would cut pasted text without a word. Past the limit the count turns into an error; the server
// refuses the text with its own message and shows it again as typed, so nothing is lost.
(function () {
  "use strict";
  var PAUSE_MS = 800;

  // Characters as the server counts them: code points (a rare CJK character outside the BMP is one, not two),
  // leading and trailing white space left out; a line break is one.
  function length(text) {
    return Array.from(text.trim()).length;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  function describe(element, id) {
    var ids = (element.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    if (ids.indexOf(id) < 0) ids.push(id);
    element.setAttribute("aria-describedby", ids.join(" "));
  }

  function update(area, announce) {
    var limit = parseInt(area.dataset.maxChars, 10);
    var count = length(area.value);
    var over = count - limit;
    var text = over > 0
      ? fill(area.dataset.overText || "{count} / {limit}", { count: count, limit: limit, over: over })
      : fill(area.dataset.countText || "{count} / {limit}", { count: count, limit: limit });
    var shown = area._charCount;
    shown.textContent = text;
    shown.classList.toggle("is-over", over > 0);
    area.classList.toggle("is-over", over > 0);
    if (announce) {
      // Read out once typing pauses, not at every key (the visible count is not a live region).
      clearTimeout(area._charCountTimer);
      area._charCountTimer = setTimeout(function () {
        area._charCountLive.textContent = text;
      }, PAUSE_MS);
    }
  }

  function attach(area) {
    if (area._charCount || !area.id || !(parseInt(area.dataset.maxChars, 10) > 0)) return;
    var shown = document.createElement("small");
    shown.className = "char-count";
    shown.id = area.id + "_count";
    var live = document.createElement("span");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    area._charCount = shown;
    area._charCountLive = live;
    area.insertAdjacentElement("afterend", shown);
    shown.insertAdjacentElement("afterend", live);
    describe(area, shown.id);
    update(area, false);
  }

  function attachAll(root) {
    (root || document).querySelectorAll("textarea[data-max-chars]").forEach(attach);
  }

  document.addEventListener("input", function (event) {
    var area = event.target;
    if (area.matches && area.matches("textarea[data-max-chars]")) {
      attach(area);
      update(area, true);
    }
  });
  document.addEventListener("DOMContentLoaded", function () { attachAll(document); });
  // Forms that htmx brings in (the case page's action panel) get their count too.
  document.addEventListener("htmx:load", function (event) { attachAll(event.target); });
})();
