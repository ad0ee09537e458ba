"""The "remind" button beside someone not finished on the team dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.reminders import reminder_send

from .views import report_viewer


@login_required
@require_POST
def remind(request: HttpRequest, pk: int) -> HttpResponse:
    """E-mail the person whose assessment `pk` is not finished (once a day at most);
    someone outside the viewer's scope is 404. Back to the page it was pressed on."""
    assessment = get_object_or_404(report_viewer(request).assessments(), pk=pk)
    name = assessment.employee.name
    try:
        notification, sent = reminder_send(assessment=assessment)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        if sent:
            messages.success(request, _("Reminder sent to %(name)s.") % {"name": name})
        elif notification.is_sent:
            messages.info(
                request,
                _("%(name)s was reminded today already; one reminder a day is enough.")
                % {"name": name},
            )
        else:
            messages.error(
                request,
                _(
                    "The reminder to %(name)s could not be sent (no e-mail address, or the "
                    "mail server refused it). Press remind again later."
                )
                % {"name": name},
            )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = "reports:dashboard"
    return redirect(back)
