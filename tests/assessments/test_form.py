"""The assessment form: drafts, submitting, locking and the stale-save refusal."""

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.boundfield import BoundWidget
from django.urls import reverse
from django.utils import translation

from assessments.evidence import evidence_attach
from assessments.forms import AssessmentForm, level_definition_id
from assessments.models import Assessment
from assessments.selectors import ratings_with_files, task_texts
from assessments.services import (
    LOCKED,
    STALE_SAVE,
    RatingInput,
    assessment_return,
    assessment_save,
    not_open_message,
)
from assessments.views import DRAFT_SAVED, STALE_AUTOSAVE
from assessments.views_submit import STILL_UNRATED, SUBMITTED
from standards.levels import LEVEL_DEFINITIONS, LEVELS
from standards.levels import own_level_definition as level_definition
from tests.assessments.helpers import all_levels, assign, days_from_today, form_data, ratings

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(standard, alice) -> Assessment:
    return assign(standard, alice)


def pdf_upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def url(assessment: Assessment) -> str:
    return reverse("assessments:form", args=[assessment.pk])


def test_the_form_shows_each_task_with_indicators_outputs_and_required_level(client, assessment):
    client.force_login(assessment.employee.user)

    response = client.get(url(assessment))

    assert response.status_code == 200
    html = response.content.decode()
    first = ratings(assessment)[0]
    task = first.task
    assert f'id="task-{first.pk}"' in html
    assert task.title in html
    assert task.indicators.first().text in html
    assert task.outputs.first().text in html
    assert f'name="level_{first.pk}" value="0"' in html
    assert f'name="level_{first.pk}" value="6"' in html
    assert 'max="20" value="0"' in html
    assert f'name="version" value="{assessment.version}"' in html


def test_every_level_definition_is_readable_in_the_form(client, assessment):
    client.force_login(assessment.employee.user)

    html = client.get(url(assessment)).content.decode()

    with translation.override("zh-hant"):
        for level in LEVELS:
            assert str(LEVEL_DEFINITIONS[level]) in html
        assert str(level_definition(0)) in html


def test_saving_a_draft_keeps_the_answers_and_shows_them_again(client, assessment):
    client.force_login(assessment.employee.user)
    first = ratings(assessment)[0]
    code = first.task.indicators.first().code

    response = client.post(
        url(assessment),
        form_data(assessment, {0: 3, 1: 0}, comments={0: "有紀錄"}, done={0: [code]}),
    )

    assert response.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.stage, assessment.version) == (Assessment.Stage.DRAFT, 1)
    first.refresh_from_db()
    assert (first.self_level, first.comment) == (3, "有紀錄")
    assert first.indicator_checks[code] is True
    page = client.get(response.url)
    html = page.content.decode()
    assert f'name="level_{first.pk}" value="3" id="id_level_{first.pk}_3" checked' in html
    assert 'max="20" value="2"' in html


def test_submitting_with_tasks_unrated_links_to_each_missing_task(client, assessment):
    client.force_login(assessment.employee.user)
    levels = all_levels(assessment, 2)
    del levels[4], levels[9]

    response = client.post(url(assessment), form_data(assessment, levels, action="submit"))

    assert response.status_code == 200
    missing = [r for r in ratings(assessment) if r.order in (4, 9)]
    html = response.content.decode()
    for rating in missing:
        assert f'<a href="#task-{rating.pk}">' in html
        assert f'class="task missing" id="task-{rating.pk}"' in html
    assessment.refresh_from_db()
    assert assessment.stage == Assessment.Stage.DRAFT
    # The draft was saved: the form carries the new version so the next submit works.
    assert f'name="version" value="{assessment.version}"' in html


def submit(client, assessment: Assessment, level: int = 3):
    """Fill in every task at `level`, submit, and confirm on the confirmation page."""
    response = client.post(
        url(assessment), form_data(assessment, all_levels(assessment, level), action="submit")
    )
    assessment.refresh_from_db()
    return client.post(response.url, {"version": assessment.version, "confirm": "1"})


def test_submitting_asks_first_and_keeps_the_answers_as_a_draft(client, assessment):
    client.force_login(assessment.employee.user)

    response = client.post(
        url(assessment), form_data(assessment, all_levels(assessment, 3), action="submit")
    )

    assert response.status_code == 302
    assert response.url == reverse("assessments:submit", args=[assessment.pk])
    assessment.refresh_from_db()
    assert (assessment.stage, assessment.version) == (Assessment.Stage.DRAFT, 1)
    page = client.get(response.url)
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("<tr data-task=") == 20
    assert 'name="confirm"' in html
    assert f'name="version" value="{assessment.version}"' in html
    assert reverse("assessments:form", args=[assessment.pk]) in html


def test_confirming_submits_and_shows_the_result(client, assessment):
    client.force_login(assessment.employee.user)

    response = submit(client, assessment)

    assert response.status_code == 302
    assert response.url == reverse("assessments:result", args=[assessment.pk])
    assessment.refresh_from_db()
    assert assessment.is_submitted
    assert client.get(url(assessment)).url == response.url
    with translation.override("zh-hant"):
        assert str(SUBMITTED) in client.get(response.url).content.decode()


def test_answers_saved_after_the_confirmation_page_was_opened_are_not_submitted_unseen(
    client, assessment
):
    client.force_login(assessment.employee.user)
    client.post(url(assessment), form_data(assessment, all_levels(assessment, 3), action="submit"))
    assessment.refresh_from_db()
    seen = assessment.version
    # Another tab changes an answer meanwhile.
    client.post(url(assessment), form_data(assessment, all_levels(assessment, 1)))

    response = client.post(
        reverse("assessments:submit", args=[assessment.pk]),
        {"version": seen, "confirm": "1"},
        follow=True,
    )

    assessment.refresh_from_db()
    assert not assessment.is_submitted
    assert response.redirect_chain[-1][0] == url(assessment)
    with translation.override("zh-hant"):
        assert str(STALE_SAVE) in response.content.decode()


@pytest.mark.parametrize("version", ["", "abc", "-1", "9" * 30])
def test_a_forged_confirmation_submits_nothing(client, assessment, version):
    client.force_login(assessment.employee.user)
    client.post(url(assessment), form_data(assessment, all_levels(assessment, 3), action="submit"))

    response = client.post(
        reverse("assessments:submit", args=[assessment.pk]),
        {"version": version, "confirm": "1"},
        follow=True,
    )

    assessment.refresh_from_db()
    assert not assessment.is_submitted
    assert response.status_code == 200


def test_the_confirmation_of_an_unfinished_draft_goes_back_to_the_form(client, assessment):
    client.force_login(assessment.employee.user)
    client.post(url(assessment), form_data(assessment, {0: 3}))
    assessment.refresh_from_db()
    confirm = reverse("assessments:submit", args=[assessment.pk])

    response = client.post(confirm, {"version": assessment.version, "confirm": "1"}, follow=True)

    assert response.redirect_chain[-1][0] == url(assessment)
    assessment.refresh_from_db()
    assert not assessment.is_submitted
    with translation.override("zh-hant"):
        assert str(STILL_UNRATED) in response.content.decode()


def test_saving_a_draft_returns_to_the_task_being_answered(client, assessment):
    client.force_login(assessment.employee.user)
    seventh = ratings(assessment)[6]
    data = form_data(assessment, {6: 2})
    data["anchor"] = f"task-{seventh.pk}"

    response = client.post(url(assessment), data)

    assert response.url == f"{url(assessment)}#task-{seventh.pk}"
    page = client.get(response.url).content.decode()
    with translation.override("zh-hant"):
        assert f'<li class="message success">{DRAFT_SAVED}</li>' in page
    assert '<div class="messages" role="status"' in page


@pytest.mark.parametrize("anchor", ["", "task-999999", "duty-T1", "javascript:alert(1)", "#x"])
def test_a_forged_anchor_returns_to_the_progress_bar(client, assessment, anchor):
    client.force_login(assessment.employee.user)
    data = form_data(assessment, {0: 2})
    data["anchor"] = anchor

    assert client.post(url(assessment), data).url == f"{url(assessment)}#progress"


def test_an_autosave_answers_with_the_new_version(client, assessment):
    client.force_login(assessment.employee.user)
    data = form_data(assessment, {0: 4}, comments={0: "寫到一半"})
    del data["save"]
    data["autosave"] = "1"

    response = client.post(url(assessment), data)

    assert response.status_code == 200
    body = response.json()
    assessment.refresh_from_db()
    assert body["saved"] is True
    assert body["version"] == assessment.version == 1
    assert ratings(assessment)[0].comment == "寫到一半"
    # The next autosave, on the version it was given, is accepted too.
    data["version"] = str(body["version"])
    assert client.post(url(assessment), data).json()["version"] == 2


def test_an_autosave_on_a_stale_version_is_refused_and_changes_nothing(client, assessment):
    client.force_login(assessment.employee.user)
    stale = form_data(assessment, {0: 1})
    stale["autosave"] = "1"
    client.post(url(assessment), form_data(assessment, {0: 5}))

    response = client.post(url(assessment), stale)

    assert response.status_code == 409
    with translation.override("zh-hant"):
        assert response.json() == {"saved": False, "message": str(STALE_AUTOSAVE)}
    assert ratings(assessment)[0].self_level == 5


def test_an_autosave_of_a_submitted_assessment_is_refused(client, assessment):
    client.force_login(assessment.employee.user)
    submit(client, assessment)
    assessment.refresh_from_db()
    data = form_data(assessment, all_levels(assessment, 0))
    data["autosave"] = "1"

    response = client.post(url(assessment), data)

    assert response.status_code == 409
    with translation.override("zh-hant"):
        assert response.json() == {"saved": False, "message": str(LOCKED)}
    assert set(assessment.ratings.values_list("self_level", flat=True)) == {3}


def test_an_unreadable_autosave_saves_nothing(client, assessment):
    client.force_login(assessment.employee.user)
    data = form_data(assessment, {0: 2})
    data[f"level_{ratings(assessment)[1].pk}"] = "9"
    data["autosave"] = "1"

    response = client.post(url(assessment), data)

    assert response.status_code == 400
    assert response.json()["saved"] is False
    assessment.refresh_from_db()
    assert assessment.version == 0


def test_a_submitted_assessment_cannot_be_changed_by_its_employee(client, assessment):
    client.force_login(assessment.employee.user)
    submit(client, assessment)
    assessment.refresh_from_db()

    response = client.post(
        url(assessment),
        form_data(assessment, all_levels(assessment, 0)),
        follow=True,
    )

    assert set(assessment.ratings.values_list("self_level", flat=True)) == {3}
    assert response.redirect_chain[-1][0] == reverse("assessments:result", args=[assessment.pk])
    with translation.override("zh-hant"):
        assert str(LOCKED) in response.content.decode()


def test_a_stale_save_from_another_tab_is_refused_with_a_clear_message(client, assessment):
    client.force_login(assessment.employee.user)
    stale = form_data(assessment, {0: 1}, comments={0: "second tab"})
    client.post(url(assessment), form_data(assessment, {0: 5}))

    response = client.post(url(assessment), stale, follow=True)

    with translation.override("zh-hant"):
        assert str(STALE_SAVE) in response.content.decode()
    first = ratings(assessment)[0]
    assert (first.self_level, first.comment) == (5, "")
    assessment.refresh_from_db()
    assert assessment.version == 1


def test_an_invalid_level_saves_nothing(client, assessment):
    client.force_login(assessment.employee.user)
    data = form_data(assessment, {0: 2})
    data[f"level_{ratings(assessment)[1].pk}"] = "9"

    response = client.post(url(assessment), data)

    assert response.status_code == 200
    assessment.refresh_from_db()
    assert assessment.version == 0
    assert not assessment.ratings.filter(self_level__isnull=False).exists()


@pytest.mark.parametrize("kept", [20, 5])
@pytest.mark.parametrize("files_on", [0, 3])
def test_the_form_costs_the_same_queries_whatever_the_number_of_tasks_and_files(
    client, assessment, django_assert_num_queries, kept, files_on, media_root
):
    assessment.ratings.filter(order__gte=kept).delete()
    for rating in ratings(assessment)[:files_on]:
        evidence_attach(rating=rating, upload=pdf_upload("a.pdf"))
        evidence_attach(rating=rating, upload=pdf_upload("b.pdf"))
    client.force_login(assessment.employee.user)
    # The first view: session, user, the assessment with HR's latest return, marking it
    # opened, ratings, their evidence files (if any), then the standard's indicators and
    # outputs, which are cached for everyone rating themselves against this version.
    with django_assert_num_queries(8 if files_on else 7):
        client.get(url(assessment))
    # session, user, the assessment with HR's latest return and whether it has evidence,
    # ratings, and their evidence files only when there are
    with django_assert_num_queries(5 if files_on else 4):
        response = client.get(url(assessment))
    html = response.content.decode()
    assert html.count('<fieldset class="task') == kept
    assert html.count("<li data-evidence=") == 2 * files_on


def test_each_level_definition_is_printed_once_and_describes_every_radio_of_its_level(
    client, assessment
):
    client.force_login(assessment.employee.user)
    first = ratings(assessment)[0]
    assessment_save(assessment=assessment, version=0, ratings={first.pk: RatingInput(self_level=4)})

    html = client.get(url(assessment)).content.decode()

    with translation.override("zh-hant"):
        for level in range(7):
            definition = str(level_definition(level))
            # The guide, plus the first task's chosen level under its radios.
            assert html.count(definition) == (2 if level == 4 else 1)
            assert f'<dd id="{level_definition_id(level)}">{definition}</dd>' in html
            assert html.count(f'aria-describedby="{level_definition_id(level)}"') == 20


@pytest.fixture
def closed(assessment) -> Assessment:
    """alice's draft in a cycle that closed yesterday."""
    cycle = assessment.cycle
    cycle.opens_on = days_from_today(-30)
    cycle.closes_on = days_from_today(-1)
    cycle.save()
    return assessment


def test_a_closed_cycle_sends_the_form_to_the_result_page_with_why(client, closed):
    client.force_login(closed.employee.user)

    response = client.get(url(closed), follow=True)

    assert response.redirect_chain == [(reverse("assessments:result", args=[closed.pk]), 302)]
    assert response.status_code == 200
    [message] = list(response.context["messages"])
    assert closed.cycle.closes_on.isoformat() in str(message)
    page = response.content.decode()
    assert "data-closed" in page
    assert f'href="{url(closed)}"' not in page  # no "continue the assessment" link


def test_answers_posted_after_the_cycle_closed_change_nothing(client, closed):
    client.force_login(closed.employee.user)

    response = client.post(url(closed), form_data(closed, all_levels(closed, 4), action="submit"))

    assert response.status_code == 302
    closed.refresh_from_db()
    assert (closed.stage, closed.version) == (Assessment.Stage.PENDING, 0)
    assert not closed.ratings.filter(self_level__isnull=False).exists()


@pytest.fixture
def not_open(assessment) -> Assessment:
    """alice's assessment in a cycle that opens next week."""
    cycle = assessment.cycle
    cycle.opens_on = days_from_today(7)
    cycle.closes_on = days_from_today(30)
    cycle.save()
    return assessment


def test_a_cycle_not_open_yet_shows_a_read_only_preview_saying_when_it_opens(client, not_open):
    client.force_login(not_open.employee.user)

    response = client.get(url(not_open))

    assert response.status_code == 200
    assert response.context["preview"] is True
    [message] = list(response.context["messages"])
    assert str(message) == not_open_message(not_open.cycle)
    html = response.content.decode()
    first = ratings(not_open)[0]
    assert first.task.title in html
    assert 'name="submit"' not in html and 'name="save"' not in html
    assert all(field.disabled for field in response.context["form"].fields.values())


def test_answers_posted_before_the_cycle_opens_change_nothing(client, not_open):
    client.force_login(not_open.employee.user)

    response = client.post(
        url(not_open), form_data(not_open, all_levels(not_open, 4), action="submit")
    )

    assert response.status_code == 302
    not_open.refresh_from_db()
    assert (not_open.stage, not_open.version) == (Assessment.Stage.PENDING, 0)
    assert not not_open.ratings.filter(self_level__isnull=False).exists()


def test_a_returned_assessment_shows_the_employee_why_hr_returned_it(client, assessment, hannah):
    assessment_save(
        assessment=assessment,
        version=0,
        ratings={r.pk: RatingInput(self_level=3) for r in ratings(assessment)},
        submit=True,
    )
    assessment_return(assessment=assessment, by=hannah.user, reason="請補上 T1.1 的證據")
    client.force_login(assessment.employee.user)

    response = client.get(url(assessment))

    assert response.status_code == 200
    assert "請補上 T1.1 的證據" in response.content.decode()
    assert response.context["returned"].returned_by == hannah.user


@pytest.mark.parametrize("state", ["unbound", "bound", "disabled", "forged", "invalid"])
def test_the_widgets_built_in_python_are_what_django_renders(assessment, state):
    rows = list(ratings_with_files(assessment))
    texts = task_texts(assessment.standard)
    first = rows[0]
    indicator = texts[first.task_id].indicators[0]
    data = {
        "version": "0",
        f"level_{first.pk}": "9" if state == "forged" else "3",
        f"comment_{first.pk}": '<b>"x" & y</b>\n' * (1001 if state == "invalid" else 1),
        f"done_{first.pk}_{indicator.code}": "on",
    }
    form = AssessmentForm(
        data if state in ("bound", "forged", "invalid") else None,
        initial={"version": 0},
        ratings=rows,
        texts=texts,
        disabled=state == "disabled",
    )
    form.is_valid()
    tasks = [task for duty in form.duties() for task in duty.tasks]

    for task in tasks:
        # Django's own radio inputs, each described by its level's one definition.
        level = form[task.level]
        attrs = {**level.build_widget_attrs({}), "id": level.auto_id}
        radios = forms.RadioSelect(choices=level.field.choices)
        django_inputs = [
            BoundWidget(radios, option, form.renderer)
            .tag()
            .replace(">", f' aria-describedby="{level_definition_id(option["value"])}">')
            for option in radios.subwidgets(level.html_name, level.value(), attrs)
        ]
        # What the page prints (built without the bound field) is the field's own markup.
        ours = form.field_html(task.level)
        assert ours == str(level)
        assert [tag for tag in django_inputs if tag in ours] == django_inputs
        assert ours.count("<input") == len(django_inputs) == 7
        # The same attributes as the field gave its own widget (maxlength, rows).
        comment = form[task.comment]
        textarea = forms.Textarea(attrs=comment.field.widget.attrs)
        assert form.field_html(task.comment) == str(comment) == comment.as_widget(textarea)
        for _indicator, name in task.indicators:
            box = form[name]
            django_box = box.as_widget(forms.CheckboxInput(box.field.widget.attrs))
            assert form.field_html(name) == str(box) == django_box
    first_box = form.field_html(tasks[0].indicators[0][1])
    assert ("checked" in first_box) is (state not in ("unbound", "disabled"))
