"""The decisive facts of a case (DecisionKey) and what the law makes of them (Decision): both plain values.

A Decision depends only on its key, never on exact dates, so one decision serves every case with the same key
(the engine and the batch mode keep them in courtpath.law.cache).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from courtpath.law.items import Flag, Qualification, TraceStep
from courtpath.law.lawbook import Citation
from courtpath.law.periods import Period


class DecisionKey(NamedTuple):
    """The facts that decide the qualification, with dates reduced to a band and law epochs. A named tuple: it is
    made, hashed and compared once per assessment (the decision cache), and a tuple does that in C."""

    status: str
    band: int  # 0: up to 2 days; 1..n: index into LawBook.thresholds passed
    special_context: bool
    context: str  # auto | none | mobilization | martial-law | wartime | armed-conflict
    context_started_before: bool  # auto context: the absence began before the special period
    released_80_2: bool
    indicators: frozenset[str]
    weapon_or_group: bool
    first_offence: bool
    grave_circumstances: bool
    surrendered: bool
    aggravating: bool
    is_open: bool
    epoch_start: int
    epoch_end: int
    epoch_now: int
    epoch_hypothetical: int | None = None
    release_for_service_active: bool = False  # arts. 78.1/80.2 (64-FZ) in force at the moment of assessment
    # The person, for the sentencing rules (arts. 18, 55, 56, 58, 68, 73, 74): applied after the qualification.
    sex: str = "male"
    prior_conviction: str = "none"  # gravity of an unexpunged earlier conviction for an intentional crime
    prior_imprisonment: bool = False  # a real prison term was served
    on_probation: bool = False  # the absence began during the probation of a suspended sentence
    discharge_rule_active: bool = False  # Decree 647 (discharge only on a real term) in force at the assessment


def person_of(key: DecisionKey) -> tuple[object, ...]:
    """The facts of the person that the sentencing rules read after the qualification (arts. 18, 56, 58, 62, 68,
    73, 74): part of the memo keys of those rules, with how the qualification was made."""
    return (
        key.surrendered,
        key.aggravating,
        key.first_offence,
        key.grave_circumstances,
        key.sex,
        key.prior_conviction,
        key.prior_imprisonment,
        key.on_probation,
    )


@dataclass(frozen=True, slots=True)
class Decision:
    qualifications: tuple[Qualification, ...]
    flags: tuple[Flag, ...]
    trace: tuple[TraceStep, ...]
    liability_threshold: Period | None  # the shortest absence that is a crime for this subject and context
    editions_used: tuple[tuple[str, str], ...]  # (article, edition)
    # What every assessment with this decision cites or compares (set by the decider, read once per decision):
    article_cited: tuple[Citation, ...] = ()  # art. 337 as a whole in the edition applied
    awol_cited: tuple[Citation, ...] = ()  # the first citation of the art. 337 qualification, or the article
    duration_cited: tuple[Citation, ...] = ()  # the same when that qualification comes first, else the article
    limitation_cited: tuple[Citation, ...] = ()  # the art. 78 citations of the primary qualification
    liability_index: int | None = None  # index of the liability threshold in LawBook.thresholds
    unresolved: bool = False  # no part applies, and whether one should is an open question of the law
    # An absence that spans a change of art. 337 (arts. 9, 10): the first day of the later edition, and the index of
    # the liability threshold under the edition in force when it began (None: not a crime under that edition).
    spanning_from: dt.date | None = None
    earlier_liability_index: int | None = None

    @property
    def outcome(self) -> str:
        """qualified | none | unresolved."""
        if self.qualifications:
            return "qualified"
        return "unresolved" if self.unresolved else "none"

    @property
    def primary(self) -> Qualification | None:
        return next((q for q in self.qualifications if q.primary), None)
