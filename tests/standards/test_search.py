"""Folding what users type, so keyword search matches however a word was written."""

import pytest

from standards.models import Standard, Task
from standards.search import fold, search_terms


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
