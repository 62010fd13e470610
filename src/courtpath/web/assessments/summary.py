"""The few values of a saved assessment that the pages over every case read: whether the absence had ended, its
key dates and its primary qualification, sealed beside the whole answer (`Assessment.summary`) when the assessment
is made.

The dashboard, the agenda and the statistics look at the latest assessment of every open case. Opening each whole
answer (about 13 KB of JSON) and reading it back into the answer's types cost about 0.9 ms per case: 7 s of CPU
for a first view at 10,000 cases (README, Benchmarks). The summary is a few hundred bytes, sealed with the case's data
key like the answer, so it leaks nothing the answer does not and is shredded with the case.

An assessment saved before the summary existed has an empty one (`decode` gives None): the pages then open its
whole answer, as before, and `courtpath reassess` writes the summaries that latest assessments lack
(reassess.fill_missing_summaries).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import msgspec

from courtpath.web.cases.models import Assessment, Case
from courtpath.web.vault.keys import WrappedKey


class KeyDate(msgspec.Struct, frozen=True, array_like=True):
    code: str
    at: dt.datetime
    passed: bool


class Summary(msgspec.Struct, frozen=True):
    ended: bool  # the absence had ended (the facts assessed had a return)
    key_dates: list[KeyDate]
    article: str | None  # of the primary qualification; None when there is none
    part: str | None


def of_answer(answer: Mapping[str, Any]) -> dict[str, Any]:
    """The summary of an answer as plain data (an answer as answer_data writes it, in either language: the codes,
    moments and article numbers are the same). KeyError or TypeError when the answer has another shape."""
    primary = next((q for q in answer["qualifications"] if q["primary"]), None)
    return {
        "ended": answer["facts"]["returned"] is not None,
        "key_dates": [[k["code"], k["at"], k["passed"]] for k in answer["key_dates"]],
        "article": primary["article"] if primary else None,
        "part": primary["part"] if primary else None,
    }


def decode(plain: Mapping[str, Any]) -> Summary | None:
    """A summary as Assessment.summary opens it; None when the assessment has none (saved before summaries, whose
    record is empty). ValueError (msgspec.ValidationError) when it has another shape."""
    if not plain:
        return None
    return msgspec.convert(plain, Summary, strict=False)


def of_assessment(assessment: Assessment) -> Summary | None:
    """The summary of an assessment read as a model; None when it has none (its column is empty: a row older than the
    column, or a record sealed empty). SealedValueError when it does not open, ValueError when it has another shape."""
    if not assessment.summary_sealed:
        return None
    return decode(assessment.summary)


def read_column(sealed: bytes | memoryview | None, data_key: WrappedKey) -> Summary | None:
    """The summary in a row read with values_list; None when the column is empty (a row older than the column).
    SealedValueError when it does not open, ValueError when it has another shape."""
    if not sealed:
        return None
    return decode(Assessment.summary.open_column(sealed, data_key))


CHUNK = 1000  # rows per `pk IN (…)` query


def sealed_summaries(pks: Iterable[int]) -> dict[int, tuple[bytes, uuid.UUID]]:
    """The sealed summaries of these assessments with their data keys' ids, by pk (in queries of CHUNK)."""
    wanted, found = list(pks), {}
    for start in range(0, len(wanted), CHUNK):
        chosen = Assessment.objects.filter(pk__in=wanted[start : start + CHUNK])
        found.update(
            (pk, (sealed, key)) for pk, sealed, key in chosen.values_list("pk", "summary_sealed", "data_key_id")
        )
    return found


@dataclass(frozen=True, slots=True)
class CaseRow:
    """A case read as a row (case_rows), with what the pages over every case open of it."""

    pk: int
    code: str
    facts_sealed: bytes
    data_key: WrappedKey
    latest: tuple[bytes, uuid.UUID] | None  # its latest assessment's sealed summary and data key id; None: not found


def case_rows(pks: list[int], latest_of: Mapping[int, int | None]) -> Iterator[CaseRow]:
    """These cases as rows, CHUNK at a time, each with its data key and the sealed summary of its latest assessment
    (`latest_of`: case pk -> that assessment's id, None without one). A case deleted meanwhile is left out."""
    for start in range(0, len(pks), CHUNK):
        chunk = pks[start : start + CHUNK]
        summaries = sealed_summaries(latest for pk in chunk if (latest := latest_of[pk]) is not None)
        rows = Case.objects.filter(pk__in=chunk).values_list(
            "pk", "code", "facts_sealed", "data_key_id", "data_key__wrapped", "data_key__master_key_id"
        )
        for pk, code, facts_sealed, key_id, wrapped, master_key_id in rows:
            latest = latest_of[pk]
            yield CaseRow(
                pk,
                code,
                bytes(facts_sealed),
                WrappedKey(key_id, bytes(wrapped), master_key_id),
                None if latest is None else summaries.get(latest),
            )


def of_row(latest: tuple[bytes, uuid.UUID] | None, data_key: WrappedKey) -> Summary | None:
    """The summary of a case's latest assessment as sealed_summaries gave it (None: not found, deleted since), opened
    with the case's data key; None when there is none to open here (not found, no summary, or another data key):
    read that assessment as a model. SealedValueError or ValueError as read_column."""
    if latest is None or latest[1] != data_key.id:
        return None
    return read_column(latest[0], data_key)
