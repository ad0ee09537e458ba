import pytest
from pytest_django import Settings


@pytest.fixture(autouse=True)
def plain_static_storage(settings: Settings) -> None:
    """Serve {% static %} without a collectstatic manifest, whatever DEBUG was at start-up."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
