"""`courtpath procedure deadlines FILE`: the statutory deadlines of the Code of Criminal Procedure that a list of
recorded events starts (courtpath.law.procedure), soonest first. Formatting only: every date comes from the engine.

FILE is a YAML (or, by its .json suffix, JSON) list of events as the engine reads them:

    - {code: case_opened, "on": 2026-05-06}
    - {code: investigation_extended, "on": 2026-06-30, until: 2026-09-06}   # extensions carry `until`

YAML 1.1 reads a bare `on` key as the boolean true; such a key is read as `on`, so `- {code: report_filed, on:
2026-05-06}` works too. Bad input raises ValueError (the engine's ProcedureDataError is one): `courtpath.cli.main.run`
prints it as one line and exits with code 2.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from courtpath.cli.files import read_text
from courtpath.i18n import _t, gettext
from courtpath.law import procedure as law
from courtpath.law.moments import now_in_moscow, parse_day
from courtpath.law.problems import FactsError
from courtpath.law.schema import RuleRef
from courtpath.law.vocabulary import PROCEDURE_DEADLINES, PROCEDURE_EVENTS

procedure_app = typer.Typer(
    help="The deadlines of the criminal procedure (УПК) from a list of recorded events.", no_args_is_help=True
)


class Lang(StrEnum):
    RU = "ru"
    EN = "en"


def read_event_file(path: Path) -> list[law.Event]:
    """The events of a YAML or JSON file (a list of {code, on, until}); ValueError with a one-line reason if not."""
    import yaml

    text = read_text(path)
    if path.suffix.lower() == ".json":
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(f"{path}: not valid JSON: {error}") from None
    else:
        try:
            raw = yaml.load(text, Loader=_loader())  # a SafeLoader
        except yaml.YAMLError as error:
            raise ValueError(f"{path}: not valid YAML: {error}") from None
    if not isinstance(raw, list):
        got = "an empty file" if raw is None else f"a {type(raw).__name__}"
        raise ValueError(f"{path}: expected a list of events ({{code, on, until}}), got {got}")
    try:
        return law.read_events([_on_key(item, index) for index, item in enumerate(raw)])
    except law.ProcedureDataError as error:
        raise law.ProcedureDataError(f"{path}: {error}") from None


def _loader() -> type:
    """PyYAML's SafeLoader without its timestamps: a date stays the text written, so that the engine checks it and
    names the event (2026-13-01 is no YAML error but the engine's "event 1 (report_filed) on: ...")."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return Loader


def _on_key(item: object, index: int) -> object:
    """The event with YAML's boolean key true (a bare `on:`) read as "on", and its days in the grammar the case page
    takes (01.03.2026 as well as 2026-03-01: courtpath.law.moments.parse_day) written as the engine stores them. A day
    that does not parse is left as written, for the engine to name with its event."""
    if not isinstance(item, Mapping):
        return item
    if True in item:
        if "on" in item:
            raise law.ProcedureDataError(f"event {index + 1}: the date `on` is given twice")
        item = {("on" if key is True else key): value for key, value in item.items()}
    return {key: _stored_day(value) if key in ("on", "until") else value for key, value in item.items()}


def _stored_day(value: object) -> object:
    if not isinstance(value, str):
        return value
    try:
        return parse_day(value.strip()).isoformat()
    except FactsError:
        return value


def _day(day: dt.date) -> str:
    return f"{day:%d.%m.%Y}"


def _rule(rule: RuleRef, lang: str) -> dict[str, object]:
    return {
        "article": rule.article,
        "part": rule.part,
        "summary": rule.summary.get(lang),
        "sources": list(rule.sources),
        "confidence": rule.confidence,
    }


def _moved(day: dt.date, lang: str) -> str:
    return gettext("moved from %(day)s, a non-working day (УПК ст. 128 ч. 2)", lang) % {"day": _day(day)}


def _after(event: str, day: dt.date, lang: str) -> str:
    name = PROCEDURE_EVENTS.name(event).render(lang)
    return gettext("from “%(event)s”, %(day)s", lang) % {"event": name, "day": _day(day)}


def _status(passed: bool, today: dt.date, lang: str) -> str:
    if passed:
        return _t("passed as of {day}", lang, day=_day(today))
    return _t("not passed as of {day}", lang, day=_day(today))


def deadlines_data(events: list[law.Event], today: dt.date, in_custody: bool, lang: str) -> dict[str, object]:
    """The answer as one JSON-ready object (dates ISO 8601)."""
    deadlines = []
    for d in law.running_deadlines(events, in_custody=in_custody):
        deadlines.append(
            {
                "code": d.code,
                "name": PROCEDURE_DEADLINES.name(d.code).render(lang),
                "kind": d.kind,
                "after": d.after.value,
                "after_name": PROCEDURE_EVENTS.name(d.after).render(lang),
                "event_on": d.event_on.isoformat(),
                "counted_from": d.counted_from.isoformat(),
                "last_day": d.end.day.isoformat(),
                "moved_from": d.end.moved_from.isoformat() if d.end.moved_from else None,
                "moved": _moved(d.end.moved_from, lang) if d.end.moved_from else None,
                "calendar_confidence": d.end.confidence,
                "rule": _rule(d.rule, lang),
                "also": [_rule(rule, lang) for rule in d.also],
                "extended_by": d.extended_by.value if d.extended_by else None,
                "passed": today > d.end.day,
                "missed": d.missed(today),
                "escalations": list(d.escalations),
                "questions": list(d.questions),
            }
        )
    duties = [
        {
            "code": duty.code,
            "name": PROCEDURE_DEADLINES.name(duty.code).render(lang),
            "arises_on": duty.arises_on.isoformat(),
            "rule": _rule(duty.rule, lang),
            "condition": duty.condition_ru if lang == "ru" else duty.condition_en,
            "questions": list(duty.questions),
        }
        for duty in law.open_duties(events, today, in_custody=in_custody)
    ]
    return {
        "today": today.isoformat(),
        "in_custody": in_custody,
        "deadlines": deadlines,
        "open_escalations": list(law.escalations_for(events)),
        "duties": duties,
    }


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def deadlines_text(data: dict[str, object], lang: str) -> str:
    """The answer as plain text: a block per deadline, then the drafts open without a term and the duties."""
    today = dt.date.fromisoformat(str(data["today"]))
    rests_on = _t("Rests on", lang)
    if_missed = _t("If it is missed", lang)
    questions = _t("Open questions", lang)
    unconfirmed = _t(
        "The calendar of non-working days for this year is not confirmed from the official text: check the day.", lang
    )
    lines: list[str] = []
    deadlines: list[dict] = data["deadlines"]  # type: ignore[assignment]
    if not deadlines:
        lines.append(_t("No statutory term is running.", lang))
    for d in deadlines:
        last = dt.date.fromisoformat(d["last_day"])
        lines.append(f"{_day(last)}  {_capital(d['name'])} — {_status(d['passed'], today, lang)}")
        if d["moved"]:
            lines.append(f"    {d['moved']}")
        if d["calendar_confidence"] != "official":
            lines.append(f"    {unconfirmed}")
        started = _after(d["after"], dt.date.fromisoformat(d["event_on"]), lang)
        if d["extended_by"]:
            started += f"; {PROCEDURE_EVENTS.name(d['extended_by']).render(lang)}"
        lines.append(f"    {started}")
        lines.append(f"    {rests_on}: {_cite_of(d['rule'])} — {d['rule']['summary']}")
        lines += [f"        {_cite_of(rule)} — {rule['summary']}" for rule in d["also"]]
        if d["escalations"]:
            lines.append(f"    {if_missed}: {', '.join(d['escalations'])}")
        if d["questions"]:
            lines.append(f"    {questions}: {', '.join(d['questions'])}")
    escalations: list[str] = data["open_escalations"]  # type: ignore[assignment]
    if escalations:
        call_for = _t("The recorded events call for:", lang)
        lines += ["", f"{call_for} {', '.join(escalations)}"]
    duties: list[dict] = data["duties"]  # type: ignore[assignment]
    no_term = _t("No statutory number of days is known for it.", lang)
    for duty in duties:
        arises = dt.date.fromisoformat(duty["arises_on"])
        lines += ["", f"{_day(arises)}  {_capital(duty['name'])}: {duty['condition']}. {no_term}"]
        lines.append(f"    {rests_on}: {_cite_of(duty['rule'])} — {duty['rule']['summary']}")
        if duty["questions"]:
            lines.append(f"    {questions}: {', '.join(duty['questions'])}")
    return "\n".join(lines) + "\n"


def _cite_of(rule: Mapping[str, object]) -> str:
    return law.citation(str(rule["article"]), str(rule["part"]))


@procedure_app.command("deadlines")
def deadlines(
    file: Annotated[
        Path,
        typer.Argument(
            help='YAML or JSON list of recorded events: - {code: report_filed, "on": 2026-05-06}; extensions carry '
            "until. A bare YAML on: (read as true) counts as on.",
            metavar="FILE",
            show_default=False,
        ),
    ],
    custody: Annotated[
        bool,
        typer.Option(
            "--custody",
            help="The person is held in custody now: the court's 14 days (УПК ст. 227 ч. 3) and the appeal term "
            "from the copy of the verdict (ст. 389.4 ч. 1). Without it, custody follows the events: ordered or "
            "extended, and no release after it.",
        ),
    ] = False,
    today: Annotated[
        str | None,
        typer.Option(help="The day to tell passed terms by, YYYY-MM-DD or DD.MM.YYYY (default: today, Moscow time)."),
    ] = None,
    lang: Annotated[Lang, typer.Option(help="Language of the names and summaries.")] = Lang.RU,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """The running deadlines, soonest first: last day, name, the rule, whether it has passed, the drafts a missed
    one allows and the open questions; then the drafts open without a term and the duties."""
    if today is None:
        day = now_in_moscow().date()
    else:
        try:
            day = parse_day(today)
        except FactsError as error:
            raise ValueError(f"--today: {error.render(lang.value)}") from None
    events = read_event_file(file)
    data = deadlines_data(events, day, custody or law.in_custody(events), lang.value)
    if as_json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(deadlines_text(data, lang.value))
