"""Statistics of the organisation's own work: requests per month, cases by stage and outcome, median days per
stage, and the analytics charts (per month by part, suspended vs real, terms, regions) drawn from its own cases
with the same code as `courtpath analytics report`. Aggregates only: no code, name or date of a single case.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from typing import Any

import msgspec
import polars as pl
from django.db.models import CharField, Count, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from courtpath.analytics import aggregate, report
from courtpath.analytics.courts import court_directory
from courtpath.analytics.svg import horizontal_bars, stacked_bars
from courtpath.i18n import _t
from courtpath.law.answer import read_answer
from courtpath.law.moments import EARLIEST_YEAR, LATEST_YEAR
from courtpath.web.assessments import summary
from courtpath.web.cases import derived, selectors, stored
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


def _stage_counts(cases: QuerySet[Case]) -> Counter[str]:
    """How many of the cases are at each stage, counted by the database."""
    return Counter(dict(cases.order_by().values_list("stage").annotate(n=Count("pk"))))


def cases_by_stage(cases: QuerySet[Case]) -> list[tuple[str, int]]:
    counts = _stage_counts(cases)
    return [(stage.label, counts[stage.value]) for stage in Stage if counts[stage.value] and stage not in ENDINGS]


def cases_by_outcome(cases: QuerySet[Case]) -> list[tuple[str, int]]:
    counts = _stage_counts(cases)
    return [(stage.label, counts[stage.value]) for stage in ENDINGS if counts[stage.value]]


def median_days_per_stage(cases: QuerySet[Case]) -> list[tuple[str, float, int]]:
    """(stage, median days spent in it, n) over completed stays: from entering a stage to entering the next."""
    durations: dict[str, list[float]] = defaultdict(list)
    # The moments as the database writes them (ISO text, all in UTC), parsed here: Django's conversion of each into an
    # aware datetime cost most of the page at 20,000 events (bench_staff_pages.py).
    events = (
        CaseEvent.objects.filter(case__in=cases)
        .order_by("case_id", "at", "id")
        .annotate(moment=Cast("at", CharField()))
        .values_list("case_id", "stage", "moment")
    )
    parse = dt.datetime.fromisoformat
    previous: tuple[int, str, dt.datetime] | None = None
    for case_id, stage, moment in events:
        at = parse(moment)
        if previous is not None and previous[0] == case_id:
            durations[previous[1]].append((at - previous[2]).total_seconds() / 86400)
        previous = (case_id, stage, at)
    return [
        (stage.label, statistics.median(durations[stage.value]), len(durations[stage.value]))
        for stage in Stage
        if durations.get(stage.value)
    ]


def _primary(assessment: Assessment | None) -> tuple[str | None, str | None]:
    """The article and part of the primary qualification of a saved assessment read as a model (one saved before
    summaries existed: its whole answer); (None, None) when there is none, or it cannot be read (an answer of another
    shape must not break the page: the case counts with its article unknown)."""
    if assessment is None:
        return None, None
    kept = summary.of_assessment(assessment)
    if kept is not None:
        return kept.article, kept.part
    try:
        answer = read_answer(assessment.result_en)
    except msgspec.ValidationError:
        return None, None
    primary = next((q for q in answer.qualifications if q.primary), None)
    return (primary.article, primary.part) if primary else (None, None)


def _procedure(facts: dict[str, Any]) -> dict[str, object]:
    """The procedure fields of a case's opened facts record, as analytics records hold them."""
    verdict = Case.verdict_date.read(facts)
    return {
        "court_id": Case.court_id.read(facts) or None,
        "verdict_date": verdict if verdict is None or EARLIEST_YEAR <= verdict.year <= LATEST_YEAR else None,
        "sentence_type": Case.sentence_type.read(facts) or None,
        "term_months": Case.sentence_months.read(facts),
        "suspended": Case.sentence_suspended.read(facts),
    }


# What the index of records keeps of a case (its outcome follows from its stage), and the analytics record's types;
# the verdict's date is kept as ISO text and read as a date column.
_ROW_SCHEMA = {
    "record_key": pl.Utf8,
    "court_id": pl.Utf8,
    "verdict_date": pl.Utf8,
    "article": pl.Utf8,
    "part": pl.Utf8,
    "sentence_type": pl.Utf8,
    "term_months": pl.Int32,
    "suspended": pl.Boolean,
    "outcome_category": pl.Utf8,
}


def _worked_out_records(
    cases: dict[int, derived.State], problems: list[stored.Unreadable]
) -> tuple[dict[int, list[Any]], set[int]]:
    """The index values of these cases (pk -> state), read as rows in chunks, and the cases of which a stored value
    could not be read: those are added to `problems`, and are not to be kept in the index (they are read, and
    named, again next time)."""
    values: dict[int, list[Any]] = {}
    unreadable: set[int] = set()
    as_models: dict[int, int] = {}  # latest assessments without a summary -> their case
    for row in summary.case_rows(list(cases), {pk: state[3] for pk, state in cases.items()}):
        pk, code, latest_pk = row.pk, row.code, cases[row.pk][3]
        complete = True
        try:
            procedure = _procedure(Case.facts.open_column(row.facts_sealed, row.data_key))
        except stored.READ_ERRORS as error:
            problems.append(stored.failed(code, "facts", error))
            procedure, complete = {}, False
        article = part = None
        try:
            kept = summary.of_row(row.latest, row.data_key) if latest_pk is not None else None
        except stored.READ_ERRORS as error:
            problems.append(stored.failed(code, "assessment", error))
            kept, complete = None, False
        if kept is not None:
            article, part = kept.article, kept.part
        elif latest_pk is not None and complete:
            as_models[latest_pk] = pk
        verdict = procedure.get("verdict_date")
        values[pk] = [
            code,
            procedure.get("court_id"),
            None if verdict is None else verdict.isoformat(),
            article,
            part,
            procedure.get("sentence_type"),
            procedure.get("term_months"),
            procedure.get("suspended"),
        ]
        if not complete:
            unreadable.add(pk)
    for assessment in selectors.assessment_answers(list(as_models)).values():
        pk = as_models[assessment.pk]
        primary = stored.read(values[pk][0], "assessment", lambda assessment=assessment: _primary(assessment))
        if isinstance(primary, stored.Unreadable):
            problems.append(primary)
            unreadable.add(pk)
        else:
            values[pk][3], values[pk][4] = primary
    return values, unreadable


def case_records(cases: QuerySet[Case], unreadable: list[stored.Unreadable] | None = None) -> pl.DataFrame:
    """The organisation's cases in the shape of analytics records (article and part from the latest assessment).
    A case whose stored facts or assessment cannot be read counts with those values unknown, and is added to
    `unreadable` (courtpath.web.cases.stored).

    Each case's record is taken from the sealed index of records (courtpath.web.cases.derived) when the case has not
    changed since it was kept there; the others are read as rows, not models: the facts record and the latest
    assessment's summary opened from their columns (assessments/summary.py; an assessment without a summary is read
    whole, as a model). The records worked out here are written back to the index."""
    problems = [] if unreadable is None else unreadable
    index = derived.read(derived.RECORDS)  # before the states: see derived
    states = derived.states(cases)
    values = index.values(states)
    missing = {state[0]: state for state in states if state[0] not in values}
    fresh, unreadable_cases = _worked_out_records(missing, problems)
    values |= fresh
    kept = [(missing[pk], value) for pk, value in fresh.items() if pk not in unreadable_cases]
    if kept:
        derived.write(index, kept, Case.objects.values_list("pk", flat=True))
    rows = [(*values[state[0]], OUTCOME_OF_STAGE.get(state[1], "unknown")) for state in states if state[0] in values]
    frame = pl.DataFrame(rows, schema=_ROW_SCHEMA, orient="row").with_columns(pl.col("verdict_date").str.to_date())
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
