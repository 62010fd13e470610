"""Guarded reads of what a case has stored, for the pages that must show the rest when one value cannot be read.

A row may hold a value this version cannot read: sealed bytes that do not open (a damaged column, a data key that
does not open with the master key after a faulty restore), a facts record with a value out of the engine's limits or
of another type (saved by an older version, a restore, a migration), an assessment saved by an engine whose answer
had another shape. The intake refuses such values now, but rows stored before stay. Such a value never takes a page
down: `read` returns the value or an `Unreadable` that names the case and what could not be read; the page shows
everything else and the notice. Each failure is logged with the case code and the error's class only, never a value
or the error's message (which may quote one).

Templates show a sealed value that does not open as empty (SealedValueError.silent_variable_failure): a page that
lists a case's notes or documents is checked here first, so that it can say why.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from courtpath.web.assessments import summary
from courtpath.web.cases.models import Assessment, Case, CaseEvent, Document, Note
from courtpath.web.vault.sealed import SealedValueError, sealed_entries, sealed_fields

T = TypeVar("T")
log = logging.getLogger("courtpath.stored")

# ValueError covers msgspec.ValidationError (an answer of another shape), FactsError (a value the engine refuses),
# JSON and UTF-8 decoding errors and dates that do not parse; OverflowError a date too late to compute with.
READ_ERRORS: tuple[type[Exception], ...] = (SealedValueError, ValueError, TypeError, OverflowError, KeyError)
PARTS = {
    "facts": _("the stored facts"),
    "identity": _("the client's identity"),
    "assessment": _("the saved assessment"),
    "records": _("the notes, timeline or documents"),
    "deadlines": _("the values its deadlines are computed from"),
}
IDENTITY_FIELDS = tuple(field.name for field in sealed_fields(Case) if field.name != "facts")
FACT_ENTRIES = tuple(entry.name for entry in sealed_entries(Case))


@dataclass(frozen=True)
class Unreadable:
    """A stored value of the case `case_code` that could not be read: which part, and the error's class."""

    case_code: str
    part: str
    error: str

    @property
    def message(self) -> str:
        return gettext("Case %(code)s: %(part)s could not be read (%(error)s).") % {
            "code": self.case_code,
            "part": PARTS[self.part],
            "error": self.error,
        }

    def __str__(self) -> str:
        return self.message


def failed(case_code: str, part: str, error: BaseException) -> Unreadable:
    """Log a failed read (case code and error class only) and return its notice."""
    log.warning("case %s: %s could not be read (%s)", case_code, part, type(error).__name__)
    return Unreadable(case_code, part, type(error).__name__)


def read(case_code: str, part: str, reader: Callable[[], T]) -> T | Unreadable:
    """What `reader` returns, or an Unreadable when a stored value it opens cannot be read."""
    try:
        return reader()
    except READ_ERRORS as error:
        return failed(case_code, part, error)


def _problem(case_code: str, part: str, reader: Callable[[], object]) -> Unreadable | None:
    value = read(case_code, part, reader)
    return value if isinstance(value, Unreadable) else None


def facts_problem(case: Case) -> Unreadable | None:
    """Whether the facts record opens and each of its entries reads as its type."""
    return _problem(case.code, "facts", lambda: [getattr(case, name) for name in FACT_ENTRIES])


def draft_problems(case: Case) -> list[Unreadable]:
    """case_problems, and whether the law engine reads the procedural events (with the verdict date) that a draft's
    days are worked out from: a draft would leave out what cannot be read, so none is offered. (The edit form stays
    open for such a case: it is where a wrong verdict date is mended.)"""
    from courtpath.web.cases.procedure import events_of

    found = case_problems(case)
    if not found and (problem := _problem(case.code, "facts", lambda: events_of(case))) is not None:
        found.append(problem)
    return found


def identity_problem(case: Case) -> Unreadable | None:
    return _problem(case.code, "identity", lambda: [getattr(case, name) for name in IDENTITY_FIELDS])


def case_problems(case: Case) -> list[Unreadable]:
    """What of the case's own row cannot be read: its facts, the client's identity."""
    return [problem for problem in (facts_problem(case), identity_problem(case)) if problem is not None]


def records_problem(case: Case, records: Iterable[object], names: tuple[str, ...]) -> Unreadable | None:
    """Whether the sealed `names` of these rows (notes, timeline events, documents: loaded, so that the page shows
    the values opened here) can be read."""
    return _problem(case.code, "records", lambda: [getattr(row, name) for row in records for name in names])


def case_page_reads(
    case: Case,
    assessment: Assessment | None,
    lang: str,
    events: Iterable[CaseEvent],
    notes: Iterable[Note],
    documents: Iterable[Document],
) -> tuple[dict[str, object] | None, list[Unreadable]]:
    """For the case page: the latest assessment's answer to show (None without one, or when it cannot be read), and
    all that cannot be read of the case, its assessment and its loaded timeline, notes and documents."""
    unreadable = case_problems(case)
    result = assessment_result(case, assessment, lang)
    if isinstance(result, Unreadable):
        unreadable.append(result)
        result = None
    elif assessment is not None and (
        problem := _problem(case.code, "assessment", lambda: summary.of_assessment(assessment))
    ):
        unreadable.append(problem)  # the answer opens, its summary (what the dashboard reads) does not
    records = (
        records_problem(case, events, ("comment",))
        or records_problem(case, notes, ("text",))
        or records_problem(case, documents, ("name",))
    )
    return result, unreadable + ([records] if records else [])


def assessment_result(case: Case, assessment: Assessment | None, lang: str) -> dict[str, object] | Unreadable | None:
    """The saved assessment's answer in `lang` ("ru" or "en"), None without one."""
    if assessment is None:
        return None
    return read(case.code, "assessment", lambda: getattr(assessment, f"result_{lang}"))
