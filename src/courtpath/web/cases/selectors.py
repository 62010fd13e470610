"""Reads, filtered by role: a lawyer sees the cases assigned to them, intake the requests it created, a coordinator
everything; an administrator manages accounts and sees no case data (least privilege)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtpath.web.accounts.models import Role, User
from courtpath.web.audit.models import Action, AuditEvent
from courtpath.web.cases.models import (
    OPEN_STAGES,
    Assessment,
    Case,
    CaseEvent,
    Document,
    HelpRequest,
    Note,
    RequestStatus,
)
from courtpath.web.cases.permissions import can_see_statistics


def visible_requests(user: User) -> QuerySet[HelpRequest]:
    """The rule of permissions.can_open_request as a query: coordinators all; intake what it took or triages; a
    lawyer the requests their cases came from."""
    requests = HelpRequest.objects.select_related("case", "assignee")
    if user.role == Role.COORDINATOR:
        return requests
    if user.role == Role.INTAKE:
        return requests.filter(Q(created_by=user) | Q(assignee=user))
    if user.role == Role.LAWYER:
        return requests.filter(case__lawyer=user)
    return requests.none()


def listed_requests(user: User, status: str | None = None, held: bool = False) -> QuerySet[HelpRequest]:
    """The request list: the visible requests (only the held ones with `held`), at `status` when it is one."""
    requests = held_requests(user) if held else visible_requests(user)
    if status in RequestStatus.values:
        requests = requests.filter(status=status)
    return requests.select_related("data_key")  # the previews open each summary: no query per row for its key


PREVIEW_CHARACTERS = 80


def request_preview(request: HelpRequest) -> str:
    """The first PREVIEW_CHARACTERS characters of what the person wrote, on one line (coordinators' list only)."""
    text = " ".join(request.summary.split())
    return text if len(text) <= PREVIEW_CHARACTERS else text[: PREVIEW_CHARACTERS - 1] + "…"


def request_assignees() -> QuerySet[User]:
    """Who may triage a request: active coordinators and intake workers."""
    return User.objects.filter(role__in=[Role.COORDINATOR, Role.INTAKE], is_active=True).order_by("username")


def selected_requests(user: User, codes: list[str]) -> QuerySet[HelpRequest]:
    """The visible requests among `codes` that can still be declined or deleted (no case), oldest first."""
    return visible_requests(user).filter(code__in=codes[:MAX_SELECTED], case__isnull=True).order_by("created_at", "pk")


MAX_SELECTED = 200


def visible_cases(user: User) -> QuerySet[Case]:
    cases = Case.objects.select_related("lawyer")
    if user.role == Role.COORDINATOR:
        return cases
    if user.role == Role.LAWYER:
        return cases.filter(lawyer=user)
    return cases.none()


def waiting_requests(user: User) -> QuerySet[HelpRequest]:
    """The visible requests still to be dealt with (new or in review), not held as a probable flood (those are
    counted apart: held_requests)."""
    return visible_requests(user).filter(
        case__isnull=True, status__in=[RequestStatus.NEW, RequestStatus.IN_REVIEW], held=False
    )


def held_requests(user: User) -> QuerySet[HelpRequest]:
    """Visible public requests that arrived past the hourly number and have not become a case."""
    return visible_requests(user).filter(case__isnull=True, held=True)


def bulk_deletable_requests(
    user: User, since: dt.datetime, until: dt.datetime, held_only: bool = True
) -> QuerySet[HelpRequest]:
    """What a bulk deletion takes: the visible requests that arrived between `since` and `until` (and are held, if
    `held_only`), have not become a case and have never been opened by anyone: whoever opened one may have found a
    real request among the junk, so it is left for them to decide."""
    opened = AuditEvent.objects.filter(action=Action.VIEW, object_type="request").values("object_id")
    requests = visible_requests(user).filter(case__isnull=True, created_at__gte=since, created_at__lte=until)
    if held_only:
        requests = requests.filter(held=True)
    return requests.exclude(code__in=opened)


def listed_cases(user: User, stage: str | None = None) -> QuerySet[Case]:
    """The visible cases, only those at `stage` when one is given (the case list's filter)."""
    cases = visible_cases(user)
    if stage:
        cases = cases.filter(stage=stage)
    return cases


def with_latest_assessment(cases: QuerySet[Case], *, answers: bool = True) -> QuerySet[Case]:
    """The cases with their data keys and only their latest assessment (`case.latest_assessments`, a list of at most
    one; see loaded_latest_assessment), loaded with its data key, in two queries whatever the number of cases.

    Without the assessment's data key every assessment opened asks the database for it whenever the per-process key
    cache misses, which it always does on a scan of more cases than keys.CACHE_SIZE (issue 17: 5,000 extra queries per
    page at 5,000 cases). Only the English answer is loaded: the Russian one (half the bytes) is not read here; with
    `answers=False`, neither (the dashboard loads those it needs: assessment_answers)."""
    newest = Assessment.objects.filter(case=OuterRef("case")).order_by("-created_at", "-id").values("pk")[:1]
    unread = ("result_ru_sealed",) if answers else ("result_ru_sealed", "result_en_sealed")
    latest = Assessment.objects.filter(pk=Subquery(newest)).select_related("data_key").defer(*unread).order_by()
    return cases.select_related("data_key").prefetch_related(
        Prefetch("assessments", queryset=latest, to_attr="latest_assessments")
    )


def loaded_latest_assessment(case: Case) -> Assessment | None:
    """The latest assessment that with_latest_assessment loaded with the case (no query)."""
    return next(iter(case.latest_assessments), None)  # type: ignore[attr-defined]


def open_cases(user: User) -> QuerySet[Case]:
    """The visible open cases: those with deadlines (a closed case has none: assessments.deadlines, which reads them
    as rows, not models)."""
    return visible_cases(user).filter(stage__in=OPEN_STAGES)


def cases_with_assessments(user: User) -> QuerySet[Case]:
    """The visible open cases with their latest assessment, without its answer (see assessment_answers)."""
    return with_latest_assessment(open_cases(user), answers=False)


def assessment_answers(pks: list[int], *, whole: bool = True) -> dict[int, Assessment]:
    """These assessments with their English answer (with `whole`; otherwise with only their summary, the answer
    loaded when asked for: assessments/summary.py) and their data keys, in one query."""
    unread = ("result_ru_sealed",) if whole else ("result_ru_sealed", "result_en_sealed")
    loaded = Assessment.objects.filter(pk__in=pks).select_related("data_key").defer(*unread)
    return {assessment.pk: assessment for assessment in loaded}


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


def case_events(case: Case) -> QuerySet[CaseEvent]:
    """The case's timeline, oldest first, with who made each change."""
    return case.events.select_related("actor")


def case_notes(case: Case) -> QuerySet[Note]:
    return case.notes.select_related("author")


def case_documents(case: Case) -> QuerySet[Document]:
    return case.documents.select_related("uploaded_by")


def latest_assessment(case: Case) -> Assessment | None:
    return case.assessments.order_by("-created_at", "-id").first()


def assessment_history(case: Case) -> QuerySet[Assessment]:
    """The case's saved assessments, newest first."""
    return case.assessments.all()


def get_assessment(case: Case, pk: int) -> Assessment:
    """One saved assessment of the case; 404 when the case has no such assessment (another case's included)."""
    assessment = case.assessments.filter(pk=pk).first()
    if assessment is None:
        raise Http404
    return assessment


def lawyers() -> QuerySet[User]:
    return User.objects.filter(role=Role.LAWYER, is_active=True).order_by("username")


ACCOUNT_WATCH_DAYS = 30
ACCOUNT_FIELD_LABELS = {
    "role": _("role"),
    "is_active": _("active"),
    "totp": _("second factor"),
    "password": _("password"),
    "username": _("username"),
}


@dataclass(frozen=True)
class AccountChange:
    at: dt.datetime
    actor: str  # who made the change ("" for the command line)
    account: str
    role: str  # the account's role now: a new account's role is what the coordinator must check
    action: str
    fields: str


def recent_account_changes(user: User) -> list[AccountChange]:
    """For coordinators: accounts created or changed by someone else (role, activation, second factor, password
    reset) in the last ACCOUNT_WATCH_DAYS days. Administrators manage accounts but see no case data; a new coordinator
    account or a reset second factor is how one could reach the cases anyway, so the people who see them see it."""
    if user.role != Role.COORDINATOR:
        return []
    since = timezone.now() - dt.timedelta(days=ACCOUNT_WATCH_DAYS)
    events = [
        event
        for event in AuditEvent.objects.filter(
            object_type="user", action__in=[Action.CREATE, Action.CHANGE], at__gte=since
        ).order_by("-at", "-id")[:200]
        if str(event.actor_id) != event.object_id  # one's own password or enrolment is no escalation
    ][:50]
    accounts = {
        account.pk: account
        for account in User.objects.filter(pk__in={e.actor_id for e in events} | {int(e.object_id) for e in events})
    }
    names = {pk: account.username for pk, account in accounts.items()}
    return [
        AccountChange(
            e.at,
            names.get(e.actor_id, ""),
            names.get(int(e.object_id), e.object_id),
            str(accounts[int(e.object_id)].get_role_display()) if int(e.object_id) in accounts else "",
            str(Action(e.action).label),
            ", ".join(str(ACCOUNT_FIELD_LABELS.get(f, f)) for f in e.fields.split(",") if f),
        )
        for e in events
    ]
