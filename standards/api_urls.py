"""URLs of the read-only JSON API, outside the language prefixes."""

from django.urls import path

from . import api

app_name = "standards-api"

urlpatterns = [
    path("standards/", api.standard_list, name="list"),
    path("standards/<str:code>/", api.standard_detail, name="detail"),
    path("case/v1p1/CFDocuments", api.case_documents, name="case_documents"),
    path("case/v1p1/CFDocuments/<str:identifier>", api.case_document, name="case_document"),
    path("case/v1p1/CFPackages/<str:identifier>", api.case_package, name="case_package"),
]
