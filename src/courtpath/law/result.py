"""What an assessment returns: qualifications, key dates, flags and the cited trace."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING

from courtpath.i18n import Msg
from courtpath.law.facts import Facts, iso
from courtpath.law.lawbook import Citation
from courtpath.law.schema import LocalText

if TYPE_CHECKING:
    from courtpath.law.decide import Decision

# How an item renders each of its citations: Citation.to_dict by default; the JSON API passes one that returns
# pre-encoded JSON (courtpath.law.render).
Cite = Callable[[Citation, str], object]
_cite = Citation.to_dict


@dataclass(frozen=True, slots=True)
class Penalty:
    type: str
    min_months: int
    max_months: int
    min_from_general_part: bool

    def to_dict(self) -> dict[str, object]:
        return {
            "type": self.type,
            "min_months": self.min_months,
            "max_months": self.max_months,
            "min_from_general_part": self.min_from_general_part,
        }


@dataclass(frozen=True, slots=True)
class Qualification:
    article: str
    part: str
    kind: str
    primary: bool
    edition: str
    edition_act: str
    basis: str  # act_time | later_edition | earlier_edition | retroactive | hypothetical
    penalties: tuple[Penalty, ...]
    gravity: str
    limitation_years: int
    suspended_possible: bool
    colony_regime: str | None
    cap_months: Fraction | None
    exemption_possible: bool
    numbering_confirmed: bool
    special_context_aggravating: bool  # art. 63(1)(l): the context aggravates, as it is not an element of the part
    exemption_note: bool  # a note to the article allows exemption for this part (grave circumstances, 1st offence)
    title: LocalText
    summary: LocalText
    citations: tuple[Citation, ...]

    @property
    def max_months(self) -> int:
        """The maximum of the most severe penalty (the figure gravity and the art. 62 cap are read from)."""
        return self.penalties[-1].max_months

    @property
    def imprisonment(self) -> Penalty | None:
        last = self.penalties[-1]
        return last if last.type == "imprisonment" else None

    def to_dict(self, lang: str, cite: Cite = _cite) -> dict[str, object]:
        cap = self.cap_months
        return {
            "article": self.article,
            "part": self.part,
            "kind": self.kind,
            "primary": self.primary,
            "edition": self.edition,
            "edition_act": self.edition_act,
            "basis": self.basis,
            "title": self.title.get(lang),
            "summary": self.summary.get(lang),
            "penalties": [p.to_dict() for p in self.penalties],
            "gravity": self.gravity,
            "limitation_years": self.limitation_years,
            "suspended_possible": self.suspended_possible,
            "colony_regime": self.colony_regime,
            "cap_months": None if cap is None else (int(cap) if cap.denominator == 1 else round(float(cap), 2)),
            "exemption_possible": self.exemption_possible,
            "numbering_confirmed": self.numbering_confirmed,
            "citations": [cite(c, lang) for c in self.citations],
        }


@dataclass(frozen=True, slots=True)
class KeyDate:
    code: str
    at: dt.datetime
    message: Msg
    passed: bool
    citations: tuple[Citation, ...] = ()

    def to_dict(self, lang: str, cite: Cite = _cite, moment: Callable[[dt.date], object] = iso) -> dict[str, object]:
        return {
            "code": self.code,
            "at": moment(self.at),
            "passed": self.passed,
            "message": self.message.render(lang),
            "citations": [cite(c, lang) for c in self.citations],
        }


@dataclass(frozen=True, slots=True)
class Flag:
    code: str
    severity: str  # risk | warning | info | open_question
    message: Msg
    citations: tuple[Citation, ...] = ()

    def to_dict(self, lang: str, cite: Cite = _cite) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message.render(lang),
            "citations": [cite(c, lang) for c in self.citations],
        }


@dataclass(frozen=True, slots=True)
class TraceStep:
    code: str
    message: Msg
    citations: tuple[Citation, ...] = ()

    def to_dict(self, lang: str, cite: Cite = _cite) -> dict[str, object]:
        return {
            "step": self.code,
            "message": self.message.render(lang),
            "citations": [cite(c, lang) for c in self.citations],
        }


@dataclass(slots=True)
class Assessment:
    facts: Facts
    duration_hours: float
    band: str
    in_special_context: bool
    context_basis: str
    qualifications: list[Qualification] = field(default_factory=list)
    key_dates: list[KeyDate] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    trace: list[TraceStep] = field(default_factory=list)
    engine_version: str = ""
    law_version: str = ""
    # The memoised decision the qualifications, flags and trace come from (set by the engine): the JSON API reuses
    # what it rendered of it before. Not part of the result's value.
    decision: Decision | None = field(default=None, repr=False, compare=False)

    @property
    def primary(self) -> Qualification | None:
        return next((q for q in self.qualifications if q.primary), None)

    def flag_codes(self) -> list[str]:
        return [f.code for f in self.flags]

    def to_dict(
        self,
        lang: str = "ru",
        item: Callable[[Item, str], object] | None = None,
        moment: Callable[[dt.date], object] = iso,
    ) -> dict[str, object]:
        """The result as plain data. `item(x, lang)` renders each qualification, key date, flag and trace step
        (default: x.to_dict(lang)); courtpath.law.render passes one that reuses JSON rendered before. `moment`
        renders the facts' moments and the end of the absence (ISO 8601 text by default)."""
        if item is None:
            item = _item
        return {
            "engine_version": self.engine_version,
            "law_data_version": self.law_version,
            "facts": self.facts.to_dict(moment),
            "absence": {
                "open": self.facts.is_open,
                "end": moment(self.facts.end),
                "duration_hours": round(self.duration_hours, 2),
                "band": self.band,
                "special_context": self.in_special_context,
                "context_basis": self.context_basis,
            },
            "qualifications": [item(q, lang) for q in self.qualifications],
            "key_dates": [item(k, lang) for k in self.key_dates],
            "flags": [item(f, lang) for f in self.flags],
            "trace": [item(t, lang) for t in self.trace],
        }


Item = Qualification | KeyDate | Flag | TraceStep


def _item(item: Item, lang: str) -> dict[str, object]:
    return item.to_dict(lang)
