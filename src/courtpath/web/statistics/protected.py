"""The statistics for a viewer who cannot open the cases (an administrator): tables with small counts suppressed.

Charts are not drawn for such a viewer (a bar's length is its value). Every table has a fixed frame or pools its
small categories, so that a row's mere presence says nothing: months are the last 24 up to this month plus
"earlier" and "later"; every stage and outcome is listed; regions, article parts and term groups under THRESHOLD
are pooled into one row whose members are not named. Counts go through `disclosure.suppress`. The verdict month and
the article part are never crossed in one table (that pair, with the region, pointed at the one case in issue 17).
Figures derived from a suppressed count (a share, a median) are not shown; term statistics are shown only for groups
of THRESHOLD or more, without their size, which the part table already protects.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import polars as pl
from django.db.models import QuerySet
from django.utils import timezone

from courtpath.analytics import aggregate
from courtpath.analytics.report import UNKNOWN_REGION, part_label
from courtpath.analytics.svg import number, percent
from courtpath.i18n import _t
from courtpath.web.cases import stored
from courtpath.web.cases.models import Case, HelpRequest, Stage
from courtpath.web.statistics import stats
from courtpath.web.statistics.disclosure import THRESHOLD, Mark, one_way_lines, suppress, two_way_lines

SMALL = f"<{THRESHOLD}"
HIDDEN = "x"
WINDOW_MONTHS = 24
EARLIER, LATER, OTHER, TOTAL = "earlier", "later", "other", "total"


@dataclass(frozen=True)
class Table:
    key: str  # the CSV's table name
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # each row: its label, then its values as shown


@dataclass(frozen=True)
class ProtectedStatistics:
    requests: str
    cases: str
    tables: tuple[Table, ...]


def shown(value: int, mark: Mark | None) -> str:
    return SMALL if mark is Mark.SMALL else HIDDEN if mark is Mark.HIDDEN else str(value)


def _window(today: dt.date) -> list[dt.date]:
    last = today.replace(day=1)
    return [stats._add_months(last, -k) for k in range(WINDOW_MONTHS - 1, -1, -1)]


def _monthly(counts: Counter[dt.date], today: dt.date, lang: str) -> list[tuple[str, int]]:
    """Counts per month of the window, then everything before it and everything after it."""
    months = _window(today)
    rows = [(m.strftime("%m.%Y" if lang == "ru" else "%Y-%m"), counts.get(m, 0)) for m in months]
    rows.append((_t("earlier", lang), sum(n for m, n in counts.items() if m < months[0])))
    rows.append((_t("later", lang), sum(n for m, n in counts.items() if m > months[-1])))
    return rows


def _one_way(
    key: str, title: str, headers: tuple[str, str], rows: Sequence[tuple[str, int]], total: int, total_label: str
) -> Table:
    """A one-way table of counts with its total (a total shown elsewhere: never hidden unless small)."""
    values: dict[Hashable, int] = {index: n for index, (_, n) in enumerate(rows)}
    values[TOTAL] = total
    marks = suppress(values, one_way_lines(list(range(len(rows))), TOTAL), published={TOTAL})
    body = [(label, shown(n, marks.get(index))) for index, (label, n) in enumerate(rows)]
    body.append((total_label, shown(total, marks.get(TOTAL))))
    return Table(key, title, headers, tuple(body))


def _pooled(counts: Sequence[tuple[str, int]], other_label: str) -> list[tuple[str, int]]:
    """Categories of THRESHOLD or more by name; the others (never named) in one row, there even when empty, so that
    its presence says nothing."""
    kept = [(label, n) for label, n in counts if n >= THRESHOLD]
    return [*kept, (other_label, sum(n for _, n in counts if n < THRESHOLD))]


def _stages(cases: QuerySet[Case], total: int, lang: str) -> list[Table]:
    """Open cases by stage and closed cases by outcome: every stage listed; together they count every case."""
    counts = {str(label): n for label, n in [*stats.cases_by_stage(cases), *stats.cases_by_outcome(cases)]}
    stages = [(str(stage.label), counts.get(str(stage.label), 0)) for stage in Stage]
    values: dict[Hashable, int] = {index: n for index, (_, n) in enumerate(stages)}
    values[TOTAL] = total
    marks = suppress(values, one_way_lines(list(range(len(stages))), TOTAL), published={TOTAL})
    rows = {label: shown(n, marks.get(index)) for index, (label, n) in enumerate(stages)}
    headers = (_t("Stage", lang), _t("cases", lang))
    open_rows = tuple((str(s.label), rows[str(s.label)]) for s in Stage if s not in stats.ENDINGS)
    closed_rows = tuple((str(s.label), rows[str(s.label)]) for s in stats.ENDINGS)
    return [
        Table("open_cases_by_stage", _t("Open cases by stage", lang), headers, open_rows),
        Table("closed_cases_by_outcome", _t("Closed cases by outcome", lang), headers, closed_rows),
    ]


def _median_days(cases: QuerySet[Case], lang: str) -> Table:
    """Every stage; the median only over THRESHOLD or more completed stays (a median of one stay is that stay)."""
    found = {str(label): (days, n) for label, days, n in stats.median_days_per_stage(cases)}
    decimal = "," if lang == "ru" else "."
    rows = []
    for stage in Stage:
        days, n = found.get(str(stage.label), (0.0, 0))
        small = n < THRESHOLD
        rows.append((str(stage.label), "—" if small else number(round(days, 1), decimal), SMALL if small else str(n)))
    headers = (_t("Stage", lang), _t("median days", lang), _t("completed stays", lang))
    return Table("median_days_per_stage", _t("Median days per stage", lang), headers, tuple(rows))


def _suspended(records: pl.DataFrame, lang: str) -> Table:
    """Suspended and real prison sentences by article part (small parts pooled), with the margins."""
    shares = aggregate.suspended_share(records).filter(pl.col("part_key") != "all")
    by_part = [(row["part_key"], int(row["suspended"] or 0), int(row["real"] or 0)) for row in shares.to_dicts()]
    kept = [row for row in by_part if row[1] + row[2] >= THRESHOLD]
    small = [row for row in by_part if row[1] + row[2] < THRESHOLD]
    rows = [(part_label(part, lang), s, r) for part, s, r in kept]
    rows.append((_t("other parts (fewer than 5 each)", lang), sum(s for _, s, _ in small), sum(r for _, _, r in small)))
    values: dict[Hashable, int] = {}
    for i, (_, s, r) in enumerate(rows):
        values[(i, 0)], values[(i, 1)], values[(i, TOTAL)] = s, r, s + r
    values[(TOTAL, 0)] = sum(s for _, s, _ in rows)
    values[(TOTAL, 1)] = sum(r for _, _, r in rows)
    values[(TOTAL, TOTAL)] = values[(TOTAL, 0)] + values[(TOTAL, 1)]
    lines = two_way_lines(
        [[(i, 0), (i, 1)] for i in range(len(rows))],
        [(i, TOTAL) for i in range(len(rows))],
        [(TOTAL, 0), (TOTAL, 1)],
        (TOTAL, TOTAL),
    )
    marks = suppress(values, lines)
    body = []
    for i, label in [*((i, row[0]) for i, row in enumerate(rows)), (TOTAL, _t("all parts", lang))]:
        cells = [(i, 0), (i, 1), (i, TOTAL)]
        texts = [shown(values[key], marks.get(key)) for key in cells]
        share = "—" if any(key in marks for key in cells) else percent(values[(i, 0)] / values[(i, TOTAL)])
        body.append((label, *texts, share))
    headers = (_t("Article part", lang), _t("suspended", lang), _t("real", lang), "n", _t("suspended share", lang))
    return Table("suspended_by_part", _t("Suspended and real imprisonment by article part", lang), headers, tuple(body))


def _terms(records: pl.DataFrame, lang: str) -> Table:
    """Prison terms (months) of the groups of THRESHOLD or more sentences only, without the group's size."""
    decimal = "," if lang == "ru" else "."
    terms = aggregate.term_distribution(records).filter(pl.col("n") >= THRESHOLD)
    suspended, real = _t("suspended", lang), _t("real", lang)
    rows = tuple(
        (
            f"{part_label(row['part_key'], lang)}, {suspended if row['suspended'] else real}",
            *(number(float(row[key]), decimal) for key in ("min", "q1", "median", "q3", "max")),
        )
        for row in terms.to_dicts()
    )
    headers = (_t("Group", lang), "min", "Q1", _t("median", lang), "Q3", "max")
    return Table("prison_terms_months", _t("Prison terms in months, groups of 5 or more", lang), headers, rows)


def protected_statistics(
    cases: QuerySet[Case],
    requests: QuerySet[HelpRequest],
    lang: str,
    today: dt.date | None = None,
    unreadable: list[stored.Unreadable] | None = None,
) -> ProtectedStatistics:
    """Every table of the page for a viewer without access to the cases, with its counts suppressed (cases whose
    stored values could not be read are added to `unreadable`)."""
    today = today or timezone.localdate()
    case_total, request_total = cases.count(), requests.count()
    requested = Counter(dict(stats.requests_per_month(requests, months=12 * 60)))
    records = stats.case_records(cases, unreadable)
    verdicts = Counter(day.replace(day=1) for day in records.get_column("verdict_date").drop_nulls().to_list())
    regions = [
        (UNKNOWN_REGION.render(lang) if name == "unknown" else str(name), int(n))
        for name, n in aggregate.by_region(records).iter_rows()
    ]
    total_label = _t("total", lang)
    tables = [
        _one_way(
            "requests_per_month",
            _t("Requests per month", lang),
            (_t("Month", lang), _t("requests", lang)),
            _monthly(requested, today, lang),
            request_total,
            total_label,
        ),
        *_stages(cases, case_total, lang),
        _median_days(cases, lang),
        _one_way(
            "verdicts_per_month",
            _t("Verdicts per month", lang),
            (_t("Month", lang), _t("cases", lang)),
            _monthly(verdicts, today, lang),
            sum(verdicts.values()),
            total_label,
        ),
        _suspended(records, lang),
        _terms(records, lang),
        _one_way(
            "cases_by_region",
            _t("Cases by region of the court", lang),
            (_t("Region", lang), _t("cases", lang)),
            _pooled(regions, _t("other regions (fewer than 5 each)", lang)),
            case_total,
            total_label,
        ),
    ]
    return ProtectedStatistics(_total(request_total), _total(case_total), tuple(tables))


def _total(count: int) -> str:
    """A total of the page's first line: published, so only a small one is suppressed (the tables agree)."""
    return shown(count, Mark.SMALL if count < THRESHOLD else None)


def csv_rows(statistics: ProtectedStatistics) -> list[list[str]]:
    """The tables as one CSV: (table, key, column, value), suppressed values as "<5" or "x"."""
    rows = [["table", "key", "column", "value"]]
    for table in statistics.tables:
        for row in table.rows:
            rows += [
                [table.key, row[0], header, value] for header, value in zip(table.headers[1:], row[1:], strict=True)
            ]
    return rows
