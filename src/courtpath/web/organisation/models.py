"""The organisation's public identity: its name, contacts, hours and privacy notice, in Russian and English.

These are public facts printed on every public page and in the PDF of a result, so they are stored in clear (not
sealed). There is one row at most (pk=1); until an administrator saves it, the public pages show neutral defaults
(selectors.public_identity).
"""

from __future__ import annotations

from django.db import models

SINGLETON_PK = 1
DEFAULT_QUICK_EXIT_URL = "https://www.gismeteo.ru/"  # a weather site: neutral to whoever looks at the screen


class Identity(models.Model):
    name_ru = models.CharField(max_length=200, blank=True)
    name_en = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=60, blank=True)
    messenger = models.CharField(max_length=100, blank=True)  # a Telegram or Signal handle, as the public types it
    email = models.EmailField(max_length=200, blank=True)
    address_ru = models.CharField(max_length=300, blank=True)
    address_en = models.CharField(max_length=300, blank=True)
    hours_ru = models.CharField(max_length=200, blank=True)
    hours_en = models.CharField(max_length=200, blank=True)
    privacy_ru = models.TextField(max_length=4000, blank=True)
    privacy_en = models.TextField(max_length=4000, blank=True)
    quick_exit_url = models.URLField(max_length=300, default=DEFAULT_QUICK_EXIT_URL)
    updated_at = models.DateTimeField(auto_now=True)

    def save(self, *args: object, **kwargs: object) -> None:
        self.pk = SINGLETON_PK
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def __str__(self) -> str:
        return self.name_ru or self.name_en or "organisation"
