from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from assessments.models import Employee


def home(request: HttpRequest) -> HttpResponse:
    """The front door: an employee's own assessments, otherwise the public catalogue."""
    if request.user.is_authenticated and Employee.objects.filter(user_id=request.user.pk).exists():
        return redirect("assessments:mine")
    return redirect("standards:list")
