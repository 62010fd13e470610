"""Staff accounts with one role each; the TOTP secret is stored encrypted (see totp.py)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from courtpath.web.accounts import profiles


class Role(models.TextChoices):
    INTAKE = "intake", _("Intake")
    LAWYER = "lawyer", _("Lawyer")
    COORDINATOR = "coordinator", _("Coordinator")
    ADMINISTRATOR = "administrator", _("Administrator")


class AccountManager(UserManager):
    def find(self, username: str) -> User | None:
        """The account a typed username names: the one stored with exactly this spelling, else the one stored under
        its canonical form (accounts.usernames). Names are stored canonical, except for accounts from before that
        rule whose names collide with each other's (migration 0003): those log in with their own spelling."""
        from courtpath.web.accounts.usernames import canonical

        return self.filter(username=username).first() or self.filter(username=canonical(username)).first()

    def get_by_natural_key(self, username: str | None) -> User:
        """What Django's ModelBackend looks the login's username up with."""
        user = self.find(username) if username else None
        if user is None:
            raise self.model.DoesNotExist
        return user


class User(AbstractUser):
    objects = AccountManager()

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.INTAKE)
    must_change_password = models.BooleanField(default=False)
    # When the one-time password stops working (set with it; None: the password was chosen by the user).
    one_time_password_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    totp_secret_encrypted = models.BinaryField(null=True, blank=True, editable=False)
    totp_confirmed = models.BooleanField(default=False)
    totp_last_counter = models.BigIntegerField(default=0)  # rejects a replayed code
    session_generation = models.PositiveIntegerField(default=0, editable=False)  # +1 ends all the user's sessions

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """Bind every session to the password hash and to session_generation.

        Django stores this HMAC in the session at login and compares it on every request; a mismatch ends the
        session. Services bump session_generation when an administrator changes the role, the active flag, the
        TOTP device or the password of an account, which ends all of that user's sessions whatever the session
        backend (ASVS 7.4.2, 7.4.3). A counter, unlike the changed values themselves, cannot come back: a session
        does not revive when an account is deactivated and then reactivated.
        """
        state = f"{self.password}\x1f{self.session_generation}"
        return salted_hmac(
            "courtpath.web.accounts.models.User.get_session_auth_hash", state, secret=secret, algorithm="sha256"
        ).hexdigest()


class DeviceCookie(models.Model):
    """A browser where the user completed a full login (password and TOTP): see accounts/devices.py.

    Only what the check needs: the account, a hash of the cookie's random nonce (the table alone lets nobody forge
    a cookie), the expiry and the failed logins made with it. No address, no browser string.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="device_cookies")
    digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    failures = models.PositiveSmallIntegerField(default=0)


class StaffProfile(models.Model):
    """How a staff member signs the document drafts: name, position and bar details, as printed in documents.

    Stored in clear, unlike case data: a lawyer's name and registry number are what the lawyer shows in court and
    prints on every document; nothing here is about a client. One row per account at most, made on the first save
    (services.save_profile); selectors.draft_profile reads it for the drafts. Only its owner edits it.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, primary_key=True, related_name="staff_profile")
    full_name = models.CharField(  # «Фамилия Имя Отчество»
        max_length=profiles.FULL_NAME_MAX, blank=True, validators=[profiles.validate_full_name]
    )
    position = models.CharField(  # «адвокат»
        max_length=profiles.POSITION_MAX, blank=True, validators=[profiles.validate_printable]
    )
    bar_number = models.CharField(  # the number in the register of advocates, «77/12345»
        max_length=profiles.BAR_NUMBER_MAX, blank=True, validators=[profiles.validate_bar_number]
    )
    bar = models.CharField(  # the bar chamber and the bar association (collegium, bureau, office)
        max_length=profiles.BAR_MAX, blank=True, validators=[profiles.validate_printable]
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"profile of {self.user_id}"
