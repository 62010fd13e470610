"""The `courtpath` command line: a thin layer over courtpath.law."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.progress import Progress

from courtpath.cli.agenda import digest
from courtpath.cli.analytics import analytics_app
from courtpath.cli.drafts import draft_app
from courtpath.cli.options import problems_text
from courtpath.cli.procedure import procedure_app
from courtpath.cli.reassess import reassess
from courtpath.cli.vault import backup, keys_app, purge, restore
from courtpath.cli.web import serve, web_app
from courtpath.i18n import Msg
from courtpath.law.answer import answer_data
from courtpath.law.facts import AbsenceKind, Context, Indicator, Status
from courtpath.law.intake import facts_from_mapping
from courtpath.law.loader import LawDataError, default_lawbook, load_lawbook
from courtpath.law.moments import parse_day, parse_moment
from courtpath.law.problems import FactsError
from courtpath.vault.errors import VaultError


class Lang(StrEnum):
    RU = "ru"
    EN = "en"


app = typer.Typer(
    help="courtpath: the law on military absence (УК РФ ст. 337, 338) as cited, versioned rules.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
law_app = typer.Typer(help="Show the law data: editions of an article and what changed.", no_args_is_help=True)
app.add_typer(law_app, name="law")
app.add_typer(analytics_app, name="analytics")
app.add_typer(web_app, name="web")
app.add_typer(draft_app, name="draft")
app.add_typer(procedure_app, name="procedure")
app.add_typer(keys_app, name="keys")
app.command("backup")(backup)
app.command("restore")(restore)
app.command("purge")(purge)
app.command("reassess")(reassess)
app.command("digest")(digest)
app.command("serve", help="The same as `courtpath web serve`.")(serve)


T = TypeVar("T")


class InputError(Exception):
    """Bad input from the user: printed as one line, exit code 2."""


def _emit_json(payload: object) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


@app.command()
def assess(
    status: Annotated[
        str | None, typer.Option(help=f"Serviceman's status: {', '.join(Status)}.", show_default=False)
    ] = None,
    left: Annotated[
        str | None,
        typer.Option(help="When the absence began (01.03.2025 08:00 or 2025-03-01T08:00; no zone = Moscow time)."),
    ] = None,
    returned: Annotated[str | None, typer.Option(help="When it ended (surrender, return or detention).")] = None,
    as_of: Annotated[
        str | None,
        typer.Option(help="The moment of assessment (default: now); for an absence still going on, assess as of it."),
    ] = None,
    kind: Annotated[
        str,
        typer.Option(
            help=f"Left the unit, or failed to return from leave, hospital, trip or transfer: {', '.join(AbsenceKind)}."
        ),
    ] = AbsenceKind.LEFT_UNIT.value,
    context: Annotated[
        str,
        typer.Option(
            help=f"{', '.join(Context)}; auto derives it from the dates (mobilization from 21.09.2022, never formally "
            "ended)."
        ),
    ] = Context.AUTO.value,
    indicator: Annotated[
        list[str] | None,
        typer.Option(help=f"A fact courts read as intent to desert, repeatable: {', '.join(Indicator)}."),
    ] = None,
    weapon: Annotated[bool, typer.Option(help="Left with an entrusted weapon.")] = False,
    group: Annotated[bool, typer.Option(help="Left as a group by prior agreement.")] = False,
    first_offence: Annotated[
        bool | None,
        typer.Option(
            "--first-offence/--repeat-offence",
            help="No unexpunged earlier conviction (the default), or there is one (then give --prior-conviction).",
        ),
    ] = None,
    grave_circumstances: Annotated[
        bool, typer.Option(help="A confluence of grave circumstances (for the notes' exemption).")
    ] = False,
    surrendered: Annotated[bool, typer.Option(help="Voluntary surrender / confession.")] = False,
    aggravating: Annotated[bool, typer.Option(help="Other aggravating circumstances exist.")] = False,
    released_80_2: Annotated[
        bool,
        typer.Option(
            "--released-80-2", help="Released under art. 80.2, or the case was suspended on the command's petition."
        ),
    ] = False,
    law_on: Annotated[str | None, typer.Option(help="What if: apply the law in force on this date.")] = None,
    sex: Annotated[str, typer.Option(help="male or female: the colony regime differs (art. 58).")] = "male",
    on_probation: Annotated[
        bool,
        typer.Option(
            help="The absence began during the probation of a suspended sentence for an intentional crime "
            "(arts. 73, 74)."
        ),
    ] = False,
    prior_conviction: Annotated[
        str,
        typer.Option(
            help="The gravity of an unexpunged earlier conviction for an intentional crime: none, small, medium, "
            "grave, especially_grave (arts. 18, 58, 68, 73)."
        ),
    ] = "none",
    prior_imprisonment: Annotated[
        bool, typer.Option(help="A real prison term was served for that conviction (arts. 18, 58).")
    ] = False,
    batch: Annotated[Path | None, typer.Option(help="Assess every row of a CSV or Parquet file.")] = None,
    out: Annotated[
        Path | None, typer.Option(help="With --batch: where to write the results (.csv or .parquet).")
    ] = None,
    lang: Annotated[Lang, typer.Option(help="Language of the report and of error messages.")] = Lang.RU,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Assess the facts of one absence, or of a whole file of them (--batch)."""
    if batch is not None:
        if out is None:
            raise InputError(Msg("--batch needs --out FILE for the results").render(lang.value))
        if status or left or returned:
            raise InputError(
                Msg(
                    "--batch takes the facts from the file: do not combine it with --status, --left or --returned"
                ).render(lang.value)
            )
        _assess_batch(batch, out, law_on, as_of, lang.value)
        return
    data = {
        "status": status,
        "left": left,
        "returned": returned,
        "as_of": as_of,
        "absence_kind": kind,
        "context": context,
        "indicators": indicator or [],
        "weapon": weapon,
        "group": group,
        "grave_circumstances": grave_circumstances,
        "surrendered": surrendered,
        "aggravating": aggravating,
        "released_80_2": released_80_2,
        "law_on": law_on,
        "sex": sex,
        "on_probation": on_probation,
        "prior_conviction": prior_conviction,
        "prior_imprisonment": prior_imprisonment,
    }
    if first_offence is not None:
        data["first_offence"] = first_offence
    try:
        facts = facts_from_mapping(data)
    except FactsError as error:
        raise InputError(problems_text(error, lang.value)) from None
    from courtpath.law.engine import assess as run_assessment

    result = run_assessment(facts)
    if as_json:
        _emit_json(answer_data(result, lang.value))
    else:
        from courtpath.cli.report import print_assessment

        print_assessment(result, Console(), lang.value)


def _parsed(parse: Callable[[str], T], text: str | None, option: str, lang: str) -> T | None:
    """`parse(text)` for an option that is not a fact of one case (or None when not given); bad text: one line."""
    if text is None:
        return None
    try:
        return parse(text)
    except FactsError as error:
        raise InputError(f"{option}: {error.render(lang)}") from None


def _assess_batch(batch: Path, out: Path, law_on: str | None, as_of: str | None, lang: str) -> None:
    from courtpath.law.batch import BatchFileError, assess_file

    day = _parsed(parse_day, law_on, "--law-on", lang)
    moment = _parsed(parse_moment, as_of, "--as-of", lang)
    try:
        if sys.stderr.isatty():
            with Progress(transient=True, console=Console(stderr=True)) as bar:
                task = bar.add_task("assessing", total=None)
                summary = assess_file(
                    batch,
                    out,
                    law_on=day,
                    as_of=moment,
                    lang=lang,
                    on_progress=lambda done, total: bar.update(task, completed=done, total=total),
                )
        else:
            summary = assess_file(batch, out, law_on=day, as_of=moment, lang=lang)
    except BatchFileError as error:
        option = "--batch" if error.role == "input" else "--out"
        raise InputError(f"{option}: {error.message.render(lang)}") from None
    sys.stderr.write(f"{summary}\n")


@app.command("interview")
def interview(lang: Annotated[Lang, typer.Option(help="Language of the questions and the result.")] = Lang.RU) -> None:
    """The self-help interview: plain questions one at a time, then what the law says. Nothing is saved."""
    from courtpath.cli.interview import interview_command

    interview_command(lang.value)


def _article(number: str, data: Path | None):
    law = load_lawbook(data) if data else default_lawbook()
    if number not in law.articles:
        raise InputError(f"unknown article {number!r}; the law data covers {', '.join(sorted(law.articles))}")
    return law, law.article(number)


@law_app.command("show")
def law_show(
    article: Annotated[str, typer.Argument(help="Article number: 337, 338 or 339.")],
    on: Annotated[str | None, typer.Option(help="Date (default: today).")] = None,
    lang: Annotated[Lang, typer.Option()] = Lang.RU,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """The edition of an article in force on a date."""
    import datetime as dt

    from courtpath.cli.report import edition_to_dict, print_edition

    law, spec = _article(article, None)
    day = _parsed(parse_day, on, "--on", lang.value) or dt.date.today()
    edition = law.edition_on(article, day)
    if edition is None:
        raise InputError(f"no edition of article {article} was in force on {day} (the Code took effect 01.01.1997)")
    if as_json:
        _emit_json(edition_to_dict(spec, edition, law, lang.value))
    else:
        print_edition(spec, edition, law, Console(), lang.value)


@law_app.command("editions")
def law_editions(
    article: Annotated[str, typer.Argument(help="Article number: 337, 338 or 339.")],
    lang: Annotated[Lang, typer.Option()] = Lang.RU,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """The history of an article: every edition with its amending act and what changed."""
    from courtpath.cli.report import edition_to_dict, print_edition

    law, spec = _article(article, None)
    if as_json:
        _emit_json([edition_to_dict(spec, e, law, lang.value) for e in spec.editions])
        return
    console = Console()
    for edition in spec.editions:
        print_edition(spec, edition, law, console, lang.value)
        console.print()


@law_app.command("check")
def law_check(directory: Annotated[Path | None, typer.Argument(help="A folder of law data files.")] = None) -> None:
    """Validate law data files (for lawyers editing them)."""
    law = load_lawbook(directory) if directory else default_lawbook()
    editions = sum(len(a.editions) for a in law.articles.values())
    sys.stdout.write(f"ok: {len(law.articles)} articles, {editions} editions, law data version {law.version}\n")


def run(argv: list[str] | None = None) -> int:
    """Entry point: bad input becomes one line on stderr and exit code 2, never a traceback."""
    command = typer.main.get_command(app)
    args = sys.argv[1:] if argv is None else argv
    if not args:
        args = ["--help"]
    try:
        result = command.main(args=args, prog_name="courtpath", standalone_mode=False)
    except (InputError, FactsError, ValueError, LawDataError, OSError, VaultError) as error:  # RecordsError: ValueError
        sys.stderr.write(f"courtpath: error: {' '.join(str(error).split())}\n")
        return 2
    except typer.Exit as exit_:
        return exit_.exit_code
    except typer.Abort:
        sys.stderr.write("courtpath: aborted\n")
        return 130
    except Exception as error:
        # Typer's (vendored click) usage errors: unknown option, bad choice, missing argument.
        format_message, exit_code = getattr(error, "format_message", None), getattr(error, "exit_code", None)
        if not callable(format_message) or not isinstance(exit_code, int):
            raise
        if type(error).__name__ == "NoArgsIsHelpError":
            return 2  # the help text has been printed already
        sys.stderr.write(f"courtpath: error: {' '.join(str(format_message()).split())}\n")
        return exit_code
    return result if isinstance(result, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run())
