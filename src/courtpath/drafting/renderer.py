"""Fill a template from a DraftContext: `render(template_id, context) -> RenderedDraft`.

The Jinja2 environment is sandboxed (templates are files lawyers edit), undefined names are errors, and the
output is split into blocks by marker lines:

    [addressee]   lines kept as written (the top-right "to / from" block)
    [heading]     lines kept, centred
    [paragraph]   body text: lines are joined, a blank line starts a new paragraph
    [signature]   lines kept
    [plain]       lines kept, left-aligned

Filters: nomn, gent, datv, accs, ablt, loct decline a name (keeping it a PersonName, so `.short` still works) or a
phrase; `date` gives 01.03.2026 and `date_long` «1 марта 2026 г.». `blank("what")` leaves a visible blank for the
lawyer and a warning. Every draft starts with the DRAFT mark.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, pass_context
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from courtpath.drafting.context import DraftContext, DraftDataError
from courtpath.drafting.declension import CASES, FullNameError, PersonName, decline_name, parse_full_name
from courtpath.drafting.names import Sex, guess_sex
from courtpath.drafting.phrases import decline_phrase
from courtpath.drafting.templates import DraftTemplate, DraftTemplateError, load_template
from courtpath.i18n import Msg
from courtpath.law.loader import default_lawbook

DRAFT_MARK = "ПРОЕКТ — для проверки адвокатом"  # the documents are Russian: no English line in them
BLOCK_KINDS = ("addressee", "heading", "paragraph", "signature", "plain")
MARKER = re.compile(r"^\[([a-z_]+)\]\s*$")
MONTHS_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)
WARNINGS_KEY = "draft_warnings_sink"


class MissingFieldsError(ValueError):
    """The context lacks fields the template declares it needs."""

    def __init__(self, template_id: str, missing: list[str]) -> None:
        self.template_id = template_id
        self.missing = missing
        super().__init__(f"draft {template_id!r} needs data that is missing: {', '.join(missing)}")


@dataclass(frozen=True)
class Block:
    kind: str  # "mark" or one of BLOCK_KINDS
    text: str  # lines separated by "\n" in every kind but "paragraph"


@dataclass(frozen=True)
class RenderedDraft:
    template_id: str
    title: Msg
    blocks: tuple[Block, ...]
    warnings: tuple[Msg, ...]

    def warning_texts(self, lang: str) -> list[str]:
        return [w.render(lang) for w in self.warnings]


@dataclass(frozen=True)
class Phrase:
    """A rank or the name of a unit, body or court, in the nominative; `what` names it in warnings."""

    text: str
    what: Msg

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Person:
    name: PersonName | None
    female: bool
    rank: Phrase | None = None
    birth_date: dt.date | None = None
    details: str = ""


@dataclass(frozen=True)
class Appeal:
    days: int
    article: str  # "ч. 1 ст. 389.4 УПК РФ"
    last_day: dt.date | None


def _sink(context: Context) -> list[Msg]:
    sink = context.get(WARNINGS_KEY)
    if not isinstance(sink, list):  # pragma: no cover - render() always puts one there
        raise DraftTemplateError("internal: no warnings list in the template context")
    return sink


def _case_filter(case: str):
    @pass_context
    def decline(context: Context, value: object) -> object:
        if isinstance(value, PersonName):
            declined, warnings = decline_name(value, case)
            _sink(context).extend(warnings)
            return declined
        if isinstance(value, Phrase):
            result = decline_phrase(value.text, case, value.what)
        else:
            result = decline_phrase(str(value), case)
        _sink(context).extend(result.warnings)
        return result.text

    return decline


def _date(value: object) -> str:
    if not isinstance(value, dt.date):
        raise DraftTemplateError(f"the date filter needs a date, got {value!r}")
    return value.strftime("%d.%m.%Y")


def _date_long(value: object) -> str:
    if not isinstance(value, dt.date):
        raise DraftTemplateError(f"the date_long filter needs a date, got {value!r}")
    return f"{value.day} {MONTHS_GENITIVE[value.month - 1]} {value.year} г."


@pass_context
def _blank(context: Context, what: str) -> str:
    _sink(context).append(Msg("A blank is left for the lawyer to fill in: {what}", what=what))
    return f"[{what}]"


def _lower_first(value: object) -> str:
    """The first letter in lower case, as the name of a body reads inside a sentence or after «Руководителю»
    («Военный следственный отдел…» -> «военного следственного отдела…»); a word in capitals (an abbreviation) is
    left as it is."""
    text = str(value)
    first = text.split(" ", 1)[0]
    if not text or first.isupper():
        return text
    return text[0].lower() + text[1:]


def environment() -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, autoescape=False, keep_trailing_newline=True
    )
    for case in CASES:
        env.filters[case] = _case_filter(case)
    env.filters["date"] = _date
    env.filters["date_long"] = _date_long
    env.filters["lower_first"] = _lower_first
    env.globals["blank"] = _blank
    return env


def _person(full_name: str, sex: Sex | None, warnings: list[Msg], field: str) -> PersonName | None:
    if not full_name:
        return None
    try:
        name, notes = parse_full_name(full_name, sex)
    except FullNameError as error:
        raise DraftDataError(f"{field}: {error}") from error
    warnings.extend(notes)
    return name


def _appeal(verdict_date: dt.date | None) -> Appeal:
    period = default_lawbook().general.appeal_period
    code, _, number = period.rule.article.partition(" ")  # "УПК 389.4"
    article = f"ч. {period.rule.part} ст. {number} {code} РФ"
    last_day = verdict_date + dt.timedelta(days=period.days) if verdict_date else None
    return Appeal(days=period.days, article=article, last_day=last_day)


def namespace(context: DraftContext, warnings: list[Msg]) -> dict[str, object]:
    """The names a template sees."""
    client_sex = context.client_sex or guess_sex(
        context.client_surname, context.client_given_name, context.client_patronymic
    )
    client_name = None
    if context.client_surname or context.client_given_name:
        if client_sex is None:
            client_sex = Sex.MALE
            warnings.append(Msg("The client's sex is not given and the name does not show it: declined as a man's"))
        client_name = PersonName(
            context.client_surname, context.client_given_name, context.client_patronymic, client_sex
        )
    lawyer = _person(context.lawyer_name, None, warnings, "lawyer_name")
    family = _person(context.family_addressee_name, context.family_addressee_sex, warnings, "family_addressee_name")
    return {
        "client": Person(
            name=client_name,
            female=client_sex == Sex.FEMALE,
            rank=Phrase(context.client_rank, Msg("rank")) if context.client_rank else None,
            birth_date=context.client_birth_date,
        ),
        "lawyer": Person(name=lawyer, female=bool(lawyer and lawyer.sex == Sex.FEMALE), details=context.lawyer_details),
        "family": Person(name=family, female=bool(family and family.sex == Sex.FEMALE)),
        "military_unit": Phrase(context.military_unit, Msg("military unit")),
        "investigative_body": Phrase(context.investigative_body, Msg("investigative body")),
        "court": Phrase(context.court_name, Msg("court")),
        "absence_start": context.absence_start,
        "absence_kind": context.absence_kind,
        "surrender_date": context.surrender_date,
        "verdict_date": context.verdict_date,
        "appeal": _appeal(context.verdict_date),
        "case_code": context.case_code,
        "criminal_case_number": context.criminal_case_number,
        "charge": context.charge,
        "attachments": list(context.attachments),
        "place": context.place,
        "document_date": context.document_date or dt.date.today(),
    }


def split_blocks(text: str, where: str) -> list[Block]:
    blocks: list[Block] = []
    kind, lines = "paragraph", []

    def flush() -> None:
        chunk: list[str] = []
        for line in [*lines, ""]:
            if line.strip():
                chunk.append(line.strip())
            elif chunk:
                joined = " ".join(chunk) if kind == "paragraph" else "\n".join(chunk)
                blocks.append(Block(kind, joined))
                chunk = []

    for line in text.splitlines():
        marker = MARKER.match(line.strip())
        if marker:
            flush()
            kind, lines = marker.group(1), []
            if kind not in BLOCK_KINDS:
                raise DraftTemplateError(f"{where}: unknown block [{kind}]; use one of {', '.join(BLOCK_KINDS)}")
        else:
            lines.append(line)
    flush()
    return blocks


def render_template(template: DraftTemplate, context: DraftContext) -> RenderedDraft:
    missing = context.missing(list(template.requires))
    if missing:
        raise MissingFieldsError(template.id, missing)
    warnings: list[Msg] = []
    names = namespace(context, warnings)
    env = environment()
    try:
        compiled = env.from_string(template.body)
        text = compiled.render({**names, WARNINGS_KEY: warnings})
    except TemplateSyntaxError as error:
        line = (error.lineno or 1) + template.body_line - 1
        raise DraftTemplateError(f"{template.path}, line {line}: {error.message}") from error
    except TemplateError as error:  # an undefined name, a sandbox refusal
        raise DraftTemplateError(f"{template.path}: {error}") from error
    unique = {w.render("en"): w for w in warnings}.values()  # the same note once
    blocks = (Block("mark", DRAFT_MARK), *split_blocks(text, template.path))
    return RenderedDraft(template.id, template.title, blocks, tuple(unique))


def render(template_id: str, context: DraftContext, directory: Path | None = None) -> RenderedDraft:
    """Render the template `template_id` (from `directory`, default the package's templates)."""
    return render_template(load_template(template_id, directory), context)
