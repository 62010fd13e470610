"""The parts an assessment is made of: qualifications with their penalties, key dates, flags and trace steps.

Plain frozen values. Their messages are Msg, rendered in a language only when an answer is written
(courtpath.law.answer).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from courtpath.i18n import Msg
from courtpath.law.lawbook import Citation
from courtpath.law.schema import LocalText


@dataclass(frozen=True, slots=True)
class Penalty:
    """A penalty of the part's sanction, and whether the court may impose it on this person (yes, no, or
    conditional on a fact the engine does not know), with the reason when not yes."""

    type: str
    min_months: int
    max_months: int
    min_from_general_part: bool
    available: str = "yes"
    reason: Msg | None = None


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
    sole_penalty: bool = False  # imprisonment is the only penalty of the part's sanction (art. 56 part 1)
    recidivism: str = "none"  # none | unknown | simple | dangerous | especially_dangerous (art. 18)
    recidivism_min_months: Fraction | None = None  # art. 68 part 2: the least term with recidivism
    exclusions_in_force: bool = True  # art. 73 part 1 «б», «в» (172-FZ) were in force at the time of the act
    # How the General Part was applied to make it (article, edition, part, subject rule, subjects, context, basis,
    # primary, art. 63 in force): equal for equal qualifications, and cheap to compare; the memos of
    # courtpath.law.qualify key on it.
    made_from: tuple[object, ...] = field(default=(), compare=False, repr=False)

    def for_person(
        self,
        penalties: tuple[Penalty, ...],
        suspended_possible: bool,
        colony_regime: str | None,
        cap_months: Fraction | None,
        exemption_possible: bool,
        citations: tuple[Citation, ...],
        recidivism: str,
        recidivism_min_months: Fraction | None,
    ) -> Qualification:
        """The qualification with what the person's facts decide (PersonRules.modify): dataclasses.replace, written
        out, as it runs once per distinct decision and replace() costs four times as much."""
        return Qualification(
            self.article,
            self.part,
            self.kind,
            self.primary,
            self.edition,
            self.edition_act,
            self.basis,
            penalties,
            self.gravity,
            self.limitation_years,
            suspended_possible,
            colony_regime,
            cap_months,
            exemption_possible,
            self.numbering_confirmed,
            self.special_context_aggravating,
            self.exemption_note,
            self.title,
            self.summary,
            citations,
            self.sole_penalty,
            recidivism,
            recidivism_min_months,
            self.exclusions_in_force,
            self.made_from,
        )

    @property
    def max_months(self) -> int:
        """The maximum of the most severe penalty (the figure gravity and the art. 62 cap are read from)."""
        return self.penalties[-1].max_months

    @property
    def imprisonment(self) -> Penalty | None:
        last = self.penalties[-1]
        return last if last.type == "imprisonment" else None

    @property
    def imprisonment_available(self) -> bool:
        found = self.imprisonment
        return found is not None and found.available != "no"


@dataclass(frozen=True, slots=True)
class KeyDate:
    code: str
    at: dt.datetime
    message: Msg
    passed: bool
    citations: tuple[Citation, ...] = ()


@dataclass(frozen=True, slots=True)
class Flag:
    code: str
    severity: str  # risk | warning | info | open_question
    message: Msg
    citations: tuple[Citation, ...] = ()


@dataclass(frozen=True, slots=True)
class TraceStep:
    code: str
    message: Msg
    citations: tuple[Citation, ...] = ()


Item = Qualification | KeyDate | Flag | TraceStep
