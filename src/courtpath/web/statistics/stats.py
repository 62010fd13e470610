"""Statistics of the organisation's own work: requests per month, cases by stage and outcome, median days per
stage, and the analytics charts (per month by part, suspended vs real, terms, regions) drawn from its own cases
with the same code as `courtpath analytics report`. Aggregates only: no code, name or date of a single case.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict

import msgspec
import polars as pl
from django.db.models import QuerySet
from django.utils import timezone

from courtpath.analytics import aggregate, report
from courtpath.analytics.courts import court_directory
from courtpath.analytics.svg import horizontal_bars, stacked_bars
from courtpath.i18n import _t
from courtpath.law.answer import QualificationAnswer, read_answer
from courtpath.law.moments import EARLIEST_YEAR, LATEST_YEAR
from courtpath.web.cases import selectors, stored
from courtpath.web.cases.models import Assessment, Case, CaseEvent, HelpRequest, Stage

ENDINGS = (
    Stage.IN_FORCE,
    Stage.DISCHARGED,
    Stage.SUSPENDED_SENTENCE,
    Stage.CASE_SUSPENDED,
    Stage.RETURNED_TO_FRONT,
    Stage.EXEMPTED,
    Stage.ACQUITTED,
    Stage.LOST_CONTACT,
)
OUTCOME_OF_STAGE = {  # the analytics outcome categories
    Stage.VERDICT: "convicted",
    Stage.APPEAL: "convicted",
    Stage.IN_FORCE: "convicted",
    Stage.DISCHARGED: "convicted",
    Stage.SUSPENDED_SENTENCE: "convicted",
    Stage.ACQUITTED: "acquitted",
    Stage.CASE_SUSPENDED: "suspended_case",
    Stage.EXEMPTED: "terminated",
}


def requests_per_month(requests: QuerySet[HelpRequest], months: int = 24) -> list[tuple[dt.date, int]]:
    counts = Counter(timezone.localtime(r).date().replace(day=1) for r in requests.values_list("created_at", flat=True))
    if not counts:
        return []
    last = max(counts)
    first = max(min(counts), _add_months(last, -(months - 1)))
    series, month = [], first
    while month <= last:
        series.append((month, counts.get(month, 0)))
        month = _add_months(month, 1)
    return series


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    return day.replace(year=day.year + index // 12, month=index % 12 + 1)


def cases_by_stage(cases: QuerySet[Case]) -> list[tuple[str, int]]:
    counts = Counter(cases.values_list("stage", flat=True))
    return [(stage.label, counts[stage.value]) for stage in Stage if counts[stage.value] and stage not in ENDINGS]


def cases_by_outcome(cases: QuerySet[Case]) -> list[tuple[str, int]]:
    counts = Counter(cases.values_list("stage", flat=True))
    return [(stage.label, counts[stage.value]) for stage in ENDINGS if counts[stage.value]]


def median_days_per_stage(cases: QuerySet[Case]) -> list[tuple[str, float, int]]:
    """(stage, median days spent in it, n) over completed stays: from entering a stage to entering the next."""
    durations: dict[str, list[float]] = defaultdict(list)
    events = (
        CaseEvent.objects.filter(case__in=cases).order_by("case_id", "at", "id").values_list("case_id", "stage", "at")
    )
    previous: tuple[int, str, dt.datetime] | None = None
    for case_id, stage, at in events:
        if previous is not None and previous[0] == case_id:
            durations[previous[1]].append((at - previous[2]).total_seconds() / 86400)
        previous = (case_id, stage, at)
    return [
        (stage.label, statistics.median(durations[stage.value]), len(durations[stage.value]))
        for stage in Stage
        if durations.get(stage.value)
    ]


def _primary(assessment: Assessment | None) -> QualificationAnswer | None:
    """The primary qualification of a saved assessment; None when there is none, or it cannot be read (an answer of
    another shape must not break the page: the case counts with its article unknown)."""
    if assessment is None:
        return None
    try:
        answer = read_answer(assessment.result_en)
    except msgspec.ValidationError:
        return None
    return next((q for q in answer.qualifications if q.primary), None)


def _procedure(case: Case) -> dict[str, object]:
    verdict = case.verdict_date
    return {
        "court_id": case.court_id or None,
        "verdict_date": verdict if verdict is None or EARLIEST_YEAR <= verdict.year <= LATEST_YEAR else None,
        "sentence_type": case.sentence_type or None,
        "term_months": case.sentence_months,
        "suspended": case.sentence_suspended,
    }


def case_records(cases: QuerySet[Case], unreadable: list[stored.Unreadable] | None = None) -> pl.DataFrame:
    """The organisation's cases in the shape of analytics records (article and part from the latest assessment).
    A case whose stored facts or assessment cannot be read counts with those values unknown, and is added to
    `unreadable` (courtpath.web.cases.stored)."""
    problems = [] if unreadable is None else unreadable
    rows = []
    for case in selectors.with_latest_assessment(cases):  # two queries, however many cases
        procedure = stored.read(case.code, "facts", lambda case=case: _procedure(case))
        latest = selectors.loaded_latest_assessment(case)
        primary = stored.read(case.code, "assessment", lambda latest=latest: _primary(latest))
        problems += [value for value in (procedure, primary) if isinstance(value, stored.Unreadable)]
        procedure = {} if isinstance(procedure, stored.Unreadable) else procedure
        primary = None if isinstance(primary, stored.Unreadable) else primary
        rows.append(
            {
                "record_key": case.code,
                "court_id": procedure.get("court_id"),
                "verdict_date": procedure.get("verdict_date"),
                "article": primary.article if primary else None,
                "part": primary.part if primary else None,
                "outcome_category": OUTCOME_OF_STAGE.get(case.stage, "unknown"),
                "sentence_type": procedure.get("sentence_type"),
                "term_months": procedure.get("term_months"),
                "suspended": procedure.get("suspended"),
            }
        )
    schema = {
        "record_key": pl.Utf8,
        "court_id": pl.Utf8,
        "verdict_date": pl.Date,
        "article": pl.Utf8,
        "part": pl.Utf8,
        "outcome_category": pl.Utf8,
        "sentence_type": pl.Utf8,
        "term_months": pl.Int32,
        "suspended": pl.Boolean,
    }
    frame = pl.DataFrame(rows, schema=schema)
    regions = court_directory().select("court_id", "region_name")
    return frame.join(regions, on="court_id", how="left")


def organisation_charts(
    cases: QuerySet[Case],
    requests: QuerySet[HelpRequest],
    lang: str,
    unreadable: list[stored.Unreadable] | None = None,
) -> dict[str, str]:
    """SVG strings: the organisation's own charts and the analytics charts of its cases (the cases whose stored
    values could not be read are added to `unreadable`)."""
    decimal = "," if lang == "ru" else "."
    monthly = requests_per_month(requests)
    stages, endings, medians = cases_by_stage(cases), cases_by_outcome(cases), median_days_per_stage(cases)
    records = case_records(cases, unreadable)
    return {
        "requests": stacked_bars(
            chart_id="cp-requests",
            title=_t("Requests per month", lang),
            desc=_t("Requests for help received each month.", lang),
            categories=[m.strftime("%m.%Y" if lang == "ru" else "%Y-%m") for m, _ in monthly],
            series=[_t("requests", lang)],
            values=[[n] for _, n in monthly],
            empty_text=_t("No data", lang),
        ),
        "stages": horizontal_bars(
            chart_id="cp-stages",
            title=_t("Open cases by stage", lang),
            desc=_t("Number of open cases at each stage.", lang),
            labels=[str(label) for label, _ in stages],
            values=[n for _, n in stages],
            empty_text=_t("No data", lang),
        ),
        "endings": horizontal_bars(
            chart_id="cp-endings",
            title=_t("Closed cases by outcome", lang),
            desc=_t("How the closed cases ended.", lang),
            labels=[str(label) for label, _ in endings],
            values=[n for _, n in endings],
            empty_text=_t("No data", lang),
        ),
        "median_days": horizontal_bars(
            chart_id="cp-median-days",
            title=_t("Median days per stage", lang),
            desc=_t("Median number of days a case stayed in each stage, over completed stays.", lang),
            labels=[f"{label} (n = {n})" for label, _, n in medians],
            values=[round(d, 1) for _, d, _ in medians],
            decimal=decimal,
            empty_text=_t("No data", lang),
        ),
        "by_part": report.monthly_chart(aggregate.monthly_by_part(records), lang),
        "suspended": report.suspended_chart(aggregate.suspended_share(records), lang),
        "terms": report.terms_chart(aggregate.term_distribution(records), lang),
        "regions": report.region_chart(aggregate.by_region(records), lang),
    }


def aggregates_csv_rows(cases: QuerySet[Case], requests: QuerySet[HelpRequest]) -> list[list[object]]:
    """The aggregates behind the charts, one table: (table, key, value, n)."""
    rows: list[list[object]] = [["table", "key", "value", "n"]]
    rows += [["requests_per_month", m.isoformat(), n, n] for m, n in requests_per_month(requests)]
    rows += [["open_cases_by_stage", label, n, n] for label, n in cases_by_stage(cases)]
    rows += [["closed_cases_by_outcome", label, n, n] for label, n in cases_by_outcome(cases)]
    rows += [["median_days_per_stage", label, round(days, 1), n] for label, days, n in median_days_per_stage(cases)]
    return rows
