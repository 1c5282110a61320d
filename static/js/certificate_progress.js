// The progress bar of a certificate batch: polls the batch's JSON every two seconds until every PDF is rendered,
// then reloads the page once so that the download links appear. Without JavaScript the page still works (reload it).
document.addEventListener("DOMContentLoaded", () => {
  const section = document.getElementById("pdf-progress");
  if (!section || section.dataset.done === "true") return;
  const bar = document.getElementById("pdf-progress-bar");
  const text = document.getElementById("pdf-progress-text");
  const url = section.dataset.progressUrl;
  const show = (state) => {
    bar.max = state.total;
    bar.value = state.rendered;
    bar.textContent = `${state.percent}%`;
    text.textContent = state.done
      ? text.dataset.doneText
      : text.dataset.runningText.replace("{rendered}", state.rendered).replace("{total}", state.total);
  };
  const poll = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (response.ok) {
        const state = await response.json();
        show(state);
        if (state.done) {
          section.dataset.done = "true";
          const help = document.getElementById("pdf-progress-help");
          if (help) help.hidden = true;
          window.setTimeout(() => window.location.reload(), 800);
          return;
        }
      }
    } catch (error) {
      // a dropped request: try again at the next tick
    }
    window.setTimeout(poll, 2000);
  };
  window.setTimeout(poll, 1000);
});
