"""A NUL character in an admin query string or form answers 400, never 500.

The portal's own pages answering NUL cleanly are tested with their odd URLs."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

URLS = [
    "/admin/standards/standard/?publication=%00",
    "/admin/standards/standard/?publication__exact=%00",
    "/admin/assessments/assessment/?stage__exact=%00",
    "/admin/standards/standard/?q=%00",
    "/en/admin/standards/standard/?q=%00",
    "/admin/autocomplete/?term=%00&app_label=assessments&model_name=employee&field_name=manager",
]


@pytest.mark.parametrize("url", URLS)
def test_a_nul_in_the_query_string_is_a_bad_request(client, sophie, url):
    client.force_login(sophie.user)

    assert client.get(url).status_code == 400


def test_a_nul_in_a_form_is_a_bad_request(client, sophie):
    client.force_login(sophie.user)

    response = client.post(reverse("admin:standards_jobcategory_add"), {"code": "A\x00"})

    assert response.status_code == 400


def test_an_ordinary_query_string_still_reaches_the_page(client, sophie):
    client.force_login(sophie.user)

    assert client.get("/admin/standards/standard/?publication__exact=draft").status_code == 200
