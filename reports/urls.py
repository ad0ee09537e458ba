from django.urls import path

from . import report_views as views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("assessments/<int:pk>/", views.person_report, name="person"),
    path("assessments/<int:pk>/review/", views.shared_review, name="shared_review"),
    path("heatmap/", views.team_heatmap, name="heatmap"),
    path("training-needs/", views.training_needs_report, name="training_needs"),
    path(
        "training-needs/<str:kind>/<int:pk>/",
        views.training_need_people,
        name="training_need",
    ),
    path("trends/", views.trends, name="trends"),
]
