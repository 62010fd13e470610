"""The app does not keep who its visitors are: no client address, no browser string, anywhere.

Behind the reverse proxy every request comes from the loopback address, and the proxy is told not to forward the
client's (docs/deployment.md). What a browser says about itself (User-Agent) is dropped before any code can read
it, so neither django-axes (which would store it with every failed login) nor a log line nor an error report can
keep it. Login throttling locks usernames, not addresses, so it needs neither.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

FORGOTTEN = ("HTTP_USER_AGENT", "HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED")


def no_client_address(request: HttpRequest) -> None:
    """django-axes' AXES_CLIENT_IP_CALLABLE: failed logins are stored without an IP address."""
    return None


class ForgetClientMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for name in FORGOTTEN:
            request.META.pop(name, None)
        return self.get_response(request)
