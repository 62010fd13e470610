"""Session lifetime and the second factor, enforced for every request (not left to each view).

SessionTimeoutMiddleware ends an authenticated session after settings.SESSION_IDLE_SECONDS without a request, or
settings.SESSION_ABSOLUTE_SECONDS after the password step, whichever comes first (ASVS 7.3.1, 7.3.2). Both moments
are timestamps in the session, set at login; an authenticated session without them (created some other way) is
ended too. After a timeout the browser is sent to the login page, which says why.

SecondFactorRequiredMiddleware denies by default. Who may reach what:
* anonymous: the login page, the language switch and static files; anything else redirects to the login page
  (a forgotten @login_required cannot expose a page, and unknown addresses look the same as known ones);
* logged in with the password only: additionally logout, the second-factor page and, for a user without a confirmed
  TOTP device, the enrolment page; anything else redirects to whichever of the two applies;
* logged in with both factors but must_change_password set: logout, the language switch and the password change;
  anything else redirects to the password change;
* otherwise: everything (views still check roles).
The password change is only reachable after the second factor, so a stolen password alone cannot change it.
Both middlewares leave the API views in TOKEN_VIEWS alone: they authenticate every request by an API token themselves
and never use the session (courtpath.web.api.views; the calendar feed, courtpath.web.agenda.feeds, likewise), so an
API request neither keeps a session alive nor is sent to the login page.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve

from courtpath.web.accounts import services
from courtpath.web.accounts.session_state import EXPIRED_NOTICE, LAST_SEEN_AT, SECOND_FACTOR_OK, STARTED_AT
from courtpath.web.agenda.urls import TOKEN_VIEWS as AGENDA_TOKEN_VIEWS
from courtpath.web.interview.urls import PUBLIC_VIEWS as INTERVIEW_VIEWS

# The public self-help interview (courtpath.web.interview) is open to everyone, like the login page.
ANONYMOUS_VIEWS = frozenset({"accounts:login", "set_language"}) | INTERVIEW_VIEWS
PASSWORD_ONLY_VIEWS = ANONYMOUS_VIEWS | {"accounts:logout", "accounts:second_factor", "accounts:enrol"}
MUST_CHANGE_PASSWORD_VIEWS = frozenset({"accounts:logout", "set_language", "accounts:password_change"})
TOKEN_VIEWS = frozenset({"api:assess", "api:openapi"}) | AGENDA_TOKEN_VIEWS  # and the calendar feed


def _timestamp(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and _view_name(request) not in TOKEN_VIEWS:
            now = time.time()
            started = _timestamp(request.session.get(STARTED_AT))
            last_seen = _timestamp(request.session.get(LAST_SEEN_AT))
            if (
                started is None
                or last_seen is None
                or now - last_seen > settings.SESSION_IDLE_SECONDS
                or now - started > settings.SESSION_ABSOLUTE_SECONDS
            ):
                services.end_session(request, reason="timeout")
                request.session[EXPIRED_NOTICE] = True  # in the new, anonymous session
                return redirect(settings.LOGIN_URL)
            request.session[LAST_SEEN_AT] = now
        return self.get_response(request)


def _view_name(request: HttpRequest) -> str | None:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return None


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.STATIC_URL and request.path_info.startswith(settings.STATIC_URL):
            return self.get_response(request)
        view_name = _view_name(request)
        if view_name in TOKEN_VIEWS:
            return self.get_response(request)
        user = request.user
        if not user.is_authenticated:
            if view_name not in ANONYMOUS_VIEWS:
                return redirect_to_login(request.get_full_path())
        elif not request.session.get(SECOND_FACTOR_OK):
            if view_name not in PASSWORD_ONLY_VIEWS:
                return redirect("accounts:second_factor" if user.totp_confirmed else "accounts:enrol")
        elif user.must_change_password and view_name not in MUST_CHANGE_PASSWORD_VIEWS:
            return redirect("accounts:password_change")
        return self.get_response(request)
