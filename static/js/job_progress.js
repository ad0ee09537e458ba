// A running job's page asks for the job's state every second and moves its progress bar;
// when the job has finished it reloads once to show the results (no inline script: CSP).
(() => {
  const section = document.querySelector("[data-job-status]");
  if (!section) {
    return;
  }
  const url = section.dataset.jobStatus;
  const bar = section.querySelector("[data-job-bar]");
  const state = section.querySelector("[data-job-state]");
  const steps = section.querySelector("[data-job-steps]");

  async function poll() {
    let status;
    try {
      const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
      if (!response.ok) {
        throw new Error(response.status);
      }
      status = await response.json();
    } catch (error) {
      window.setTimeout(poll, 5000);
      return;
    }
    bar.value = status.percent;
    bar.textContent = `${status.percent}%`;
    state.textContent = status.state_label;
    if (status.total) {
      steps.textContent = `${status.done} / ${status.total}`;
    }
    if (status.finished) {
      window.location.reload();
    } else {
      window.setTimeout(poll, 1000);
    }
  }
  window.setTimeout(poll, 1000);
})();
