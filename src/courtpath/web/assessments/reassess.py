"""Reassessment as time passes: an absence still going on is assessed as of now.

The engine assesses an open absence as of a moment; its band, part and penalty range change at known moments
(validity.py). A saved assessment past its validity is stale; this module replaces it, as the system:

* on view: the case page reassesses its case when stale (`as_of_now`); the dashboard reassesses at most PER_VIEW of
  the cases whose shown band deadlines have passed (`refresh_lapsed`), the oldest first, so that one page view never
  reassesses thousands of cases;
* periodically: `courtpath reassess` (a systemd timer, hourly: docs/deployment.md) reassesses every stale one
  (`reassess_open_cases`).

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

from django.db import transaction

from courtpath.law.engine import BOUNDARY_CODES
from courtpath.web import clock
from courtpath.web.assessments import boundaries
from courtpath.web.assessments.deadlines import Deadline
from courtpath.web.assessments.validity import is_stale
from courtpath.web.audit.models import Action
from courtpath.web.audit.services import record
from courtpath.web.cases import selectors, services, stored
from courtpath.web.cases.models import OPEN_STAGES, Assessment, Case
from courtpath.web.statistics import memo

PER_VIEW = 10  # reassessments one dashboard view may make; the periodic command takes the rest
BATCH = 200  # cases locked and reassessed per transaction by the periodic command


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
    seconds: float = 0.0


def _locked(pks: Sequence[int]) -> list[Case]:
    """These cases, locked until the transaction ends, with their data keys and latest assessments (English answer)."""
    cases = Case.objects.filter(pk__in=pks).order_by("pk").select_for_update(of=("self",))
    return list(selectors.with_latest_assessment(cases))


def _ongoing(case: Case) -> bool:
    return case.stage in OPEN_STAGES and case.left is not None and case.returned is None


def _reassess_locked(case: Case, now: dt.datetime, force: bool) -> Reassessed | None:
    """Reassess a case loaded by _locked, if its absence goes on and its latest assessment is stale (or `force`)."""
    if not _ongoing(case):
        return None
    latest = selectors.loaded_latest_assessment(case)
    before = None if latest is None else latest.result_en
    if not force and before is not None and not is_stale(before, now):
        return None
    with transaction.atomic():  # a savepoint: a case that fails leaves nothing half written
        assessment = services.save_assessment(None, case, as_of=now)
        if assessment is None:
            return None
        changed = before is not None and boundaries.changed(before, assessment.result_en)
        if changed:
            boundaries.write_event(case, boundaries.event_params(before, assessment.result_en))  # type: ignore[arg-type]
        record(None, Action.CREATE, "assessment", f"{case.code}/{assessment.pk}", ["reassessment"])
    if changed:
        transaction.on_commit(memo.forget)
    return Reassessed(case.code, assessment, changed)


def reassess_case(case_pk: int, now: dt.datetime | None = None, *, force: bool = False) -> Reassessed | None:
    """Reassess one case as of `now` (default: the clock) if it is stale; None when nothing was done (fresh, ended,
    closed, deleted meanwhile, or unreadable: logged)."""
    now = now or clock.now()
    with transaction.atomic():
        for case in _locked([case_pk]):
            try:
                return _reassess_locked(case, now, force)
            except stored.READ_ERRORS as error:
                stored.failed(case.code, "assessment", error)
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


def refresh_lapsed(cases: Iterable[Case], deadlines: Iterable[Deadline], limit: int | None = None) -> int:
    """For the dashboard: reassess at most `limit` of these cases (loaded by selectors.cases_with_assessments) whose
    band deadline has passed, the longest passed first, and put each new assessment in its case's
    `latest_assessments`; returns how many. Work out the deadlines again when it is not 0."""
    now, limit = clock.now(), PER_VIEW if limit is None else limit
    lapsed: list[str] = []
    for deadline in sorted(deadlines, key=lambda d: d.at):
        if deadline.at >= now or len(lapsed) >= limit:
            break
        if deadline.code in BOUNDARY_CODES and deadline.case_code not in lapsed:
            lapsed.append(deadline.case_code)
    by_code = {case.code: case for case in cases if case.code in lapsed}
    done = 0
    for code in lapsed:
        if code in by_code and (reassessed := reassess_case(by_code[code].pk, now)) is not None:
            by_code[code].latest_assessments = [reassessed.assessment]  # type: ignore[attr-defined]
            done += 1
    return done


def reassess_open_cases(now: dt.datetime | None = None, *, all_cases: bool = False, batch: int = BATCH) -> Summary:
    """Reassess every open case whose absence goes on and whose latest assessment is stale (every one with
    `all_cases`), as of `now` (default: the clock), BATCH cases per transaction. Safe while the server runs."""
    started = time.perf_counter()
    now = now or clock.now()
    summary = Summary()
    pks = list(Case.objects.filter(stage__in=OPEN_STAGES).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), batch):
        with transaction.atomic():
            for case in _locked(pks[start : start + batch]):
                if case.stage not in OPEN_STAGES:  # closed meanwhile
                    continue
                summary.open_cases += 1
                try:
                    summary.ongoing += _ongoing(case)
                    done = _reassess_locked(case, now, all_cases)
                except stored.READ_ERRORS as error:
                    stored.failed(case.code, "assessment", error)
                    summary.unreadable += 1
                    continue
                if done is not None:
                    summary.reassessed += 1
                    summary.changed += done.changed
    summary.seconds = time.perf_counter() - started
    return summary
