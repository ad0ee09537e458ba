"""Role fit of one person: the other standards their assessed knowledge and skills
already cover best."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .role_fit import MISSING_SHOWN, assessed_families, standards_covered
from .selectors import assessments_visible_to


@login_required
def role_fit(request: HttpRequest, pk: int) -> HttpResponse:
    """Seen by whoever may see the assessment: the employee, their managers and HR."""
    assessment = get_object_or_404(assessments_visible_to(request.user), pk=pk)
    if not assessment.is_submitted:
        raise Http404("not submitted")
    employee = assessment.employee
    return render(
        request,
        "assessments/role_fit.html",
        {
            "assessment": assessment,
            "fits": standards_covered(employee, exclude_families=assessed_families(employee)),
            "missing_shown": MISSING_SHOWN,
            "is_own": employee.user_id == request.user.pk,
        },
    )
