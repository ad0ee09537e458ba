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

from assessments.reminders import reminder_queue, reminder_send
from jobs.services import runs_inline

from .views import report_viewer


@login_required
@require_POST
def remind(request: HttpRequest, pk: int) -> HttpResponse:
    """E-mail the person whose assessment `pk` is not finished (once a day at most);
    someone outside the viewer's scope is 404. Back to the page it was pressed on."""
    assessment = get_object_or_404(report_viewer(request).assessments(), pk=pk)
    name = assessment.employee.name
    already = _("%(name)s was reminded today already; one reminder a day is enough.")
    queued = False
    try:
        if runs_inline():
            notification, sent = reminder_send(assessment=assessment)
        else:  # a worker sends it, retrying while the mail server fails
            queued = reminder_queue(assessment=assessment)
            notification, sent = None, False
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        if notification is None and queued:
            messages.success(request, _("The reminder to %(name)s is on its way.") % {"name": name})
        elif notification is None or sent is False and notification.is_sent:
            messages.info(request, already % {"name": name})
        elif sent:
            messages.success(request, _("Reminder sent to %(name)s.") % {"name": name})
        else:
            messages.error(
                request,
                _(
                    "The reminder to %(name)s could not be sent (no e-mail address, or the "
                    "mail server refused it). Press remind again later."
                )
                % {"name": name},
            )
    return _back(request)


def _back(request: HttpRequest) -> HttpResponse:
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = "reports:dashboard"
    return redirect(back)
