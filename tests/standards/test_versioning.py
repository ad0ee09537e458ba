"""Versions: a draft copy of a published version, and publishing it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from standards.models import BehaviourIndicator, KnowledgeItem, Standard, Task
from standards.services import standard_export
from standards.versioning import (
    ALREADY_PUBLISHED,
    NEWER_VERSION_EXISTS,
    NOT_PUBLISHED,
    standard_create_next_version,
    standard_publish,
)
from tests.factories import sample_standard
from tests.standards.admin_helpers import staff_outside_hr

pytestmark = pytest.mark.django_db


def contents(standard: Standard) -> dict:
    """The interchange form without what differs between versions by design."""
    data = standard_export(standard=standard)
    del data["code"]
    return data


def test_next_version_is_a_draft_copy_that_supersedes_the_published_one(standard, hannah):
    draft = standard_create_next_version(standard=standard, user=hannah.user)

    assert draft.code == "AVA4322-001v5"
    assert (draft.family_code, draft.version_number) == ("AVA4322-001", 5)
    assert draft.publication == Standard.Publication.DRAFT
    assert draft.supersedes == standard
    assert contents(draft) == contents(standard)
    standard.refresh_from_db()
    assert standard.status == Standard.Status.LATEST
    assert standard.is_published
    assert draft.history.first().history_user == hannah.user
    assert Task.history.filter(duty__isnull=False, history_user=hannah.user).count() == 20


def test_next_version_is_found_by_search(standard):
    draft = standard_create_next_version(standard=standard)

    assert draft.search_text == Standard.objects.get(pk=standard.pk).search_text.replace(
        "ava4322-001v4", "ava4322-001v5"
    )


def test_a_draft_cannot_be_copied():
    draft = sample_standard("KRM1324-002v1", publish=False)

    with pytest.raises(ValidationError) as error:
        standard_create_next_version(standard=draft)

    assert error.value.messages == [str(NOT_PUBLISHED)]


def test_only_one_next_version_at_a_time(standard):
    standard_create_next_version(standard=standard)

    with pytest.raises(ValidationError) as error:
        standard_create_next_version(standard=standard)

    assert error.value.messages == [
        NEWER_VERSION_EXISTS % {"code": "AVA4322-001v5", "family": "AVA4322-001"}
    ]


def test_publishing_the_draft_makes_the_previous_version_historical(standard):
    draft = standard_create_next_version(standard=standard)

    published = standard_publish(standard=draft)

    standard.refresh_from_db()
    assert published.is_published
    assert published.status == Standard.Status.LATEST
    assert published.date is not None
    assert standard.status == Standard.Status.HISTORICAL
    assert standard.superseded_by == published


def test_a_published_version_cannot_be_published_again(standard):
    with pytest.raises(ValidationError) as error:
        standard_publish(standard=standard)

    assert error.value.messages == [ALREADY_PUBLISHED % {"code": standard.code}]


def test_hr_creates_next_version_and_publishes_it_from_the_admin(client, hannah, standard):
    client.force_login(hannah.user)

    confirm = client.get(reverse("admin:standards_standard_next_version", args=[standard.pk]))
    created = client.post(reverse("admin:standards_standard_next_version", args=[standard.pk]))
    draft = Standard.objects.get(code="AVA4322-001v5")
    page = client.get(reverse("admin:standards_standard_change", args=[draft.pk]))
    published = client.post(reverse("admin:standards_standard_publish", args=[draft.pk]))

    assert confirm.status_code == 200
    assert created.url == reverse("admin:standards_standard_change", args=[draft.pk])
    assert reverse("admin:standards_standard_publish", args=[draft.pk]) in page.content.decode()
    assert published.status_code == 302
    draft.refresh_from_db()
    standard.refresh_from_db()
    assert draft.is_published
    assert standard.status == Standard.Status.HISTORICAL


def test_published_page_offers_next_version_not_publish(client, hannah, standard):
    client.force_login(hannah.user)

    page = client.get(reverse("admin:standards_standard_change", args=[standard.pk]))

    assert page.status_code == 200
    content = page.content.decode()
    assert reverse("admin:standards_standard_next_version", args=[standard.pk]) in content
    assert reverse("admin:standards_standard_publish", args=[standard.pk]) not in content


def test_staff_outside_hr_cannot_publish_or_copy(client, standard):
    client.force_login(staff_outside_hr())
    draft = sample_standard("KRM1324-002v1", publish=False)

    copy = client.post(reverse("admin:standards_standard_next_version", args=[standard.pk]))
    publish = client.post(reverse("admin:standards_standard_publish", args=[draft.pk]))

    assert (copy.status_code, publish.status_code) == (403, 403)
    draft.refresh_from_db()
    assert not draft.is_published
    assert not Standard.objects.filter(code="AVA4322-001v5").exists()


def test_next_version_keeps_the_descriptions_hr_gave_the_knowledge_items(standard):
    KnowledgeItem.objects.of_standard(standard).filter(code="K001").update(description="內部說明")

    draft = standard_create_next_version(standard=standard)

    assert draft.knowledge_items.get(code="K001").description == "內部說明"
    assert draft.knowledge_items.exclude(code="K001").filter(description="").exists()


def test_next_version_records_every_row_it_creates_in_the_history(standard, hannah):
    draft = standard_create_next_version(standard=standard, user=hannah.user)

    tasks = Task.objects.of_standard(draft)
    created = Task.history.filter(history_type="+", history_user=hannah.user)
    assert set(created.values_list("id", flat=True)) == set(tasks.values_list("pk", flat=True))
    indicators = BehaviourIndicator.objects.of_standard(draft)
    assert (
        BehaviourIndicator.history.filter(history_type="+", id__in=indicators.values("pk")).count()
        == indicators.count()
    )
