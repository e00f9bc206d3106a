// Small progressive enhancements; the pages work without JavaScript.
document.addEventListener("click", (event) => {
  const close = event.target.closest("[data-close-panel]");
  if (close && close.closest("#action-panel")) {
    event.preventDefault();
    close.closest("#action-panel").innerHTML = "";
  }
});
document.addEventListener("htmx:afterSwap", (event) => {
  if (event.target.id === "action-panel") {
    const first = event.target.querySelector("[aria-invalid=true]") ||
      event.target.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
    event.target.scrollIntoView({ behavior: "smooth", block: "start" });
  }
});
// Show the petitioner's identity fields only for named matters, and representatives only for collective ones.
function syncRegisterForm() {
  const anon = document.querySelector("#id_anonymous");
  const collective = document.querySelector("#id_collective");
  const source = document.querySelector("#id_source");
  const toggle = (ids, hidden) => ids.forEach((id) => {
    const el = document.querySelector("#field-" + id);
    if (el) el.classList.toggle("is-hidden", hidden);
  });
  if (anon) toggle(["name", "employee_no", "phone", "id_number", "address"], anon.checked);
  if (collective) toggle(["headcount", "representatives"], !collective.checked);
  if (source) toggle(["forwarded_authority", "forwarded_ref", "forwarded_deadline"], source.value !== "forwarded");
}
document.addEventListener("change", (event) => {
  if (event.target.closest("form.register")) syncRegisterForm();
});
document.addEventListener("DOMContentLoaded", syncRegisterForm);
// A refused htmx request (403: the case moved on in another tab; 404; 409) shows the server's reason
// where the user is looking, instead of nothing; its page is parsed, never inserted as HTML.
function showRequestError(event, title, reason) {
  const list = document.createElement("ul");
  list.className = "messages";
  list.setAttribute("role", "alert");
  const item = document.createElement("li");
  item.className = "msg-error";
  item.textContent = [title, reason].filter(Boolean).join(": ") + " ";
  const reload = document.createElement("a");
  reload.href = window.location.href;
  reload.textContent = document.body.dataset.reloadText || "Reload";
  item.appendChild(reload);
  list.appendChild(item);
  const target = event.detail.target;
  if (target && target.id === "action-panel") {
    target.replaceChildren(list);
  } else {
    const main = document.querySelector("main");
    main.querySelectorAll("ul.messages[role=alert]").forEach((old) => old.remove());
    main.prepend(list);
  }
  list.scrollIntoView({ behavior: "smooth", block: "center" });
}
document.addEventListener("htmx:responseError", (event) => {
  const doc = new DOMParser().parseFromString(event.detail.xhr.responseText || "", "text/html");
  const card = doc.querySelector("main .card") || doc.querySelector("main");
  const title = card && card.querySelector("h1") ? card.querySelector("h1").textContent.trim() : "";
  const reason = card && card.querySelector("p") ? card.querySelector("p").textContent.trim() : "";
  showRequestError(event, title || document.body.dataset.errorText || "", reason);
});
document.addEventListener("htmx:sendError", (event) => {
  showRequestError(event, document.body.dataset.offlineText || "", "");
});
