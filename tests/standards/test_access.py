"""URL × persona access matrix over the public catalogue's pages, downloads and APIs.

The catalogue is public: every persona, anonymous visitors and a staff account without
permissions included, reads a published version's page, its PDF, a comparison, the
JSON API and CASE; a draft is 404 on every one of them, whoever asks.
"""

import pytest
from django.urls import reverse

from standards.case import document_identifier
from tests.factories import sample_standard, sample_variant

pytestmark = pytest.mark.django_db

PERSONAS = [None, "alice", "carol", "hannah", "stan", "sophie"]


def urls(standard, other) -> dict[str, str]:
    """Each public URL of `standard` (compared with `other`)."""
    identifier = document_identifier(standard)
    return {
        "detail": reverse("standards:detail", args=[standard.code]),
        "pdf": reverse("standards:pdf", args=[standard.code]),
        "compare": reverse("standards:compare", args=[standard.code, other.code]),
        "api_detail": reverse("standards-api:detail", args=[standard.code]),
        "case_document": reverse("standards-api:case_document", args=[identifier]),
        "case_package": reverse("standards-api:case_package", args=[identifier]),
    }


LISTS = [
    reverse("standards:list"),
    reverse("standards-api:list"),
    reverse("standards-api:case_documents"),
]


@pytest.fixture
def versions(db):
    """AVA4322-001v3 (published, historical) and v4 (published), and a draft v5."""
    old = sample_variant("AVA4322-001v3")
    new = sample_standard("AVA4322-001v4")
    draft = sample_variant("AVA4322-001v5", publish=False)
    return old, new, draft


def log_in(client, request, persona):
    if persona:
        client.force_login(request.getfixturevalue(persona).user)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_persona_reads_every_public_url_of_a_published_version(
    client, request, versions, persona, quick_pdf_renderer
):
    old, new, _draft = versions
    log_in(client, request, persona)

    for name, url in [*urls(new, old).items(), *((f"list {u}", u) for u in LISTS)]:
        assert client.get(url).status_code == 200, name


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_draft_is_404_at_every_public_url_for_everyone(client, request, versions, persona):
    _old, new, draft = versions
    log_in(client, request, persona)

    for name, url in urls(draft, new).items():
        assert client.get(url).status_code == 404, name
    for url in LISTS:
        assert draft.code not in client.get(url).content.decode()
