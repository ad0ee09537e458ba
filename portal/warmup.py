"""Work a server process does once at its start rather than on its first requests:
reading the translation catalogues, building the URL resolver and compiling the
portal's templates (Django does each lazily, so without this the first request a new
gunicorn worker answers takes about 100 ms instead of 3). Nothing here opens a
database connection, so it is safe before gunicorn forks its workers too."""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation

logger = logging.getLogger(__name__)


def warm_up() -> int:
    """Load what the first requests would; returns how many templates were compiled."""
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Competency standards portal")
            # The reverse lookups are built per language (i18n_patterns).
            reverse("standards:list")
    compiled = 0
    for folder in settings.TEMPLATES[0]["DIRS"]:
        root = Path(folder)
        for path in sorted(root.rglob("*.html")):
            try:
                get_template(path.relative_to(root).as_posix())
            except (TemplateDoesNotExist, TemplateSyntaxError):  # pragma: no cover
                logger.exception("template %s could not be compiled at start", path)
                continue
            compiled += 1
    return compiled
