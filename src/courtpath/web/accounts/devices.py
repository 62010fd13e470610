"""Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device Cookies"): a locked username does not lock
out its owner.

Five failed logins lock a username for an hour (django-axes, settings.AXES_*), whoever made them: anyone who knows
a username could keep its owner out. So a browser where the user completed a full login (password and TOTP code)
gets a device cookie, and a login that presents a valid device cookie of the account typed is not subject to the
username's lockout (django-axes' AXES_WHITELIST_CALLABLE, below): it still needs the right password and code. Its
own failures are counted on the cookie instead; at settings.AXES_FAILURE_LIMIT the cookie stops working, and that
browser is back under the username's lockout. A login without a valid device cookie is throttled as before.

The cookie holds a random nonce signed with the server's secret key (HMAC, django.core.signing) and its date; the
database keeps a SHA-256 hash of the nonce with the account, the expiry and the failure count (models.DeviceCookie),
so an administrator can revoke a user's cookies (reset of the authenticator app, one-time password, deactivation).
A forged, altered, expired, revoked or another account's cookie counts as no cookie. Each full login replaces the
browser's cookie with a new one. The cookie names no one: HttpOnly, SameSite=Strict, Secure under HTTPS, 180 days.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core import signing
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from courtpath.web.accounts.models import DeviceCookie, User

COOKIE_NAME = "courtpath_device"
LIFETIME = dt.timedelta(days=180)
_SALT = "courtpath.web.accounts.devices"
_MAX_COOKIE_LENGTH = 200  # a signed nonce is about 90 characters
_CACHE = "_courtpath_device_cookie"  # the request's DeviceCookie (or None), looked up once per request
_ISSUED = "_courtpath_device_cookie_issued"  # the value to send with the response of a full login


def _digest(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=_SALT)


def _presented(request: HttpRequest) -> DeviceCookie | None:
    """The live DeviceCookie the request's cookie opens, or None."""
    if hasattr(request, _CACHE):
        return getattr(request, _CACHE)
    row = None
    value = request.COOKIES.get(COOKIE_NAME, "")
    if value and len(value) <= _MAX_COOKIE_LENGTH:
        try:
            nonce = _signer().unsign(value, max_age=LIFETIME)
        except signing.BadSignature:  # forged, altered or too old (SignatureExpired is a BadSignature)
            nonce = None
        if nonce:
            row = (
                DeviceCookie.objects.select_related("user")
                .filter(digest=_digest(nonce), expires_at__gt=timezone.now())
                .first()
            )
    setattr(request, _CACHE, row)
    return row


def trusted_for(request: HttpRequest, username: str) -> DeviceCookie | None:
    """The request's device cookie if it belongs to the active account that `username` names, else None."""
    row = _presented(request)
    if row is None or not row.user.is_active:
        return None
    named = User.objects.find(username)
    return row if named is not None and named.pk == row.user_id else None


def axes_whitelisted(request: HttpRequest, credentials: dict[str, object] | None = None) -> bool:
    """django-axes' AXES_WHITELIST_CALLABLE: a login with a valid device cookie of the account typed is neither
    stopped by the username's lockout nor counted towards it (record_failure counts it on the cookie)."""
    source = credentials if credentials else getattr(request, "POST", {})
    username = source.get("username") if source else None
    return bool(username) and trusted_for(request, str(username)) is not None


def record_failure(request: HttpRequest, username: str) -> bool:
    """Count a failed password or code made with a device cookie of `username`'s account; True when this failure
    used up the cookie (it no longer works: the username's lockout applies again)."""
    row = trusted_for(request, username)
    if row is None:
        return False
    DeviceCookie.objects.filter(pk=row.pk).update(failures=F("failures") + 1)
    failures = DeviceCookie.objects.filter(pk=row.pk).values_list("failures", flat=True).first()
    if failures is None or failures >= settings.AXES_FAILURE_LIMIT:
        DeviceCookie.objects.filter(pk=row.pk).delete()
        setattr(request, _CACHE, None)
        return True
    return False


def issue(request: HttpRequest, user: User) -> None:
    """After a full login: a new device cookie for this browser (replacing the one it presented, if any), sent by
    attach(). The user's expired cookies are deleted on the way."""
    now = timezone.now()
    previous = _presented(request)
    stale = DeviceCookie.objects.filter(user=user, expires_at__lte=now)
    if previous is not None:
        stale = stale | DeviceCookie.objects.filter(pk=previous.pk)
    stale.delete()
    nonce = secrets.token_urlsafe(32)
    DeviceCookie.objects.create(user=user, digest=_digest(nonce), expires_at=now + LIFETIME)
    setattr(request, _ISSUED, _signer().sign(nonce))
    setattr(request, _CACHE, None)


def attach(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Send the device cookie issued during this request, if any."""
    value = getattr(request, _ISSUED, None)
    if value:
        response.set_cookie(
            COOKIE_NAME,
            value,
            max_age=int(LIFETIME.total_seconds()),
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Strict",
        )
    return response


def revoke_all(user: User) -> None:
    """No browser of this user is trusted any more (their next login from anywhere is throttled as unknown)."""
    DeviceCookie.objects.filter(user=user).delete()
