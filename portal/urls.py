from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import health, views

admin.site.site_header = _("Competency standards portal: administration")
admin.site.site_title = _("Competency standards portal")
admin.site.index_title = _("Library, organisation and self-assessments")

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("standards.api_urls")),
    path("healthz", health.healthz, name="healthz"),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    # Before Django's own, so that the rate-limited password reset answers.
    path("accounts/password_reset/", views.password_reset, name="password_reset"),
    path("accounts/invitation/<uidb64>/<token>/", views.invitation, name="invitation"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("standards/", include("standards.urls")),
    path("assessments/", include("assessments.urls")),
    path("reports/", include("reports.urls")),
    path("jobs/", include("jobs.urls")),
    path("plans/", include("plans.urls")),
    prefix_default_language=False,
)
