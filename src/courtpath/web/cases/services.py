"""Every write to requests and cases goes through here: permission check, change, assessment, audit event."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from courtpath.law import procedure as law_procedure
from courtpath.law.answer import answer, answer_data
from courtpath.law.engine import assess
from courtpath.law.facts import Facts
from courtpath.law.intake import STORED_FIELDS, facts_from_mapping
from courtpath.web.accounts.models import Role, User
from courtpath.web.assessments import summary
from courtpath.web.audit.models import Action
from courtpath.web.audit.services import record
from courtpath.web.cases import derived, documents, handover, name_index
from courtpath.web.cases.models import (
    OPEN_STAGES,
    Assessment,
    Case,
    CaseEvent,
    Channel,
    DeclineReason,
    Document,
    HelpRequest,
    Note,
    RequestStatus,
    Sex,
    Stage,
)
from courtpath.web.cases.permissions import (
    can_assign,
    can_assign_request,
    can_be_request_assignee,
    can_convert_request,
    can_create_request,
    can_delete_case,
    can_export_case_list,
    can_triage_request,
    can_work_on_cases,
    require,
)
from courtpath.web.vault import keys
from courtpath.web.vault.erasure import Erasure, erase_deleted

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read out on the phone
FACT_FIELDS = STORED_FIELDS  # the facts a case keeps, named as the intake names them
IDENTITY_FIELDS = (  # sealed with the case's data key
    "client_surname",
    "client_given_name",
    "client_patronymic",
    "client_sex",
    "client_birth_date",
    "client_rank",
    "client_contact",
    "military_unit",
    "investigator",
)
PROCEDURE_FIELDS = (
    "court_id",
    "verdict_date",
    "sentence_type",
    "sentence_months",
    "sentence_suspended",
)


def new_code(prefix: str) -> str:
    """A pseudonymous code that says nothing about the person or the order of cases, not yet taken. Six characters of
    32 make about 10^9 codes: among 5,000 cases two draws coincide about once in a hundred installations, and the
    unique column would turn that into a server error, so a taken code is drawn again."""
    model = Case if prefix == "C" else HelpRequest
    while True:
        code = f"{prefix}-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
        if not model.objects.filter(code=code).exists():
            return code


@transaction.atomic
def create_request(user: User, *, channel: str, relation: str, summary: str, contact: str = "") -> HelpRequest:
    """A request for help; it gets the data key that its case will keep."""
    require(can_create_request(user))
    request = HelpRequest.objects.create(
        code=new_code("R"),
        data_key=keys.create_data_key(),
        created_by=user,
        channel=channel,
        relation=relation,
        summary=summary,
        contact=contact,
    )
    record(user, Action.CREATE, "request", request.code)
    return request


class TooManyPublicRequests(Exception):
    """More public requests arrived in the last hour than settings.COURTPATH_PUBLIC_REQUESTS_MAX_PER_HOUR allows."""


def public_requests_in_the_last_hour() -> int:
    since = timezone.now() - dt.timedelta(hours=1)
    return HelpRequest.objects.filter(created_by=None, channel=Channel.WEB, created_at__gte=since).count()


@transaction.atomic
def create_public_request(
    *, relation: str, contact: str, message: str, facts_summary: str, answers: Mapping[str, object] | None = None
) -> HelpRequest:
    """A request sent from the public interview: only what the person chose to send, sealed like all case data.
    There is no account behind it; the audit row says so.

    The senders are anonymous, often behind the same Tor exits, so no limit can be per sender. Past
    COURTPATH_PUBLIC_REQUESTS_PER_HOUR in the last hour a request is still accepted, but held apart as probably part
    of a flood (`held`), so that a flood cannot shut out the next real request; only past the much larger
    COURTPATH_PUBLIC_REQUESTS_MAX_PER_HOUR, which bounds what a flood can write to disk, is it refused.

    `answers`: the interview's answers as the facts record a case keeps (handover.answers_record), when the person
    chose to send them; the case made from the request starts from them."""
    recent = public_requests_in_the_last_hour()
    if recent >= settings.COURTPATH_PUBLIC_REQUESTS_MAX_PER_HOUR:
        raise TooManyPublicRequests
    summary = "\n\n".join(part for part in (message.strip(), facts_summary.strip()) if part)
    request = HelpRequest.objects.create(
        code=new_code("R"),
        data_key=keys.create_data_key(),
        created_by=None,
        channel=Channel.WEB,
        relation=relation,
        held=recent >= settings.COURTPATH_PUBLIC_REQUESTS_PER_HOUR,
        summary=summary,
        contact=contact.strip(),
        answers=dict(answers or {}),
    )
    record(None, Action.CREATE, "request", request.code)
    return request


class RequestStateError(ValueError):
    """A change of a request's status that its status does not allow (REQUEST_TRANSITIONS)."""


# Which status a request may go to from each: only convert_request makes a case; a declined request goes back to new
# or into review before anything else.
REQUEST_TRANSITIONS: dict[str, frozenset[str]] = {
    RequestStatus.NEW: frozenset({RequestStatus.IN_REVIEW, RequestStatus.DECLINED, RequestStatus.CONVERTED}),
    RequestStatus.IN_REVIEW: frozenset({RequestStatus.NEW, RequestStatus.DECLINED, RequestStatus.CONVERTED}),
    RequestStatus.DECLINED: frozenset({RequestStatus.NEW, RequestStatus.IN_REVIEW}),
    RequestStatus.CONVERTED: frozenset(),
}


def _move(request: HelpRequest, status: str) -> None:
    """Set the request's status (not saved), or RequestStateError."""
    if status not in REQUEST_TRANSITIONS[request.status]:
        raise RequestStateError(f"a request cannot go from {request.status} to {status}")
    request.status, request.status_since = status, timezone.now()


@dataclass
class Conversion:
    """A case opened from a request, and the request's answers that could not be copied to its facts."""

    case: Case
    dropped: list[handover.Dropped] = field(default_factory=list)


@transaction.atomic
def convert_request(user: User, request: HelpRequest, lawyer: User | None = None) -> Case:
    """Open the request's case; see take_over."""
    return take_over(user, request, lawyer).case


@transaction.atomic
def take_over(user: User, request: HelpRequest, lawyer: User | None = None) -> Conversion:
    """Open a case from a request, without retyping: the request's answers become the case's facts (through the
    intake, as the case form would take them: an answer that does not pass is left out and named in a note on the
    case), its contact the client's contact, with who the contact is; the assessment is saved at once. The case
    keeps the request's data key and links to it. A request that has a case already gives that case."""
    require(can_convert_request(user))
    if hasattr(request, "case"):
        return Conversion(request.case)
    if lawyer is not None and lawyer.role != Role.LAWYER:
        raise ValueError("a case can only be assigned to a lawyer")
    _move(request, RequestStatus.CONVERTED)
    case = Case(code=new_code("C"), data_key=request.data_key, request=request, lawyer=lawyer)
    values, dropped = handover.case_facts(request.answers, {name: getattr(case, name) for name in FACT_FIELDS})
    for name, value in values.items():
        setattr(case, name, value)
    case.client_contact, case.contact_relation = request.contact, request.relation
    case.save()
    request.save(update_fields=["status", "status_since"])
    CaseEvent.objects.create(case=case, data_key=case.data_key, actor=user, stage=case.stage)
    name_index.index_case(case)
    record(user, Action.CREATE, "case", case.code)
    record(user, Action.CHANGE, "request", request.code, ["status"])
    if dropped:
        lines = [gettext("From request %(code)s, these answers could not be copied:") % {"code": request.code}]
        lines += [f"- {fact_label(item.field)}: {item.reason}" for item in dropped]
        add_note(user, case, "\n".join(lines))
    if values:
        save_assessment(user, case)
    return Conversion(case, dropped)


def fact_label(name: str) -> str:
    """The name of a fact as the case form labels it, in the page's language (the fact's own name if none)."""
    from courtpath.web.cases.forms import CaseForm  # the form imports this module

    field_ = CaseForm.base_fields.get(name)
    return str(field_.label) if field_ is not None and field_.label else name


@transaction.atomic
def set_request_status(user: User, request: HelpRequest, status: str) -> HelpRequest:
    """Take a request into review, put it back to new, or take a declined one back (its reason and
    note are then cleared). Declining is decline_request's, a case convert_request's."""
    require(can_triage_request(user, request))
    if status not in (RequestStatus.NEW, RequestStatus.IN_REVIEW):
        raise RequestStateError(f"use decline_request or convert_request for {status}")
    if status == request.status:
        return request
    changed = ["status"]
    if request.status == RequestStatus.DECLINED:
        request.decline_reason, request.decline_note = "", ""
        changed += ["decline_reason", "decline_note"]
    _move(request, status)
    request.save(update_fields=["status", "status_since", "decline_reason", "decline_note_sealed"])
    record(user, Action.CHANGE, "request", request.code, changed)
    return request


@transaction.atomic
def assign_request(user: User, request: HelpRequest, assignee: User | None) -> HelpRequest:
    """Choose who triages the request (a coordinator or an intake worker, who then sees it), or nobody."""
    require(can_assign_request(user))
    if assignee is not None and not can_be_request_assignee(assignee):
        raise ValueError("a request is triaged by a coordinator or an intake worker")
    if request.assignee_id != (assignee.pk if assignee else None):
        request.assignee = assignee
        request.save(update_fields=["assignee"])
        record(user, Action.CHANGE, "request", request.code, ["assignee"])
    return request


@transaction.atomic
def assign_lawyer(user: User, case: Case, lawyer: User | None) -> Case:
    require(can_assign(user))
    if lawyer is not None and lawyer.role != Role.LAWYER:
        raise ValueError("a case can only be assigned to a lawyer")
    case.lawyer = lawyer
    case.save(update_fields=["lawyer", "updated_at"])
    record(user, Action.CHANGE, "case", case.code, ["lawyer"])
    return case


def facts_of(case: Case, now: dt.datetime | None = None) -> Facts | None:
    """The engine's facts of the case as of `now` (default: the clock), read through the one intake, or None while
    the start of the absence is unknown. FactsError if what is stored breaks a rule (a value saved before the rule
    existed)."""
    if case.left is None:
        return None
    moment = {} if now is None else {"as_of": now}
    return facts_from_mapping(
        {**{name: getattr(case, name) for name in FACT_FIELDS}, "sex": sex_of(case), **moment}, now=now
    )


def sex_of(case: Case) -> str:
    """The engine's sex (art. 58) from the client's identity: male unless recorded as female."""
    return "female" if case.client_sex == Sex.FEMALE else "male"


def new_assessment(user: User | None, case: Case, as_of: dt.datetime | None = None) -> Assessment | None:
    """The engine's assessment of the case's facts as of `as_of` (default: now), in both languages, with its
    versions, not yet saved (save_assessment; a reassessment of many cases inserts them together). `user` None: the
    system (a reassessment as time passes: courtpath.web.assessments.reassess)."""
    facts = facts_of(case, as_of)
    if facts is None:
        return None
    result = assess(facts)
    assessment = Assessment(
        case=case,
        data_key=case.data_key,
        created_by=user,
        engine_version=result.engine_version,
        law_version=result.law_version,
    )
    # Sealed by the fast encoder; the Russian answer straight from its struct (a reassessment never reads it again),
    # the English one as a record too (a reassessment compares it with the one before: assessments/boundaries.py).
    english = answer_data(result, "en")
    Assessment.result_ru.set_plain(assessment, answer(result, "ru"))
    Assessment.result_en.set_plain(assessment, english)
    Assessment.summary.set_plain(assessment, summary.of_answer(english))  # what the pages over every case read
    return assessment


def save_assessment(user: User | None, case: Case, as_of: dt.datetime | None = None) -> Assessment | None:
    """Run the engine on the case's facts and keep what it said (new_assessment, saved)."""
    assessment = new_assessment(user, case, as_of)
    if assessment is not None:
        assessment.save()
    return assessment


@transaction.atomic
def update_case(user: User, case: Case, changes: Mapping[str, Any]) -> Case:
    """Change facts and procedure fields; changed facts re-run the assessment. The FactsError of inconsistent
    facts propagates before anything is saved (the form shows it)."""
    require(can_work_on_cases(user))
    allowed = set(FACT_FIELDS) | set(PROCEDURE_FIELDS) | set(IDENTITY_FIELDS)
    changed = [name for name, value in changes.items() if name in allowed and getattr(case, name) != value]
    facts_changed = any(name in FACT_FIELDS or name == "client_sex" for name in changed)  # sex: art. 58
    if facts_changed:  # validated through the intake before anything changes: FactsError leaves the case as it was
        proposed = {name: changes.get(name, getattr(case, name)) for name in FACT_FIELDS}
        if proposed["left"] is not None or proposed["returned"] is not None:
            facts_from_mapping(proposed)
    for name in changed:
        setattr(case, name, changes[name])
    if "verdict_date" in changed:
        _sync_verdict_event(case, changes["verdict_date"])
    if changed:
        case.save()
        record(user, Action.CHANGE, "case", case.code, changed)
    if any(name in name_index.NAME_FIELDS for name in changed):
        name_index.index_case(case)
    if facts_changed:
        save_assessment(user, case)
    return case


def _sync_verdict_event(case: Case, verdict_date: dt.date | None) -> None:
    """The verdict date typed in the facts form is also the latest recorded verdict event's day (one verdict date,
    whichever door it came through); a cleared date removes the recorded verdict events."""
    events = case.procedure
    places = [i for i, item in enumerate(events) if item.get("code") == law_procedure.EventCode.VERDICT]
    if not places:
        return
    if verdict_date is None:
        case.procedure = [item for item in events if item.get("code") != law_procedure.EventCode.VERDICT]
        return
    events[places[-1]] = {**events[places[-1]], "on": verdict_date.isoformat()}
    case.procedure = sorted(events, key=lambda item: str(item.get("on", "")))


@transaction.atomic
def change_stage(user: User, case: Case, stage: str, comment: str = "") -> Case:
    require(can_work_on_cases(user))
    if stage not in Stage.values:
        raise ValueError(f"unknown stage {stage!r}")
    if stage != case.stage:
        case.stage, case.stage_since = stage, timezone.now()
        case.save(update_fields=["stage", "stage_since", "updated_at"])
        CaseEvent.objects.create(case=case, data_key=case.data_key, actor=user, stage=stage, comment=comment[:500])
        record(user, Action.CHANGE, "case", case.code, ["stage"])
    return case


class ProcedureChanged(ValueError):
    """The recorded events changed since the page was shown: nothing was removed."""


@transaction.atomic
def record_procedure_event(
    user: User, case: Case, code: str, on: dt.date, until: dt.date | None = None
) -> list[law_procedure.Event]:
    """Add a step of the criminal procedure to the case (Case.procedure), in order of the days; a verdict also
    becomes the case's verdict date (the drafts and the statistics read it). The engine reads the new list before
    it is kept: law_procedure.ProcedureDataError for an entry it cannot read leaves the case as it was."""
    require(can_work_on_cases(user))
    case = Case.objects.select_for_update().get(pk=case.pk)
    entry: dict[str, str] = {"code": code, "on": on.isoformat()}
    if until is not None:
        entry["until"] = until.isoformat()
    stored = sorted([*case.procedure, entry], key=lambda item: str(item.get("on", "")))
    events = law_procedure.read_events(stored)
    case.procedure = stored
    changed = ["procedure"]
    if code == law_procedure.EventCode.VERDICT and case.verdict_date != on:
        case.verdict_date = on
        changed.append("verdict_date")
    case.save()
    record(user, Action.CHANGE, "case", case.code, changed)
    return events


@transaction.atomic
def remove_procedure_event(user: User, case: Case, index: int, code: str, on: dt.date) -> None:
    """Remove the event at `index`, if it is still the one the page showed (`code` on `on`); else ProcedureChanged."""
    require(can_work_on_cases(user))
    case = Case.objects.select_for_update().get(pk=case.pk)
    stored = case.procedure
    if not 0 <= index < len(stored) or stored[index].get("code") != code or stored[index].get("on") != on.isoformat():
        raise ProcedureChanged(index)
    case.procedure = stored[:index] + stored[index + 1 :]
    changed = ["procedure"]
    verdicts = [item for item in case.procedure if item.get("code") == law_procedure.EventCode.VERDICT]
    if code == law_procedure.EventCode.VERDICT and not verdicts and case.verdict_date == on:
        case.verdict_date = None  # else it would come back as the verdict of the facts
        changed.append("verdict_date")
    case.save()
    record(user, Action.CHANGE, "case", case.code, changed)


@transaction.atomic
def add_note(user: User, case: Case, text: str) -> Note:
    require(can_work_on_cases(user))
    note = Note.objects.create(case=case, data_key=case.data_key, author=user, text=text)
    record(user, Action.CREATE, "note", f"{case.code}/{note.pk}")
    return note


def add_document(user: User, case: Case, name: str, content_type: str, content: bytes) -> Document:
    """Seal the file to disk first, then record it; if the row cannot be saved, the sealed file is removed."""
    require(can_work_on_cases(user))
    blob = documents.write_blob(case.data_key_id, content)
    try:
        with transaction.atomic():
            document = Document.objects.create(
                case=case,
                data_key=case.data_key,
                blob=blob,
                uploaded_by=user,
                size=len(content),
                name=name,
                content_type=content_type,
            )
            record(user, Action.CREATE, "document", f"{case.code}/{document.pk}")
    except BaseException:
        documents.remove_blob(blob)
        raise
    return document


def read_document(user: User, case: Case, document: Document) -> bytes:
    require(document.case_id == case.pk)
    content = documents.read_blob(case.data_key_id, document.blob)
    record(user, Action.EXPORT, "document", f"{case.code}/{document.pk}")
    return content


def _shred(case: Case | None, request: HelpRequest | None) -> None:
    """Delete a case, its request and everything under them, then destroy their data key: whatever copy of their
    ciphertext survives (database pages, WAL, backups) can no longer be opened."""
    data_key_id = (case or request).data_key_id  # type: ignore[union-attr]
    blobs = list(Document.objects.filter(case=case).values_list("blob", flat=True)) if case else []
    if case is not None:
        derived.drop_case(case.pk)  # what the pages over every case keep of it goes too (cases/derived.py)
        case.delete()
    if request is not None:
        request.delete()
    keys.shred(data_key_id)
    transaction.on_commit(lambda: [documents.remove_blob(blob) for blob in blobs])


def delete_case(user: User, case: Case) -> Erasure:
    """Shred a case; once that has committed, wipe its old copies from the database files (the result says whether
    that worked: vault/erasure.py)."""
    with transaction.atomic():
        require(can_delete_case(user))
        code = case.code
        _shred(case, case.request)
        record(user, Action.DELETE, "case", code)
    return erase_deleted()


DECLINE_NOTE_CHARACTERS = 1000


@transaction.atomic
def decline_request(
    user: User, request: HelpRequest, reason: str = DeclineReason.OTHER, note: str = "", *, bulk: bool = False
) -> bool:
    """The organisation will not take the request up: its status says so, with a reason from the short list and
    an optional note (sealed); it is shredded with the retention purge. False if it was declined already (then
    nothing changes). The audit row names the fields, never the reason or the note."""
    require(can_delete_case(user))
    if hasattr(request, "case"):
        raise ValueError("this request has a case")
    if reason not in DeclineReason.values:
        raise ValueError(f"unknown decline reason {reason!r}")
    if request.status == RequestStatus.DECLINED:
        return False
    _move(request, RequestStatus.DECLINED)
    request.decline_reason, request.decline_note = reason, note.strip()[:DECLINE_NOTE_CHARACTERS]
    request.save(update_fields=["status", "status_since", "decline_reason", "decline_note_sealed"])
    fields = (
        ["status", "decline_reason"] + (["decline_note"] if request.decline_note else []) + (["bulk"] if bulk else [])
    )
    record(user, Action.CHANGE, "request", request.code, fields)
    return True


def decline_requests(user: User, requests: QuerySet[HelpRequest], reason: str, note: str = "") -> list[str]:
    """Decline many requests in one action with one reason (and note), one audit row per request, as
    delete_requests does; requests that have a case or are declined already are left alone. The codes declined."""
    declined: list[str] = []
    with transaction.atomic():
        require(can_delete_case(user))
        for request in requests.filter(case__isnull=True).exclude(status=RequestStatus.DECLINED).order_by("pk"):
            if decline_request(user, request, reason, note, bulk=True):
                declined.append(request.code)
    return declined


def delete_request(user: User, request: HelpRequest) -> Erasure:
    """Shred a request that has no case, then wipe its old copies as delete_case does."""
    with transaction.atomic():
        require(can_delete_case(user))
        if hasattr(request, "case"):
            raise ValueError("this request has a case: delete the case")
        code = request.code
        _shred(None, request)
        record(user, Action.DELETE, "request", code)
    return erase_deleted()


class Shredded(list[str]):
    """The codes a bulk deletion or the retention purge shredded, and `erasure`: whether their old copies are wiped
    from the database files too."""

    erasure: Erasure


def delete_requests(user: User, requests: QuerySet[HelpRequest]) -> Shredded:
    """Delete many requests in one action (the junk of a flood), each shredded as by delete_request, with one audit
    row per request, then wipe their old copies from the database files. Requests that have become a case are left
    alone."""
    deleted = Shredded()
    with transaction.atomic():
        require(can_delete_case(user))
        for request in requests.filter(case__isnull=True).order_by("pk"):
            _shred(None, request)
            record(user, Action.DELETE, "request", request.code, ["bulk"])
            deleted.append(request.code)
    deleted.erasure = erase_deleted()
    return deleted


def purge_closed_cases(older_than_days: int, now: dt.datetime | None = None) -> Shredded:
    """Retention: shred every case that has been closed (in a final stage) for more than `older_than_days`, and every
    request that arrived as long ago and never became a case (declined or not). Run daily by `courtpath purge` (a
    systemd timer; see docs/deployment.md). Then wipe the database files' old copies, even when nothing was due: that
    also finishes the wiping of an earlier deletion that could not complete it (vault/erasure.py)."""
    if older_than_days < 1:
        raise ValueError("the retention period must be at least one day")
    cutoff = (now or timezone.now()) - dt.timedelta(days=older_than_days)
    purged = Shredded()
    closed = Case.objects.exclude(stage__in=OPEN_STAGES).filter(stage_since__lt=cutoff).select_related("request")
    for case in closed:
        with transaction.atomic():
            _shred(case, case.request)
            record(None, Action.DELETE, "case", case.code, ["retention"])
        purged.append(case.code)
    never_taken_up = HelpRequest.objects.filter(case__isnull=True, created_at__lt=cutoff)
    for request in never_taken_up:
        with transaction.atomic():
            _shred(None, request)
            record(None, Action.DELETE, "request", request.code, ["retention"])
        purged.append(request.code)
    purged.erasure = erase_deleted()
    return purged


def opened(user: User, object_type: str, code: str, what: Iterable[str] = ()) -> None:
    """Every opening of a case or request page is logged (`what`: which view of it, e.g. the edit form)."""
    record(user, Action.VIEW, object_type, code, what)


def exported(user: User, what: str) -> None:
    record(user, Action.EXPORT, what, "aggregates")


def exported_case_list(user: User, rows: int, filters: Iterable[str]) -> None:
    """A CSV of the case list: who, how many rows and which filters (their names and values, never the search
    text, which may be a name). Coordinators only (permissions.can_export_case_list)."""
    require(can_export_case_list(user))
    record(user, Action.EXPORT, "case_list", f"{rows} rows", filters)
