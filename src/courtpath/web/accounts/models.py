"""Staff accounts with one role each; the TOTP secret is stored encrypted (see totp.py)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    INTAKE = "intake", _("Intake")
    LAWYER = "lawyer", _("Lawyer")
    COORDINATOR = "coordinator", _("Coordinator")
    ADMINISTRATOR = "administrator", _("Administrator")


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.INTAKE)
    must_change_password = models.BooleanField(default=False)
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
