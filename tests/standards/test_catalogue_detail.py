"""A standard's page, /standards/<code>/: the document, its versions, its cross-references."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from standards.levels import LEVEL_DEFINITIONS, LEVELS, OFFICIAL_DEFINITIONS
from tests.factories import sample_standard, sample_variant
from tests.standards.samples import all_tasks, expected_data

pytestmark = pytest.mark.django_db


def detail(code: str) -> str:
    return reverse("standards:detail", args=[code])


def section(content: str, element_id: str) -> str:
    """The HTML of the element with this id, up to the next element of the same kind."""
    match = re.search(rf'<(\w+)[^>]* id="{re.escape(element_id)}"', content)
    assert match, element_id
    tag = match.group(1)
    end = content.find(f"</{tag}>", match.end())
    return content[match.start() : end]


def test_the_page_shows_the_document_as_published(client, standard):
    data = expected_data("AVA4322-001v4")

    response = client.get(detail("AVA4322-001v4"))

    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["standard"] == standard
    for part in ("category", "occupation", "industry"):
        assert data[part]["name"] in content
        assert data[part]["code"] in content
    assert data["description"].split("。")[0] in content
    for task in all_tasks(data):
        row = section(content, f"task-{task['code']}")
        assert task["title"] in row
        for indicator in task["indicators"]:
            assert indicator["code"] in row
        # Every K/S code is shown with its name.
        names = {item["code"]: item["name"] for item in data["knowledge"] + data["skills"]}
        for code in task["knowledge"] + task["skills"]:
            assert f'<span class="code">{code}</span> {names[code]}' in row
    for attitude in data["attitudes"]:
        assert attitude["name"] in section(content, "attitudes")


def test_a_draft_or_unknown_code_is_404(client, db):
    sample_standard("BHR1212-001v2", publish=False)

    assert client.get(detail("BHR1212-001v2")).status_code == 404
    assert client.get(detail("NOPE0000-000v1")).status_code == 404


def test_each_knowledge_item_lists_the_tasks_that_need_it(client, standard):
    data = expected_data("AVA4322-001v4")
    content = client.get(detail("AVA4322-001v4")).content.decode()

    for item in data["knowledge"] + data["skills"]:
        needing = [
            t["code"] for t in all_tasks(data) if item["code"] in t["knowledge"] + t["skills"]
        ]
        row = section(content, f"item-{item['code']}")
        assert re.findall(r'href="#task-([^"]+)"', row) == needing


def test_each_task_links_to_its_knowledge_and_skill_items(client, standard):
    data = expected_data("AVA4322-001v4")
    content = client.get(detail("AVA4322-001v4")).content.decode()

    for task in all_tasks(data):
        row = section(content, f"task-{task['code']}")
        linked = re.findall(r'href="#item-([^"]+)"', row)
        assert linked == task["knowledge"] + task["skills"]


def test_levels_are_explained_next_to_where_they_appear(client, standard):
    content = client.get(detail("AVA4322-001v4")).content.decode()

    legend = section(content, "levels")
    for level in LEVELS:
        assert f'id="level-{level}"' in legend
        assert str(OFFICIAL_DEFINITIONS[level]) in legend
    assert f'title="{OFFICIAL_DEFINITIONS[4]}"' in section(content, "task-T1.1")


def test_level_definitions_read_as_the_official_text_in_chinese():
    with translation.override("zh-hant"):
        chinese = {level: str(text) for level, text in LEVEL_DEFINITIONS.items()}
    with translation.override("en"):
        english = {level: str(text) for level, text in LEVEL_DEFINITIONS.items()}

    assert chinese == OFFICIAL_DEFINITIONS
    assert english[1].startswith("Routine, repetitive work")


def test_version_history_links_the_versions_the_portal_holds(client, standard):
    sample_variant("AVA4322-001v3")

    response = client.get(detail("AVA4322-001v4"))

    assert response.status_code == 200
    versions = section(response.content.decode(), "versions")
    assert f'href="{detail("AVA4322-001v3")}"' in versions
    assert 'href="/standards/AVA4322-001v4/compare/AVA4322-001v3/"' in versions
    assert f'href="{detail("AVA4322-001v2")}"' not in versions
    assert "AVA4322-001v2" in versions
    assert f'href="{detail("AVA4322-001v4")}"' not in versions  # the page itself


def test_a_historical_version_points_to_the_latest_one(client, standard):
    sample_variant("AVA4322-001v3")

    older_response = client.get(detail("AVA4322-001v3"))
    latest_response = client.get(detail("AVA4322-001v4"))

    assert older_response.status_code == latest_response.status_code == 200
    older = older_response.content.decode()
    latest = latest_response.content.decode()
    banner = section(older, "main")
    assert 'class="notice historical"' in banner
    assert f'href="{detail("AVA4322-001v4")}"' in banner
    assert 'class="notice historical"' not in latest


def test_a_newer_version_missing_from_the_document_table_is_listed(client, standard):
    def drop_table(data):
        data["versions"] = []

    sample_variant("AVA4322-001v5", edit=drop_table)

    content = client.get(detail("AVA4322-001v4")).content.decode()

    assert f'href="{detail("AVA4322-001v5")}"' in section(content, "versions")
    assert f'href="{detail("AVA4322-001v5")}"' in section(content, "main").split("<header")[0]


def test_a_standard_without_a_version_table_lists_itself(client, db):
    sample_standard("BHR1212-001v2")

    content = client.get(detail("BHR1212-001v2")).content.decode()

    assert "BHR1212-001v2" in section(content, "versions")
    assert "V2" in section(content, "versions")
