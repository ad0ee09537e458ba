from django.urls import path

from . import views, views_calibration, views_fit, views_needs, views_person, views_remind

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("assessments/<int:pk>/", views_person.person_report, name="person"),
    path("assessments/<int:pk>/pdf/", views_person.person_report_pdf, name="person_pdf"),
    path("assessments/<int:pk>/review/", views_person.shared_review, name="shared_review"),
    path("assessments/<int:pk>/remind/", views_remind.remind, name="remind"),
    path("heatmap/", views.team_heatmap, name="heatmap"),
    path("training-needs/", views_needs.training_needs_report, name="training_needs"),
    path(
        "training-needs/<str:kind>/<int:pk>/",
        views_needs.training_need_people,
        name="training_need",
    ),
    path("trends/", views.trends, name="trends"),
    path("calibration/", views_calibration.calibration_report, name="calibration"),
    path("role-fit/", views_fit.standard_fit, name="role_fit"),
]
