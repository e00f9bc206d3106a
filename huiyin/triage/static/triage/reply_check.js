// Live reply check on the case page: while the reply form is open, the draft is checked as it is typed
// and the result shown right under the text (the "Reply check" panel in the side column may be a long
// scroll away, on a phone many screens) and in that panel. The check on submit does not depend on this script.
(() => {
  let timer = null;
  let last = null;
  function check(textarea) {
    const panel = document.getElementById("triage-reply-check");
    if (!panel || textarea.value === last) return;
    last = textarea.value;
    const token = textarea.form.querySelector("input[name=csrfmiddlewaretoken]");
    const body = new FormData();
    body.append("text", textarea.value);
    fetch(panel.dataset.url, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "", "HX-Request": "true" },
    })
      .then((response) => (response.ok ? response.text() : null))
      .then((html) => {
        if (html === null) return;
        panel.querySelector("#reply-check-result").innerHTML = html;
        inlineBox(textarea).innerHTML = html;
      })
      .catch(() => {});
  }
  // The result under the text of the open form; made again when the form is (the form is swapped in).
  function inlineBox(textarea) {
    let box = textarea.form.querySelector(".reply-check-inline");
    if (!box) {
      box = document.createElement("div");
      box.className = "reply-check-inline";
      box.setAttribute("aria-live", "polite");
      const field = textarea.closest(".field") || textarea;
      field.insertAdjacentElement("afterend", box);
    }
    return box;
  }
  function replyText(target) {
    if (!(target instanceof HTMLTextAreaElement) || target.name !== "text" || !target.form) return null;
    return /\/do\/(reply|draft_reply|sign_off)\/$/.test(target.form.getAttribute("action") || "") ? target : null;
  }
  document.addEventListener("input", (event) => {
    const textarea = replyText(event.target);
    if (!textarea) return;
    clearTimeout(timer);
    timer = setTimeout(() => check(textarea), 600);
  });
  // A draft opened for sign-off or editing already has text: check it when the reader enters it.
  document.addEventListener("focusin", (event) => {
    const textarea = replyText(event.target);
    if (textarea && textarea.value.trim() && !textarea.form.querySelector(".reply-check-inline")) {
      last = null;
      check(textarea);
    }
  });
})();
