"""Sessions kept in the database under a hash of their key (SESSION_ENGINE).

Django's database backend stores the session key, which is what the browser's cookie holds, as the row's primary
key: anyone who reads the table (a stolen copy, an SQL injection) could send it and be logged in, second factor
passed. Here the row is stored under SHA-256 of the key, truncated to the column's 40 characters (160 bits): the
browser still sends the key, the server hashes it to find the row, and the table alone opens no session.

KeepStaleCookieMiddleware (listed just before Django's SessionMiddleware, which stays in MIDDLEWARE by its own name
so that Django's deployment checks of the session cookie still run) undoes one thing Django does: a request whose
cookie names no session any more gets a Set-Cookie that deletes the cookie. When the key was rotated while that
request was on its way (a favicon or a second tab sent before the second factor's answer arrived), that deletion
reaches the browser after the new key and logs the user out at the next page. Such a cookie opens nothing, so it is
left alone; logging out and timeouts still delete the cookie.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.utils import timezone


def stored_key(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()[:40]


class SessionStore(DatabaseSessionStore):
    unknown_key = False  # set when the request's cookie named no (live) session

    def _get_session_from_db(self) -> object | None:
        try:
            return self.model.objects.get(session_key=stored_key(self.session_key), expire_date__gt=timezone.now())
        except (self.model.DoesNotExist, SuspiciousOperation) as error:
            if isinstance(error, SuspiciousOperation):
                logging.getLogger(f"django.security.{error.__class__.__name__}").warning(str(error))
            self.unknown_key = True
            self._session_key = None
            return None

    def exists(self, session_key: str) -> bool:
        return self.model.objects.filter(session_key=stored_key(session_key)).exists()

    def create_model_instance(self, data: dict[str, object]) -> object:
        return self.model(
            session_key=stored_key(self._get_or_create_session_key()),
            session_data=self.encode(data),
            expire_date=self.get_expiry_date(),
        )

    def flush(self) -> None:
        self.unknown_key = False  # a deliberate end (logout, timeout): the cookie is deleted as usual
        super().flush()

    def delete(self, session_key: str | None = None) -> None:
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        self.model.objects.filter(session_key=stored_key(session_key)).delete()


class KeepStaleCookieMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        name = settings.SESSION_COOKIE_NAME
        session = getattr(request, "session", None)
        if getattr(session, "unknown_key", False) and name in response.cookies and not response.cookies[name].value:
            del response.cookies[name]  # only the deletion of a cookie that named nothing
        return response
