"""Per-case data keys, each stored wrapped (AES-256-GCM) by the master key. Deleting a row shreds its case."""

from __future__ import annotations

import uuid

from django.db import models


class DataKey(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wrapped = models.BinaryField(editable=False)
    master_key_id = models.CharField(max_length=16, editable=False)  # which master key wraps it (a fingerprint)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"data key {self.id}"
