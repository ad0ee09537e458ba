// The assessment form: live progress count and the chosen level's definition.
// The page works without it; the server renders both as saved.
(function () {
  "use strict";
  var form = document.querySelector("[data-assessment-form]");
  if (!form) return;
  var tasks = form.querySelectorAll("[data-task]");
  var bar = form.querySelector("[data-progress-bar]");
  var text = form.querySelector("[data-progress-text]");

  function updateProgress() {
    var rated = 0;
    tasks.forEach(function (task) {
      if (task.querySelector(".level-choices input:checked")) rated += 1;
    });
    bar.value = rated;
    text.textContent = text.dataset.template
      .replace("__rated__", rated)
      .replace("__total__", tasks.length);
  }

  // A link to a task (e.g. from the list of unrated tasks) opens its folded duty.
  function openTarget() {
    var target = location.hash && document.getElementById(location.hash.slice(1));
    var duty = target && target.closest("details.duty");
    if (duty && !duty.open) {
      duty.open = true;
      target.scrollIntoView();
    }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();

  form.addEventListener("change", function (event) {
    var input = event.target;
    if (input.type !== "radio") return;
    var choice = input.closest("[data-definition]");
    var shown = input.closest(".own-level").querySelector("[data-chosen-definition]");
    if (choice && shown) shown.textContent = choice.dataset.definition;
    var task = input.closest("[data-task]");
    if (task) task.classList.remove("missing");
    updateProgress();
  });
})();
