"""Writing to the audit log: one call per event (or one per batch of like events), from the service layer (never
from templates)."""

from __future__ import annotations

from collections.abc import Iterable

from courtpath.logsafe import escape
from courtpath.web.audit.models import AuditEvent


def _event(actor: object, action: str, object_type: str, object_id: object, fields: Iterable[str]) -> AuditEvent:
    actor_id = getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None
    return AuditEvent(
        actor_id=actor_id,
        action=action,
        object_type=escape(object_type)[:30],
        object_id=escape(str(object_id))[:40],
        fields=",".join(sorted(escape(field) for field in fields))[:400],
    )


def record(actor: object, action: str, object_type: str, object_id: object, fields: Iterable[str] = ()) -> AuditEvent:
    """One event. Its texts are the code's own (codes, ids, field names); escaped all the same, so that no value could
    ever put a line break or a reordering mark into the log's page or its CSV."""
    event = _event(actor, action, object_type, object_id, fields)
    event.save()
    return event


def record_each(
    actor: object, action: str, object_type: str, object_ids: Iterable[object], fields: Iterable[str] = ()
) -> list[AuditEvent]:
    """One event per object, as `record` writes it, inserted together (a periodic job over thousands of cases)."""
    names = tuple(fields)
    return AuditEvent.objects.bulk_create([_event(actor, action, object_type, oid, names) for oid in object_ids])
