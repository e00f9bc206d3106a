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
    const first = event.target.querySelector("input:not([type=hidden]), select, textarea");
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
