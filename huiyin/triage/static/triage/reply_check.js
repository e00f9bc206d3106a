// Live reply check on the case page: while the reply form is open, the draft is checked as it is typed
// and the result shown in the "Reply check" panel. The check on submit does not depend on this script.
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
        if (html !== null) panel.querySelector("#reply-check-result").innerHTML = html;
      })
      .catch(() => {});
  }
  document.addEventListener("input", (event) => {
    const textarea = event.target;
    if (!(textarea instanceof HTMLTextAreaElement) || textarea.name !== "text" || !textarea.form) return;
    if (!/\/do\/(reply|draft_reply|sign_off)\/$/.test(textarea.form.getAttribute("action") || "")) return;
    clearTimeout(timer);
    timer = setTimeout(() => check(textarea), 600);
  });
})();
