"""Folding what users type, so keyword search matches however a word was written."""

import pytest
from django.core.cache import cache
from django.db import connection

from standards import filters
from standards.caching import catalogue_version
from standards.listing import published_search_texts
from standards.models import Standard, Task
from standards.search import (
    MAX_QUERY_LENGTH,
    MAX_TERMS,
    QUERY_TOO_LONG,
    fold,
    matching_keys,
    search_terms,
)
from standards.selectors import catalogue_filter
from tests.factories import generated_document, generated_standards, standard_from


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("ＡＶＡ４３２２", "ava4322"),  # full-width letters and digits
        ("ERP", "erp"),
        ("臺北市", "台北市"),
        ("台北市", "台北市"),
        ("（品質）", "(品質)"),  # full-width parentheses
        ("ｶﾀｶﾅ", "カタカナ"),  # half-width katakana widen
    ],
)
def test_fold_unifies_width_variants_and_case(typed, folded):
    assert fold(typed) == folded


def test_search_terms_split_on_any_space_after_folding():
    assert search_terms("  生產　排程 ＥＲＰ ") == ["生產", "排程", "erp"]
    assert search_terms("") == []


@pytest.mark.django_db
def test_stored_search_text_is_folded(standard):
    standard.refresh_from_db()
    task = Task.objects.get(duty__standard=standard, code="T1.1")

    assert standard.search_text == fold(standard.search_text)
    assert "ava4322-001v4" in standard.search_text
    assert "t1.1" in task.search_text
    assert "顧客需求報價單" in task.search_text
    assert Standard.objects.filter(search_text__icontains=fold("ＡＶＡ４３２２")).exists()


@pytest.mark.django_db
def test_keyword_search_can_use_the_trigram_index_on_postgresql(client):
    """The catalogue's keyword filter is the very expression the index covers. With
    plain scans priced out, PostgreSQL still scans unless the index serves it."""
    if connection.vendor != "postgresql":
        pytest.skip("the trigram index exists on PostgreSQL only")
    generated_standards(3)
    filters = catalogue_filter({"q": "ＧＥＮ 生成"})
    assert filters.is_valid()
    with connection.cursor() as cursor:
        # Only a bitmap scan is left unpriced, and only an index on the search text can
        # give one for this query (the one keyword_matches runs).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_indexonlyscan = off")
        plan = filters.keyword_standards().values_list("pk", flat=True).explain()
    assert "standards_standard_search_text_trgm_column" in plan, plan
    assert filters.qs.count() == 3


@pytest.mark.django_db
def test_a_search_matching_more_than_a_list_of_keys_holds_gives_the_same_page(client, monkeypatch):
    generated_standards(4)
    by_keys = client.get("/standards/", {"q": "生成"}).context
    monkeypatch.setattr(filters, "MATCHES_IN_LIST", 2)
    cache.clear()  # render the page again, not the cached one
    by_subquery = client.get("/standards/", {"q": "生成"}).context

    assert by_keys["page"].paginator.count == by_subquery["page"].paginator.count == 4
    assert list(by_keys["page"]) == list(by_subquery["page"])
    assert by_keys["facets"] == by_subquery["facets"]


THOUSAND_WORDS = " ".join(f"詞{number}" for number in range(1_000))


def test_search_terms_keep_the_first_different_words_of_the_first_characters():
    assert search_terms(THOUSAND_WORDS) == [f"詞{number}" for number in range(MAX_TERMS)]
    assert search_terms("生產 生產 排程") == ["生產", "排程"]
    assert search_terms("a" * 100_000) == ["a" * MAX_QUERY_LENGTH]


@pytest.mark.django_db
@pytest.mark.parametrize("query", [THOUSAND_WORDS, "生" * 100_000], ids=["words", "characters"])
def test_the_catalogue_shortens_a_long_search_and_says_so(client, standard, query):
    response = client.get("/standards/", {"q": "工藝 " + query})

    assert response.status_code == 200
    assert response.context["query_shortened"] is True
    assert f"搜尋已縮短：只讀取前 {MAX_QUERY_LENGTH} 個字元中最多 {MAX_TERMS} 個不同的詞" in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_a_short_search_is_not_said_to_be_shortened(client, standard):
    response = client.get("/standards/", {"q": "工藝 生產"})

    assert response.status_code == 200
    assert response.context["query_shortened"] is False
    assert "搜尋已縮短" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("query", [THOUSAND_WORDS, "生" * 100_000], ids=["words", "characters"])
def test_the_api_refuses_a_search_longer_than_it_reads_with_400(client, standard, query):
    response = client.get("/api/standards/", {"q": query})

    assert response.status_code == 400
    assert response.json() == {"errors": {"q": [{"message": QUERY_TOO_LONG, "code": "too_long"}]}}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed", ["生成", "ＧＥＮ 生成", "gen-0001", "客戶 沒有這個詞", "任務", "臺", "v1"]
)
def test_the_catalogue_matches_in_memory_what_the_database_matches(typed, standard):
    """The catalogue checks the published texts it holds (standards.listing); the API and
    the admin ask the database: the same standards either way."""
    generated_standards(5)
    draft = standard_from(generated_document(9), publish=False)
    filters = catalogue_filter({"q": typed, "status": "all"})
    assert filters.is_valid()

    in_memory = matching_keys(published_search_texts(catalogue_version()), filters.terms)
    in_database = filters.keyword_standards().published().values_list("pk", flat=True)

    assert sorted(in_memory) == sorted(in_database)
    assert draft.pk not in in_memory


@pytest.mark.django_db
def test_a_word_published_after_a_search_is_found_by_the_next_one(client):
    generated_standards(2)
    assert client.get("/standards/", {"q": "新任務標題"}).context["page"].paginator.count == 0

    standard_from(generated_document(5, task_title="新任務標題"))

    page = client.get("/standards/", {"q": "新任務標題"}).context["page"]
    assert page.paginator.count == 1
