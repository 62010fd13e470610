"""The app does not keep who its visitors are: no client address, no browser string, anywhere.

Behind the reverse proxy every request comes from the loopback address, and the proxy is told not to forward the
client's (docs/deployment.md). What a browser says about itself (User-Agent) is dropped before any code can read
it, so neither django-axes (which would store it with every failed login) nor a log line nor an error report can
keep it. Login throttling locks usernames, not addresses, so it needs neither; and it stores a keyed hash of the
username, not the username (throttle_name).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from courtpath.vault import state
from courtpath.web.accounts.usernames import canonical

FORGOTTEN = ("HTTP_USER_AGENT", "HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED")
THROTTLE_PURPOSE = "login throttling"


def throttle_name(username: str) -> str:
    """What django-axes stores for a username that failed to log in: a keyed hash under a subkey of the vault's
    master key (only in memory), so that a copy of the table shows neither usernames nor a password typed into the
    username field. The same username always gives the same name, whatever its spelling (`ADMIN`, `ａｄｍｉｎ`: the
    canonical form of accounts.usernames, as the login looks it up), which is all that counting failures needs."""
    key = state.master().derive(THROTTLE_PURPOSE)
    return hmac.new(key, canonical(username).encode(), hashlib.sha256).hexdigest()[:32]


def axes_username(request: HttpRequest, credentials: dict[str, object] | None = None) -> str | None:
    """django-axes' AXES_USERNAME_CALLABLE."""
    source = credentials if credentials else getattr(request, "POST", {})
    username = source.get("username") if source else None
    return throttle_name(str(username)) if username else None


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
