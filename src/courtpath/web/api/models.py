"""Personal API tokens: only a SHA-256 hash of each token is stored, with a short prefix to find it by."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)  # the owner's label, e.g. "Spreadsheet macro"
    prefix = models.CharField(max_length=16, unique=True)  # the token's first characters: a lookup key, not secret
    token_hash = models.CharField(max_length=64)  # hex SHA-256 of the whole token
    # The owner's User.session_generation when the token was made: an administrator's change of the account (role,
    # deactivation, password, TOTP reset) or the owner's own password change bumps it, and the token stops working.
    user_generation = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)  # updated at most once a minute

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
