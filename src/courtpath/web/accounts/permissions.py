"""Who may manage accounts: active administrators only. Selectors and services call this; views and templates only
mirror it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


def is_administrator(actor: object) -> bool:
    return bool(
        getattr(actor, "is_authenticated", False)
        and getattr(actor, "is_active", False)
        and getattr(actor, "is_administrator", False)
    )


def require_administrator(actor: object) -> None:
    if not is_administrator(actor):
        raise PermissionDenied
