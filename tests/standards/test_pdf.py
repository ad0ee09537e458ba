"""The PDF of a standard at /standards/<code>/pdf/, and the page's PDF and print buttons."""

import datetime
import subprocess
import sys

import pytest
from django.urls import reverse
from django.utils import translation

from common import pdf
from standards import caching
from tests.factories import SAMPLES, sample_standard, small_standard
from tests.pdf import embedded_fonts, needs_pdf_renderer, pdf_text

pytestmark = pytest.mark.django_db


def pdf_url(code: str) -> str:
    return reverse("standards:pdf", args=[code])


@pytest.fixture
def without_renderer(monkeypatch):
    """A server whose WeasyPrint cannot load Pango."""
    monkeypatch.setattr(pdf, "_renderer", lambda: None)


def squeezed(text: str) -> str:
    # A PDF reader puts line breaks where a cell wraps.
    return "".join(text.split())


@needs_pdf_renderer
@pytest.mark.parametrize("code", SAMPLES)
def test_the_pdf_holds_the_whole_document_in_the_official_order(client, code):
    standard = sample_standard(code)

    response = client.get(pdf_url(code))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = squeezed(pdf_text(response.content))
    assert "職能基準入口網" in text
    assert squeezed(f"{standard.name}職能基準") in text
    assert f"第{standard.version_number}版" in text
    if standard.date:
        assert standard.date.isoformat() in text
    table_header = "主要職責工作任務工作產出行為指標職能級別"
    last_task = standard.duties.last().tasks.last()
    order = ["職能基準代碼", "基準級別", table_header, last_task.code, "態度"]
    position = 0
    for marker in order:  # each one after the one before
        position = text.index(marker, position)
    for duty in standard.duties.all():
        for task in duty.tasks.all():
            assert task.code in text
            for indicator in task.indicators.all():
                assert indicator.code in text
    for item in [*standard.knowledge_items.all(), *standard.skill_items.all()]:
        assert item.code in text
    for attitude in standard.attitudes.all():
        assert squeezed(attitude.name) in text


@needs_pdf_renderer
def test_the_pdf_embeds_the_noto_cjk_font(client, standard):
    response = client.get(pdf_url(standard.code))

    fonts = embedded_fonts(response.content)
    assert fonts and all("Noto" in name and "CJK" in name for name in fonts), fonts


@needs_pdf_renderer
def test_the_pdf_is_in_english_on_the_english_site(client, standard):
    with translation.override("en"):
        response = client.get(pdf_url(standard.code))

    text = pdf_text(response.content)
    assert "Competency standards portal" in text
    assert "Behaviour indicators" in squeezed(text) or "Behaviourindicators" in squeezed(text)


def test_a_draft_or_unknown_standard_has_no_pdf(client, db):
    small_standard("TST0001-001v1", publish=False)

    assert client.get(pdf_url("TST0001-001v1")).status_code == 404
    assert client.get(pdf_url("NOPE0000-000v1")).status_code == 404
    assert client.get(pdf_url("A\x00B")).status_code == 404


def test_the_standard_page_offers_the_pdf_print_and_the_developer_formats(client, standard):
    response = client.get(reverse("standards:detail", args=[standard.code]))

    page = response.content.decode()
    assert f'href="{pdf_url(standard.code)}"' in page
    assert "下載 PDF" in page and "列印" in page and "data-print" in page
    assert "開發人員" in page and "JSON 格式" in page
    assert reverse("standards-api:detail", args=[standard.code]) in page
    assert "/api/case/v1p1/CFPackages/" in page


def test_without_the_renderer_the_page_says_what_to_install_and_the_pdf_is_503(
    client, standard, without_renderer
):
    page = client.get(reverse("standards:detail", args=[standard.code]))
    response = client.get(pdf_url(standard.code))

    assert page.status_code == 200
    assert pdf_url(standard.code) not in page.content.decode()
    assert "apt-get install libpango-1.0-0" in page.content.decode()
    assert response.status_code == 503
    assert "apt-get install libpango-1.0-0" in response.content.decode()


def test_the_portal_starts_without_weasyprint():
    """No module imports WeasyPrint at start-up: make run works without Pango."""
    code = (
        "import sys, django, os;"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'portal.settings');"
        "django.setup(); import portal.urls, standards.views, reports.views_person;"
        "from django.urls import resolve; resolve('/standards/');"
        "sys.exit('weasyprint' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


@needs_pdf_renderer
def test_the_pdf_takes_the_same_queries_whatever_the_size(client, django_assert_num_queries, db):
    small, large = small_standard("TST0001-001v1"), sample_standard("AVA4322-001v4")
    for standard in (small, large):
        # the catalogue's version (for the cached file); the standard with its
        # classification, version records, occupation links, industry links, duties,
        # tasks, outputs, indicators, K links, S links, K items, S items, attitudes, notes
        with django_assert_num_queries(15):
            client.get(pdf_url(standard.code))
        with django_assert_num_queries(1):  # the same file again: the catalogue's version
            client.get(pdf_url(standard.code))


@needs_pdf_renderer
def test_a_pdf_is_rendered_once_a_day_per_language_and_again_after_the_catalogue_changed(
    client, db, monkeypatch
):
    standard = small_standard("TST0001-001v1")
    renders = []
    real_render = pdf.render_pdf
    monkeypatch.setattr(
        pdf, "render_pdf", lambda *a, **k: renders.append(1) or real_render(*a, **k)
    )

    first = client.get(pdf_url(standard.code)).content
    again = client.get(pdf_url(standard.code)).content
    assert (len(renders), again) == (1, first)

    with translation.override("en"):  # its own file
        assert "Competency standards portal" in pdf_text(client.get(pdf_url(standard.code)).content)
    assert len(renders) == 2

    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    monkeypatch.setattr(pdf, "localdate", lambda: tomorrow)  # printed on another day
    client.get(pdf_url(standard.code))
    assert len(renders) == 3

    small_standard("TST0002-001v1")  # any change to the catalogue
    client.get(pdf_url(standard.code))
    assert len(renders) == 4


class KeepingCache:
    """The cache, noting each value set and its lifetime."""

    def __init__(self, cache):
        self.cache, self.kept = cache, []

    def get(self, key):
        return self.cache.get(key)

    def set(self, key, value, timeout):
        self.kept.append((value, timeout))
        self.cache.set(key, value, timeout)


@needs_pdf_renderer
def test_a_pdf_is_kept_an_hour_not_a_day(client, db, monkeypatch):
    standard = small_standard("TST0001-001v1")
    spy = KeepingCache(caching.cache)
    monkeypatch.setattr(caching, "cache", spy)

    response = client.get(pdf_url(standard.code))

    [timeout] = [timeout for value, timeout in spy.kept if value == response.content]
    assert timeout == 60 * 60
