"""Role fit of a standard: the people in scope whose assessed knowledge and skills
cover it best (HR: everyone; a manager: their own team)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from assessments.role_fit import candidate_standards, people_covering

from .views import render_report, report_viewer

UNKNOWN_STANDARD = _("No latest published standard has this code.")


class StandardCodeForm(forms.Form):
    standard = forms.CharField(label=_("Standard code"), max_length=40)

    def clean_standard(self) -> object:
        code = self.cleaned_data["standard"].strip()
        standard = candidate_standards().filter(code=code).first()
        if standard is None:
            raise forms.ValidationError(UNKNOWN_STANDARD, code="unknown")
        return standard


@login_required
def standard_fit(request: HttpRequest) -> HttpResponse:
    viewer = report_viewer(request)
    form = StandardCodeForm(request.GET if "standard" in request.GET else None)
    context: dict = {"form": form, "standard": None}
    if form.is_valid():
        standard = form.cleaned_data["standard"]
        employees = viewer.employees()
        if viewer.employee is not None:
            employees = employees.exclude(pk=viewer.employee.pk)
        total, people = people_covering(standard, employees)
        context.update(standard=standard, total=total, people=people)
    return render_report(request, "reports/role_fit.html", context, viewer)
