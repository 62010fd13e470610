"""`courtpath analytics …`: import court records, parse a verdict, write reports. A thin layer over the library."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

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


@analytics_app.command("parse")
def parse(
    file: Annotated[Path, typer.Argument(help="A verdict text file (UTF-8), or - for standard input.")],
) -> None:
    """Extract article, part, sentence, regime, suspension and absence dates from a Russian verdict text."""
    from courtpath.analytics.parser import parse_verdict

    if str(file) == "-":
        text = sys.stdin.read()
    else:
        if not file.exists():
            raise ValueError(f"{file}: no such file")
        try:
            text = file.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise ValueError(f"{file}: not UTF-8 text") from None
    sys.stdout.write(json.dumps(parse_verdict(text).to_dict(), ensure_ascii=False, indent=2, default=str) + "\n")


@analytics_app.command("report")
def report(
    out: Annotated[Path, typer.Option(help="Folder for the charts, CSV aggregates and report.html.")],
    lang: Annotated[str, typer.Option(help="ru or en.")] = "ru",
    data_dir: DataDir = None,
) -> None:
    """Charts (SVG), aggregate tables (CSV) and a self-contained HTML report of the stored records."""
    from courtpath.analytics.beside_law import beside_law
    from courtpath.analytics.report import write_report
    from courtpath.analytics.store import Store

    if lang not in ("ru", "en"):
        raise ValueError("--lang must be ru or en")
    store = Store(data_dir)
    records = store.load()
    if records.height == 0:
        raise ValueError(f"the store {store.path} is empty: run `courtpath analytics import FILE` first")
    written = write_report(beside_law(records), out, lang)
    sys.stdout.write(f"wrote {len(written)} files to {out} ({records.height} records)\n")
