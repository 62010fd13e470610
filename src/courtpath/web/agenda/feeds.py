"""The calendar feed: a per-user address `/calendar/<token>.ics` that calendar apps fetch without logging in.

The token is 32 random bytes (256 bits, URL-safe base64), shown to its owner once; the database keeps only its
SHA-256, as for API tokens (web/api/services.py): with that much randomness a fast hash is enough, and the table
alone opens no feed. A user has at most one feed: making a new one revokes the old. A feed works while it is not
revoked, its owner is active, may see cases, and has the User.session_generation the feed was made with (a role
change, deactivation or password reset ends it for good). Revoking takes effect on the next fetch: nothing is cached.

A fetch is limited to FETCHES_PER_HOUR per feed (calendar apps poll every 15 minutes to a day; several devices may
share one address), counted in the feed's row; past it the answer is 429. Creating, revoking and every served fetch
are audited (object type "calendar_feed", the feed's id; never the token).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from courtpath.web.accounts.models import User
from courtpath.web.agenda.models import CalendarFeed
from courtpath.web.agenda.permissions import may_have_reminders
from courtpath.web.audit.models import Action
from courtpath.web.audit.services import record

OBJECT_TYPE = "calendar_feed"
TOKEN_BYTES = 32
FETCHES_PER_HOUR = 30
WINDOW = dt.timedelta(hours=1)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _require(user: User) -> None:
    if not may_have_reminders(user):
        raise PermissionDenied


@transaction.atomic
def create_feed(user: User, language: str) -> tuple[CalendarFeed, str]:
    """A new feed for the user (the old one revoked) and its token, to be shown once."""
    _require(user)
    revoke_feed(user)
    raw = secrets.token_urlsafe(TOKEN_BYTES)
    feed = CalendarFeed.objects.create(
        user=user,
        token_hash=token_hash(raw),
        user_generation=user.session_generation,
        language="ru" if language.startswith("ru") else "en",
    )
    record(user, Action.CREATE, OBJECT_TYPE, feed.pk)
    return feed, raw


@transaction.atomic
def revoke_feed(user: User) -> bool:
    """Revoke the user's feed, if any; True when there was one."""
    revoked = False
    for feed in CalendarFeed.objects.filter(user=user, revoked_at__isnull=True):
        CalendarFeed.objects.filter(pk=feed.pk).update(revoked_at=timezone.now())
        record(user, Action.CHANGE, OBJECT_TYPE, feed.pk, ["revoked_at"])
        revoked = True
    return revoked


@dataclass(frozen=True)
class Fetch:
    """The outcome of a fetch: the feed (None: no such feed, or it no longer works) and, when over the limit, how
    many seconds until the next fetch is allowed."""

    feed: CalendarFeed | None
    retry_after: int = 0


def _usable(feed: CalendarFeed) -> bool:
    user = feed.user
    return feed.revoked_at is None and feed.user_generation == user.session_generation and may_have_reminders(user)


@transaction.atomic
def fetch(raw: str, now: dt.datetime | None = None) -> Fetch:
    """Find the feed of token `raw` and count the fetch against its hourly limit; audit it when it is served."""
    if not 20 <= len(raw) <= 100:
        return Fetch(None)
    now = now or timezone.now()
    feed = CalendarFeed.objects.select_for_update().select_related("user").filter(token_hash=token_hash(raw)).first()
    if feed is None or not _usable(feed):
        return Fetch(None)
    if feed.window_started_at is None or now - feed.window_started_at >= WINDOW:
        feed.window_started_at, feed.window_fetches = now, 0
    if feed.window_fetches >= FETCHES_PER_HOUR:
        wait = feed.window_started_at + WINDOW - now
        return Fetch(feed, max(1, int(wait.total_seconds()) + 1))
    feed.window_fetches += 1
    feed.last_fetched_at = now
    feed.save(update_fields=["window_started_at", "window_fetches", "last_fetched_at"])
    record(feed.user, Action.EXPORT, OBJECT_TYPE, feed.pk)
    return Fetch(feed)
