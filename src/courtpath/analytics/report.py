"""The analytics report: SVG charts, CSV aggregates and one self-contained HTML page, in Russian or English.

    write_report(beside_law(records), Path("out"), "ru")

writes monthly_by_part.svg, suspended_share.svg, terms_by_part.svg, by_region.svg, outcomes.svg,
aggregates/<name>.csv (one per aggregate of `courtpath.analytics.aggregate`) and report.html. The CSV files hold
aggregates only; the list of records outside the statutory range holds record keys, court ids, dates, parts,
terms and the range, never names or texts. The HTML page has the charts inline, its CSS inline, no scripts and
no link to another host; `render_report_html(..., fragment=True)` gives its body without any inline style, for a
page under a strict Content-Security-Policy, and the `*_chart` functions give each chart as an SVG string.
Nothing in the output depends on the clock: the same records give byte-identical files.

With `official` (the store of `courtpath.analytics.official`), the report also writes official_real_terms.svg,
official_suspended.svg, aggregates/sample_by_part_year.csv and aggregates/official_beside_sample.csv, and its page
shows the official figures beside the published records per part and year, with a note wherever the published
records over-represent real terms.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Callable, Sequence
from pathlib import Path

import polars as pl

from courtpath import __version__
from courtpath.analytics import aggregate
from courtpath.analytics.courts import ATTRIBUTION
from courtpath.analytics.svg import Box, box_plot, horizontal_bars, share_bars, stacked_bars
from courtpath.i18n import LANGUAGES, Msg, _t, format_date
from courtpath.law.vocabulary import LAW_DATE_BASES, OUTCOMES, PENALTIES, RANGE_CHECKS, Vocabulary

AGGREGATES: dict[str, Callable[[pl.DataFrame], pl.DataFrame]] = {
    "monthly_by_part": aggregate.monthly_by_part,
    "suspended_share": aggregate.suspended_share,
    "term_distribution": aggregate.term_distribution,
    "by_region": aggregate.by_region,
    "outcomes": aggregate.outcomes,
    "range_check": aggregate.range_check,
    "outside_range": aggregate.outside_range,
}
CHART_FILES = ("monthly_by_part.svg", "suspended_share.svg", "terms_by_part.svg", "by_region.svg", "outcomes.svg")
OFFICIAL_CHART_FILES = ("official_real_terms.svg", "official_suspended.svg")
OFFICIAL_AGGREGATES = ("sample_by_part_year", "official_beside_sample")
HTML_FILE = "report.html"
OUTSIDE_SHOWN = 500  # rows of the outside-range list in the HTML; the CSV has all of them

UNKNOWN_REGION = Msg("court not in the directory")
N_TEXT = "n = {n}"  # the same in both languages

RANGE_METHOD = Msg(
    "Every term is compared with the range of the sanction of its article and part, in the edition in force on the "
    "first known of these dates: the start of the absence, the filing in court, the decision. A term at a bound is "
    "within the range."
)
RANGE_WARNING = Msg(
    "A record outside the range is a possible data error (a misread term or part), a sentence below the minimum "
    "under art. 64 of the Criminal Code, or an error in courtpath's law data. Check the verdict before drawing "
    "conclusions."
)
CAVEATS = (
    Msg(
        "Published court records are a biased sample, not a census: courts withhold many texts and case cards, so "
        "the numbers describe what was published, not all cases."
    ),
    Msg(
        "Statistics on chapter 33 of the Criminal Code (crimes against military service) were removed from the "
        "official court statistics tables in 2023, so there is no official total to compare these numbers with."
    ),
    Msg("Counts are of defendant-records: a case with several defendants counts once for each of them."),
    Msg(
        "Sentences, suspensions and terms come from case cards or are parsed from verdict texts; a parsing error can "
        "show up as a record outside the statutory range (see below)."
    ),
    Msg("Every figure gives its n; with a small n, differences mean little."),
)
NO_OFFICIAL_CAVEAT = CAVEATS[1]
OFFICIAL_CAVEAT = Msg(
    "Official statistics on chapter 33 of the Criminal Code (crimes against military service) were removed from the "
    "public court statistics tables in 2023: the official figures below cover only the years of the tables imported "
    "(2022 and earlier, or tables obtained otherwise)."
)
OFFICIAL_INTRO = Msg(
    "Official figures: the Judicial Department's yearly tables of convictions by article and part (everyone "
    "convicted under the part as the main offence). Published records: the sample of this report, counted by the "
    "year of the decision; their shares are of the convictions whose penalty is known, and pending cases are "
    "counted apart, never in the shares."
)
BIAS_INTRO = Msg(
    "The published records are biased towards real terms where their share of real terms exceeds the official "
    "one: published verdicts and news over-represent real terms."
)
BIAS_NOTE = Msg(
    "{part}, {year}: real terms are {sample_share} of the published records with a known penalty (n = {sample_n}) "
    "but {official_share} of all convictions in the official statistics (n = {official_n})."
)
NO_BIAS = Msg(
    "In no part and year compared do the published records show a larger share of real terms than the official "
    "statistics."
)
LICENCE_NOTE = Msg(
    "Region names come from the military court directory of dataout-org/sudrfparser, licensed under CC BY-SA 4.0 "
    "(https://creativecommons.org/licenses/by-sa/4.0/). The region figure and table are adapted from it and are "
    "shared under the same licence."
)

CSS = """
body { margin: 0; background: #fff; color: #1a1a1a; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto,
  Helvetica, Arial, sans-serif; }
.courtpath-report { max-width: 62rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 .5rem; }
h2 { font-size: 1.25rem; margin: 2.2rem 0 .5rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 1.5rem 0 .4rem; }
.n { font-weight: bold; margin: .2rem 0 .6rem; }
.caveats { background: #fff8e5; border-left: 4px solid #E69F00; padding: .6rem 1rem; }
figure { margin: 0 0 .8rem; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: #555; font-size: .9rem; }
table { border-collapse: collapse; margin: .4rem 0 1rem; font-size: .9rem; }
th, td { border: 1px solid #ddd; padding: .2rem .5rem; text-align: left; vertical-align: top; }
th { background: #f4f4f4; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
details { margin: .4rem 0 1rem; }
summary { cursor: pointer; color: #0072B2; }
.source { color: #555; font-size: .9rem; }
"""


def _e(text: object) -> str:
    """Escaped for HTML element content (every `_e` value is content, never an attribute value)."""
    return html.escape(str(text), quote=False)


def _decimal(lang: str) -> str:
    return "," if lang == "ru" else "."


def _number(value: float | None, lang: str, digits: int = 1) -> str:
    if value is None or math.isnan(value):  # e.g. the share of suspended sentences among none
        return "—"
    if float(value) == round(value):
        return str(round(value))
    return f"{value:.{digits}f}".replace(".", _decimal(lang))


def _share(value: float | None, lang: str) -> str:
    return "—" if value is None or math.isnan(value) else f"{_number(round(value * 100, 1), lang)}%"


def _month(day: dt.date, lang: str) -> str:
    return day.strftime("%m.%Y" if lang == "ru" else "%Y-%m")


def _part_sort_key(part_key: str) -> tuple[int, ...]:
    return tuple(int(piece) if piece.isdigit() else 10**6 for piece in part_key.split("."))


def part_label(part_key: str, lang: str) -> str:
    """'337.5' as "ч. 5 ст. 337" (ru) or "art. 337 part 5" (en); 'all' as all parts."""
    if part_key == "all":
        return _t("all parts", lang)
    article, _, part = part_key.partition(".")
    return _t("art. {article} part {part}", lang, article=article, part=part)


def _name(names: Vocabulary, key: str | None, lang: str) -> str:
    if key is None:
        return "—"
    return names.name(key).render(lang) if key in names else key


def _paragraph(text: str) -> str:
    return f"<p>{_e(text)}</p>"


def _heading(level: int, text: str) -> str:
    return f"<h{level}>{_e(text)}</h{level}>"


def _region(name: str | None, lang: str) -> str:
    return UNKNOWN_REGION.render(lang) if name in (None, "unknown") else str(name)


def compute_aggregates(records: pl.DataFrame, official: pl.DataFrame | None = None) -> dict[str, pl.DataFrame]:
    """Every aggregate of the report, by name (the CSV file names). `records` must have been through beside_law;
    with `official` (courtpath.analytics.official.load_official) also the sample beside the official figures."""
    found = {name: function(records) for name, function in AGGREGATES.items()}
    if official is not None:
        sample = aggregate.sample_by_part_year(records)
        found["sample_by_part_year"] = sample
        found["official_beside_sample"] = aggregate.official_beside_sample(official, sample)
    return found


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(day)
        day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return months


# -- charts -----------------------------------------------------------------------------------------------------


def monthly_chart(monthly: pl.DataFrame, lang: str = "ru", chart_id: str = "cp-monthly") -> str:
    """Stacked bars of `aggregate.monthly_by_part`: every month from the first to the last, by article part."""
    n = int(monthly.get_column("n").sum()) if monthly.height else 0
    parts = sorted(set(monthly.get_column("part_key").to_list()), key=_part_sort_key)
    counts = {(row["month"], row["part_key"]): row["n"] for row in monthly.iter_rows(named=True)}
    months = _months(min(m for m, _ in counts), max(m for m, _ in counts)) if counts else []
    return stacked_bars(
        chart_id=chart_id,
        title=_t("Decisions per month by article part", lang),
        desc=_t(
            "Stacked bars: defendant-records per month of the decision, by article and part; {months} months "
            "from {first} to {last}. n = {n}.",
            lang,
            months=len(months),
            first=_month(months[0], lang) if months else "—",
            last=_month(months[-1], lang) if months else "—",
            n=n,
        ),
        subtitle=N_TEXT.format(n=n),
        categories=[_month(m, lang) for m in months],
        series=[part_label(p, lang) for p in parts],
        values=[[counts.get((m, p), 0) for p in parts] for m in months],
        y_label=_t("records", lang),
        decimal=_decimal(lang),
        empty_text=_t("No data", lang),
    )


def suspended_chart(shares: pl.DataFrame, lang: str = "ru", chart_id: str = "cp-suspended") -> str:
    """100%-stacked bars of `aggregate.suspended_share`: suspended vs real per part, then all parts, with n."""
    rows = list(shares.iter_rows(named=True))
    total = next((row["n"] for row in rows if row["part_key"] == "all"), 0) or 0
    return share_bars(
        chart_id=chart_id,
        title=_t("Suspended and real imprisonment by article part", lang),
        desc=_t(
            "Share of suspended sentences among prison sentences whose suspension is known, per article part and "
            "for all parts together. n = {n}.",
            lang,
            n=total,
        ),
        subtitle=N_TEXT.format(n=total),
        labels=[part_label(row["part_key"], lang) for row in rows],
        counts=[(row["suspended"] or 0, row["real"] or 0) for row in rows],
        series=(_t("suspended", lang), _t("real", lang)),
        n_text=N_TEXT,
        empty_text=_t("No data", lang),
        total_last=True,
    )


def terms_chart(terms: pl.DataFrame, lang: str = "ru", chart_id: str = "cp-terms") -> str:
    """Box plots of `aggregate.term_distribution`: prison terms per part, real and suspended side by side."""
    n = int(terms.get_column("n").sum()) if terms.height else 0
    parts = sorted(set(terms.get_column("part_key").to_list()), key=_part_sort_key)
    boxes = {
        (parts.index(row["part_key"]), 1 if row["suspended"] else 0): Box(
            row["n"], row["min"], row["q1"], row["median"], row["q3"], row["max"]
        )
        for row in terms.iter_rows(named=True)
    }
    return box_plot(
        chart_id=chart_id,
        title=_t("Prison terms by article part", lang),
        desc=_t(
            "Box plots of prison terms: minimum, first quartile, median, third quartile and maximum per article "
            "part, real and suspended sentences separately; the axis is in years. n = {n}.",
            lang,
            n=n,
        ),
        subtitle=N_TEXT.format(n=n),
        categories=[part_label(p, lang) for p in parts],
        series=[_t("real", lang), _t("suspended", lang)],
        boxes=boxes,
        axis_label=_t("term, years", lang),
        stats_text=_t("n = {n}; min {min}; Q1 {q1}; median {median}; Q3 {q3}; max {max} months", lang),
        decimal=_decimal(lang),
        empty_text=_t("No data", lang),
    )


def region_chart(regions: pl.DataFrame, lang: str = "ru", chart_id: str = "cp-regions") -> str:
    """Horizontal bars of `aggregate.by_region` (regions from the CC BY-SA court directory)."""
    n = int(regions.get_column("n").sum()) if regions.height else 0
    return horizontal_bars(
        chart_id=chart_id,
        title=_t("Records by region of the court", lang),
        desc=_t(
            "Horizontal bars: defendant-records per region of the court, from the court directory; {regions} "
            "regions. n = {n}.",
            lang,
            regions=regions.height,
            n=n,
        ),
        subtitle=N_TEXT.format(n=n),
        labels=[_region(name, lang) for name in regions.get_column("region_name").to_list()],
        values=regions.get_column("n").to_list(),
        x_label=_t("records", lang),
        decimal=_decimal(lang),
        empty_text=_t("No data", lang),
    )


def outcome_chart(outcomes: pl.DataFrame, lang: str = "ru", chart_id: str = "cp-outcomes") -> str:
    """Horizontal bars of `aggregate.outcomes`."""
    n = int(outcomes.get_column("n").sum()) if outcomes.height else 0
    return horizontal_bars(
        chart_id=chart_id,
        title=_t("Outcomes", lang),
        desc=_t("Horizontal bars: defendant-records per outcome of the case. n = {n}.", lang, n=n),
        subtitle=N_TEXT.format(n=n),
        labels=[_name(OUTCOMES, key, lang) for key in outcomes.get_column("outcome_category").to_list()],
        values=outcomes.get_column("n").to_list(),
        x_label=_t("records", lang),
        decimal=_decimal(lang),
        empty_text=_t("No data", lang),
        colour="#009E73",
    )


def _source_rows(beside: pl.DataFrame, lang: str) -> list[tuple[str, str, dict[str, int]]]:
    """(label, source key, counts) for each source of each compared part and year: official first, then the sample.
    The counts are `n` (the base of the shares), real_terms, suspended and other."""
    official_name, sample_name = _t("official statistics", lang), _t("published records", lang)
    out = []
    for row in beside.iter_rows(named=True):
        where = f"{part_label(row['article'] + '.' + row['part'], lang)}, {row['year']}"
        if row["official_convicted"] is not None:
            counts = {k: row[f"official_{k}"] or 0 for k in ("real_terms", "suspended", "other")}
            counts["n"] = row["official_convicted"] or 0
            out.append((f"{where}: {official_name}", "official", counts))
        counts = {k: row[f"sample_{k}"] or 0 for k in ("real_terms", "suspended", "other")}
        counts["n"] = row["sample_known"] or 0
        out.append((f"{where}: {sample_name}", "sample", counts))
    return out


def official_share_chart(beside: pl.DataFrame, which: str, lang: str = "ru", chart_id: str = "cp-official-real") -> str:
    """100%-stacked bars of `aggregate.official_beside_sample`: the share of real terms (which="real_terms") or of
    suspended sentences (which="suspended") in the official statistics and in the published records, per part and
    year, each bar labelled with its source and n."""
    rows = _source_rows(beside, lang)
    if which == "real_terms":
        title = _t("Real terms: official statistics and published records", lang)
        series = (_t("real terms", lang), _t("other outcomes", lang))
    else:
        title = _t("Suspended sentences: official statistics and published records", lang)
        series = (_t("suspended", lang), _t("other outcomes", lang))
    return share_bars(
        chart_id=chart_id,
        title=title,
        desc=_t(
            "Share among convictions, per article part and year, in the official statistics (all convictions) and in "
            "the published records (convictions whose penalty is known); {bars} bars.",
            lang,
            bars=len(rows),
        ),
        subtitle=_t("each bar gives its source and n", lang),
        labels=[label for label, _, _ in rows],
        counts=[(c[which], c["n"] - c[which]) for _, _, c in rows],
        series=series,
        n_text=N_TEXT,
        empty_text=_t("No data", lang),
    )


def charts(aggregates: dict[str, pl.DataFrame], lang: str = "ru") -> dict[str, str]:
    """SVG file name -> SVG text, for the five charts of the report (and the two beside the official figures)."""
    svgs = {
        "monthly_by_part.svg": monthly_chart(aggregates["monthly_by_part"], lang),
        "suspended_share.svg": suspended_chart(aggregates["suspended_share"], lang),
        "terms_by_part.svg": terms_chart(aggregates["term_distribution"], lang),
        "by_region.svg": region_chart(aggregates["by_region"], lang),
        "outcomes.svg": outcome_chart(aggregates["outcomes"], lang),
    }
    if "official_beside_sample" in aggregates:
        beside = aggregates["official_beside_sample"]
        svgs["official_real_terms.svg"] = official_share_chart(beside, "real_terms", lang, "cp-official-real")
        svgs["official_suspended.svg"] = official_share_chart(beside, "suspended", lang, "cp-official-suspended")
    return svgs


# -- HTML -------------------------------------------------------------------------------------------------------


def _table(headers: Sequence[str], rows: Sequence[Sequence[object]], numeric: Sequence[bool]) -> str:
    def cell(tag: str, value: object, is_number: bool) -> str:
        return f'<{tag} class="num">{_e(value)}</{tag}>' if is_number else f"<{tag}>{_e(value)}</{tag}>"

    head = "".join(cell("th", h, num) for h, num in zip(headers, numeric, strict=True))
    body = "\n".join(
        "<tr>" + "".join(cell("td", v, num) for v, num in zip(row, numeric, strict=True)) + "</tr>" for row in rows
    )
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"


def _details(table: str, csv_name: str, lang: str) -> str:
    file_name = f"{csv_name}.csv"
    summary = _t("Table (aggregates/{file})", lang, file=file_name)
    return f"<details><summary>{_e(summary)}</summary>\n{table}\n</details>"


def _figure(section_id: str, heading: str, n: int, svg: str, caption: str, table: str) -> str:
    svg_inline = svg.rstrip("\n")
    return (
        f'<section id="{section_id}">\n<h2>{_e(heading)}</h2>\n<p class="n">{_e(N_TEXT.format(n=n))}</p>\n'
        f"<figure>\n{svg_inline}\n<figcaption>{_e(caption)}</figcaption>\n</figure>\n{table}\n</section>"
    )


def _sections(aggregates: dict[str, pl.DataFrame], svgs: dict[str, str], lang: str) -> list[str]:
    monthly, shares = aggregates["monthly_by_part"], aggregates["suspended_share"]
    terms = aggregates["term_distribution"]
    regions, outcomes = aggregates["by_region"], aggregates["outcomes"]
    yes_no = {True: _t("yes", lang), False: _t("no", lang), None: "—"}
    sections = []

    rows = [(_month(r["month"], lang), part_label(r["part_key"], lang), r["n"]) for r in monthly.iter_rows(named=True)]
    table = _table([_t("Month", lang), _t("Article, part", lang), _t("Records", lang)], rows, [False, False, True])
    sections.append(
        _figure(
            "monthly",
            _t("Decisions per month by article part", lang),
            int(monthly.get_column("n").sum()) if monthly.height else 0,
            svgs["monthly_by_part.svg"],
            _t("Defendant-records by the month of the decision; records without a decision date are left out.", lang),
            _details(table, "monthly_by_part", lang),
        )
    )

    rows = [
        (part_label(r["part_key"], lang), r["n"], r["suspended"], r["real"], _share(r["suspended_share"], lang))
        for r in shares.iter_rows(named=True)
    ]
    headers = [_t("Article, part", lang), "n", _t("Suspended", lang), _t("Real", lang), _t("Share suspended", lang)]
    total = next((r["n"] for r in shares.iter_rows(named=True) if r["part_key"] == "all"), 0) or 0
    sections.append(
        _figure(
            "suspended",
            _t("Suspended and real imprisonment by article part", lang),
            total,
            svgs["suspended_share.svg"],
            _t("Convictions to imprisonment whose suspension (art. 73 of the Criminal Code) is known.", lang),
            _details(_table(headers, rows, [False, True, True, True, True]), "suspended_share", lang),
        )
    )

    rows = [
        (
            part_label(r["part_key"], lang),
            _t("suspended", lang) if r["suspended"] else _t("real", lang),
            r["n"],
            *(_number(r[k], lang) for k in ("min", "q1", "median", "q3", "max")),
        )
        for r in terms.iter_rows(named=True)
    ]
    headers = [
        _t("Article, part", lang),
        _t("Sentence", lang),
        "n",
        _t("Min", lang),
        "Q1",
        _t("Median", lang),
        "Q3",
        _t("Max", lang),
    ]
    sections.append(
        _figure(
            "terms",
            _t("Prison terms by article part", lang),
            int(terms.get_column("n").sum()) if terms.height else 0,
            svgs["terms_by_part.svg"],
            _t("Terms in months in the table, in years on the chart; suspended terms are the terms set aside.", lang),
            _details(_table(headers, rows, [False, False, *[True] * 6]), "term_distribution", lang),
        )
    )

    rows = [(_region(r["region_name"], lang), r["n"]) for r in regions.iter_rows(named=True)]
    sections.append(
        _figure(
            "regions",
            _t("Records by region of the court", lang),
            int(regions.get_column("n").sum()) if regions.height else 0,
            svgs["by_region.svg"],
            _t("The region where the court sits, from the court directory (CC BY-SA 4.0, see Sources).", lang),
            _details(_table([_t("Region", lang), _t("Records", lang)], rows, [False, True]), "by_region", lang),
        )
    )

    rows = [(_name(OUTCOMES, r["outcome_category"], lang), r["n"]) for r in outcomes.iter_rows(named=True)]
    sections.append(
        _figure(
            "outcomes",
            _t("Outcomes", lang),
            int(outcomes.get_column("n").sum()) if outcomes.height else 0,
            svgs["outcomes.svg"],
            _t("The outcome category read from the case card or the verdict.", lang),
            _details(_table([_t("Outcome", lang), _t("Records", lang)], rows, [False, True]), "outcomes", lang),
        )
    )

    checks = aggregates["range_check"]
    outside = aggregates["outside_range"]
    rows = [(_name(RANGE_CHECKS, r["range_status"], lang), r["n"]) for r in checks.iter_rows(named=True)]
    check_table = _table([_t("Status", lang), _t("Records", lang)], rows, [False, True])
    listed = [
        (
            r["record_key"],
            r["court_id"],
            format_date(r["verdict_date"], lang) if r["verdict_date"] else "—",
            part_label(f"{r['article']}.{r['part']}", lang),
            r["edition"] or "—",
            _name(LAW_DATE_BASES, r["law_date_basis"], lang),
            _name(PENALTIES, r["sentence_type"], lang),
            r["term_months"],
            f"{r['range_min_months']}–{r['range_max_months']}",
            _name(RANGE_CHECKS, r["range_status"], lang),
            yes_no[r["art64"]],
        )
        for r in outside.head(OUTSIDE_SHOWN).iter_rows(named=True)
    ]
    headers = [
        _t("Record", lang),
        _t("Court", lang),
        _t("Decision date", lang),
        _t("Article, part", lang),
        _t("Edition", lang),
        _t("Law date from", lang),
        _t("Sentence", lang),
        _t("Term, months", lang),
        _t("Range, months", lang),
        _t("Status", lang),
        _t("Art. 64", lang),
    ]
    numeric = [False, False, False, False, False, False, False, True, True, False, False]
    outside_html = _table(headers, listed, numeric) if listed else _paragraph(_t("No records outside the range.", lang))
    if outside.height > OUTSIDE_SHOWN:
        more = _t(
            "The first {shown} of {total} are shown; the full list is in aggregates/outside_range.csv.",
            lang,
            shown=OUTSIDE_SHOWN,
            total=outside.height,
        )
        outside_html += f"\n<p>{_e(more)}</p>"
    sections.append(
        "\n".join(
            [
                '<section id="range">',
                _heading(2, _t("Sentences beside the statutory range", lang)),
                f"<p>{_e(RANGE_METHOD.render(lang))}</p>",
                check_table,
                _heading(3, _t("Records outside the statutory range", lang)),
                f'<p class="n">{_e(N_TEXT.format(n=outside.height))}</p>',
                f"<p>{_e(RANGE_WARNING.render(lang))}</p>",
                outside_html,
                "</section>",
            ]
        )
    )
    return sections


def bias_notes(beside: pl.DataFrame, lang: str) -> list[str]:
    """One sentence per part and year where the published records' share of real terms exceeds the official one."""
    notes = []
    for row in beside.iter_rows(named=True):
        gap, sample_n, official_n = row["real_terms_gap"], row["sample_known"], row["official_convicted"]
        if gap is None or gap <= 0 or not sample_n or not official_n:
            continue
        notes.append(
            BIAS_NOTE.with_params(
                part=part_label(f"{row['article']}.{row['part']}", lang),
                year=str(row["year"]),
                sample_share=_share(row["sample_real_terms_share"], lang),
                sample_n=str(sample_n),
                official_share=_share(row["official_real_terms_share"], lang),
                official_n=str(official_n),
            ).render(lang)
        )
    return notes


def _official_table(beside: pl.DataFrame, lang: str) -> str:
    official_name, sample_name = _t("official statistics", lang), _t("published records", lang)
    rows = []
    for row in beside.iter_rows(named=True):
        where = part_label(f"{row['article']}.{row['part']}", lang)
        for source, prefix, base in ((official_name, "official", "convicted"), (sample_name, "sample", "known")):
            if row[f"{prefix}_convicted"] is None:
                rows.append((row["year"], where, source, "—", "—", "—", "—", "—", "—"))
                continue
            pending = row["sample_pending"] if prefix == "sample" else "—"
            rows.append(
                (
                    row["year"],
                    where,
                    source,
                    row[f"{prefix}_convicted"],
                    row[f"{prefix}_{base}"],
                    _share(row[f"{prefix}_real_terms_share"], lang),
                    _share(row[f"{prefix}_suspended_share"], lang),
                    _share(row[f"{prefix}_other_share"], lang),
                    pending,
                )
            )
    headers = [
        _t("Year", lang),
        _t("Article, part", lang),
        _t("Source", lang),
        _t("Convictions", lang),
        _t("n for the shares", lang),
        _t("Real terms", lang),
        _t("Suspended", lang),
        _t("Other", lang),
        _t("Pending", lang),
    ]
    return _table(headers, rows, [True, False, False, True, True, True, True, True, True])


def _official_section(aggregates: dict[str, pl.DataFrame], svgs: dict[str, str], lang: str) -> str:
    beside = aggregates["official_beside_sample"]
    notes = bias_notes(beside, lang)
    if notes:
        bias = ['<div id="bias" class="caveats">', _paragraph(BIAS_INTRO.render(lang))]
        bias += ["<ul>", *(f"<li>{_e(note)}</li>" for note in notes), "</ul>", "</div>"]
    else:
        bias = [_paragraph(NO_BIAS.render(lang))]
    figures = [f"<figure>\n{svgs[name].rstrip()}\n</figure>" for name in OFFICIAL_CHART_FILES if name in svgs]
    return "\n".join(
        [
            '<section id="official">',
            _heading(2, _t("Official statistics beside the published records", lang)),
            _paragraph(OFFICIAL_INTRO.render(lang)),
            *bias,
            _official_table(beside, lang),
            *figures,
            _paragraph(_t("Table (aggregates/{file})", lang, file="official_beside_sample.csv")),
            "</section>",
        ]
    )


def _summary(records: pl.DataFrame, lang: str) -> list[str]:
    dates = records.get_column("verdict_date").drop_nulls()
    courts = records.get_column("court_id").drop_nulls().n_unique()
    if dates.len():
        line = _t(
            "Defendant-records: {n}; courts: {courts}; decisions dated from {first} to {last}.",
            lang,
            n=records.height,
            courts=courts,
            first=dates.min(),
            last=dates.max(),
        )
    else:
        line = _t("Defendant-records: {n}; courts: {courts}; no decision dates.", lang, n=records.height, courts=courts)
    lines = [line]
    undated = records.height - dates.len()
    if undated:
        lines.append(_t("Records without a decision date: {n} (not in the monthly figure).", lang, n=undated))
    return lines


def render_report_html(
    records: pl.DataFrame,
    lang: str = "ru",
    *,
    aggregates: dict[str, pl.DataFrame] | None = None,
    svgs: dict[str, str] | None = None,
    fragment: bool = False,
    official: pl.DataFrame | None = None,
) -> str:
    """The report as one HTML page (inline SVG and CSS, no scripts, no link to another host).

    With `fragment` only the <article> element, without any inline style, to embed in a page whose
    Content-Security-Policy forbids inline styles. `records` must have been through `beside_law`. With `official`
    (the official statistics store) the page has the section beside the official figures.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r}: use ru or en")
    aggregates = aggregates if aggregates is not None else compute_aggregates(records, official)
    svgs = svgs if svgs is not None else charts(aggregates, lang)
    compared = "official_beside_sample" in aggregates
    title = _t("Court cases of unauthorised absence and desertion (arts. 337 and 338 of the Criminal Code)", lang)
    english = "" if lang == "en" else ' lang="en"'  # the attribution is quoted as its authors wrote it
    shown = [OFFICIAL_CAVEAT if compared and text is NO_OFFICIAL_CAVEAT else text for text in CAVEATS]
    caveats = "\n".join(f"<li>{_e(text.render(lang))}</li>" for text in shown)
    made_with = _t("Made with courtpath {version}.", lang, version=__version__)
    body = [
        '<article class="courtpath-report">',
        "<header>",
        f"<h1>{_e(title)}</h1>",
        *(f"<p>{_e(line)}</p>" for line in _summary(records, lang)),
        "</header>",
        '<section id="caveats" class="caveats">',
        _heading(2, _t("What these numbers can and cannot show", lang)),
        f"<ul>\n{caveats}\n</ul>",
        "</section>",
        *_sections(aggregates, svgs, lang),
        *([_official_section(aggregates, svgs, lang)] if compared else []),
        '<section id="sources">',
        _heading(2, _t("Sources and licences", lang)),
        *([_paragraph(_official_sources(official, lang))] if compared and official is not None else []),
        f"<p>{_e(LICENCE_NOTE.render(lang))}</p>",
        f'<p class="source"{english}>{_e(ATTRIBUTION)}</p>',
        _paragraph(_t("Aggregate tables (CSV, counts only, no personal data) are in the aggregates folder.", lang)),
        f'<p class="source">{_e(made_with)}</p>',
        "</section>",
        "</article>",
    ]
    article = "\n".join(body) + "\n"
    if fragment:
        return article
    head = (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
    )
    return head + article + "</body>\n</html>\n"


def _official_sources(official: pl.DataFrame, lang: str) -> str:
    files = sorted(set(official.get_column("source").drop_nulls().to_list()))
    years = sorted(set(official.get_column("year").drop_nulls().to_list()))
    return _t(
        "Official statistics: the Judicial Department at the Supreme Court (cdep.ru), tables of convictions by "
        "article and part for {years}, imported from {files}.",
        lang,
        years=", ".join(str(y) for y in years),
        files=", ".join(files),
    )


def write_report(
    records: pl.DataFrame, out_dir: Path, lang: str = "ru", official: pl.DataFrame | None = None
) -> list[Path]:
    """Charts, CSV aggregates and report.html for `records` (after `beside_law`) in `out_dir`; the paths written.
    With `official` (courtpath.analytics.official.load_official) also the comparison with the official figures."""
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r}: use ru or en")
    aggregates = compute_aggregates(records, official)
    svgs = charts(aggregates, lang)
    folder = out_dir / "aggregates"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, svg in svgs.items():
        path = out_dir / name
        path.write_text(svg, encoding="utf-8", newline="\n")
        written.append(path)
    for name, frame in aggregates.items():
        path = folder / f"{name}.csv"
        frame.write_csv(path)
        written.append(path)
    page = out_dir / HTML_FILE
    html_text = render_report_html(records, lang, aggregates=aggregates, svgs=svgs, official=official)
    page.write_text(html_text, encoding="utf-8", newline="\n")
    written.append(page)
    return written
