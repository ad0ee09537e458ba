from django.urls import path

from . import views

app_name = "standards"

urlpatterns = [
    path("", views.standard_list, name="list"),
    path("<str:code>/", views.standard_detail, name="detail"),
    path("<str:code>/pdf/", views.standard_pdf, name="pdf"),
    path("<str:code>/compare/<str:other>/", views.standard_compare, name="compare"),
]
