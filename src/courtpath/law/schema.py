"""Pydantic models of the law data files; the loader validates every YAML file against them."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from courtpath.law.periods import Period

Confidence = Literal["official", "secondary", "unconfirmed"]
PenaltyType = Literal["restriction", "arrest", "disciplinary_unit", "imprisonment"]
Subject = Literal["conscript", "contract", "reservist", "dmu", "mobilized", "released_80_2"]
Requirement = Literal["weapon_or_group", "aim_full_release"]
Gravity = Literal["small", "medium", "grave", "especially_grave"]
Regime = Literal["settlement", "general", "strict", "special"]
Sex = Literal["male", "female"]
RecidivismKind = Literal["simple", "dangerous", "especially_dangerous"]
ContextCode = Literal["mobilization", "martial-law", "wartime", "armed-conflict"]
Availability = Literal["yes", "conditional"]
ArticleKind = Literal["awol", "desertion", "evasion"]
QUESTION_ID = re.compile(r"q[a-z0-9_]+")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LocalText(Strict):
    """A text a lawyer reviews, in both UI languages."""

    ru: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.ru if lang == "ru" else self.en


class Act(Strict):
    number: str
    date: dt.date
    in_force: dt.date | None = None


class Duration(Strict):
    over: Period
    up_to: Period | None = None

    @field_validator("over", "up_to", mode="before")
    @classmethod
    def _parse(cls, value: object) -> object:
        return Period.parse(value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _ordered(self) -> Duration:
        if self.up_to is not None and self.up_to.approx_days <= self.over.approx_days:
            raise ValueError("up_to must be longer than over")
        return self


class PenaltySpec(Strict):
    type: PenaltyType
    min_months: int | None = Field(default=None, ge=0)
    max_months: int = Field(gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> PenaltySpec:
        if self.min_months is not None and self.min_months > self.max_months:
            raise ValueError("min_months exceeds max_months")
        return self


class PartSpec(Strict):
    part: str = Field(pattern=r"^\d+(\.\d+)?$")
    numbering_confirmed: bool = True
    subjects: list[Subject] = Field(min_length=1)
    duration: Duration | None = None
    context: Literal["any", "k"]
    requires: list[Requirement] = []
    penalties: list[PenaltySpec] = Field(min_length=1)
    summary: LocalText
    sources: list[str] = Field(min_length=1)
    confidence: Confidence
    open_questions: list[str] = []


class NoteSpec(Strict):
    id: str
    parts: list[str] = Field(min_length=1)
    summary: LocalText
    sources: list[str] = Field(min_length=1)
    confidence: Confidence


class RuleRef(Strict):
    article: str
    part: str
    summary: LocalText
    sources: list[str] = Field(min_length=1)
    confidence: Confidence


class PlainRule(Strict):
    rule: RuleRef


class AliasSpec(Strict):
    subject: Subject
    treated_as: Subject
    rule: RuleRef


class AmendmentNote(Strict):
    act: Act
    ru: str
    en: str


class EditionSpec(Strict):
    edition: str
    valid_from: dt.date
    valid_to: dt.date | None
    act: Act
    sources: list[str] = Field(min_length=1)
    confidence: Confidence
    changes: LocalText
    open_questions: list[str] = []
    amendments_without_penalty_change: list[AmendmentNote] = []
    subject_aliases: list[AliasSpec] = []
    parts: list[PartSpec] = Field(min_length=1)
    notes: list[NoteSpec] = []

    @model_validator(mode="after")
    def _consistent(self) -> EditionSpec:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        numbers = [p.part for p in self.parts]
        if len(numbers) != len(set(numbers)):
            raise ValueError(f"duplicate part numbers in edition {self.edition}")
        for note in self.notes:
            unknown = set(note.parts) - set(numbers)
            if unknown:
                raise ValueError(f"note {note.id} names parts not in the edition: {sorted(unknown)}")
        return self


class ArticleSpec(Strict):
    article: str
    kind: ArticleKind
    title: LocalText
    editions: list[EditionSpec] = Field(min_length=1)

    @field_validator("editions")
    @classmethod
    def _contiguous(cls, editions: list[EditionSpec]) -> list[EditionSpec]:
        for index, (earlier, later) in enumerate(itertools.pairwise(editions), start=1):
            if earlier.valid_to is None:
                raise ValueError(
                    f"editions.{index - 1}.valid_to: edition {earlier.edition} is open-ended but is followed by "
                    f"{later.edition}"
                )
            if later.valid_from != earlier.valid_to + dt.timedelta(days=1):
                raise ValueError(
                    f"editions.{index}.valid_from: edition {later.edition} must start the day after "
                    f"{earlier.edition} ends ({earlier.valid_to})"
                )
        if editions[-1].valid_to is not None:
            raise ValueError(
                f"editions.{len(editions) - 1}.valid_to: the last edition must be open-ended (valid_to: null)"
            )
        return editions


class PenaltyTypeSpec(Strict):
    type: PenaltyType
    min_months: int = Field(gt=0)
    max_months: int = Field(gt=0)
    for_subjects: dict[Subject, Availability] | None = None  # None: every serviceman
    condition: LocalText | None = None  # what decides a `conditional` availability
    in_force: bool = True
    not_in_force: RuleRef | None = None  # the law that keeps it out of force
    rule: RuleRef

    @model_validator(mode="after")
    def _explained(self) -> PenaltyTypeSpec:
        if not self.in_force and self.not_in_force is None:
            raise ValueError("a penalty not in force needs `not_in_force`: the law that says so")
        if self.for_subjects and "conditional" in self.for_subjects.values() and self.condition is None:
            raise ValueError("a conditional availability needs its `condition`")
        return self


class GravityCategory(Strict):
    code: Gravity
    up_to_months: int | None


class GravityVersion(Strict):
    valid_from: dt.date
    act: Act | None = None
    milder: bool = False  # improves the person's position: reaches earlier acts too (art. 10)
    rule: RuleRef
    categories: list[GravityCategory] = Field(min_length=4, max_length=4)


class GravitySpec(Strict):
    versions: list[GravityVersion] = Field(min_length=1)


class LimitationSpec(Strict):
    rule: RuleRef
    years: dict[Gravity, int]


class SuspensionExclusions(Strict):
    rule: RuleRef
    valid_from: dt.date
    act: Act
    on_probation_gravity: list[Gravity]
    recidivism: list[RecidivismKind]


class SuspendedSpec(Strict):
    rule: RuleRef
    suspendable_types: list[PenaltyType]
    imprisonment_up_to_months: int
    exclusions: SuspensionExclusions


class ProbationSpec(Strict):
    rule: RuleRef
    revoked_for: list[Gravity]
    combined: RuleRef


class RecidivismRow(Strict):
    kind: RecidivismKind
    part: str
    gravity: list[Gravity] | None = None  # of the new crime; None: any
    prior: list[Gravity]
    prior_imprisonment: bool | None = None  # None: either


class FractionRule(Strict):
    rule: RuleRef
    numerator: int = Field(gt=0)
    denominator: int = Field(gt=0)


class RecidivismSpec(Strict):
    rule: RuleRef
    not_counted: list[Gravity]
    kinds: list[RecidivismRow] = Field(min_length=1)
    minimum: FractionRule


CapSpec = FractionRule


class DatedRule(Strict):
    rule: RuleRef
    valid_from: dt.date
    act: Act


class AggravatingVersion(Strict):
    valid_from: dt.date
    act: Act
    contexts: list[ContextCode] = Field(min_length=1)
    rule: RuleRef


class AggravatingSpec(Strict):
    versions: list[AggravatingVersion] = Field(min_length=1)


class ColonyRow(Strict):
    item: str
    regime: Regime
    sex: Sex | None = None
    gravity: list[Gravity] | None = None
    recidivism: list[RecidivismKind] | None = None
    prior_imprisonment: bool | None = None


class ColonySpec(Strict):
    rule: RuleRef
    rows: list[ColonyRow] = Field(min_length=1)


class ReplacementSpec(Strict):
    rule: RuleRef
    up_to_months: int = Field(gt=0)


class DischargeSpec(Strict):
    rule: RuleRef
    valid_from: dt.date
    subjects: list[Subject]


class GravityRule(Strict):
    """A rule that applies to crimes of some gravity categories only."""

    rule: RuleRef
    gravity: list[Gravity] = Field(min_length=1)


class FirstOffenceSpec(Strict):
    rule: RuleRef
    valid_from: dt.date
    act: Act
    gravity: list[Gravity] = Field(min_length=1)


class DefenceTools(Strict):
    below_minimum: PlainRule
    hard_circumstances: PlainRule
    active_repentance: GravityRule
    court_fine: GravityRule
    attempt_cap: PlainRule
    confession: PlainRule


class StatusRule(Strict):
    rule: RuleRef
    subject: Subject
    treated_as: Subject
    valid_from: dt.date | None = None


class AppealSpec(Strict):
    rule: RuleRef
    days: int = Field(gt=0)
    act: Act


class GeneralSpec(Strict):
    penalty_types: list[PenaltyTypeSpec] = Field(min_length=4, max_length=4)
    first_offence_imprisonment: FirstOffenceSpec
    disciplinary_unit_instead: ReplacementSpec
    gravity: GravitySpec
    limitation: LimitationSpec
    suspended_sentence: SuspendedSpec
    probation: ProbationSpec
    recidivism: RecidivismSpec
    two_thirds_cap: CapSpec
    special_context_aggravating: AggravatingSpec
    colony_regime: ColonySpec
    retroactivity: PlainRule
    special_norm: PlainRule
    mobilized_status: StatusRule
    dmu_status: StatusRule
    release_for_service: DatedRule
    discharge_on_sentence: DischargeSpec
    attempt_doctrine: PlainRule
    disciplinary_offence: PlainRule
    defence_tools: DefenceTools
    appeal_period: AppealSpec

    def dates(self) -> set[dt.date]:
        """The days a dated General Part rule changed: law epochs begin on them too."""
        days = {v.valid_from for v in self.gravity.versions[1:]}
        days |= {v.valid_from for v in self.special_context_aggravating.versions}
        days.add(self.suspended_sentence.exclusions.valid_from)
        return days


class PeriodSpec(Strict):
    id: str
    context: Literal["mobilization", "martial_law", "wartime", "armed_conflict"]
    start: dt.datetime
    end: dt.datetime | None
    territorial: bool
    act: Act
    sources: list[str] = Field(min_length=1)
    confidence: Confidence
    summary: LocalText

    @field_validator("start", "end")
    @classmethod
    def _aware(cls, value: dt.datetime | None) -> dt.datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("must carry a UTC offset, e.g. 2022-09-21T00:00:00+03:00")
        return value


class ContextsSpec(Strict):
    periods: list[PeriodSpec] = Field(min_length=1)


class SourceSpec(Strict):
    kind: Literal["official", "secondary"]
    title: str
    url: str


class SourcesSpec(Strict):
    sources: dict[str, SourceSpec]


class OpenQuestion(LocalText):
    """A question the sources leave open, in both UI languages. The project's notes on it (sources, what the engine
    does meanwhile, what would settle it) are the section headed by its id in docs/law/open-questions.md."""


class OpenQuestionsSpec(Strict):
    questions: dict[str, OpenQuestion]

    @field_validator("questions")
    @classmethod
    def _ids_are_anchors(cls, value: dict[str, OpenQuestion]) -> dict[str, OpenQuestion]:
        # The id is the heading of the question's section in docs/law/open-questions.md, hence its anchor: only
        # lower-case letters, digits and underscores keep the two equal.
        bad = sorted(qid for qid in value if not QUESTION_ID.fullmatch(qid))
        if bad:
            raise ValueError(f"ids must match {QUESTION_ID.pattern} (they are anchors in docs/law): {bad}")
        return value
