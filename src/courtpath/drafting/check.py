"""`courtpath draft check DIR`: validate a folder of draft templates before a lawyer relies on them.

Each *.j2 file is parsed (header keys, field names, statute and checks), compiled (Jinja2 syntax, unknown filters,
unknown block markers) and rendered twice: once with a fictional context where every field is filled (an undefined
name or a bad attribute shows up), once with only the fields the header requires (an optional field read without
an `if` shows up). A file whose id is a built-in template's is reported too: the organisation folder refuses it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields, replace
from pathlib import Path

from courtpath.drafting.context import DATE_FIELDS, LIST_FIELDS, DraftContext
from courtpath.drafting.names import Sex
from courtpath.drafting.renderer import MissingFieldsError, render_template
from courtpath.drafting.templates import SUFFIX, DraftTemplateError, default_directory, parse_template

# Obviously fictional: every text field of DraftContext has a value here (a test checks it).
FICTIONAL_CONTEXT = DraftContext(
    client_surname="Выдумский",
    client_given_name="Олег",
    client_patronymic="Игоревич",
    client_sex=Sex.MALE,
    client_rank="младший сержант",
    client_birth_date=dt.date(2000, 1, 2),
    military_unit="войсковая часть 00000",
    investigative_body="военный следственный отдел по Энскому гарнизону",
    court_name="Энский гарнизонный военный суд",
    lawyer_name="Примерова Анна Сергеевна",
    lawyer_details="ордер № 000 от 01.02.2026",
    lawyer_position="адвокат",
    lawyer_bar_number="99/9999",
    lawyer_bar="Адвокатская палата Энской области",
    organisation_name="Коллегия адвокатов «Энская защита»",
    organisation_address="000000, г. Энск, ул. Вымышленная, д. 1",
    prosecutor_office="военная прокуратура Энского гарнизона",
    commander="командир войсковой части 00000",
    absence_start=dt.date(2025, 6, 1),
    absence_kind="left-unit",
    surrender_date=dt.date(2025, 6, 20),
    verdict_date=dt.date(2026, 3, 2),
    report_date=dt.date(2025, 6, 20),
    report_decision_due=dt.date(2025, 6, 23),
    case_opened_date=dt.date(2025, 7, 1),
    charged_date=dt.date(2025, 7, 10),
    suspension_date=dt.date(2025, 8, 1),
    detained_date=dt.date(2025, 7, 20),
    returned_to_unit_date=dt.date(2025, 7, 22),
    appeal_last_day=dt.date(2026, 3, 17),
    inaction="report",
    case_code="C-TEST00",
    criminal_case_number="00000000000000000",
    charge="ч. 5 ст. 337 УК РФ",
    family_addressee_name="Выдумская Мария Ивановна",
    family_addressee_sex=Sex.FEMALE,
    attachments=("Характеристика с места службы",),
    requested_steps=("допросить свидетеля Небывалого П. И.",),
    place="г. Энск",
    document_date=dt.date(2026, 3, 3),
)


@dataclass(frozen=True)
class CheckResult:
    path: Path
    problem: str  # "" when the file is fine

    @property
    def ok(self) -> bool:
        return not self.problem

    def line(self) -> str:
        return f"OK\t{self.path.name}" if self.ok else f"FAIL\t{self.problem}"


def _required_only(template_requires: tuple[str, ...]) -> DraftContext:
    """The fictional context with every field the template does not require left empty."""
    empty: dict[str, object] = {}
    for field in fields(DraftContext):
        if field.name in template_requires or field.name in ("document_date", "inaction"):
            continue
        if field.name in DATE_FIELDS or field.name.endswith("_sex"):
            empty[field.name] = None
        elif field.name in LIST_FIELDS:
            empty[field.name] = ()
        else:
            empty[field.name] = ""
    return replace(FICTIONAL_CONTEXT, **empty)


def check_file(path: Path, builtin_ids: frozenset[str] = frozenset()) -> CheckResult:
    """One template file checked; the problem names the file (and the line where it is known)."""
    template_id = path.name.removesuffix(SUFFIX)
    try:
        template = parse_template(template_id, path.read_text(encoding="utf-8"), path.name, origin="organisation")
        if template_id in builtin_ids:
            return CheckResult(path, f"{path.name}: the id {template_id!r} is a built-in template's; rename the file")
        # Compiling finds the syntax errors and unknown filters, rendering the undefined names.
        for context, when in ((FICTIONAL_CONTEXT, ""), (_required_only(template.requires), " (optional fields empty)")):
            try:
                render_template(template, context)
            except DraftTemplateError as error:
                return CheckResult(path, f"{error}{when}")
    except (DraftTemplateError, MissingFieldsError) as error:
        return CheckResult(path, str(error))
    except UnicodeDecodeError:
        return CheckResult(path, f"{path.name}: not UTF-8 text")
    except Exception as error:  # a lawyer's template must never end in a traceback
        return CheckResult(path, f"{path.name}: {type(error).__name__}: {error}")
    return CheckResult(path, "")


def check_directory(folder: Path) -> list[CheckResult]:
    """Every *.j2 in `folder`, checked. A missing folder is a DraftTemplateError (the caller exits 2)."""
    if not folder.is_dir():
        raise DraftTemplateError(f"{folder}: no such folder of draft templates")
    builtin = default_directory()
    same = folder.resolve() == builtin.resolve()
    builtin_ids = frozenset() if same else frozenset(p.name.removesuffix(SUFFIX) for p in builtin.glob(f"*{SUFFIX}"))
    return [check_file(path, builtin_ids) for path in sorted(folder.glob(f"*{SUFFIX}"))]
