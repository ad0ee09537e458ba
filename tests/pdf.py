"""Reading back the PDFs the portal serves: their text and the fonts they embed."""

import io
import os

import pypdf
import pytest

from common.pdf import pdf_renderer_available

# CI installs the libraries (.ci/run), so there a missing renderer fails instead.
needs_pdf_renderer = pytest.mark.skipif(
    not pdf_renderer_available() and not os.environ.get("CI"),
    reason="WeasyPrint cannot load Pango (apt-get install libpango-1.0-0 libpangoft2-1.0-0)",
)


def pdf_text(content: bytes) -> str:
    """The text of every page, as a PDF reader extracts it."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def embedded_fonts(content: bytes) -> set[str]:
    """The names of the fonts embedded in the PDF (a subset font is `ABCDEF+Name`)."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts") or [font]
            for descendant in descendants:
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor is not None and any(
                    key in descriptor.get_object()
                    for key in ("/FontFile", "/FontFile2", "/FontFile3")
                ):
                    names.add(str(font["/BaseFont"]).split("+", 1)[-1])
    return names
