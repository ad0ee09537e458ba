"""Request plumbing: the real client address behind the proxy, sessions that expire
after a working day of inactivity, and no caching of personal pages."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language_from_path

# A session's expiry moves forward at most this often: a write on every request would
# cost a query per page for a few minutes' precision on a nine-hour limit.
SESSION_REFRESH_SECONDS = 5 * 60
SESSION_REFRESHED = "refreshed_at"

# Pages of these URL namespaces show one person's data (or the admin's).
PRIVATE_NAMESPACES = {"assessments", "reports", "admin", "jobs"}


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from, seen through TRUSTED_PROXY_COUNT proxies.

    Each proxy appends the address it received the request from to X-Forwarded-For, so
    with n trusted proxies the client is the n-th entry from the right; anything to its
    left was written by the client and may be forged. Without proxies (n = 0), or when
    the header has fewer entries than proxies, the connection's own address is used.
    """
    count = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR")
    if count <= 0:
        return remote
    forwarded = [
        address.strip()
        for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if address.strip()
    ]
    if len(forwarded) < count:
        return remote
    return forwarded[-count]


class PrivateCacheMiddleware:
    """`Cache-Control: private, no-store` on every personal page and download.

    That is every page of the assessments, reports and admin namespaces (My data and
    the result pages among them) and every page shown to a logged-in user, whose name
    is on it; the public catalogue stays cacheable for anonymous visitors.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        user = getattr(request, "user", None)
        if (match is not None and PRIVATE_NAMESPACES & set(match.namespaces)) or (
            user is not None and user.is_authenticated
        ):
            patch_cache_control(response, private=True, no_store=True)
        return response


def stamp_session(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """On login: the session starts its idle time now (connected in PortalConfig)."""
    request.session[SESSION_REFRESHED] = int(time.time())


class SessionIdleMiddleware:
    """End a logged-in session SESSION_COOKIE_AGE seconds after its last request.

    Django counts a session's age from its last save; this saves it again (moving its
    expiry and its cookie's forward) once SESSION_REFRESH_SECONDS have passed since the
    last time. Placed after SessionMiddleware, so its save sees the change.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.get("_auth_user_id"):
            now = int(time.time())
            if now - session.get(SESSION_REFRESHED, 0) >= SESSION_REFRESH_SECONDS:
                session[SESSION_REFRESHED] = now
        return response


def _admin_path(path: str) -> bool:
    """Whether `path` is the admin's, with or without a language prefix (/en/admin/…)."""
    language = get_language_from_path(path)
    return path.startswith(f"/{language}/admin/" if language else "/admin/")


class RefuseNulMiddleware:
    """Answer 400 to an admin request whose query string or form holds a NUL character.

    No text column can store NUL on PostgreSQL, which raises an error for any filter
    that compares with it. The portal's own pages check their input (a NUL there is a
    404 or an ignored filter); Django's admin list filters, search and autocomplete do
    not, so admin requests are refused here before they reach them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _admin_path(request.path_info) and (_holds_nul(request.GET) or _holds_nul(request.POST)):
            return HttpResponseBadRequest("NUL characters are not allowed.")
        return self.get_response(request)


def _holds_nul(data: Any) -> bool:
    return any("\x00" in key or any("\x00" in v for v in data.getlist(key)) for key in data)
