// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the first error so keyboard and screen-reader users land on what needs fixing.
  const firstError = document.querySelector(".has-error input, .has-error select, .has-error textarea");
  if (firstError) firstError.focus();
  // Forms marked data-confirm ask before an irreversible action.
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
  // Buttons marked data-confirm ask too (a form with a reversible and an irreversible button).
  document.querySelectorAll("button[data-confirm]").forEach((button) => {
    button.addEventListener("click", (event) => {
      if (!window.confirm(button.dataset.confirm)) event.preventDefault();
    });
  });
});
