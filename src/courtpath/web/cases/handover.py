"""The family's answers on their way: from the public interview into the request, from the request into the case.

A request keeps the answers the person chose to send as the record a case keeps its facts in (`Case.facts`): the
intake's names (courtpath.law.intake.STORED_FIELDS), choices as their codes, moments as ISO 8601 text with their
offset, yes/no as booleans, the signs of intent as a sorted list of codes. Only the questions answered are in it:
what was not asked stays the case's default, as it would on the case form.

Opening a case copies the record into the case's facts through the same intake and the same rules as the case form
(`case_facts`); an answer that no longer passes (a rule added since, a record written by another version) is left
out and named, never a server error. The request page assesses the record as of now (`assess_answers`), without
storing anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from courtpath.law.answer import answer_data
from courtpath.law.engine import assess
from courtpath.law.facts import Facts
from courtpath.law.intake import STORED_FIELDS, facts_from_mapping
from courtpath.law.moments import now_in_moscow
from courtpath.law.problems import FactsError, Problem
from courtpath.web.cases.stored import READ_ERRORS
from courtpath.web.vocabulary import page_language


def answers_record(facts: Facts, answered: Iterable[str]) -> dict[str, object]:
    """The record of the `answered` facts (the fields the interview's answers gave), read from the intake's Facts:
    the canonical values, whatever the door's own shapes were."""
    canonical = facts.to_dict()
    return {name: canonical[name] for name in answered if name in STORED_FIELDS}


@dataclass(frozen=True)
class Dropped:
    """An answer that could not be copied to the case: the fact's name and why, in the page's language."""

    field: str
    reason: str


def _typed(value: object) -> object:
    """A value of Facts as a case's sealed entry takes it: codes as text, a set of codes as a sorted list."""
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, frozenset | set | list | tuple):
        return sorted(item.value if isinstance(item, StrEnum) else item for item in value)
    return value


def case_facts(
    record: Mapping[str, object], defaults: Mapping[str, object], now: dt.datetime | None = None
) -> tuple[dict[str, object], list[Dropped]]:
    """The case's facts from a request's record, validated as the case form validates (the record over the case's
    `defaults`, through the intake, as of `now`), and the answers left out. Each round leaves out the answers a
    problem names; a problem of a fact the record does not hold (the start of the absence missing while its end is
    given, a rule against a default) leaves out what is left, so that the case is never given facts that break a
    rule. Without a start of the absence the values are only checked one by one, as the case form does."""
    now = now or now_in_moscow()
    lang = page_language()
    kept = {name: value for name, value in record.items() if name in STORED_FIELDS and value is not None}
    dropped = [
        Dropped(str(name), _render([Problem(str(name), "unknown_field", _unknown(name))], lang)) for name in record
    ]
    dropped = [item for item in dropped if item.field not in STORED_FIELDS]
    while kept:
        try:
            facts = facts_from_mapping({**defaults, **kept}, now=now)
        except FactsError as error:
            problems = list(error.problems)
            if all(p.code == "required" for p in problems) and "returned" not in kept:
                return dict(kept), dropped  # no start of the absence: not assessable yet, each value read well
            names = {p.field for p in problems if p.field in kept and p.code != "required"}
            names = names or ({"returned"} & kept.keys()) or set(kept)
            for name in sorted(names):
                own = [p for p in problems if p.field == name] or problems
                dropped.append(Dropped(name, _render(own, lang)))
            kept = {name: value for name, value in kept.items() if name not in names}
        else:
            return {name: _typed(getattr(facts, name)) for name in kept}, dropped
    return {}, dropped


def _unknown(name: object) -> dict[str, object]:
    return {"name": str(name), "known": ", ".join(STORED_FIELDS)}


def _render(problems: list[Problem], lang: str) -> str:
    return " ".join(problem.render(lang) for problem in problems)


@dataclass(frozen=True)
class AnswersAssessment:
    """What the engine says of a request's answers as of `created_at` (now): the answer in the page's language and
    the versions, as the staff assessment template shows a saved one; or why there is none (`problem`)."""

    created_at: dt.datetime
    result: dict[str, Any] | None = None
    engine_version: str = ""
    law_version: str = ""
    problem: str = ""


def assess_answers(record: Mapping[str, object], lang: str, now: dt.datetime | None = None) -> AnswersAssessment:
    """Assess a request's answers as of `now` (an absence still going on is judged as it stands now)."""
    now = now or now_in_moscow()
    try:
        facts = facts_from_mapping({**record, "as_of": now}, now=now)
    except FactsError as error:
        return AnswersAssessment(now, problem=_render(list(error.problems), lang))
    result = assess(facts)
    return AnswersAssessment(now, answer_data(result, lang), result.engine_version, result.law_version)


def read_answers(request: object) -> Mapping[str, object] | None:
    """The request's answers, or None when its sealed record cannot be read (the page says so)."""
    try:
        return request.answers  # type: ignore[attr-defined, no-any-return]
    except READ_ERRORS:
        return None
