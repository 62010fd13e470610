"""Reads, filtered by role: a lawyer sees the cases assigned to them, intake the requests it created, a coordinator
everything; an administrator manages accounts and sees no case data (least privilege)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from courtpath.web.accounts.models import Role, User
from courtpath.web.cases.models import Assessment, Case, Document, HelpRequest
from courtpath.web.cases.permissions import can_see_statistics


def visible_requests(user: User) -> QuerySet[HelpRequest]:
    requests = HelpRequest.objects.select_related("case")
    if user.role == Role.COORDINATOR:
        return requests
    if user.role == Role.INTAKE:
        return requests.filter(created_by=user)
    return requests.none()


def visible_cases(user: User) -> QuerySet[Case]:
    cases = Case.objects.select_related("lawyer")
    if user.role == Role.COORDINATOR:
        return cases
    if user.role == Role.LAWYER:
        return cases.filter(lawyer=user)
    return cases.none()


def statistics_scope(user: User) -> tuple[QuerySet[Case], QuerySet[HelpRequest]]:
    """All cases and requests, for aggregates only (never listed or opened through this)."""
    if not can_see_statistics(user):
        raise PermissionDenied
    return Case.objects.all(), HelpRequest.objects.all()


def get_request(user: User, code: str) -> HelpRequest:
    try:
        return visible_requests(user).get(code=code)
    except HelpRequest.DoesNotExist:
        raise Http404 from None  # the same answer whether it exists or not


def get_case(user: User, code: str) -> Case:
    try:
        return visible_cases(user).get(code=code)
    except Case.DoesNotExist:
        raise Http404 from None


def get_document(case: Case, pk: int) -> Document:
    document = case.documents.filter(pk=pk).first()
    if document is None:
        raise Http404
    return document


def latest_assessment(case: Case) -> Assessment | None:
    return case.assessments.order_by("-created_at", "-id").first()


def lawyers() -> QuerySet[User]:
    return User.objects.filter(role=Role.LAWYER, is_active=True).order_by("username")
