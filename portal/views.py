import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation

from assessments.models import Employee
from assessments.selectors import is_hr
from notifications.models import Notification
from notifications.services import notification_send

from .middleware import client_ip

HOUR = 60 * 60


def home(request: HttpRequest) -> HttpResponse:
    """The front door: HR's home for HR, an employee's own assessments for everyone else
    with an employee record, otherwise the public catalogue."""
    if is_hr(request.user):
        return redirect("assessments:hr_home")
    if request.user.is_authenticated and Employee.objects.filter(user_id=request.user.pk).exists():
        return redirect("assessments:mine")
    return redirect("standards:list")


def _count_this_hour(key: str) -> int:
    """Count one more attempt under `key` in the cache; the count lives one hour."""
    key = "password-reset:" + hashlib.sha256(key.encode()).hexdigest()
    cache.add(key, 0, timeout=HOUR)
    try:
        return cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, timeout=HOUR)
        return 1


class PortalPasswordResetForm(PasswordResetForm):
    """Django's form, its e-mail sent like every other one: through notification_send,
    in the language the page was asked in, recorded."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        user, token = context["user"], context["token"]
        path = reverse("password_reset_confirm", kwargs={"uidb64": context["uid"], "token": token})
        notification_send(
            recipient=user,
            kind=Notification.Kind.PASSWORD_RESET,
            # Each request is its own event (the rate limit bounds them); the record never
            # holds the token, since HR reads the records.
            event_key=f"password-reset:{user.pk}:{secrets.token_hex(16)}",
            language=translation.get_language(),
            context={
                "username": user.get_username(),
                "link": f"{context['protocol']}://{context['domain']}{path}",
            },
        )


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, limited to PASSWORD_RESET_PER_HOUR requests an hour per
    client address and per e-mail address asked about (so nobody floods an inbox or
    probes addresses); beyond that nothing is sent and the page says to wait."""

    form_class = PortalPasswordResetForm

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        email = request.POST.get("email", "").strip().lower()
        by_address = _count_this_hour(f"ip:{client_ip(request)}")
        by_email = _count_this_hour(f"email:{email}")
        if max(by_address, by_email) > settings.PASSWORD_RESET_PER_HOUR:
            return render(request, "registration/password_reset_throttled.html", status=429)
        return super().post(request, *args, **kwargs)


password_reset = PasswordResetView.as_view()


class InvitationView(auth_views.PasswordResetConfirmView):
    """The invitation's one-time link: the person chooses a password (SetPasswordForm,
    new_password1/new_password2), is logged in and lands on their assessments. The link
    stops working once used (the token covers the password) or after
    PASSWORD_RESET_TIMEOUT; a disabled login (a leaver) cannot use it."""

    template_name = "registration/invitation.html"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("assessments:mine")

    def get_user(self, uidb64: str):  # noqa: ANN201 - Django's signature
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None


invitation = InvitationView.as_view()
