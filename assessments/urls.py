from django.urls import path

from . import views, views_evidence, views_fit, views_hr, views_submit

app_name = "assessments"

urlpatterns = [
    path("", views.my_assessments, name="mine"),
    path("<int:pk>/", views.assessment_form, name="form"),
    path("<int:pk>/submit/", views_submit.assessment_submit, name="submit"),
    path("<int:pk>/result/", views.assessment_result, name="result"),
    path("<int:pk>/role-fit/", views_fit.role_fit, name="role_fit"),
    path("<int:pk>/evidence/", views_evidence.evidence_files, name="evidence"),
    path("evidence/<int:pk>/", views_evidence.evidence_download, name="evidence_file"),
    path(
        "evidence/<int:pk>/delete/",
        views_evidence.evidence_delete_confirm,
        name="evidence_delete",
    ),
    path("my-data/", views.my_data, name="my_data"),
    path("my-data.json", views.my_data_json, name="my_data_json"),
    path("my-data.csv", views.my_data_csv, name="my_data_csv"),
    path("hr/", views_hr.hr_home, name="hr_home"),
    path("cycles/", views_hr.cycle_list, name="cycles"),
    path("cycles/<int:pk>/", views_hr.cycle_detail, name="cycle"),
    path("cycles/<int:pk>/job-titles/", views_hr.job_title_assign, name="job_title_assign"),
    path(
        "cycles/<int:pk>/job-titles/<int:rule_pk>/remove/",
        views_hr.job_title_unassign,
        name="job_title_unassign",
    ),
    path(
        "cycles/<int:pk>/assessments/<int:assessment_pk>/withdraw/",
        views_hr.assessment_withdraw_view,
        name="withdraw",
    ),
]
