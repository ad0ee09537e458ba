"""portal.warmup: what a server process loads at its start instead of on its first
requests, without touching the database."""

import importlib
from pathlib import Path

from django.conf import settings
from django.template import engines

from portal.warmup import warm_up

TEMPLATES = Path(settings.TEMPLATES[0]["DIRS"][0])


def cached_templates() -> set[str]:
    loader = engines["django"].engine.template_loaders[0]
    return {key.split("-")[0] for key in loader.get_template_cache}


def test_every_template_is_compiled_without_the_database():
    compiled = warm_up()  # no django_db mark: a query would raise

    names = {path.relative_to(TEMPLATES).as_posix() for path in TEMPLATES.rglob("*.html")}
    assert compiled == len(names)
    assert names <= cached_templates()


def test_the_wsgi_application_warms_up_when_it_is_loaded():
    engines["django"].engine.template_loaders[0].reset()  # as in a new process
    assert "base.html" not in cached_templates()

    importlib.reload(importlib.import_module("portal.wsgi"))  # what gunicorn loads

    assert "base.html" in cached_templates()
