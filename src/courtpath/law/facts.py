"""The facts of a case, as the engine takes them, and their validation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from zoneinfo import ZoneInfo

MOSCOW = ZoneInfo("Europe/Moscow")


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


class Indicator(StrEnum):
    JOB = "job"
    BORDER = "border"
    FORGED_DOCUMENTS = "forged-documents"
    FALSE_IDENTITY = "false-identity"
    OTHER = "other"


class FactsError(ValueError):
    """Facts that cannot be assessed: the message says which and why, in the user's words."""


def as_aware(moment: dt.datetime) -> dt.datetime:
    """Moscow time: a moment without a UTC offset is read as Moscow time, others are converted to it.

    All moments share one tzinfo, so comparisons and differences run on the Moscow wall clock, as in the batch mode.
    """
    return moment.replace(tzinfo=MOSCOW) if moment.tzinfo is None else moment.astimezone(MOSCOW)


def iso(value: dt.date) -> str:
    """ISO 8601 text of a date or a moment (value.isoformat(), as a function to pass)."""
    return value.isoformat()


def _mobilized_from() -> dt.date:
    """When the mobilized status begins (general.yaml, mobilized_status: Decree 647)."""
    from courtpath.law.loader import default_lawbook  # the law data, not a date written into code

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

    def __post_init__(self) -> None:
        # Values given as text are made members; members (as the CLI and the API give them) are kept as they are.
        if type(self.status) is not Status:
            object.__setattr__(self, "status", Status(self.status))
        if type(self.absence_kind) is not AbsenceKind:
            object.__setattr__(self, "absence_kind", AbsenceKind(self.absence_kind))
        if type(self.context) is not Context:
            object.__setattr__(self, "context", Context(self.context))
        if type(self.indicators) is not frozenset or any(type(i) is not Indicator for i in self.indicators):
            object.__setattr__(self, "indicators", frozenset(Indicator(i) for i in self.indicators))
        object.__setattr__(self, "left", as_aware(self.left))
        if self.returned is not None:
            object.__setattr__(self, "returned", as_aware(self.returned))
        object.__setattr__(self, "as_of", as_aware(self.as_of) if self.as_of else dt.datetime.now(tz=MOSCOW))
        self._validate()

    def _validate(self) -> None:
        if self.returned is not None and self.returned <= self.left:
            raise FactsError("the absence must end after it began (--returned is not after --left)")
        if self.returned is None and self.as_of <= self.left:
            raise FactsError("the moment of assessment (--as-of) must be after the absence began (--left)")
        if self.surrendered and self.returned is None:
            raise FactsError("a voluntary surrender ends the absence: give --returned with --surrendered")
        if self.released_80_2 and self.status not in (Status.CONTRACT, Status.MOBILIZED):
            raise FactsError(
                "release under art. 80.2 or a suspended case applies to contract or mobilized servicemen, "
                f"not to status {self.status.value!r}"
            )
        if self.status is Status.MOBILIZED and self.left.date() < (mobilized_from := _mobilized_from()):
            raise FactsError(
                f"status 'mobilized' needs an absence that began on or after {mobilized_from:%d.%m.%Y} (Decree 647)"
            )
        if self.left.year < 1997:
            raise FactsError("the Criminal Code in force since 01.01.1997 is the earliest law covered")

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
        """Plain data; `moment` renders each date and moment (ISO 8601 text by default; the JSON API leaves them to
        orjson, which writes the same text)."""
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
        }
