"""Reading the audit log: administrators only."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from courtpath.web.audit.models import AuditEvent


def audit_events(user: object) -> QuerySet[AuditEvent]:
    if not getattr(user, "is_administrator", False):
        raise PermissionDenied
    return AuditEvent.objects.select_related("actor")
