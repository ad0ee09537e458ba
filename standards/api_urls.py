"""URLs of the read-only JSON API, outside the language prefixes."""

from django.urls import path

from . import api

app_name = "standards-api"

urlpatterns = [
    path("standards/", api.standard_list, name="list"),
    path("standards/<str:code>/", api.standard_detail, name="detail"),
]
