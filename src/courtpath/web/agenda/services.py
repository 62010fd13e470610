"""Every write of manual dates: permission check, change, audit event. The audit row names the case code, the item
and its kind, never its date or note."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from courtpath.web.accounts.models import User
from courtpath.web.agenda.models import AgendaItem, Kind
from courtpath.web.agenda.permissions import may_edit_items
from courtpath.web.audit.models import Action
from courtpath.web.audit.services import record
from courtpath.web.cases.models import Case
from courtpath.web.cases.permissions import require

OBJECT_TYPE = "agenda_item"
NOTE_MAX = 2000


def _audit(user: User, action: str, item: AgendaItem, fields: list[str]) -> None:
    record(user, action, OBJECT_TYPE, f"{item.case.code}/{item.pk}", fields)


def _check(kind: str, at: dt.datetime, note: str) -> None:
    if kind not in Kind.values:
        raise ValueError(f"unknown kind {kind!r}")
    if at.utcoffset() is None:
        raise ValueError("the moment needs its time zone")
    if len(note) > NOTE_MAX:
        raise ValueError("the note is too long")


@transaction.atomic
def add_item(user: User, case: Case, *, kind: str, at: dt.datetime, all_day: bool, note: str = "") -> AgendaItem:
    require(may_edit_items(user, case))
    _check(kind, at, note)
    item = AgendaItem.objects.create(
        case=case, data_key=case.data_key, kind=kind, created_by=user, at=at, all_day=all_day, note=note
    )
    _audit(user, Action.CREATE, item, [kind])
    return item


@transaction.atomic
def update_item(
    user: User, item: AgendaItem, *, kind: str, at: dt.datetime, all_day: bool, note: str = ""
) -> AgendaItem:
    """Change an item; the audit row names what changed (kind, when, note) and the kind."""
    require(may_edit_items(user, item.case))
    _check(kind, at, note)
    changed = []
    if item.kind != kind:
        item.kind = kind
        changed.append("kind")
    if (item.at, item.all_day) != (at, all_day):
        item.at, item.all_day = at, all_day
        changed.append("when")
    if item.note != note:
        item.note = note
        changed.append("note")
    if changed:
        item.save()
        _audit(user, Action.CHANGE, item, [*changed, item.kind])
    return item


@transaction.atomic
def set_done(user: User, item: AgendaItem, done: bool) -> AgendaItem:
    require(may_edit_items(user, item.case))
    if item.done != done:
        item.done = done
        item.save(update_fields=["done", "updated_at"])
        _audit(user, Action.CHANGE, item, ["done", item.kind])
    return item


@transaction.atomic
def delete_item(user: User, item: AgendaItem) -> None:
    require(may_edit_items(user, item.case))
    _audit(user, Action.DELETE, item, [item.kind])
    item.delete()


def opened(user: User, item: AgendaItem) -> None:
    """The edit form shows the sealed note: logged like the opening of a case page."""
    require(may_edit_items(user, item.case))
    _audit(user, Action.VIEW, item, [item.kind])
