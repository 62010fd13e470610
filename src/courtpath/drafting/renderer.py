"""Fill a template from a DraftContext: `render(template_id, context) -> RenderedDraft`.

The Jinja2 environment is sandboxed (templates are files lawyers edit), undefined names are errors, and the
output is split into blocks by marker lines:

    [addressee]   lines kept as written (the top-right "to / from" block)
    [heading]     lines kept, centred
    [paragraph]   body text: lines are joined, a blank line starts a new paragraph
    [signature]   lines kept
    [plain]       lines kept, left-aligned

Filters: nomn, gent, datv, accs, ablt, loct decline a name (keeping it a PersonName, so `.short` still works) or a
phrase; `date` gives 01.03.2026 and `date_long` «1 марта 2026 г.»; `lower_first` and `upper_first` change the first
letter. `blank("what")` leaves a visible blank for the lawyer and a warning; `date_or_blank(value, "what")` gives
the long date or that blank. Every draft starts with the DRAFT mark.
"""

from __future__ import annotations

import datetime as dt
import re
import traceback
from dataclasses import dataclass
from pathlib import Path

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, meta, pass_context
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from courtpath.drafting.context import DraftContext, DraftDataError
from courtpath.drafting.declension import CASES, FullNameError, PersonName, decline_name, parse_full_name
from courtpath.drafting.names import Sex, guess_sex
from courtpath.drafting.phrases import decline_phrase
from courtpath.drafting.templates import DraftTemplate, DraftTemplateError, find_template
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

    def __bool__(self) -> bool:
        """An empty name is false, so that `{{ unit | gent if unit else blank(...) }}` leaves a blank to fill."""
        return bool(self.text.strip())


@dataclass(frozen=True)
class Person:
    name: PersonName | None
    female: bool
    rank: Phrase | None = None
    birth_date: dt.date | None = None
    details: str = ""
    position: Phrase | None = None  # the lawyer's: "адвокат"
    bar: str = ""  # "Адвокатская палата Энской области"
    bar_number: str = ""  # registry number in the register of advocates

    @property
    def credentials(self) -> str:
        """ "рег. № 99/999 в реестре адвокатов, Адвокатская палата Энской области" and the free-text details, as one
        line for the top block of a document; "" when nothing is known."""
        parts = []
        if self.bar_number:
            parts.append(f"рег. № {self.bar_number} в реестре адвокатов")
        if self.bar:
            parts.append(self.bar)
        if self.details:
            parts.append(self.details)
        return ", ".join(parts)


@dataclass(frozen=True)
class Organisation:
    name: str
    address: str


@dataclass(frozen=True)
class Appeal:
    """The appeal window. `last_day` is the last day to file: the day given by the caller (computed after art. 128
    part 2), or the one the calendar moved to the next working day, or (`moved_known` False) the nominal day, which
    the text must then qualify with the rule in words."""

    days: int
    article: str  # "ч. 1 ст. 389.4 УПК РФ"
    last_day: dt.date | None
    nominal_last_day: dt.date | None = None  # verdict date + days, before any move
    moved_known: bool = False  # last_day already takes art. 128 part 2 into account
    moved_from: dt.date | None = None  # the non-working day the term ended on, when it moved


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


def _upper_first(value: object) -> str:
    text = str(value)
    return text[:1].upper() + text[1:]


@pass_context
def _date_or_blank(context: Context, value: object, what: str) -> str:
    if value is None or value == "":
        return _blank(context, what)
    return _date_long(value)


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
    env.filters["upper_first"] = _upper_first
    env.globals["blank"] = _blank
    env.globals["date_or_blank"] = _date_or_blank
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


def _term_end_function():
    """courtpath.law.calendar.term_end, or None while that module is not there (drafting works without it)."""
    try:
        from courtpath.law.calendar import term_end
    except ImportError:
        return None
    return term_end


def _appeal(
    verdict_date: dt.date | None, given_last_day: dt.date | None, warnings: list[Msg], calendar: bool = True
) -> Appeal:
    period = default_lawbook().general.appeal_period
    code, _, number = period.rule.article.partition(" ")  # "УПК 389.4"
    article = f"ч. {period.rule.part} ст. {number} {code} РФ"
    nominal = verdict_date + dt.timedelta(days=period.days) if verdict_date else None
    base = Appeal(days=period.days, article=article, last_day=nominal, nominal_last_day=nominal)
    if given_last_day is not None:
        moved_from = nominal if nominal is not None and given_last_day != nominal else None
        return Appeal(period.days, article, given_last_day, nominal, moved_known=True, moved_from=moved_from)
    term_end = _term_end_function() if nominal is not None and calendar else None
    if term_end is None:
        return base
    end = term_end(nominal, moves=True)
    confidence = str(getattr(end.confidence, "value", end.confidence))
    if confidence != "official" or getattr(end, "questions", ()):
        warnings.append(
            Msg(
                "Check the last day of the appeal window, {day}, against the official calendar of working days: "
                "the calendar data are not confirmed by an official source or have open questions",
                day=end.day.strftime("%d.%m.%Y"),
            )
        )
    return Appeal(period.days, article, end.day, nominal, moved_known=True, moved_from=end.moved_from)


def namespace(context: DraftContext, warnings: list[Msg], reads: set[str] | None = None) -> dict[str, object]:
    """The names a template sees. `reads`, the names the template reads (None: all), spares the others' work and
    warnings (the calendar is asked about the appeal window only for a template that mentions it)."""
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
    today = context.document_date or dt.date.today()
    family = _person(context.family_addressee_name, context.family_addressee_sex, warnings, "family_addressee_name")
    return {
        "client": Person(
            name=client_name,
            female=client_sex == Sex.FEMALE,
            rank=Phrase(context.client_rank, Msg("rank")) if context.client_rank else None,
            birth_date=context.client_birth_date,
        ),
        "lawyer": Person(
            name=lawyer,
            female=bool(lawyer and lawyer.sex == Sex.FEMALE),
            details=context.lawyer_details,
            position=Phrase(context.lawyer_position or "адвокат", Msg("lawyer's position")),
            bar=context.lawyer_bar,
            bar_number=context.lawyer_bar_number,
        ),
        "organisation": Organisation(context.organisation_name, context.organisation_address),
        "family": Person(name=family, female=bool(family and family.sex == Sex.FEMALE)),
        "military_unit": Phrase(context.military_unit, Msg("military unit")),
        "investigative_body": Phrase(context.investigative_body, Msg("investigative body")),
        "court": Phrase(context.court_name, Msg("court")),
        "prosecutor_office": Phrase(context.prosecutor_office, Msg("prosecutor's office")),
        "commander": Phrase(context.commander, Msg("commander")),
        "absence_start": context.absence_start,
        "absence_kind": context.absence_kind,
        "surrender_date": context.surrender_date,
        "verdict_date": context.verdict_date,
        "appeal": _appeal(
            context.verdict_date, context.appeal_last_day, warnings, calendar=reads is None or "appeal" in reads
        ),
        "report_date": context.report_date,
        "report_decision_due": context.report_decision_due,
        "report_overdue": bool(context.report_decision_due and context.report_decision_due < today),
        "case_opened_date": context.case_opened_date,
        "charged_date": context.charged_date,
        "suspension_date": context.suspension_date,
        "detained_date": context.detained_date,
        "returned_to_unit_date": context.returned_to_unit_date,
        "inaction": context.inaction or "report",
        "case_code": context.case_code,
        "criminal_case_number": context.criminal_case_number,
        "charge": context.charge,
        "attachments": list(context.attachments),
        "requested_steps": list(context.requested_steps),
        "place": context.place,
        "document_date": today,
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


def _line_of(error: Exception, template: DraftTemplate) -> str:
    """ ", line N" of the file where a template failed while rendering, when the traceback shows it."""
    line = getattr(error, "lineno", None)
    if not line:
        frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == "<template>"]
        line = frames[-1].lineno if frames else None
    return f", line {line + template.body_line - 1}" if line else ""


def render_template(template: DraftTemplate, context: DraftContext) -> RenderedDraft:
    missing = context.missing(list(template.requires))
    if missing:
        raise MissingFieldsError(template.id, missing)
    warnings: list[Msg] = []
    env = environment()
    try:
        reads = meta.find_undeclared_variables(env.parse(template.body))
        compiled = env.from_string(template.body)
        names = namespace(context, warnings, reads)
        text = compiled.render({**names, WARNINGS_KEY: warnings})
    except TemplateSyntaxError as error:
        line = (error.lineno or 1) + template.body_line - 1
        raise DraftTemplateError(f"{template.path}, line {line}: {error.message}") from error
    except TemplateError as error:  # an undefined name, a sandbox refusal, an unknown filter
        raise DraftTemplateError(f"{template.path}{_line_of(error, template)}: {error}") from error
    unique = {w.render("en"): w for w in warnings}.values()  # the same note once
    blocks = (Block("mark", DRAFT_MARK), *split_blocks(text, template.path))
    return RenderedDraft(template.id, template.title, blocks, tuple(unique))


def render(template_id: str, context: DraftContext, directory: Path | None = None) -> RenderedDraft:
    """Render the template `template_id`: a built-in one or the organisation's (`directory`, else the folder in
    COURTPATH_DRAFT_TEMPLATES_DIR)."""
    return render_template(find_template(template_id, directory), context)
