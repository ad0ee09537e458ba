// The "select all" box of django-import-export's export page, bound here rather than
// by an inline onchange attribute, which the Content Security Policy refuses.
document.addEventListener("change", (event) => {
  if (event.target.matches("input.select-toggle")) {
    onSelectToggleChange(event);
  }
});
