"""PDF downloads: a Django template rendered by WeasyPrint, its fonts embedded.

WeasyPrint is imported only when a PDF is asked for: it needs the Pango libraries of the
system, and a machine without them still runs everything else (`make run` included).
Where they are missing, `pdf_renderer_available()` is False, the pages say what to
install instead of offering the PDF, and a PDF URL answers 503 with the same message.
The text is set in Noto Sans CJK TC (Debian's fonts-noto-cjk), found through fontconfig
and embedded, subset, in every file.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _

from .spreadsheets import attachment

PDF_CONTENT_TYPE = "application/pdf"
SYSTEM_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk"
RENDERER_MISSING = _(
    "PDF downloads are not available on this server: the PDF renderer needs the Pango "
    "libraries and the Noto CJK fonts. An administrator can install them with "
    "“apt-get install %(packages)s” (Debian or Ubuntu) and restart the portal."
)


def renderer_missing_message() -> str:
    return str(RENDERER_MISSING % {"packages": SYSTEM_PACKAGES})


@cache
def _renderer() -> Any:
    """A function rendering HTML to PDF bytes, or None when WeasyPrint's system
    libraries cannot be loaded."""
    try:
        from weasyprint import HTML, URLFetcher
    except (ImportError, OSError):
        return None

    def render(html: str, base_url: str) -> bytes:
        # Closed network: a PDF fetches nothing (styles are inline, fonts are local);
        # only data: URLs are read.
        fetcher = URLFetcher(allowed_protocols=("data",))
        return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()

    return render


def pdf_renderer_available() -> bool:
    return _renderer() is not None


def render_pdf(html: str, *, base_url: str) -> bytes:
    """The PDF of an HTML document; `base_url` resolves its relative links."""
    renderer = _renderer()
    if renderer is None:
        raise RuntimeError(renderer_missing_message())
    return renderer(html, base_url)


def pdf_response(
    request: HttpRequest,
    template: str,
    context: dict[str, Any] | Callable[[], dict[str, Any]],
    *,
    filename: str,
    cached: Callable[[str, Callable[[], bytes]], bytes] | None = None,
) -> HttpResponse:
    """`template` rendered as a PDF attachment, or a page saying what to install (503).

    `cached(day, render)`, when given, keeps the rendered file (public documents only,
    never personal data): rendering takes WeasyPrint 0.4–1.3 s of CPU, and a file names
    the day it was printed, so `day` (Asia/Taipei) belongs in its key. `context` may be
    a function, called only when the file is rendered (it may raise Http404)."""
    if not pdf_renderer_available():
        return render(
            request,
            "pdf_unavailable.html",
            {"message": renderer_missing_message()},
            status=503,
        )

    def rendered() -> bytes:
        values = context() if callable(context) else context
        html = render_to_string(template, values, request=request)
        return render_pdf(html, base_url=request.build_absolute_uri("/"))

    data = rendered() if cached is None else cached(localdate().isoformat(), rendered)
    response = HttpResponse(data, content_type=PDF_CONTENT_TYPE)
    return attachment(response, f"{filename}.pdf", disposition="inline")
