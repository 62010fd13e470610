"""Changing the organisation's identity: administrators only, audited by the names of the changed fields."""

from __future__ import annotations

from django.db import transaction

from courtpath.web.accounts.permissions import require_administrator
from courtpath.web.audit.models import Action, ObjectType
from courtpath.web.audit.services import record
from courtpath.web.organisation.models import SINGLETON_PK, Identity

EDITABLE_FIELDS = (
    "name_ru",
    "name_en",
    "phone",
    "messenger",
    "email",
    "address_ru",
    "address_en",
    "hours_ru",
    "hours_en",
    "privacy_ru",
    "privacy_en",
    "quick_exit_url",
)


@transaction.atomic
def update_identity(actor: object, values: dict[str, str]) -> list[str]:
    """Store the given values (missing keys keep theirs); the names of the fields that changed, in form order.
    The audit event names those fields, never their values; nothing is written when nothing changed."""
    require_administrator(actor)
    stored = Identity.objects.select_for_update().filter(pk=SINGLETON_PK).first()
    identity = stored or Identity(pk=SINGLETON_PK)
    changed = [field for field in EDITABLE_FIELDS if field in values and getattr(identity, field) != values[field]]
    if not changed:
        return []
    for field in changed:
        setattr(identity, field, values[field])
    identity.full_clean()
    identity.save()
    record(actor, Action.CREATE if stored is None else Action.CHANGE, ObjectType.ORGANISATION, SINGLETON_PK, changed)
    return changed
