"""The facts of a case, as the engine takes them, and the rules they must keep (FACT_RULES).

Doors do not build Facts from their own shapes: courtpath.law.intake turns a mapping into Facts for all of them.
The rules here hold for Facts however they are made; each broken rule is a Problem that names its field and code.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from courtpath.law.moments import EARLIEST_YEAR, LATEST_YEAR, MOSCOW, as_moscow
from courtpath.law.problems import FactsError, Problem

__all__ = [
    "FACT_RULES",
    "MOSCOW",
    "AbsenceKind",
    "Context",
    "Facts",
    "FactsError",
    "Indicator",
    "PriorConviction",
    "Sex",
    "Status",
]


class Status(StrEnum):
    CONSCRIPT = "conscript"
    CONTRACT = "contract"
    RESERVIST = "reservist"  # a reservist at military training
    MOBILIZED = "mobilized"
    DMU = "dmu"  # serving a disciplinary-military-unit sentence


class AbsenceKind(StrEnum):
    LEFT_UNIT = "left-unit"
    LEAVE = "leave"  # failed to return from leave
    HOSPITAL = "hospital"
    TRIP = "trip"
    TRANSFER = "transfer"


class Context(StrEnum):
    AUTO = "auto"
    NONE = "none"
    MOBILIZATION = "mobilization"
    MARTIAL_LAW = "martial-law"
    WARTIME = "wartime"
    ARMED_CONFLICT = "armed-conflict"


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


class PriorConviction(StrEnum):
    """The gravity of an unexpunged earlier conviction for an intentional crime (art. 15 categories); NONE: none."""

    NONE = "none"
    SMALL = "small"
    MEDIUM = "medium"
    GRAVE = "grave"
    ESPECIALLY_GRAVE = "especially_grave"


class Indicator(StrEnum):
    JOB = "job"
    BORDER = "border"
    FORGED_DOCUMENTS = "forged-documents"
    FALSE_IDENTITY = "false-identity"
    OTHER = "other"


CONTRACT_LIKE = frozenset({Status.CONTRACT, Status.MOBILIZED})


def iso(value: dt.date) -> str:
    """ISO 8601 text of a date or a moment (value.isoformat(), as a function to pass)."""
    return value.isoformat()


@functools.cache
def code_in_force_from() -> dt.date:
    """The earliest law covered: the day the first edition in the law data took effect (the Criminal Code of 1996,
    in force from 01.01.1997)."""
    from courtpath.law.loader import default_lawbook  # the law data, not a date written into code

    return default_lawbook().epochs[0]


@functools.cache
def mobilized_from() -> dt.date:
    """When the mobilized status begins (general.yaml, mobilized_status: Decree 647)."""
    from courtpath.law.loader import default_lawbook

    valid_from = default_lawbook().general.mobilized_status.valid_from
    assert valid_from is not None
    return valid_from


@dataclass(frozen=True, slots=True)
class Facts:
    status: Status
    left: dt.datetime
    returned: dt.datetime | None = None
    as_of: dt.datetime | None = None
    absence_kind: AbsenceKind = AbsenceKind.LEFT_UNIT
    context: Context = Context.AUTO
    indicators: frozenset[Indicator] = field(default_factory=frozenset)
    weapon: bool = False
    group: bool = False
    first_offence: bool = True
    grave_circumstances: bool = False
    surrendered: bool = False
    aggravating: bool = False
    released_80_2: bool = False
    law_on: dt.date | None = None  # "what if": apply the law in force on this date instead of art. 9/10
    sex: Sex = Sex.MALE  # art. 58: the colony regime differs for women
    on_probation: bool = False  # the absence began on probation (a suspended sentence for an intentional crime)
    prior_conviction: PriorConviction = PriorConviction.NONE  # unexpunged, for an intentional crime
    prior_imprisonment: bool = False  # a real prison term was served (art. 58; art. 18 part 2)

    def __post_init__(self) -> None:
        # Values given as text are made members; members (as the intake gives them) are kept as they are.
        if type(self.status) is not Status:
            object.__setattr__(self, "status", Status(self.status))
        if type(self.absence_kind) is not AbsenceKind:
            object.__setattr__(self, "absence_kind", AbsenceKind(self.absence_kind))
        if type(self.context) is not Context:
            object.__setattr__(self, "context", Context(self.context))
        if type(self.sex) is not Sex:
            object.__setattr__(self, "sex", Sex(self.sex))
        if type(self.prior_conviction) is not PriorConviction:
            object.__setattr__(self, "prior_conviction", PriorConviction(self.prior_conviction))
        if type(self.indicators) is not frozenset or any(type(i) is not Indicator for i in self.indicators):
            object.__setattr__(self, "indicators", frozenset(Indicator(i) for i in self.indicators))
        object.__setattr__(self, "left", as_moscow(self.left))
        if self.returned is not None:
            object.__setattr__(self, "returned", as_moscow(self.returned))
        object.__setattr__(self, "as_of", as_moscow(self.as_of) if self.as_of else dt.datetime.now(tz=MOSCOW))
        broken = [(rule, params) for rule in FACT_RULES if (params := rule.broken(self)) is not None]
        if broken:
            raise FactsError(*(Problem(rule.field, rule.code, params) for rule, params in broken))

    @property
    def end(self) -> dt.datetime:
        """When the absence ended, or the moment of assessment if it has not ended."""
        return self.returned if self.returned is not None else self.as_of  # type: ignore[return-value]

    @property
    def is_open(self) -> bool:
        return self.returned is None

    @property
    def subject(self) -> str:
        return self.status.value

    def to_dict(self, moment: Callable[[dt.date], object] = iso) -> dict[str, object]:
        """The canonical mapping (courtpath.law.intake reads it back); `moment` renders each date and moment (ISO
        8601 text by default)."""
        return {
            "status": self.status.value,
            "left": moment(self.left),
            "returned": moment(self.returned) if self.returned else None,
            "as_of": moment(self.as_of) if self.as_of else None,
            "absence_kind": self.absence_kind.value,
            "context": self.context.value,
            "indicators": sorted(i.value for i in self.indicators),
            "weapon": self.weapon,
            "group": self.group,
            "first_offence": self.first_offence,
            "grave_circumstances": self.grave_circumstances,
            "surrendered": self.surrendered,
            "aggravating": self.aggravating,
            "released_80_2": self.released_80_2,
            "law_on": moment(self.law_on) if self.law_on else None,
            "sex": self.sex.value,
            "on_probation": self.on_probation,
            "prior_conviction": self.prior_conviction.value,
            "prior_imprisonment": self.prior_imprisonment,
        }

    @property
    def convicted_before(self) -> bool:
        """Has he an earlier conviction: given, implied by a probation, or by a release under art. 80.2?"""
        return self.prior_conviction is not PriorConviction.NONE or self.on_probation or self.released_80_2


@dataclass(frozen=True, slots=True)
class FactRule:
    """A rule the facts as a whole must keep: `broken(facts)` gives the message's parameters when it is broken."""

    code: str
    field: str
    broken: Callable[[Facts], Mapping[str, object] | None]

    def check(self, facts: Facts) -> Problem | None:
        params = self.broken(facts)
        return None if params is None else Problem(self.field, self.code, params)


_YEARS = {"earliest": EARLIEST_YEAR, "latest": LATEST_YEAR}


def _year_out_of_range(name: str) -> Callable[[Facts], Mapping[str, object] | None]:
    def broken(facts: Facts) -> Mapping[str, object] | None:
        value = getattr(facts, name)
        return _YEARS if value is not None and not EARLIEST_YEAR <= value.year <= LATEST_YEAR else None

    return broken


def _before_code(facts: Facts) -> Mapping[str, object] | None:
    start = code_in_force_from()
    return {"day": start} if facts.left.date() < start else None


def _law_on_before_code(facts: Facts) -> Mapping[str, object] | None:
    start = code_in_force_from()
    return {"day": start} if facts.law_on is not None and facts.law_on < start else None


def _end_before_start(facts: Facts) -> Mapping[str, object] | None:
    return {"left": facts.left} if facts.returned is not None and facts.returned <= facts.left else None


def _as_of_before_start(facts: Facts) -> Mapping[str, object] | None:
    return {"left": facts.left} if facts.returned is None and facts.as_of <= facts.left else None  # type: ignore[operator]


def _as_of_before_end(facts: Facts) -> Mapping[str, object] | None:
    returned = facts.returned
    return {"returned": returned} if returned is not None and facts.as_of < returned else None  # type: ignore[operator]


def _surrender_needs_end(facts: Facts) -> Mapping[str, object] | None:
    return {} if facts.surrendered and facts.returned is None else None


def _released_80_2_status(facts: Facts) -> Mapping[str, object] | None:
    return {} if facts.released_80_2 and facts.status not in CONTRACT_LIKE else None


def _first_offence_with_a_conviction(facts: Facts) -> Mapping[str, object] | None:
    if not facts.first_offence:
        return None
    return {} if facts.prior_conviction is not PriorConviction.NONE or facts.on_probation else None


def _imprisonment_without_a_conviction(facts: Facts) -> Mapping[str, object] | None:
    return {} if facts.prior_imprisonment and facts.prior_conviction is PriorConviction.NONE else None


def _mobilized_too_early(facts: Facts) -> Mapping[str, object] | None:
    if facts.status is not Status.MOBILIZED:
        return None
    start = mobilized_from()
    return {"day": start} if facts.left.date() < start else None


# In the order a door reports them (the batch mode's vectorised checks follow the same order: law/batch_rules.py).
FACT_RULES: tuple[FactRule, ...] = (
    FactRule("year_range", "left", _year_out_of_range("left")),
    FactRule("year_range", "returned", _year_out_of_range("returned")),
    FactRule("year_range", "as_of", _year_out_of_range("as_of")),
    FactRule("year_range", "law_on", _year_out_of_range("law_on")),
    FactRule("before_code", "left", _before_code),
    FactRule("before_code", "law_on", _law_on_before_code),
    FactRule("end_before_start", "returned", _end_before_start),
    FactRule("as_of_before_start", "as_of", _as_of_before_start),
    FactRule("as_of_before_end", "as_of", _as_of_before_end),
    FactRule("surrender_needs_end", "surrendered", _surrender_needs_end),
    FactRule("released_80_2_status", "released_80_2", _released_80_2_status),
    FactRule("mobilized_too_early", "left", _mobilized_too_early),
    FactRule("first_offence_with_conviction", "first_offence", _first_offence_with_a_conviction),
    FactRule("imprisonment_without_conviction", "prior_imprisonment", _imprisonment_without_a_conviction),
)
