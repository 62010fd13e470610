"""Reassessment as time passes: an absence still going on is assessed as of now.

The engine assesses an open absence as of a moment; its band, part and penalty range change at known moments
(validity.py). A saved assessment past its validity is stale; this module replaces it, as the system:

* on view: the case page reassesses its case when stale (`as_of_now`); the dashboard reassesses at most PER_VIEW of
  the cases whose shown band deadlines have passed (`refresh_lapsed`), the oldest first, so that one page view never
  reassesses thousands of cases;
* periodically: `courtpath reassess` (a systemd timer, hourly: docs/deployment.md) reassesses every stale one
  (`reassess_open_cases`), and gives the latest assessments saved before summaries existed their summary
  (`fill_missing_summaries`, so that the pages over every case need not open their whole answers).

Each reassessment locks the case row (SELECT … FOR UPDATE; on SQLite the transaction's write lock) and reads the
facts and the latest assessment again under that lock, so that it never writes over a user's edit made meanwhile:
an edit that committed first is seen (its fresh assessment is not stale), an edit that comes later waits and saves
its own assessment after this one. It never writes the case row itself. Running it twice changes nothing the second
time: a fresh assessment is valid until the next boundary.

A new assessment changes the latest assessment's id, which the dashboard's deadline memo keys on (deadlines._memo),
so every process works the deadlines out again; a changed qualification also drops this process's statistics
figures (statistics/memo.py; other processes keep theirs at most COURTPATH_STATISTICS_CACHE_SECONDS, as after an
edit). Each reassessment is audited as the system's (`assessment`, field `reassessment`); one that changed the part
or the penalty range writes a boundary event on the case's timeline (boundaries.py).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Length

from courtpath.law.engine import BOUNDARY_CODES
from courtpath.vault.cipher import OVERHEAD
from courtpath.web import clock
from courtpath.web.assessments import boundaries
from courtpath.web.assessments.deadlines import Deadline
from courtpath.web.assessments.summary import of_answer
from courtpath.web.assessments.summary import of_assessment as summary_of
from courtpath.web.assessments.validity import is_stale, valid_until
from courtpath.web.audit.models import Action
from courtpath.web.audit.services import record_each
from courtpath.web.cases import selectors, services, stored
from courtpath.web.cases.models import OPEN_STAGES, Assessment, Case, CaseEvent
from courtpath.web.statistics import memo

PER_VIEW = 10  # reassessments one dashboard view may make; the periodic command takes the rest
BATCH = 200  # cases locked and reassessed per transaction by the periodic command
# What a reassessment reads of a case: not the client's identity, but the sex (art. 58: services.sex_of).
CASE_COLUMNS = ("code", "stage", "data_key", "facts_sealed", "client_sex_sealed")
CREATED_WITHIN = dt.timedelta(minutes=10)  # an assessment's created_at is at most this after the moment it is as of


@dataclass(frozen=True)
class Reassessed:
    case_code: str
    assessment: Assessment
    changed: bool  # the part or the penalty range changed: a boundary event was written


@dataclass
class Summary:
    """What a run of reassess_open_cases did."""

    open_cases: int = 0  # open cases looked at
    ongoing: int = 0  # of them, with an absence still going on
    reassessed: int = 0
    changed: int = 0  # reassessments that changed the part or the penalty range
    unreadable: int = 0  # cases whose stored facts or assessment could not be read (logged, left as they are)
    summaries_written: int = 0  # latest assessments saved before summaries existed, given one (fill_missing_summaries)
    seconds: float = 0.0


@dataclass(frozen=True)
class _Locked:
    case: Case
    fresh: bool  # an absence going on whose latest assessment is surely fresh (_surely_fresh): nothing to do


def _locked(pks: Sequence[int], now: dt.datetime, force: bool) -> list[_Locked]:
    """These cases, locked until the transaction ends, with their data keys and latest assessments; the English answer
    of the latest is loaded (in one query) only where it is needed: for an absence going on whose assessment is not
    surely fresh, or for every one with `force`."""
    locked = Case.objects.filter(pk__in=pks).order_by("pk").select_for_update(of=("self",)).only(*CASE_COLUMNS)
    cases, unsure = [], {}
    for case in selectors.with_latest_assessment(locked, answers=False):
        latest, fresh = selectors.loaded_latest_assessment(case), False
        try:
            if latest is not None and _ongoing(case):
                fresh = not force and _surely_fresh(case, latest, now)
                if not fresh:
                    unsure[latest.pk] = case
        except stored.READ_ERRORS:  # _plan reads it again and reports it
            pass
        cases.append(_Locked(case, fresh))
    for pk, loaded in selectors.assessment_answers(list(unsure)).items():
        unsure[pk].latest_assessments = [loaded]  # type: ignore[attr-defined]
    return cases


def _surely_fresh(case: Case, latest: Assessment, now: dt.datetime) -> bool:
    """Whether the latest assessment is fresh at `now`, judged without opening its answer: an assessment is saved
    within CREATED_WITHIN of the moment it is as of (save_assessment), so its validity is at least that of an
    assessment as of CREATED_WITHIN before its `created_at`. False means: open the answer and see (is_stale)."""
    until = valid_until(case.left, case.returned, latest.created_at - CREATED_WITHIN)
    return until is None or now <= until


def _ongoing(case: Case) -> bool:
    return case.stage in OPEN_STAGES and case.left is not None and case.returned is None


@dataclass(frozen=True)
class _Planned:
    case: Case
    before: dict[str, Any] | None  # the latest answer (English), None without one
    assessment: Assessment  # the new one, not yet saved


def _plan(locked: _Locked, now: dt.datetime, force: bool) -> _Planned | None:
    """The new assessment of a case loaded by _locked, if its absence goes on and its latest assessment is stale (or
    `force`); None otherwise. READ_ERRORS when a stored value cannot be read."""
    case = locked.case
    if locked.fresh or not _ongoing(case):
        return None
    latest = selectors.loaded_latest_assessment(case)
    before = None if latest is None else latest.result_en  # loaded by _locked
    if not force and before is not None and not is_stale(before, now):
        return None
    assessment = services.new_assessment(None, case, as_of=now)
    return None if assessment is None else _Planned(case, before, assessment)


def _write(planned: list[_Planned]) -> list[Reassessed]:
    """Save the planned assessments, the boundary events of those that changed the part or the penalty range, and
    one audit row each, in a few inserts (within the transaction that holds the cases' locks)."""
    if not planned:
        return []
    Assessment.objects.bulk_create([p.assessment for p in planned])
    done, events = [], []
    for p in planned:
        after = p.assessment.result_en
        changed = p.before is not None and boundaries.changed(p.before, after)
        if changed:
            events.append(boundaries.new_event(p.case, boundaries.event_params(p.before, after)))  # type: ignore[arg-type]
        done.append(Reassessed(p.case.code, p.assessment, changed))
    CaseEvent.objects.bulk_create(events)
    record_each(None, Action.CREATE, "assessment", [f"{r.case_code}/{r.assessment.pk}" for r in done], ["reassessment"])
    if events:
        transaction.on_commit(memo.forget)
    return done


def reassess_case(case_pk: int, now: dt.datetime | None = None, *, force: bool = False) -> Reassessed | None:
    """Reassess one case as of `now` (default: the clock) if it is stale; None when nothing was done (fresh, ended,
    closed, deleted meanwhile, or unreadable: logged)."""
    now = now or clock.now()
    with transaction.atomic():
        for locked in _locked([case_pk], now, force):
            try:
                planned = _plan(locked, now, force)
            except stored.READ_ERRORS as error:
                stored.failed(locked.case.code, "assessment", error)
                return None
            return next(iter(_write([planned] if planned else [])), None)
    return None


def as_of_now(case: Case, assessment: Assessment | None) -> Assessment | None:
    """The assessment a case page shows: the latest, or a new one as of now when the absence goes on and the latest
    is stale. A value that cannot be read leaves the latest as it is (the page names it)."""
    try:
        if assessment is None or not _ongoing(case) or not is_stale(assessment.result_en, clock.now()):
            return assessment
    except stored.READ_ERRORS:
        return assessment
    done = reassess_case(case.pk)
    return done.assessment if done is not None else selectors.latest_assessment(case)


def refresh_lapsed(deadlines: Iterable[Deadline], limit: int | None = None) -> int:
    """For the dashboard: reassess at most `limit` of the cases of these deadlines whose band deadline has passed,
    the longest passed first; returns how many. Work out the deadlines again when it is not 0 (a new assessment is
    a new memo key: only those cases are opened again)."""
    now, limit = clock.now(), PER_VIEW if limit is None else limit
    lapsed: list[str] = []
    for deadline in sorted(deadlines, key=lambda d: d.at):
        if deadline.at >= now or len(lapsed) >= limit:
            break
        if deadline.code in BOUNDARY_CODES and deadline.case_code not in lapsed:
            lapsed.append(deadline.case_code)
    pks = dict(Case.objects.filter(code__in=lapsed).values_list("code", "pk"))
    return sum(reassess_case(pks[code], now) is not None for code in lapsed if code in pks)


def reassess_open_cases(now: dt.datetime | None = None, *, all_cases: bool = False, batch: int = BATCH) -> Summary:
    """Reassess every open case whose absence goes on and whose latest assessment is stale (every one with
    `all_cases`), BATCH cases per transaction, each batch as of the clock when it starts (or all as of `now`). Safe
    while the server runs."""
    started = time.perf_counter()
    summary = Summary()
    pks = list(Case.objects.filter(stage__in=OPEN_STAGES).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), batch):
        moment = now or clock.now()  # the batch's assessments are saved right after: see CREATED_WITHIN
        with transaction.atomic():
            planned = []
            for locked in _locked(pks[start : start + batch], moment, all_cases):
                if locked.case.stage not in OPEN_STAGES:  # closed meanwhile
                    continue
                summary.open_cases += 1
                try:
                    summary.ongoing += locked.fresh or _ongoing(locked.case)
                    if (plan := _plan(locked, moment, all_cases)) is not None:
                        planned.append(plan)
                except stored.READ_ERRORS as error:
                    stored.failed(locked.case.code, "assessment", error)
                    summary.unreadable += 1
            done = _write(planned)
        summary.reassessed += len(done)
        summary.changed += sum(r.changed for r in done)
    summary.summaries_written = fill_missing_summaries()
    summary.seconds = time.perf_counter() - started
    return summary


# The length of a sealed empty record ("{}"): what SealedModel.save seals into an assessment saved without a summary.
# A real summary is longer, so the database finds the latest assessments without one, and nothing is opened.
_EMPTY_RECORD = OVERHEAD + len(b"{}")


def fill_missing_summaries(batch: int = BATCH) -> int:
    """Write the summary (assessments/summary.py) of every latest assessment, of any case, that has none, from its
    answer; returns how many. One whose answer cannot be read is logged and left: the pages read such an assessment
    whole and name the case. Only the new column is written, in its own transaction per batch."""
    newest = Assessment.objects.filter(case=OuterRef("case")).order_by("-created_at", "-id").values("pk")[:1]
    latest = Assessment.objects.filter(pk=Subquery(newest)).annotate(size=Length("summary_sealed"))
    pks = list(latest.filter(size__lte=_EMPTY_RECORD).order_by("pk").values_list("pk", flat=True))
    written = 0
    for start in range(0, len(pks), batch):
        with transaction.atomic():
            chosen = Assessment.objects.filter(pk__in=pks[start : start + batch]).select_related("data_key", "case")
            for assessment in chosen.select_for_update(of=("self",)).defer("result_ru_sealed"):
                try:
                    if summary_of(assessment) is not None:  # written meanwhile
                        continue
                    Assessment.summary.set_plain(assessment, of_answer(assessment.result_en))
                except stored.READ_ERRORS as error:
                    stored.failed(assessment.case.code, "assessment", error)
                    continue
                assessment.save(update_fields=["summary_sealed"])
                written += 1
    return written
