"""Every write to requests and cases goes through here: permission check, change, assessment, audit event."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from courtpath.law.engine import assess
from courtpath.law.facts import Facts
from courtpath.web.accounts.models import Role, User
from courtpath.web.audit.models import Action
from courtpath.web.audit.services import record
from courtpath.web.cases.models import Assessment, Case, CaseEvent, HelpRequest, Note, Stage
from courtpath.web.cases.permissions import (
    can_assign,
    can_convert_request,
    can_create_request,
    can_work_on_cases,
    require,
)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read out on the phone
FACT_FIELDS = (
    "status",
    "left_at",
    "returned_at",
    "absence_kind",
    "context",
    "indicators",
    "weapon",
    "group",
    "first_offence",
    "grave_circumstances",
    "surrendered",
    "aggravating",
    "released_80_2",
)
PROCEDURE_FIELDS = (
    "military_unit",
    "investigator",
    "court_id",
    "verdict_date",
    "sentence_type",
    "sentence_months",
    "sentence_suspended",
)


def new_code(prefix: str) -> str:
    """A pseudonymous code that says nothing about the person or the order of cases."""
    return f"{prefix}-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


@transaction.atomic
def create_request(user: User, *, channel: str, relation: str, summary: str) -> HelpRequest:
    require(can_create_request(user))
    request = HelpRequest.objects.create(
        code=new_code("R"), created_by=user, channel=channel, relation=relation, summary=summary
    )
    record(user, Action.CREATE, "request", request.code)
    return request


@transaction.atomic
def convert_request(user: User, request: HelpRequest, lawyer: User | None = None) -> Case:
    require(can_convert_request(user))
    if hasattr(request, "case"):
        return request.case
    if lawyer is not None and lawyer.role != Role.LAWYER:
        raise ValueError("a case can only be assigned to a lawyer")
    case = Case.objects.create(code=new_code("C"), request=request, lawyer=lawyer)
    CaseEvent.objects.create(case=case, actor=user, stage=case.stage)
    record(user, Action.CREATE, "case", case.code)
    return case


@transaction.atomic
def assign_lawyer(user: User, case: Case, lawyer: User | None) -> Case:
    require(can_assign(user))
    if lawyer is not None and lawyer.role != Role.LAWYER:
        raise ValueError("a case can only be assigned to a lawyer")
    case.lawyer = lawyer
    case.save(update_fields=["lawyer", "updated_at"])
    record(user, Action.CHANGE, "case", case.code, ["lawyer"])
    return case


def facts_of(case: Case) -> Facts | None:
    """The engine's facts for a case, or None while the start of the absence is unknown."""
    if case.left_at is None:
        return None
    return Facts(
        status=case.status,
        left=case.left_at,
        returned=case.returned_at,
        absence_kind=case.absence_kind,
        context=case.context,
        indicators=frozenset(case.indicator_list),
        weapon=case.weapon,
        group=case.group,
        first_offence=case.first_offence,
        grave_circumstances=case.grave_circumstances,
        surrendered=case.surrendered,
        aggravating=case.aggravating,
        released_80_2=case.released_80_2,
    )


def save_assessment(user: User | None, case: Case) -> Assessment | None:
    """Run the engine on the case's facts and keep what it said, in both languages, with its versions."""
    facts = facts_of(case)
    if facts is None:
        return None
    result = assess(facts)
    return Assessment.objects.create(
        case=case,
        created_by=user,
        engine_version=result.engine_version,
        law_version=result.law_version,
        result_ru=result.to_dict("ru"),
        result_en=result.to_dict("en"),
    )


@transaction.atomic
def update_case(user: User, case: Case, changes: Mapping[str, Any]) -> Case:
    """Change facts and procedure fields; changed facts re-run the assessment. The FactsError of inconsistent
    facts propagates before anything is saved (the form shows it)."""
    require(can_work_on_cases(user))
    allowed = set(FACT_FIELDS) | set(PROCEDURE_FIELDS)
    changed = [name for name, value in changes.items() if name in allowed and getattr(case, name) != value]
    for name in changed:
        setattr(case, name, changes[name])
    facts_changed = any(name in FACT_FIELDS for name in changed)
    if facts_changed:
        facts_of(case)  # validates: raises FactsError without saving
    if changed:
        case.save()
        record(user, Action.CHANGE, "case", case.code, changed)
    if facts_changed:
        save_assessment(user, case)
    return case


@transaction.atomic
def change_stage(user: User, case: Case, stage: str, comment: str = "") -> Case:
    require(can_work_on_cases(user))
    if stage not in Stage.values:
        raise ValueError(f"unknown stage {stage!r}")
    if stage != case.stage:
        case.stage, case.stage_since = stage, timezone.now()
        case.save(update_fields=["stage", "stage_since", "updated_at"])
        CaseEvent.objects.create(case=case, actor=user, stage=stage, comment=comment[:500])
        record(user, Action.CHANGE, "case", case.code, ["stage"])
    return case


@transaction.atomic
def add_note(user: User, case: Case, text: str) -> Note:
    require(can_work_on_cases(user))
    note = Note.objects.create(case=case, author=user, text=text)
    record(user, Action.CREATE, "note", f"{case.code}/{note.pk}")
    return note


def opened(user: User, object_type: str, code: str) -> None:
    """Every opening of a case or request page is logged."""
    record(user, Action.VIEW, object_type, code)


def exported(user: User, what: str) -> None:
    record(user, Action.EXPORT, what, "aggregates")
