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

  // A link to a task (e.g. from the list of unrated tasks) opens its folded duty; a
  // task's link to the level guide opens the guide.
  function openTarget() {
    var target = location.hash && document.getElementById(location.hash.slice(1));
    var folded = target && (target.matches("details") ? target : target.closest("details.duty"));
    if (folded && !folded.open) {
      folded.open = true;
      target.scrollIntoView();
    }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();

  // Each level's definition is printed once, in the level guide that every radio button
  // names as its description; hovering a level shows it too.
  function definitionOf(input) {
    var entry = document.getElementById(input.getAttribute("aria-describedby"));
    return entry ? entry.textContent : "";
  }
  form.addEventListener("mouseover", function (event) {
    var label = event.target.closest("label.level-choice");
    var input = label && label.querySelector("input");
    if (input && !label.title) label.title = definitionOf(input);
  });

  form.addEventListener("change", function (event) {
    var input = event.target;
    if (input.type !== "radio") return;
    var shown = input.closest(".own-level").querySelector("[data-chosen-definition]");
    if (shown) shown.textContent = definitionOf(input);
    var task = input.closest("[data-task]");
    if (task) task.classList.remove("missing");
    updateProgress();
  });
})();
