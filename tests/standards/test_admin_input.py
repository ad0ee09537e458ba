"""Bad input in the standards admin: odd ids in its URLs, codes the code rules refuse."""

import pytest
from django.urls import reverse

from standards.codes import code_error
from standards.models import BehaviourIndicator, Standard, Task, WorkOutput
from tests.conftest import standard_once_per_module
from tests.factories import sample_standard
from tests.standards.admin_helpers import admin_form_data, inline_prefix

pytestmark = pytest.mark.django_db


# KRM1324-002v1 imported as a draft, once for the module: the tests' edits are refused
# or rolled back.
module_standard, draft = standard_once_per_module(
    "draft", lambda: sample_standard("KRM1324-002v1", publish=False)
)


@pytest.fixture
def hr_client(client, hannah):
    client.force_login(hannah.user)
    return client


def task_url(task: Task) -> str:
    return reverse("admin:standards_task_change", args=[task.pk])


def standard_url(standard: Standard) -> str:
    return reverse("admin:standards_standard_change", args=[standard.pk])


ODD_IDS = ["abc", "1x", "0", "999999", "-1", "1.5", "%20"]
STANDARD_PAGES = ["publish", "next-version", "history", "document.json"]


def standard_page_url(object_id: str, page: str) -> str:
    suffix = page if page.endswith(".json") else f"{page}/"
    return f"/admin/standards/standard/{object_id}/{suffix}"


@pytest.mark.parametrize("page", STANDARD_PAGES)
@pytest.mark.parametrize("object_id", ODD_IDS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_standard_page_with_an_odd_id_answers_404(client, sophie, method, object_id, page):
    client.force_login(sophie.user)

    response = getattr(client, method)(standard_page_url(object_id, page))

    assert response.status_code == 404


@pytest.mark.parametrize("page", STANDARD_PAGES)
def test_a_standard_page_without_an_id_answers_404(client, sophie, page):
    client.force_login(sophie.user)

    response = client.get(standard_page_url("", page))

    assert response.status_code == 404


BAD_CODES = ["K01/2", 'K"01', "K01\nK02", "K\x0701"]


def field_errors(response, prefix: str, field: str) -> list[str]:
    """The errors of `field` on the page's main form ("") or on the inline's first row."""
    if not prefix:
        return response.context["adminform"].form.errors.get(field, [])
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.prefix == prefix:
            return inline.formset.forms[0].errors.get(field, [])
    raise KeyError(prefix)


@pytest.mark.parametrize("bad_code", BAD_CODES)
@pytest.mark.parametrize(
    "page, model_name",
    [
        ("standard", ""),
        ("standard", "duty"),
        ("standard", "knowledgeitem"),
        ("standard", "skillitem"),
        ("standard", "attitude"),
        ("task", ""),
        ("task", "workoutput"),
        ("task", "behaviourindicator"),
    ],
)
def test_a_code_with_a_forbidden_character_is_refused_on_its_field(
    hr_client, draft, page, model_name, bad_code
):
    task = Task.objects.filter(duty__standard=draft, outputs__isnull=False).first()
    url = standard_url(draft) if page == "standard" else task_url(task)
    form_page = hr_client.get(url)
    data = admin_form_data(form_page)
    prefix = inline_prefix(form_page, model_name) if model_name else ""
    key = f"{prefix}-0-code" if prefix else "code"
    # A task code keeps its duty's prefix, so only the forbidden character is wrong.
    data[key] = f"{task.code}{bad_code}" if (page, model_name) == ("task", "") else bad_code

    response = hr_client.post(url, data)

    assert response.status_code == 200
    assert field_errors(response, prefix, "code") == [code_error(data[key].strip())]
    assert not any(bad_code in code for code in draft_codes(draft))


def draft_codes(standard: Standard) -> list[str]:
    tasks = Task.objects.filter(duty__standard=standard)
    return [
        standard.code,
        *standard.duties.values_list("code", flat=True),
        *tasks.values_list("code", flat=True),
        *standard.knowledge_items.values_list("code", flat=True),
        *standard.skill_items.values_list("code", flat=True),
        *standard.attitudes.values_list("code", flat=True),
        *WorkOutput.objects.filter(task__in=tasks).values_list("code", flat=True),
        *BehaviourIndicator.objects.filter(task__in=tasks).values_list("code", flat=True),
    ]


def test_a_duty_code_with_a_slash_is_refused_on_the_duty_page(hr_client, draft):
    duty = draft.duties.order_by("order").first()
    url = reverse("admin:standards_duty_change", args=[duty.pk])
    data = admin_form_data(hr_client.get(url))
    data["code"] = "T1/9"

    response = hr_client.post(url, data)

    assert field_errors(response, "", "code") == [code_error("T1/9")]
    duty.refresh_from_db()
    assert duty.code != "T1/9"


def test_a_knowledge_code_with_a_quote_is_refused_on_its_own_page(hr_client, draft):
    item = draft.knowledge_items.order_by("order").first()
    url = reverse("admin:standards_knowledgeitem_change", args=[item.pk])
    data = admin_form_data(hr_client.get(url))
    data["code"] = "K'01"

    response = hr_client.post(url, data)

    assert field_errors(response, "", "code") == [code_error("K'01")]
    item.refresh_from_db()
    assert item.code != "K'01"
