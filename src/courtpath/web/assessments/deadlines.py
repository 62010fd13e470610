"""Deadlines of a case: from its saved assessment (band boundaries while the client is still absent, limitation)
and from its stage (the appeal window after a verdict, УПК ст. 389.4).

The saved assessment is read back into the answer's declared types (courtpath.law.answer.read_answer). A stored value
that cannot be read or computed with (an assessment saved by an engine whose answer had another shape, a date out of
range saved before the limits existed, a sealed value that does not open) never breaks a page: the case gets an
`unreadable` item that names it (logged as courtpath.web.cases.stored logs), and the other cases' deadlines are shown
as usual.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtpath.law.answer import read_answer
from courtpath.law.loader import default_lawbook
from courtpath.law.vocabulary import KEY_DATES
from courtpath.web import vocabulary
from courtpath.web.cases import selectors, stored
from courtpath.web.cases.models import Assessment, Case, Stage
from courtpath.web.timed_memo import TimedMemo
from courtpath.web.vault import keys

BEFORE_SURRENDER = (Stage.FIRST_CONTACT, Stage.AGREEMENT)
# The deadlines of the case's stage; those of its assessment are the engine's key dates (courtpath.law.vocabulary).
LABELS = {
    "appeal_window_ends": _("Last day to appeal the verdict (15 days)"),
    "unreadable": _("A stored value of this case cannot be read: open the case and correct its facts"),
}


@dataclass(frozen=True)
class Deadline:
    case_code: str
    code: str
    at: dt.datetime

    @property
    def label(self) -> str:
        if self.code in KEY_DATES:
            return str(vocabulary.label(KEY_DATES.name(self.code)))
        return str(LABELS[self.code])

    @property
    def overdue(self) -> bool:
        return self.at < timezone.now()


def case_deadlines(case: Case, assessment: Assessment | None) -> list[Deadline]:
    try:
        return sorted(_deadlines(case, assessment), key=lambda d: d.at)
    except stored.READ_ERRORS as error:  # see the module's docstring
        stored.failed(case.code, "deadlines", error)
        return [Deadline(case.code, "unreadable", timezone.now())]


def _deadlines(case: Case, assessment: Assessment | None) -> list[Deadline]:
    found: list[Deadline] = []
    if assessment is not None:
        answer = read_answer(assessment.result_en)
        absent = case.returned is None and case.stage in BEFORE_SURRENDER
        for key_date in answer.key_dates:
            code = key_date.code
            band_boundary = code.startswith(("band_", "criminal_liability")) and absent and not key_date.passed
            if band_boundary or (code == "limitation_expires" and case.is_open):
                found.append(Deadline(case.code, code, key_date.at))
    if case.verdict_date and case.stage in (Stage.VERDICT, Stage.APPEAL):
        days = default_lawbook().general.appeal_period.days
        last_day = dt.datetime.combine(
            case.verdict_date + dt.timedelta(days=days), dt.time(23, 59), tzinfo=timezone.get_default_timezone()
        )
        found.append(Deadline(case.code, "appeal_window_ends", last_day))
    return found


def upcoming_deadlines(cases: Iterable[Case]) -> list[Deadline]:
    """The deadlines of all these cases, soonest first, each case's from its latest assessment: pass the cases as
    selectors.cases_with_assessments gives them (the latest assessment of each, without its answer). A case whose
    deadlines this process worked out in the last keys.CACHE_SECONDS, from the same assessment, stage and facts, is
    not opened again; the answers of the others are loaded in one query.

    Given a query set, the memo is looked up from one narrow query (pk, stage, the facts' tag, the latest
    assessment's pk) and only the cases it misses are loaded as models: at 10,000 cases, building every case, its
    assessment and their data keys cost most of a dashboard whose deadlines were all kept (bench_staff_pages.py)."""
    if isinstance(cases, QuerySet):
        return _upcoming_from_query(cases)
    found: list[Deadline] = []
    missing: list[tuple[Case, Assessment | None, Hashable]] = []
    for case in cases:
        latest = selectors.loaded_latest_assessment(case)
        key = _memo_key(case, latest)
        kept = _memo.get(key)
        if kept is None:
            missing.append((case, latest, key))
        else:
            found.extend(kept)
    answers = selectors.assessment_answers([latest.pk for _case, latest, _key in missing if latest is not None])
    for case, latest, key in missing:
        loaded = None if latest is None else answers.get(latest.pk)  # None: deleted since the first query
        deadlines = case_deadlines(case, loaded)
        if (loaded is not None or latest is None) and all(d.code != "unreadable" for d in deadlines):
            _memo.put(key, deadlines)
        found.extend(deadlines)
    return sorted(found, key=lambda d: d.at)


def _upcoming_from_query(cases: QuerySet[Case]) -> list[Deadline]:
    newest = Assessment.objects.filter(case=OuterRef("pk")).order_by("-created_at", "-id").values("pk")[:1]
    keyed = (
        cases.order_by().annotate(latest_pk=Subquery(newest)).values_list("pk", "stage", "facts_sealed", "latest_pk")
    )
    found: list[Deadline] = []
    missing: list[int] = []
    for pk, stage, facts_sealed, latest_pk in keyed:
        kept = _memo.get((pk, stage, bytes(facts_sealed[-16:]), latest_pk))
        if kept is None:
            missing.append(pk)
        else:
            found.extend(kept)
    for start in range(0, len(missing), 1000):
        found.extend(upcoming_deadlines(list(cases.filter(pk__in=missing[start : start + 1000]))))
    return sorted(found, key=lambda d: d.at)


def _memo_key(case: Case, latest: Assessment | None) -> Hashable:
    """What a case's deadlines depend on: its latest assessment, its stage, and its facts (the sealed record's
    authentication tag, new whenever the facts are sealed again)."""
    return (case.pk, case.stage, bytes(case.facts_sealed[-16:]), None if latest is None else latest.pk)


# Deadlines worked out in this process (only the dashboards use them).
_memo: TimedMemo[list[Deadline]] = TimedMemo(keys.CACHE_SECONDS)


def forget() -> None:
    """Drop every kept deadline (tests)."""
    _memo.forget()
