"""Writing to the audit log: one call per event, from the service layer (never from templates)."""

from __future__ import annotations

from collections.abc import Iterable

from courtpath.web.audit.models import AuditEvent


def record(actor: object, action: str, object_type: str, object_id: object, fields: Iterable[str] = ()) -> AuditEvent:
    actor_id = getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor_id=actor_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        fields=",".join(sorted(fields))[:400],
    )
