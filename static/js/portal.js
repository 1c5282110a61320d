// Small progressive enhancements; every page works without this file.
// A table or box that scrolls in place (phones) can be reached and scrolled with the keyboard.
function focusableScrollers() {
  document.querySelectorAll("table.data, .table-scroll, .precheck-scroll").forEach((box) => {
    const scrolls = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
    if (scrolls && !box.hasAttribute("tabindex")) box.setAttribute("tabindex", "0");
    if (!scrolls && box.getAttribute("tabindex") === "0" && box.dataset.scrollFocus !== "kept") box.removeAttribute("tabindex");
  });
}
window.addEventListener("resize", focusableScrollers);
document.addEventListener("DOMContentLoaded", () => {
  focusableScrollers();
  // Move focus to the first error so keyboard and screen-reader users land on what needs fixing.
  const firstError = document.querySelector(".has-error input, .has-error select, .has-error textarea");
  if (firstError) firstError.focus();
  // After an upload the address names the message in its row, which the browser focuses; this is for a page reached
  // with the message but without that anchor.
  const rowFeedback = document.querySelector(".row-feedback");
  if (rowFeedback && !firstError) rowFeedback.focus();
  // Forms marked data-confirm ask before an irreversible action.
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
  // Forms marked data-busy say that a long action is running (and cannot be sent twice) until the next page comes.
  document.querySelectorAll("form[data-busy]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (event.defaultPrevented) return;
      form.setAttribute("aria-busy", "true");
      const status = document.createElement("span");
      status.className = "busy-status";
      status.setAttribute("role", "status");
      status.textContent = form.dataset.busy;
      form.append(status);
      window.setTimeout(() => form.querySelectorAll("button[type=submit]").forEach((b) => { b.disabled = true; }), 0);
    });
  });
  // Buttons marked data-confirm ask too (a form with a reversible and an irreversible button).
  document.querySelectorAll("button[data-confirm]").forEach((button) => {
    button.addEventListener("click", (event) => {
      if (!window.confirm(button.dataset.confirm)) event.preventDefault();
    });
  });
});
