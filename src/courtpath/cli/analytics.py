"""`courtpath analytics …`: import court records, parse a verdict, write reports. A thin layer over the library."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from courtpath.cli.files import read_text

analytics_app = typer.Typer(help="Court records: import, verdict parsing, reports.", no_args_is_help=True)

DataDir = Annotated[Path | None, typer.Option(help="Data folder (default: $COURTPATH_DATA_DIR or ./var).")]


@analytics_app.command("import")
def import_records(
    file: Annotated[Path, typer.Argument(help="CSV or JSON-lines file of court case records.")],
    data_dir: DataDir = None,
) -> None:
    """Import records into the analytical store; re-importing the same rows changes nothing."""
    from courtpath.analytics.store import Store

    report = Store(data_dir).import_file(file)
    sys.stdout.write("\n".join(report.lines()) + "\n")
    _write_outcomes(data_dir)


@analytics_app.command("import-stats")
def import_stats(
    file: Annotated[Path, typer.Argument(help="The Judicial Department's table of convictions (CSV, XLSX or XLS).")],
    year: Annotated[
        int | None,
        typer.Option(help="The year of the table, if neither a column, its title nor the file name gives it."),
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Import an official table of convictions by article and part (arts. 337, 338, 339) beside the court records."""
    from courtpath.analytics.official import import_official

    report = import_official(file, data_dir, year)  # OfficialStatsError is a ValueError: a message, no traceback
    sys.stdout.write("\n".join(report.lines()) + "\n")
    _write_outcomes(data_dir)


@analytics_app.command("outcomes")
def outcomes(data_dir: DataDir = None) -> None:
    """Work out again the known outcomes the case pages show (import and import-stats do it; run this after an
    upgrade of courtpath's law data)."""
    _write_outcomes(data_dir)


def _write_outcomes(data_dir: Path | None) -> None:
    """The table of known outcomes beside each case (docs/outcomes.md), from both stores."""
    from courtpath.analytics.outcomes_table import write_table

    path, table = write_table(data_dir)
    years = ", ".join(str(year) for year in table["official_years"]) or "none"
    sys.stdout.write(
        f"known outcomes: {table['records']} convictions with a known penalty in the records, "
        f"official statistics of the years: {years}; written to {path}\n"
    )


@analytics_app.command("parse")
def parse(
    file: Annotated[Path, typer.Argument(help="A verdict text file (UTF-8), or - for standard input.")],
) -> None:
    """Extract article, part, sentence, regime, suspension and absence dates from a Russian verdict text."""
    from courtpath.analytics.parser import parse_verdict

    text = sys.stdin.read() if str(file) == "-" else read_text(file)
    sys.stdout.write(json.dumps(parse_verdict(text).to_dict(), ensure_ascii=False, indent=2, default=str) + "\n")


@analytics_app.command("report")
def report(
    out: Annotated[Path, typer.Option(help="Folder for the charts, CSV aggregates and report.html.")],
    lang: Annotated[str, typer.Option(help="ru or en.")] = "ru",
    data_dir: DataDir = None,
) -> None:
    """Charts (SVG), aggregate tables (CSV) and a self-contained HTML report of the stored records (beside the
    official statistics, when `import-stats` has stored some)."""
    from courtpath.analytics.beside_law import beside_law
    from courtpath.analytics.official import load_official
    from courtpath.analytics.report import write_report
    from courtpath.analytics.store import Store

    if lang not in ("ru", "en"):
        raise ValueError("--lang must be ru or en")
    store = Store(data_dir)
    records = store.load()
    if records.height == 0:
        raise ValueError(f"the store {store.path} is empty: run `courtpath analytics import FILE` first")
    official = load_official(data_dir)
    written = write_report(beside_law(records), out, lang, official=official if official.height else None)
    beside = f", {official.height} rows of official statistics" if official.height else ""
    sys.stdout.write(f"wrote {len(written)} files to {out} ({records.height} records{beside})\n")
