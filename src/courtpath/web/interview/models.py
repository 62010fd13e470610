"""The one thing the public interview keeps: which "ask" forms were already sent, as keyed hashes.

A row holds no token, only HMAC(server key, token), and the hour after which the token is refused anyway (its
signature has expired), so that expired rows can be dropped. Nothing in it says who sent what: it is not linked to
the request it allowed.
"""

from __future__ import annotations

from django.db import models


class SpentToken(models.Model):
    digest = models.CharField(max_length=64, unique=True)  # hex HMAC-SHA256 of the token
    expires = models.DateTimeField(db_index=True)  # rounded up to the hour: no exact time the form was served

    def __str__(self) -> str:
        return self.digest[:8]
