"""Who may do what with requests and cases. Selectors and services call these; templates only mirror them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from courtpath.web.accounts.models import Role, User


def can_create_request(user: User) -> bool:
    return user.role in (Role.INTAKE, Role.COORDINATOR)


def can_convert_request(user: User) -> bool:
    return user.role == Role.COORDINATOR


def can_work_on_cases(user: User) -> bool:
    return user.role in (Role.LAWYER, Role.COORDINATOR)


def can_assign(user: User) -> bool:
    return user.role == Role.COORDINATOR


def can_delete_case(user: User) -> bool:
    """Deleting shreds the case's key: irreversible, so coordinators only."""
    return user.role == Role.COORDINATOR


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def can_see_statistics(user: User) -> bool:
    """Aggregates only: coordinators, and administrators who report on the organisation's work."""
    return user.role in (Role.COORDINATOR, Role.ADMINISTRATOR)
