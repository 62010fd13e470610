"""Reading the audit log: administrators only."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from courtpath.web.accounts.models import User
from courtpath.web.audit.models import AuditEvent


def audit_events(user: object) -> QuerySet[AuditEvent]:
    if not getattr(user, "is_administrator", False):
        raise PermissionDenied
    return AuditEvent.objects.select_related("actor")


# The names of the fields the log records (never their values), as the log's reader reads them. A case's fields are
# named as its facts form names them; a name known nowhere is shown as it is stored.
FIELD_LABELS = {
    "role": _("role"),
    "username": _("username"),
    "is_active": _("active"),
    "totp": _("second factor"),
    "password": _("password"),
    "stage": _("stage"),
    "lawyer": _("lawyer"),
    "declined": _("declined"),
    "bulk": _("bulk deletion"),
    "retention": _("retention period"),
    "expires_at": _("expiry"),
    "name": _("token name"),
    "revoked_at": _("revoked"),
    "edit_form": _("facts form"),
    "print": _("print view"),
}


@dataclass(frozen=True)
class EventRow:
    """One line of the log page: the account's username rather than its number, the fields by their names."""

    event: AuditEvent
    object_name: str
    fields: str


def _field_label(name: str) -> str:
    if name in FIELD_LABELS:
        return str(FIELD_LABELS[name])
    from courtpath.web.cases.forms import CaseForm  # the case's fields, named as its form names them

    field = CaseForm.base_fields.get(name)
    return str(field.label).lower() if field is not None and field.label else name


def event_rows(events: Iterable[AuditEvent]) -> list[EventRow]:
    """The events of a page, with the usernames of the accounts they are about (one query for the page)."""
    events = list(events)
    ids = {int(e.object_id) for e in events if e.object_type == "user" and e.object_id.isdigit()}
    names = dict(User.objects.filter(pk__in=ids).values_list("pk", "username")) if ids else {}
    rows = []
    for e in events:
        name = e.object_id
        if e.object_type == "user" and e.object_id.isdigit() and int(e.object_id) in names:
            name = names[int(e.object_id)]
        rows.append(EventRow(e, name, ", ".join(_field_label(f) for f in e.fields.split(",") if f)))
    return rows
