"""The case list's reads: search, filters, sorting and the rows of one page (or of the CSV export).

Only what the database holds in clear is filtered and sorted in SQL: code, stage, lawyer, dates, and the name index
(name_index). The article part and the next deadline come from each case's latest assessment, which is sealed: a
filter or sort on them opens the latest assessment of every case the other filters leave, once per
keys.CACHE_SECONDS per process (the same lifetime as the dashboards' deadlines, so a shredded case's values leave
memory with its key). A client's name is opened only for the rows shown, never sorted on: sorting by it would open
every visible case's name for every page (docs/threat-model.md, "The name index").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from django.db.models import Case as When_
from django.db.models import F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from courtpath.law.answer import read_answer
from courtpath.law.loader import default_lawbook
from courtpath.web.accounts.models import Role, User
from courtpath.web.assessments.deadlines import Deadline, case_deadlines
from courtpath.web.assessments.summary import of_assessment as summary_of
from courtpath.web.cases import derived, name_index, selectors, stored
from courtpath.web.cases.models import OPEN_STAGES, Assessment, Case, Stage
from courtpath.web.timed_memo import TimedMemo
from courtpath.web.vault import keys

SQL_SORTS = {
    "code": ("code",),
    "stage": ("stage_position",),
    "lawyer": ("lawyer__username",),
    "opened": ("created_at",),
}
SORTS = (*SQL_SORTS, "deadline")


@cache
def article_parts() -> list[str]:
    """Every part of every article in the law data, as "337.3.1", in the law's order."""
    found: dict[str, None] = {}
    for article, spec in default_lawbook().articles.items():
        for edition in spec.editions:
            for part in edition.parts:
                found[f"{article}.{part.part}"] = None
    return sorted(found, key=lambda code: [int(n) if n.isdigit() else n for n in code.split(".")])


@dataclass(frozen=True)
class Filters:
    """What the list's GET form asks for; empty values filter nothing."""

    query: str = ""
    stage: str = ""
    lawyer: int | None = None
    state: str = ""  # "open", "closed" or "" (both)
    part: str = ""  # "337.3.1"
    due_within: int | None = None  # days
    sort: str = ""  # a SORTS key, "-" first for descending; "" the last changed first

    def described(self) -> list[str]:
        """Which filters were used, for the audit log: their names and values, never the search text (it may be a
        name)."""
        used = [f"{name}={value}" for name, value in self._clear_values() if value not in ("", None)]
        return used + (["search"] if self.query else [])

    def _clear_values(self) -> list[tuple[str, object]]:
        return [
            ("stage", self.stage),
            ("lawyer", self.lawyer),
            ("state", self.state),
            ("part", self.part),
            ("due_within", self.due_within),
            ("sort", self.sort),
        ]


@dataclass(frozen=True)
class Summary:
    """What a case's latest assessment gives the list: its primary article part and its deadlines."""

    part: str  # "" when there is no assessment or no qualification
    deadlines: tuple[Deadline, ...]
    unreadable: bool = False

    @property
    def next_deadline(self) -> Deadline | None:
        return min(self.deadlines, key=lambda d: d.at, default=None)


@dataclass(frozen=True)
class Row:
    case: Case
    name: str
    summary: Summary


def filtered_cases(user: User, filters: Filters) -> QuerySet[Case]:
    """The visible cases the SQL filters leave (everything but part and deadline), sorted as asked where SQL can."""
    cases = selectors.visible_cases(user)
    if filters.query:
        cases = cases.filter(Q(code__icontains=filters.query.strip()) | name_index.matching(filters.query))
    if filters.stage:
        cases = cases.filter(stage=filters.stage)
    if filters.lawyer is not None and user.role == Role.COORDINATOR:
        cases = cases.filter(lawyer_id=filters.lawyer)
    if filters.state == "open":
        cases = cases.filter(stage__in=OPEN_STAGES)
    elif filters.state == "closed":
        cases = cases.exclude(stage__in=OPEN_STAGES)
    field = filters.sort.removeprefix("-")
    if field in SQL_SORTS:
        if field == "stage":
            positions = [When(stage=stage, then=Value(number)) for number, stage in enumerate(Stage.values)]
            cases = cases.annotate(stage_position=When_(*positions, output_field=IntegerField()))
        descending = filters.sort.startswith("-")
        order = [
            F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True) for name in SQL_SORTS[field]
        ]
        return cases.order_by(*order, "-id" if descending else "id")
    return cases.order_by("-updated_at", "-id")


def needs_summaries(filters: Filters) -> bool:
    return bool(filters.part) or filters.due_within is not None or filters.sort.removeprefix("-") == "deadline"


def listed(user: User, filters: Filters) -> QuerySet[Case, int] | list[int]:
    """The pks of the list's cases in their order: a query set when SQL does it all; otherwise those the part and
    deadline filters leave (their latest assessments opened, or taken from this process's memo)."""
    cases = filtered_cases(user, filters)
    if not needs_summaries(filters):
        return cases.values_list("pk", flat=True)
    found = summaries(cases)
    limit = None if filters.due_within is None else timezone.now() + dt.timedelta(days=filters.due_within)
    chosen = []
    for pk in cases.values_list("pk", flat=True):
        summary = found.get(pk)
        if summary is None:  # made since the summaries were read
            continue
        if filters.part and summary.part != filters.part:
            continue
        if limit is not None and (_soonest(summary) is None or _soonest(summary) > limit):  # type: ignore[operator]
            continue
        chosen.append(pk)
    if filters.sort.removeprefix("-") == "deadline":
        far = dt.datetime.max.replace(tzinfo=dt.UTC)
        chosen.sort(key=lambda pk: (_soonest(found[pk]) or far, pk), reverse=filters.sort.startswith("-"))
    return chosen


def _soonest(summary: Summary) -> dt.datetime | None:
    deadline = summary.next_deadline
    return None if deadline is None else deadline.at


def rows(pks: Sequence[int]) -> list[Row]:
    """The rows of these cases (a page), in this order: names opened for them only, summaries from the memo or
    their latest assessment (three queries at most)."""
    chosen = selectors.with_latest_assessment(Case.objects.filter(pk__in=pks), answers=False).select_related("lawyer")
    loaded = {case.pk: case for case in chosen}
    found = _summaries_of(list(loaded.values()))
    result = []
    for pk in pks:
        case = loaded.get(pk)
        if case is None:  # deleted since the page was chosen
            continue
        name = stored.read(case.code, "identity", lambda case=case: name_index.case_name(case))
        shown = "" if isinstance(name, stored.Unreadable) else " ".join(name.split())
        result.append(Row(case, shown, found[pk]))
    return result


# -- summaries from the latest assessments, kept per process -------------------------------------------------------


def _summaries_of(cases: list[Case]) -> dict[int, Summary]:
    """The summaries of cases loaded by with_latest_assessment(answers=False), each kept under the case's state
    (cases/derived.py: its stage, facts and latest assessment) for the memo's lifetime: the summaries of the latest
    assessments missing from the memo are loaded in one query."""

    def work_out(case: Case, assessment: Assessment | None) -> tuple[Summary, bool]:
        summary = _summarise(case, assessment)
        return summary, not summary.unreadable

    return derived.by_state(cases, _memo, work_out, whole=False)


def summaries(cases: QuerySet[Case]) -> dict[int, Summary]:
    """The summary of each of these cases, by pk. A case summarised by this process in the last keys.CACHE_SECONDS
    in the same state is not opened again (the states are read in one query); the others are loaded by the
    thousand."""
    found: dict[int, Summary] = {}
    missing: list[int] = []
    for state in derived.states(cases):
        kept = _memo.get(state)
        if kept is None:
            missing.append(state[0])
        else:
            found[state[0]] = kept
    for start in range(0, len(missing), 1000):
        chunk = Case.objects.filter(pk__in=missing[start : start + 1000])
        found |= _summaries_of(list(selectors.with_latest_assessment(chunk, answers=False)))
    return found


def _summarise(case: Case, assessment: Assessment | None) -> Summary:
    worked_out = case_deadlines(case, assessment)
    deadlines = tuple(d for d in worked_out if d.code != "unreadable")
    unreadable = len(deadlines) != len(worked_out)
    part = ""
    if assessment is not None:
        try:
            kept = summary_of(assessment)  # the whole answer only for an assessment saved before summaries
            if kept is not None:
                article, part_of_article = kept.article, kept.part
            else:
                answer = read_answer(assessment.result_en)
                primary = next((q for q in answer.qualifications if q.primary), None)
                article, part_of_article = (primary.article, primary.part) if primary else (None, None)
        except stored.READ_ERRORS as error:
            stored.failed(case.code, "assessment", error)
            return Summary("", deadlines, True)
        part = f"{article}.{part_of_article}" if article else ""
    return Summary(part, deadlines, unreadable)


# Summaries worked out in this process (see the module's docstring).
_memo: TimedMemo[Summary] = TimedMemo(keys.CACHE_SECONDS)


def forget() -> None:
    """Drop every kept summary (tests, benchmarks)."""
    _memo.forget()
