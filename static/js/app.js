// Small progressive enhancements; every page works without them.
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el.matches("select[data-autosubmit]")) {
    el.form.requestSubmit();
  }
});
document.querySelectorAll("[data-autosubmit-button]").forEach((button) => {
  button.classList.add("visually-hidden");
});
// A form that autosaves (hx-post on the form) stops autosaving once it is submitted: a save
// still waiting for its delay would otherwise answer "Draft saved" over a report just handed in.
document.addEventListener("submit", (event) => {
  if (event.target.matches("form[hx-post]")) {
    event.target.dataset.submitting = "true";
  }
});
document.addEventListener("htmx:confirm", (event) => {
  const form = event.target.closest("form[hx-post]");
  if (form && form.dataset.submitting) {
    event.preventDefault();
  }
});
document.addEventListener("htmx:beforeSwap", (event) => {
  const form = event.detail.elt && event.detail.elt.closest("form[hx-post]");
  if (form && form.dataset.submitting) {
    event.detail.shouldSwap = false;
  }
});
