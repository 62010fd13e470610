"""Writing accounts and authentication state.

Every function that changes an account checks the actor's permission itself (views only mirror the rules) and writes
one audit event naming the changed fields, never their values. Authentication events are audited too: a completed
login (password and second factor), a logout or session expiry, and a failed second factor. A failed password is
not: the username typed may belong to nobody, or be a password typed into the wrong field; django-axes counts those
failures for the lockout.

The session keys are described in session_state.py.
"""

from __future__ import annotations

import datetime as dt
import enum
import secrets

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import authenticate, update_session_auth_hash
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtpath.web.accounts import devices, totp, usernames
from courtpath.web.accounts.models import Role, StaffProfile, User
from courtpath.web.accounts.permissions import require_administrator
from courtpath.web.accounts.profiles import normalise
from courtpath.web.accounts.session_state import LOGIN_NEXT, SECOND_FACTOR_OK, start_clock
from courtpath.web.audit.models import Action
from courtpath.web.audit.services import record
from courtpath.web.privacy import throttle_name

# audit.Action has no value for a failed authentication yet; this one fits its 10 characters.
ACTION_SECOND_FACTOR_FAILED = "2fa_failed"

# One-time passwords: 20 characters from an alphabet without look-alikes (about 99 bits), in groups of five.
_ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
# A one-time password stops working after this time; an administrator can issue a new one.
ONE_TIME_PASSWORD_LIFETIME = dt.timedelta(hours=24)


def generate_one_time_password() -> str:
    return "-".join("".join(secrets.choice(_ONE_TIME_ALPHABET) for _ in range(5)) for _ in range(4))


# -- logging in and out ---------------------------------------------------------------------------------------------


class OneTimePasswordExpired(Exception):
    """The password was right, but it is a one-time password older than ONE_TIME_PASSWORD_LIFETIME."""


def one_time_password_expired(user: User) -> bool:
    expires = user.one_time_password_expires_at
    return user.must_change_password and expires is not None and expires <= timezone.now()


def _set_one_time_password(user: User) -> str:
    password = generate_one_time_password()
    user.set_password(password)
    user.must_change_password = True
    user.one_time_password_expires_at = timezone.now() + ONE_TIME_PASSWORD_LIFETIME
    return password


def authenticate_password(request: HttpRequest, username: str, password: str) -> User | None:
    """The active user with this username and password, or None (also while django-axes locks the username and the
    browser has no device cookie of the account, see devices.py). Raises OneTimePasswordExpired."""
    user = authenticate(request, username=username, password=password)
    if not isinstance(user, User):
        devices.record_failure(request, username)  # counted on the device cookie, if one of this account's
        return None
    if one_time_password_expired(user):
        raise OneTimePasswordExpired
    return user


def start_session(request: HttpRequest, user: User, next_url: str | None = None) -> None:
    """First step of a login, after the password: a fresh session (new key), the second factor still to come."""
    request.session.flush()  # nothing from before the login survives, whatever it was
    auth_login(request, user)  # rotates the session key again and the CSRF token
    start_clock(request.session)
    if next_url:
        request.session[LOGIN_NEXT] = next_url


class SecondFactorResult(enum.Enum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    LOCKED_OUT = "locked_out"


def _is_locked_out(request: HttpRequest, user: User) -> bool:
    """Locked by django-axes, unless the browser has a valid device cookie of this account (AXES_WHITELIST_CALLABLE)."""
    return bool(settings.AXES_ENABLED) and not AxesProxyHandler.is_allowed(request, {"username": user.get_username()})


def _complete_login(request: HttpRequest, user: User) -> None:
    request.session.cycle_key()  # a new session key for the elevated session
    request.session[SECOND_FACTOR_OK] = True
    # Failed passwords and codes count together towards the lockout; only a completed login clears them
    # (settings.AXES_RESET_ON_SUCCESS is off, or the password step alone would clear the failed codes). A login
    # through a device cookie leaves them: it was not subject to them, and must not lift a stranger's lockout.
    if devices.trusted_for(request, user.get_username()) is None:
        AxesProxyHandler.reset_attempts(username=throttle_name(user.get_username()))
    devices.issue(request, user)
    record(user, Action.LOGIN, "user", user.pk)


def check_second_factor(request: HttpRequest, user: User, code: str) -> SecondFactorResult:
    """Second step of a login. A wrong code counts as a failed login for django-axes; at the limit the username is
    locked out and the half-open session is ended, so the next try starts again with the password."""
    if _is_locked_out(request, user):
        auth_logout(request)
        return SecondFactorResult.LOCKED_OUT
    if totp.verify(user, code):
        _complete_login(request, user)
        return SecondFactorResult.ACCEPTED
    record(user, ACTION_SECOND_FACTOR_FAILED, "user", user.pk, ["totp"])
    device_used_up = devices.record_failure(request, user.get_username())
    user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)
    if device_used_up or getattr(request, "axes_locked_out", False):
        auth_logout(request)
        return SecondFactorResult.LOCKED_OUT
    return SecondFactorResult.REJECTED


def end_session(request: HttpRequest, *, reason: str | None = None) -> None:
    """Log out: audit it, then drop the session on the server (not only the cookie)."""
    user = request.user
    if user.is_authenticated:
        record(user, Action.LOGOUT, "user", user.pk, [reason] if reason else [])
    auth_logout(request)


# -- the user's own account -----------------------------------------------------------------------------------------


def may_enrol(user: User) -> bool:
    """Enrolling a TOTP device needs a login with a one-time password (new account, or after a reset, which issues
    one): the user's own password alone must not be enough to put a new second factor on the account."""
    return not user.totp_confirmed and user.must_change_password and not one_time_password_expired(user)


def begin_enrolment(user: User) -> str:
    """The pending TOTP secret of a user who has no confirmed device, created (encrypted) on the first call."""
    if user.totp_confirmed:
        raise ValidationError(_("A TOTP device is already set up for this account."), code="enrolled")
    if not may_enrol(user):
        raise ValidationError(_("Ask an administrator for a one-time password to set up your app."), code="no_otp")
    if not user.totp_secret_encrypted:
        # Conditional: two pages opened at once must not each store a different secret.
        User.objects.filter(pk=user.pk, totp_secret_encrypted__isnull=True).update(
            totp_secret_encrypted=totp.encrypt_secret(totp.new_secret())
        )
        user.refresh_from_db(fields=["totp_secret_encrypted"])
    return totp.decrypt_secret(user.totp_secret_encrypted)


def confirm_enrolment(request: HttpRequest, user: User, code: str) -> bool:
    """Confirm the pending secret with a code from the app; proving the new device also completes this login."""
    if not may_enrol(user) or not totp.verify(user, code):
        return False
    user.totp_confirmed = True
    user.save(update_fields=["totp_confirmed"])
    record(user, Action.CHANGE, "user", user.pk, ["totp"])
    _complete_login(request, user)
    return True


def change_password(request: HttpRequest, user: User, new_password: str) -> None:
    """Set the user's own new password (already checked by the validators): the user's other sessions end, this
    one stays valid."""
    user.set_password(new_password)
    user.must_change_password = False
    user.one_time_password_expires_at = None
    user.session_generation += 1
    user.save(update_fields=["password", "must_change_password", "one_time_password_expires_at", "session_generation"])
    update_session_auth_hash(request, user)
    record(user, Action.CHANGE, "user", user.pk, ["password"])


# -- administration -------------------------------------------------------------------------------------------------


def _validate_role(role: str) -> None:
    if role not in Role.values:
        raise ValidationError(_("Choose a valid role."), code="role")


def _create_account(username: str, role: str) -> tuple[User, str]:
    """The username is stored canonical; taken names and look-alikes of existing ones are refused (usernames.py)."""
    username = usernames.validate_new(username, User.objects.values_list("username", flat=True))
    _validate_role(role)
    user = User(username=username, role=role)
    password = _set_one_time_password(user)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # created by a concurrent request since the check above
        raise ValidationError(_("An account with this username already exists."), code="duplicate") from None
    return user, password


@transaction.atomic
def create_first_administrator(username: str) -> tuple[User, str]:
    """The first account, for `courtpath web init`: an administrator with a one-time password.

    At the first login the administrator sets up TOTP, then chooses a password. Raises ValidationError (see
    `error.messages`) when the username is invalid or when any account exists already.
    """
    if User.objects.exists():
        raise ValidationError(
            _("Accounts exist already: an administrator creates further accounts in the web app."), code="not_first"
        )
    user, password = _create_account(username, Role.ADMINISTRATOR)
    record(None, Action.CREATE, "user", user.pk, ["role", "username"])
    return user, password


@transaction.atomic
def create_user(actor: User, username: str, role: str) -> tuple[User, str]:
    """A new account and its one-time password, to be shown once and then changed by the user at the first login."""
    require_administrator(actor)
    user, password = _create_account(username, role)
    record(actor, Action.CREATE, "user", user.pk, ["role", "username"])
    return user, password


def _require_other(actor: User, target: User) -> None:
    # Administrators never change their own role, state or factors here; as the actor stays an active
    # administrator, there is always at least one.
    if actor.pk == target.pk:
        raise ValidationError(_("You cannot change your own account here."), code="self")


def change_role(actor: User, target: User, role: str) -> None:
    require_administrator(actor)
    _require_other(actor, target)
    _validate_role(role)
    if target.role != role:
        target.role = role
        target.session_generation += 1  # ends the user's sessions (see User._get_session_auth_hash)
        target.save(update_fields=["role", "session_generation"])
        record(actor, Action.CHANGE, "user", target.pk, ["role"])


def set_active(actor: User, target: User, active: bool) -> None:
    require_administrator(actor)
    _require_other(actor, target)
    if target.is_active != active:
        target.is_active = active
        target.session_generation += 1
        target.save(update_fields=["is_active", "session_generation"])
        devices.revoke_all(target)
        record(actor, Action.CHANGE, "user", target.pk, ["is_active"])


def reset_totp(actor: User, target: User) -> str:
    """Forget the user's TOTP device and replace their password with a one-time password (returned, to be given to
    the user over a safe channel): their sessions and device cookies end, and the next login, with that one-time
    password, sets up a new device. Whoever knows only the old password cannot put their own device on the account.
    """
    require_administrator(actor)
    _require_other(actor, target)
    target.totp_secret_encrypted = None
    target.totp_confirmed = False
    password = _set_one_time_password(target)
    target.session_generation += 1
    target.save(
        update_fields=[
            "totp_secret_encrypted",
            "totp_confirmed",
            "password",
            "must_change_password",
            "one_time_password_expires_at",
            "session_generation",
        ]
    )
    devices.revoke_all(target)
    record(actor, Action.CHANGE, "user", target.pk, ["totp", "password"])
    return password


def issue_one_time_password(actor: User, target: User) -> str:
    """Replace a forgotten password with a one-time password; the TOTP device stays, so this bypasses no factor."""
    require_administrator(actor)
    _require_other(actor, target)
    password = _set_one_time_password(target)
    target.session_generation += 1
    target.save(
        update_fields=["password", "must_change_password", "one_time_password_expires_at", "session_generation"]
    )
    devices.revoke_all(target)
    record(actor, Action.CHANGE, "user", target.pk, ["password"])
    return password


# -- the staff member's own profile ---------------------------------------------------------------------------------

PROFILE_FIELDS = ("full_name", "position", "bar_number", "bar")


@transaction.atomic
def save_profile(user: User, **fields: str) -> list[str]:
    """Store the user's own profile (the row is made on the first save); keys left out keep their value.

    Only its owner changes a profile, so the account given is both the actor and the object: there is no way here to
    write someone else's. Each text is tidied (profiles.normalise) and validated (raises ValidationError, nothing is
    stored). Returns the names of the fields that changed; the audit event names them, prefixed `profile_`, never
    their values, and nothing is written when nothing changed.
    """
    if not (getattr(user, "is_authenticated", False) and getattr(user, "is_active", False) and user.pk):
        raise PermissionDenied
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"not a profile field: {', '.join(sorted(unknown))}")
    stored = StaffProfile.objects.select_for_update().filter(user=user).first()
    profile = stored or StaffProfile(user=user)
    values = {name: normalise(str(value)) for name, value in fields.items()}
    changed = [name for name in PROFILE_FIELDS if name in values and getattr(profile, name) != values[name]]
    if not changed:
        return []
    for name in changed:
        setattr(profile, name, values[name])
    profile.full_clean()
    profile.save()
    record(user, Action.CHANGE, "user", user.pk, [f"profile_{name}" for name in changed])
    return changed
