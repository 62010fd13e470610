"""Manual deadlines and events of a case (a hearing, a summons, an interview with the investigator), and each user's
ways of being reminded: the daily digest by e-mail and a calendar feed at a secret address.

An item's moment and note are sealed with its case's data key, like the case's facts: a hearing's date and time,
matched against a court's public list of hearings, could name the serviceman (docs/threat-model.md §12). Only its
kind, whether it is done and the workflow times stay in clear.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from courtpath.web.cases.models import Case, data_key_column, sealed_column
from courtpath.web.vault.sealed import SealedEntry, SealedField, SealedModel


class Kind(models.TextChoices):
    HEARING = "hearing", _("Court hearing")
    SUMMONS = "summons", _("Summons")
    INVESTIGATOR = "investigator", _("Interview with the investigator")
    APPEAL_DEADLINE = "appeal_deadline", _("Appeal deadline")
    OTHER = "other", _("Other date")


class AgendaItem(SealedModel):
    """A date entered by hand on a case: a moment (or a whole day), its kind and a note."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="agenda_items")
    data_key = data_key_column()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    done = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    when_sealed = sealed_column()
    note_sealed = sealed_column()

    when = SealedField("json")
    at = SealedEntry("when", "datetime")  # aware; for a whole day, 00:00 Moscow time of that day
    all_day = SealedEntry("when", "bool", False)
    note = SealedField()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["case", "done"])]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.pk}"


class CalendarFeed(models.Model):
    """A user's calendar feed: only the SHA-256 of its secret token is kept (agenda/feeds.py)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds")
    token_hash = models.CharField(max_length=64, unique=True)
    # The owner's User.session_generation when it was made: a role change, deactivation or password reset ends it.
    user_generation = models.PositiveIntegerField()
    language = models.CharField(max_length=5)  # of the events' titles: the page's language when it was made
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    window_started_at = models.DateTimeField(null=True, blank=True)  # the rate limit's current hour
    window_fetches = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]


class DigestSubscription(SealedModel):
    """A user who asked for the daily digest by e-mail. The address is staff's personal data: sealed with a data
    key of its own, shredded when the user stops the digest."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest")
    data_key = data_key_column()
    language = models.CharField(max_length=5)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sent_on = models.DateField(null=True, blank=True)  # one digest a day, however often the command runs
    address_sealed = sealed_column()

    address = SealedField()
