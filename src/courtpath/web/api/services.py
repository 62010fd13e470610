"""Personal API tokens: creating, revoking, and authenticating a request by one.

A token is `cpt_` followed by 43 URL-safe characters (32 random bytes). It is shown to its owner once; the database
keeps its first 12 characters (`prefix`, to find the row and to let the owner recognise the token in the list) and
the SHA-256 hash of the whole token. The other 35 characters (over 200 random bits) are in no stored form but the
hash, and with that much randomness a plain, fast hash is enough: no guess could be checked against it.

A token authenticates a request while all of these hold: it is not revoked, not expired, its owner is active, and
the owner's User.session_generation has not changed since the token was made. The generation goes up whenever the
account's sessions are ended on purpose (deactivation, role change, password change or reset, TOTP reset), so those
end the owner's tokens too, for good: reactivating the account does not revive them.

Creating and revoking are audited (object type "api_token", field names only); the token itself is never written
anywhere, not to the audit log either. Using a token is not audited: the API runs the engine and reads or stores no
case data. The time of last use is kept, at a resolution of a minute, so that a write is not needed per request.

A process remembers a token it found valid for settings.COURTPATH_API_TOKEN_RECHECK_SECONDS (1 s by default; 0: check
the database on every request) and checks it again after that. Reading the database costs more than the whole
assessment on a loaded server (benchmarks/bench_api_http.py), and a burst of calls from one tool needs one read.
What this changes:
* Expiry is still exact: a token is only remembered when it does not expire within that time.
* A change made through this application (revoking, an administrator's change of the account, a password change)
  makes the process that made it forget every token at once. Other server processes, and a change made to the
  database by other means, take effect within the recheck time: a revoked token may work for up to one more second
  elsewhere. The API returns assessments only (no case data), so that second cannot expose a case.
* Only valid tokens are remembered: an unknown or refused token is checked in the database every time.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtpath.web.accounts.models import User
from courtpath.web.api.models import ApiToken
from courtpath.web.api.permissions import API_ROLES, can_use_api
from courtpath.web.audit.models import Action
from courtpath.web.audit.services import record

TOKEN_START = "cpt_"
PREFIX_LENGTH = 12  # "cpt_" and 8 random characters (48 bits): unique in practice, retried on a collision
TOKEN_LENGTH = len(TOKEN_START) + 43
MAX_ACTIVE_TOKENS = 10
EXPIRY_DAYS = (7, 30, 90, 365)  # or none
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)
OBJECT_TYPE = "api_token"


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _require_staff(actor: object) -> None:
    if not (getattr(actor, "is_authenticated", False) and getattr(actor, "is_active", False)):
        raise PermissionDenied


def _require_api_user(actor: object) -> None:
    if not can_use_api(actor):
        raise PermissionDenied


def is_active(token: ApiToken, now: dt.datetime | None = None) -> bool:
    """Not revoked and not expired (the owner's state is checked by authenticate())."""
    now = now or timezone.now()
    return token.revoked_at is None and (token.expires_at is None or token.expires_at > now)


def own_tokens(actor: User) -> list[ApiToken]:
    """The actor's tokens, newest first, revoked and expired ones included (marked by is_active())."""
    _require_staff(actor)
    return list(ApiToken.objects.filter(user=actor))


@transaction.atomic
def create_token(actor: User, name: str, expires_in_days: int | None) -> tuple[ApiToken, str]:
    """A new token for the actor and its value, to be shown once."""
    _require_api_user(actor)
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("Give the token a name."), code="name")
    if len(name) > ApiToken._meta.get_field("name").max_length:
        raise ValidationError(_("The name is too long."), code="name_length")
    if expires_in_days is not None and expires_in_days not in EXPIRY_DAYS:
        raise ValidationError(_("Choose a valid expiry."), code="expiry")
    now = timezone.now()
    active = ApiToken.objects.filter(user=actor, revoked_at__isnull=True).exclude(expires_at__lte=now).count()
    if active >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            _("You have %(count)d active tokens, the most allowed. Revoke one you no longer use first."),
            code="too_many",
            params={"count": MAX_ACTIVE_TOKENS},
        )
    expires_at = now + dt.timedelta(days=expires_in_days) if expires_in_days is not None else None
    for _attempt in range(5):
        raw = TOKEN_START + secrets.token_urlsafe(32)
        try:
            with transaction.atomic():
                token = ApiToken.objects.create(
                    user=actor,
                    name=name,
                    prefix=raw[:PREFIX_LENGTH],
                    token_hash=token_hash(raw),
                    user_generation=actor.session_generation,
                    expires_at=expires_at,
                )
        except IntegrityError:  # the same prefix exists already (about 1 in 2**48): draw again
            continue
        break
    else:  # pragma: no cover - five collisions of 48 random bits
        raise RuntimeError("could not draw a unique token prefix")
    record(actor, Action.CREATE, OBJECT_TYPE, token.pk, ["expires_at", "name"])
    return token, raw


@transaction.atomic
def revoke_token(actor: User, token_id: int) -> None:
    """Revoke one of the actor's own tokens. Raises ApiToken.DoesNotExist for another user's token or an unknown id;
    revoking a token revoked already changes nothing."""
    _require_staff(actor)
    token = ApiToken.objects.get(pk=token_id, user=actor)
    if ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now()):
        record(actor, Action.CHANGE, OBJECT_TYPE, token.pk, ["revoked_at"])
        forget_valid_tokens()


@dataclass(frozen=True, slots=True)
class TokenUse:
    """Who a request's token belongs to."""

    token_id: int
    user_id: int


@functools.cache
def _lookup_sql() -> str:
    """One query that finds the token by its prefix and keeps it only while it may be used (see the module's
    docstring), in the placeholder style of the database driver (see _fetch_token_row). It runs on every API request,
    so it is plain SQL: building the same query with the ORM costs about 20 times as much (0.6 ms against 0.03 ms on
    a development machine), more than the engine's assessment. Comparing the datetimes in SQL, with parameters adapted
    by the backend, is what the ORM's own lookups do on every supported database (tests run it on SQLite and
    PostgreSQL)."""
    quote = connection.ops.quote_name
    token = {field.name: quote(field.column) for field in ApiToken._meta.concrete_fields}
    user = {field.name: quote(field.column) for field in User._meta.concrete_fields}
    placeholder = "?" if connection.Database.paramstyle == "qmark" else "%s"  # sqlite3: qmark; psycopg: format
    return (
        f"SELECT t.{token['id']}, t.{token['token_hash']}, t.{token['user']}, "
        f"CASE WHEN t.{token['last_used_at']} IS NULL OR t.{token['last_used_at']} <= %s THEN 1 ELSE 0 END, "
        f"CASE WHEN t.{token['expires_at']} IS NULL OR t.{token['expires_at']} > %s THEN 1 ELSE 0 END "
        f"FROM {quote(ApiToken._meta.db_table)} t "
        f"JOIN {quote(User._meta.db_table)} u ON u.{user['id']} = t.{token['user']} "
        f"WHERE t.{token['prefix']} = %s AND t.{token['revoked_at']} IS NULL "
        f"AND (t.{token['expires_at']} IS NULL OR t.{token['expires_at']} > %s) "
        f"AND u.{user['is_active']} = %s AND u.{user['session_generation']} = t.{token['user_generation']} "
        f"AND u.{user['role']} IN ({', '.join(['%s'] * len(API_ROLES))})"
    ).replace("%s", placeholder)


def _fetch_token_row(db: BaseDatabaseWrapper, params: list[object]) -> tuple[object, ...] | None:
    """The row of _lookup_sql(), read through the driver's own cursor on Django's connection. Django's cursor wrapper
    (query logging hooks, placeholder rewriting, per-call checks) costs about four times the query itself here; the
    query is read-only and outside any transaction of ours, and database errors are still raised as Django's."""
    db.ensure_connection()
    with db.wrap_database_errors:
        cursor = db.connection.cursor()
        try:
            cursor.execute(_lookup_sql(), params)
            return cursor.fetchone()
        finally:
            cursor.close()


# Valid tokens this process checked lately: hash -> (owner, time.monotonic() before the check). See the module's
# docstring. Bounded: emptied when full.
_VALID: dict[str, tuple[TokenUse, float]] = {}
_VALID_MAX = 1024


def forget_valid_tokens() -> None:
    """Check every token in the database again: called on any change of a token or an account in this process. At
    once, and again when the change commits, so that a request read between the two keeps nothing it read."""
    _VALID.clear()
    if connection.in_atomic_block:  # outside one, the change is committed already
        transaction.on_commit(_VALID.clear)


def authenticate(raw: str) -> TokenUse | None:
    """The owner of the token `raw` if it may be used now; else None, whatever the reason."""
    if len(raw) != TOKEN_LENGTH or not raw.startswith(TOKEN_START):
        return None
    digest = token_hash(raw)
    recheck = settings.COURTPATH_API_TOKEN_RECHECK_SECONDS
    checked = time.monotonic()
    if recheck > 0:
        remembered = _VALID.get(digest)
        if remembered is not None and checked - remembered[1] < recheck:
            return remembered[0]
    now = timezone.now()
    db = connections[DEFAULT_DB_ALIAS]  # once: each attribute of django.db.connection is a lookup of its own
    adapt = db.ops.adapt_datetimefield_value
    lasting = now + dt.timedelta(seconds=recheck)
    params = [
        adapt(now - LAST_USED_RESOLUTION),
        adapt(lasting),
        raw[:PREFIX_LENGTH],
        adapt(now),
        True,
        *(role.value for role in API_ROLES),
    ]
    row = _fetch_token_row(db, params)
    if row is None or not hmac.compare_digest(row[1], digest):
        return None
    token_id, _hash, user_id, stale, outlasts_recheck = row
    if stale:
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
    use = TokenUse(token_id, user_id)
    if recheck > 0 and outlasts_recheck:
        if len(_VALID) >= _VALID_MAX:
            _VALID.clear()
        _VALID[digest] = (use, checked)
    return use
