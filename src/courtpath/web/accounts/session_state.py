"""Names of the keys accounts keeps in the session, and the session clock (see middleware.SessionTimeoutMiddleware).

Only flags and timestamps live in the session: never a secret, a password or personal data, because sessions are
stored in the database in clear.
"""

from __future__ import annotations

import time

from django.contrib.sessions.backends.base import SessionBase

SECOND_FACTOR_OK = "second_factor_ok"  # True once the TOTP code of this login was accepted
LOGIN_NEXT = "login_next"  # where to go after the login, checked at the password step
STARTED_AT = "auth_started_at"  # epoch seconds of the password step: the absolute timeout counts from here
LAST_SEEN_AT = "auth_last_seen_at"  # epoch seconds of the latest request: the idle timeout counts from here
EXPIRED_NOTICE = "session_expired"  # set in the fresh anonymous session after a timeout, read by the login page


def start_clock(session: SessionBase, now: float | None = None) -> None:
    now = time.time() if now is None else now
    session[STARTED_AT] = now
    session[LAST_SEEN_AT] = now
