// The assessment form's drafts: remember the task being answered (so that saving a
// draft comes back to it), save a draft by itself at most AUTOSAVE seconds after a
// change, and warn before leaving with answers not saved. Without this script the
// form still saves and submits; the server keeps the stale-save refusal either way.
(function () {
  "use strict";
  var form = document.querySelector("[data-assessment-form]");
  if (!form || !form.querySelector("button[name=save]")) return;
  var version = form.querySelector("input[name=version]");
  var anchor = form.querySelector("[data-anchor]");
  var status = form.querySelector("[data-autosave-status]");
  var delay = (Number(form.dataset.autosaveSeconds) || 30) * 1000;
  var changes = 0; // answers changed since the page loaded
  var savedChanges = 0; // how many of them the server has
  var timer = null;
  var saving = null; // the autosave under way, if any
  var stopped = false; // the server refused a save: saving again would not help
  var pendingSubmit = null;

  function unsaved() {
    return changes > savedChanges;
  }

  function show(text, isError) {
    status.textContent = text;
    status.classList.toggle("error", Boolean(isError));
  }

  function autosave() {
    timer = null;
    if (stopped || saving || !unsaved()) return;
    var sending = changes;
    var data = new FormData(form);
    data.append("autosave", "1");
    saving = fetch(form.action || window.location.href, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().then(function (body) {
          if (response.ok && body.saved) {
            version.value = body.version;
            savedChanges = sending;
            show(body.message, false);
          } else {
            // Stale, locked or closed: reloading shows why; nothing more is sent.
            stopped = true;
            show(body.message || form.dataset.autosaveFailed, true);
          }
        });
      })
      .catch(function () {
        show(form.dataset.autosaveFailed, true);
      })
      .then(function () {
        saving = null;
        if (pendingSubmit) {
          var submitter = pendingSubmit;
          pendingSubmit = null;
          form.requestSubmit(submitter);
        } else if (unsaved() && !stopped && !timer) {
          timer = window.setTimeout(autosave, delay);
        }
      });
  }

  function changed(event) {
    if (event.target === anchor || !event.target.name) return;
    changes += 1;
    if (!timer && !stopped) timer = window.setTimeout(autosave, delay);
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);

  // The task answered last: saving the draft returns to it.
  form.addEventListener("focusin", function (event) {
    var task = event.target.closest("[data-task]");
    if (task) anchor.value = task.id;
  });

  form.addEventListener("submit", function (event) {
    if (saving) {
      // Wait for the autosave, so that this save carries the version it produced.
      event.preventDefault();
      pendingSubmit = event.submitter;
      return;
    }
    if (timer) window.clearTimeout(timer);
    timer = null;
    savedChanges = changes; // the form itself carries them now: no warning
  });

  window.addEventListener("beforeunload", function (event) {
    if (!unsaved()) return;
    event.preventDefault();
    event.returnValue = form.dataset.leaveWarning; // older browsers show nothing else
  });
})();
