"""The append-only audit log: who did what to which object, and when; never a value, never personal data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Action(models.TextChoices):
    CREATE = "create", _("created")
    CHANGE = "change", _("changed")
    DELETE = "delete", _("deleted")
    VIEW = "view", _("opened")
    EXPORT = "export", _("exported")
    LOGIN = "login", _("logged in")
    LOGIN_FAILED = "2fa_failed", _("failed the second factor")
    LOGOUT = "logout", _("logged out")


class ObjectType(models.TextChoices):
    """What an event is about (`AuditEvent.object_type`); names lower case, as they stand in the log's sentences."""

    CASE = "case", pgettext_lazy("audit log object", "case")
    REQUEST = "request", pgettext_lazy("audit log object", "request")
    NOTE = "note", pgettext_lazy("audit log object", "note")
    DOCUMENT = "document", pgettext_lazy("audit log object", "document")
    ASSESSMENT = "assessment", pgettext_lazy("audit log object", "assessment")
    DRAFT = "draft", pgettext_lazy("audit log object", "draft")
    USER = "user", pgettext_lazy("audit log object", "account")
    API_TOKEN = "api_token", pgettext_lazy("audit log object", "API token")
    STATISTICS = "statistics", pgettext_lazy("audit log object", "statistics")
    AUDIT_LOG = "audit_log", pgettext_lazy("audit log object", "audit log")
    BACKUP = "backup", _("backup")
    ORGANISATION = "organisation", _("organisation's public details")
    AGENDA_ITEM = "agenda_item", _("date of a case")
    CALENDAR_FEED = "calendar_feed", _("calendar feed")
    DIGEST = "digest", _("daily digest")


class AppendOnlyError(RuntimeError):
    pass


class AuditEvent(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=10, choices=Action.choices)
    object_type = models.CharField(max_length=30)
    object_id = models.CharField(max_length=40)
    fields = models.CharField(max_length=400, blank=True)  # names of changed fields, never their values

    class Meta:
        ordering = ["-at", "-id"]

    @property
    def object_type_label(self) -> str:
        """The translated name of the object type (an unknown type as it is stored)."""
        return str(ObjectType(self.object_type).label) if self.object_type in ObjectType.values else self.object_type

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise AppendOnlyError("audit events cannot be changed")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events cannot be deleted")
