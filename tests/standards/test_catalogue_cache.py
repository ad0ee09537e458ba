"""The catalogue's rendered content is cached by catalogue version and language: a
publication shows at once, and nothing of one visitor's page reaches another."""

import re
import uuid

import pytest
from django.urls import reverse
from django.utils import translation

from standards.caching import catalogue_version
from standards.models import CatalogueVersion, JobCategory, Standard
from standards.versioning import standard_publish
from tests.factories import generated_document, generated_standards, standard_from

pytestmark = pytest.mark.django_db

LIST = reverse("standards:list")
REDIS_URL = "redis://127.0.0.1:6379/4"


def codes(response) -> str:
    return response.content.decode()


def test_a_publication_shows_at_once_on_the_list_and_the_standard_page(client):
    generated_standards(3)
    draft = standard_from(generated_document(7), publish=False)
    detail = reverse("standards:detail", args=[draft.code])
    assert draft.code not in codes(client.get(LIST))
    assert client.get(detail).status_code == 404
    before = catalogue_version()

    standard_publish(standard=draft)

    assert catalogue_version() > before
    assert draft.code in codes(client.get(LIST))
    assert client.get(detail).status_code == 200


def test_a_new_version_retires_the_cached_page_of_the_older_one(client):
    old = generated_standards(1)[0]
    detail = reverse("standards:detail", args=[old.code])
    assert "歷史版本" not in codes(client.get(detail))
    standard_from(generated_document(0, version=2))

    page = codes(client.get(detail))

    assert Standard.objects.get(pk=old.pk).status == Standard.Status.HISTORICAL
    assert old.code.replace("v1", "v2") in page


def test_renaming_a_classification_in_the_admin_shows_at_once(client):
    generated_standards(2)
    assert "改名的職類" not in codes(client.get(LIST))
    category = JobCategory.objects.get(code="GEN")
    category.name = "改名的職類"
    category.save()

    assert "改名的職類" in codes(client.get(LIST))


def test_each_language_has_its_own_cached_page(client):
    generated_standards(2)
    chinese = codes(client.get(LIST))
    english = codes(client.get("/en" + LIST))

    assert "職能基準" in chinese
    assert "Competency standards" in english and "找到" not in english


def tokens(page: str) -> set[str]:
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page))


def test_no_visitor_ever_sees_another_visitors_menu_or_token(client, alice):
    standard = generated_standards(2)[0]
    with translation.override("zh-hant"):  # the pages' language, whatever ran before
        detail, logout, login = [
            reverse("standards:detail", args=[standard.code]),
            reverse("logout"),
            reverse("login"),
        ]
    urls = [LIST, detail, LIST + "?q=生成"]
    logout = f'action="{logout}"'
    client.force_login(alice.user)
    pages = [client.get(url) for url in urls]
    assert [page.status_code for page in pages] == [200, 200, 200]
    assert [logout in page.content.decode() for page in pages] == [True, True, True]
    alices = set().union(*(tokens(page.content.decode()) for page in pages))
    client.logout()

    for url in urls:
        page = codes(client.get(url))
        assert logout not in page
        assert f'href="{login}' in page
        assert not tokens(page) & alices


@pytest.fixture
def redis_cache(settings):
    """Django's Redis cache on database 4 of the machine's server, under a key prefix of
    this run only (other helpers use the same server): removed afterwards."""
    redis = pytest.importorskip("redis")
    server = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        server.ping()
    except redis.RedisError as error:
        pytest.skip(f"no Redis server at {REDIS_URL}: {error}")
    prefix = f"test-catalogue-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield server, prefix
    keys = list(server.scan_iter(match=f"{prefix}:*"))
    if keys:
        server.delete(*keys)


def test_the_cache_works_the_same_in_redis(client, redis_cache, django_assert_num_queries):
    server, prefix = redis_cache
    generated_standards(3)
    draft = standard_from(generated_document(7), publish=False)
    first = codes(client.get(LIST))
    assert list(server.scan_iter(match=f"{prefix}:*"))  # the content and the index
    with django_assert_num_queries(1):  # only the catalogue's version
        again = codes(client.get(LIST))
    assert again[again.index("<main") :] == first[first.index("<main") :]

    standard_publish(standard=draft)

    assert draft.code in codes(client.get(LIST))


def content(response) -> str:
    """The page's content (the rest holds a CSRF token masked afresh for every page)."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_parameters_the_catalogue_does_not_read_share_the_cached_page_and_stay_out_of_it(
    client, django_assert_num_queries
):
    generated_standards(30)  # two pages: the content links to the next one
    first = client.get(LIST, {"q": "生成", "utm_source": "mail", "sort": "name"})
    assert "page=2" in content(first)
    assert "utm_source" not in content(first)

    # Only the catalogue's version is read: the same cached content, whatever else is sent.
    for junk in [{}, {"utm_source": "other"}, {"fbclid": "x", "first": "1"}]:
        with django_assert_num_queries(1):
            again = client.get(LIST, {"sort": "name", "q": "生成", **junk})
        assert content(again) == content(first)
    # What the filters read still names its own page: the version, the page's standards
    # and their matching tasks (the texts searched are already in this process's memory).
    with django_assert_num_queries(3):
        other = client.get(LIST, {"q": "生成", "sort": "-name"})
    assert content(other) != content(first)
    with django_assert_num_queries(3):
        client.get(LIST, {"q": "生成", "sort": "name", "page": "2"})


def test_a_change_after_restoring_a_backup_never_meets_pages_cached_after_the_backup(client):
    generated_standards(2)
    backup = CatalogueVersion.current()
    draft = standard_from(generated_document(7), publish=False)
    standard_publish(standard=draft)  # a change made after the backup was taken
    after_backup = CatalogueVersion.current()
    assert draft.code in codes(client.get(LIST))  # cached under that number

    # The backup is restored: the draft unpublished again, the number the backup's.
    Standard.objects.filter(pk=draft.pk).update(publication=Standard.Publication.DRAFT)
    CatalogueVersion.objects.update(number=backup)
    category = JobCategory.objects.get(code="GEN")
    category.name = "還原後改名"
    category.save()  # the first change after the restore

    # Every number from the backup's to after_backup was used after the backup was taken.
    assert CatalogueVersion.current() not in range(backup, after_backup + 1)
    page = codes(client.get(LIST))
    assert "還原後改名" in page
    assert draft.code not in page
