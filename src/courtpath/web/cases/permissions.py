"""Who may do what with requests and cases. Selectors and services call these; templates only mirror them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from courtpath.web.accounts.models import Role, User

if TYPE_CHECKING:
    from courtpath.web.cases.models import HelpRequest


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


def can_open_request(user: User, request: HelpRequest) -> bool:
    """Coordinators open every request; intake the requests it took or is assigned to triage; a lawyer the request a
    case assigned to them came from (its family's words and answers). The selectors filter by the same rule."""
    if user.role == Role.COORDINATOR:
        return True
    if user.role == Role.INTAKE:
        return user.pk in (request.created_by_id, request.assignee_id)
    if user.role == Role.LAWYER:
        case = getattr(request, "case", None)
        return case is not None and case.lawyer_id == user.pk
    return False


def can_triage_request(user: User, request: HelpRequest) -> bool:
    """Taking a request into review (or back to new): a coordinator, or the intake worker assigned to it."""
    return user.role == Role.COORDINATOR or (user.role == Role.INTAKE and request.assignee_id == user.pk)


def can_assign_request(user: User) -> bool:
    """Choosing who triages a request: coordinators."""
    return user.role == Role.COORDINATOR


def can_be_request_assignee(user: User) -> bool:
    return user.is_active and user.role in (Role.INTAKE, Role.COORDINATOR)


def can_dispose_of_request(user: User, request: HelpRequest) -> bool:
    """Declining or deleting a request: a coordinator's, and only while it has not become a case (then the case is
    what gets deleted)."""
    return can_delete_case(user) and not hasattr(request, "case")


def can_export_case_list(user: User) -> bool:
    """The case list as a file, client names included: coordinators only. A lawyer sees their own cases on the
    page; a file of names is what a seized laptop or a forwarded attachment leaks, so the fewest people can make one."""
    return user.role == Role.COORDINATOR


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def can_see_statistics(user: User) -> bool:
    """Aggregates only: coordinators, and administrators who report on the organisation's work."""
    return user.role in (Role.COORDINATOR, Role.ADMINISTRATOR)


def sees_exact_statistics(user: User) -> bool:
    """Exact counts only for those who can open every case they count (coordinators). Others (administrators) get
    small counts suppressed (statistics/protected.py): a count of 1 beside a part, a month and a region is a case."""
    return can_see_statistics(user) and user.role == Role.COORDINATOR
