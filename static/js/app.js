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
