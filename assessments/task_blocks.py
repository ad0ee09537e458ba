"""The self-assessment form's task blocks: rendered once per published version and
language, with what is one person's filled in per request.

A 30-task form is some 3,000 template nodes, the same for everyone rating themselves
against a version except for a few places per task (the answers, the ids, the errors).
Those places are slots: the block is rendered from `assessments/_task.html` with a marker
in each, cut at the markers, cached (`standards.caching.cached`, shared by every server),
and joined per person with the markup of that person's fields. A marker is a NUL
character around the slot's name: NUL never reaches a stored text or a form (the
portal refuses it at the door), so it cannot come from the standard's texts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from html import escape
from typing import TYPE_CHECKING

from django.template.loader import get_template, render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from standards.caching import cached

from .selectors import NO_TEXTS, TaskTexts

if TYPE_CHECKING:
    from standards.models import Standard

    from .forms import AssessmentForm, TaskFields

TEMPLATE = "assessments/_task.html"
MARK = "\x00"
CHOOSE_LEVEL = _("Choose your level for this task.")
NO_FILES = _("No files.")
ATTACH = _("Attach or delete files")

# The parts of a block: its text at even places, a slot's name at odd ones.
Parts = tuple[str, ...]


class _Slots(Mapping):
    """What `slot.<name>` gives in the block's template: the marker of that slot."""

    def __getitem__(self, name: str) -> SafeString:
        return mark_safe(f"{MARK}{name}{MARK}")  # noqa: S308 - a marker, cut out below

    def __iter__(self):  # noqa: ANN204 - a template never lists the slots
        return iter(())

    def __len__(self) -> int:
        return 0


def _template_digest() -> str:
    """The block template's own digest, so a block cached by an older release is never
    joined by a newer one (a shared cache outlives an upgrade)."""
    if not hasattr(_template_digest, "value"):
        source = get_template(TEMPLATE).template.source
        _template_digest.value = hashlib.sha256(source.encode()).hexdigest()[:12]
    return _template_digest.value


def render_block(texts: TaskTexts) -> Parts:
    """A task's block with its slots marked, cut into parts."""
    slots = _Slots()
    html = render_to_string(
        TEMPLATE,
        {
            "task": texts,
            "indicators": [
                (indicator, slots[f"done:{indicator.code}"]) for indicator in texts.indicators
            ],
            "slot": slots,
        },
    )
    return tuple(html.split(MARK))


def task_blocks(standard: Standard, texts: dict[int, TaskTexts]) -> dict[int | None, Parts]:
    """Every task's block of `standard` by task id (None: a task with no indicators or
    outputs), in the active language; cached for a published version."""

    def render() -> dict[int | None, Parts]:
        blocks: dict[int | None, Parts] = {None: render_block(NO_TEXTS)}
        blocks.update((task_id, render_block(task_texts)) for task_id, task_texts in texts.items())
        return blocks

    if not standard.is_locked:
        return render()
    key = (
        f"assessment-form:task-blocks:{standard.pk}:{standard.content_digest}:"
        f"{get_language()}:{_template_digest()}"
    )
    return cached(key, render)


class FormTasks:
    """The tasks of one person's form, each joined from its block (one per request)."""

    def __init__(
        self, standard: Standard, form: AssessmentForm, *, evidence_url: str, preview: bool
    ) -> None:
        self.form = form
        self.blocks = task_blocks(standard, form.texts)
        self.evidence_url = escape(evidence_url)
        self.preview = preview
        # The same for every task: translated once.
        self.no_files = f'<span class="muted">{escape(gettext(NO_FILES))}</span>'
        self.attach = escape(gettext(ATTACH))
        self.choose_level = escape(gettext(CHOOSE_LEVEL))

    def html(self, tasks: list[TaskFields]) -> SafeString:
        """The tasks' markup: each one's block with this person's answers in its slots."""
        return SafeString(  # rendered by the template engine or escaped below
            "".join(
                join_block(
                    self.blocks.get(task.rating.task_id, self.blocks[None]), self.slot_values(task)
                )
                for task in tasks
            )
        )

    def slot_values(self, task: TaskFields) -> dict[str, str]:
        """The markup of one person's task in each slot of its block, everything escaped."""
        form, rating = self.form, task.rating
        pk = str(rating.pk)
        files = rating.files
        values = {
            "pk": pk,
            "missing_class": " missing" if task.missing else "",
            "missing_error": (
                f'<p class="error-text" id="task-{pk}-error">{self.choose_level}</p>'
                if task.missing
                else ""
            ),
            "task_code": escape(rating.task_code),
            "task_title": escape(rating.task_title),
            "required_level": str(rating.required_level),
            "level_described": f' aria-describedby="task-{pk}-error"' if task.missing else "",
            "level": form.field_html(task.level),
            "level_errors": form.field_errors(task.level),
            "chosen_definition": escape(str(task.chosen_definition)),
            "comment_id": escape(form.auto_id % task.comment),
            "comment": form.field_html(task.comment),
            "comment_errors": form.field_errors(task.comment),
            "evidence_files": (
                render_to_string(
                    "assessments/_evidence_files.html", {"files": files, "deletable": False}
                )
                if files
                else self.no_files
            ),
            "evidence_link": (
                ""
                if self.preview
                else f'<p><a href="{self.evidence_url}?task={pk}#upload">{self.attach}</a></p>'
            ),
        }
        for indicator, checkbox in task.indicators:
            values[f"done:{indicator.code}"] = form.field_html(checkbox)
        return values


def join_block(parts: Parts, values: dict[str, str]) -> SafeString:
    """A block with every slot filled: the parts' text as rendered, the values as given
    (`slot_values` escapes them)."""
    return SafeString(  # rendered by the template engine or escaped above
        "".join(values[part] if index % 2 else part for index, part in enumerate(parts))
    )
