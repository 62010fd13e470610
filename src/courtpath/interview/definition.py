"""The interview definition: a YAML file of steps, wording and explanation sections, validated with pydantic.

Russian and English stand side by side in the YAML (`{ru: …, en: …}`), as in the law data, rather than as English
msgids in a gettext catalogue: a lawyer reviewing a question sees its translation next to it, and the two change
together in one diff. (The web page's fixed chrome, such as buttons, uses Django's catalogue.) The loader refuses a
malformed file with a message that names the file and the field, and checks what pydantic alone cannot: that every
step feeds a real `Facts` field with values the engine accepts, that conditions name earlier steps and their
options, that every text the code needs exists, and that Russian and English use the same {placeholders}.
"""

from __future__ import annotations

import string
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from courtpath.law.facts import AbsenceKind, Indicator, Status

Kind = Literal["choice", "yes-no", "multi-choice", "date", "datetime"]
YES, NO = "yes", "no"

# What each Facts field the interview may feed takes: the answer kind and, for choices, the accepted values.
FEEDABLE: dict[str, tuple[tuple[str, ...], frozenset[str] | None]] = {
    "status": (("choice",), frozenset(s.value for s in Status)),
    "absence_kind": (("choice",), frozenset(k.value for k in AbsenceKind)),
    "left": (("datetime", "date"), None),
    "returned": (("datetime", "date"), None),
    "indicators": (("multi-choice",), frozenset(i.value for i in Indicator)),
    "weapon": (("yes-no",), None),
    "group": (("yes-no",), None),
    "first_offence": (("yes-no",), None),
    "grave_circumstances": (("yes-no",), None),
    "surrendered": (("yes-no",), None),
    "aggravating": (("yes-no",), None),
    "released_80_2": (("yes-no",), None),
}
REQUIRED_TEXTS = frozenset(
    {
        "yes", "no", "not_asked", "step_of", "date_label", "date_hint", "time_label", "time_hint", "result_title",
        "answers_title", "qualification_title", "qualification_primary", "qualification_alternative",
        "suspended_possible", "suspended_impossible", "cap", "no_qualification", "unresolved", "no_real_term",
        "key_dates_title", "date_passed",
        "date_ahead", "warnings_title", "uncertain_title", "uncertain_intro", "assumptions_title", "assumption_now",
        "assumption_context", "assumption_aggravating", "versions", "disclaimer", "months", "range", "up_to", "or",
        "desertion_if_seen", "cli_intro", "cli_choose", "cli_choose_many", "cli_date", "cli_time", "cli_first",
    }
)  # fmt: skip
# The result page's own words (courtpath.interview.explain): what to do now, the short answer, the key dates.
REQUIRED_TEXTS |= frozenset(
    {
        "now_title", "now_deadline_criminal_liability_from", "now_deadline_band_over_10_days_from",
        "now_deadline_band_over_1_month_from", "now_no_deadline", "now_next_report", "now_avoid", "now_tell_lawyer",
        "now_returned", "now_next_lawyer", "who_can_help", "short_title", "qualification_other",
        "no_prison_in_sanction", "see_desertion", "details_title", "date_not_reached", "date_criminal_liability_from",
        "date_band_over_10_days_from", "date_band_over_1_month_from", "date_limitation_expires",
        "part_number_provisional",
    }
)  # fmt: skip
REQUIRED_MESSAGES = frozenset(
    {
        "choose_one", "choose_some", "exclusive_combined", "date_required", "time_invalid", "date_in_future",
        "date_too_early",
    }
)  # fmt: skip
LAW_RULES = frozenset({"discharge_on_sentence", "release_for_service"})


class InterviewError(ValueError):
    """The interview definition is malformed: the message names the file and the field."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A text in both languages; {name} placeholders must match."""

    ru: str = Field(min_length=1)
    en: str = Field(min_length=1)

    @model_validator(mode="after")
    def _same_placeholders(self) -> Text:
        if _placeholders(self.ru) != _placeholders(self.en):
            raise ValueError(
                f"the Russian and English texts use different placeholders: {sorted(_placeholders(self.ru))} "
                f"vs {sorted(_placeholders(self.en))}"
            )
        return self

    def get(self, lang: str) -> str:
        return self.ru if lang == "ru" else self.en

    def format(self, lang: str, **params: object) -> str:
        return self.get(lang).format(**params)


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


class Option(Strict):
    value: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    label: Text
    exclusive: bool = False


class Condition(Strict):
    step: str
    in_: list[str] = Field(alias="in", min_length=1)


class Step(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: Kind
    feeds: str | None
    question: Text
    help: Text | None = None
    options: list[Option] = Field(default_factory=list)
    when: list[Condition] = Field(default_factory=list)

    @model_validator(mode="after")
    def _options_fit_kind(self) -> Step:
        if self.kind in ("choice", "multi-choice"):
            if len(self.options) < 2:
                raise ValueError(f"a {self.kind} step needs at least two options")
            values = [o.value for o in self.options]
            if len(set(values)) != len(values):
                raise ValueError("option values must be unique")
        elif self.options:
            raise ValueError(f"a {self.kind} step takes no options")
        if self.kind == "choice" and any(o.exclusive for o in self.options):
            raise ValueError("`exclusive` applies to multi-choice options only")
        if self.feeds is not None:
            if self.feeds not in FEEDABLE:
                raise ValueError(f"feeds {self.feeds!r} is not a Facts field the interview can set")
            kinds, accepted = FEEDABLE[self.feeds]
            if self.kind not in kinds:
                raise ValueError(f"Facts.{self.feeds} takes a {' or '.join(kinds)} answer, not {self.kind}")
            if accepted is not None:
                wrong = [o.value for o in self.options if not o.exclusive and o.value not in accepted]
                if wrong:
                    raise ValueError(f"option values {wrong} are not values of Facts.{self.feeds}: {sorted(accepted)}")
        return self

    def values(self) -> list[str]:
        """The answer values this step accepts."""
        return [YES, NO] if self.kind == "yes-no" else [o.value for o in self.options]

    def option(self, value: str) -> Option | None:
        return next((o for o in self.options if o.value == value), None)


class Section(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: Text
    text: Text
    when_flags: list[str] = Field(default_factory=list)
    law_rule: str | None = None
    desertion_range: bool = False

    @model_validator(mode="after")
    def _known_rule(self) -> Section:
        if self.law_rule is not None and self.law_rule not in LAW_RULES:
            raise ValueError(f"law_rule {self.law_rule!r} is not one of {sorted(LAW_RULES)}")
        return self


class Interview(Strict):
    version: int
    steps: list[Step] = Field(min_length=1)
    texts: dict[str, Text]
    messages: dict[str, Text]
    explanation: list[Section]

    @model_validator(mode="after")
    def _consistent(self) -> Interview:
        seen: dict[str, Step] = {}
        fed: set[str] = set()
        for index, step in enumerate(self.steps):
            if step.id in seen:
                raise ValueError(f"steps.{index}.id: {step.id!r} is used twice")
            if step.feeds is not None:
                if step.feeds in fed:
                    raise ValueError(f"steps.{index}.feeds: Facts.{step.feeds} is fed by two steps")
                fed.add(step.feeds)
            for number, condition in enumerate(step.when):
                where = f"steps.{index}.when.{number}"
                earlier = seen.get(condition.step)
                if earlier is None:
                    raise ValueError(f"{where}.step: {condition.step!r} is not an earlier step")
                unknown = [v for v in condition.in_ if v not in earlier.values()]
                if unknown:
                    raise ValueError(f"{where}.in: {unknown} are not answers of step {condition.step!r}")
            seen[step.id] = step
        for required in ("status", "left"):
            if required not in fed:
                raise ValueError(f"steps: no step feeds Facts.{required}, which the engine needs")
        for name, have, needed in (
            ("texts", self.texts, REQUIRED_TEXTS),
            ("messages", self.messages, REQUIRED_MESSAGES),
        ):
            missing = sorted(needed - set(have))
            if missing:
                raise ValueError(f"{name}: missing {', '.join(missing)}")
        return self

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    def has_step(self, step_id: str) -> bool:
        return any(step.id == step_id for step in self.steps)

    def text(self, key: str, lang: str, **params: object) -> str:
        return self.texts[key].format(lang, **params)


def default_path() -> Path:
    return Path(str(resources.files("courtpath.interview").joinpath("data", "interview.yaml")))


def load_interview(path: Path | None = None) -> Interview:
    """Read and validate an interview definition; a malformed one raises InterviewError naming file and field."""
    path = path or default_path()
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InterviewError(f"{path}: cannot read the file ({error.strerror})") from None
    try:
        document = yaml.safe_load(raw)
    except yaml.YAMLError as error:
        raise InterviewError(f"{path}: not valid YAML: {' '.join(str(error).split())}") from None
    try:
        return Interview.model_validate(document)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        message = str(first["msg"]).removeprefix("Value error, ")
        more = f" (and {error.error_count() - 1} more problems)" if error.error_count() > 1 else ""
        where = f"field {field}: " if field else ""  # whole-file checks name their field themselves
        raise InterviewError(f"{path}: {where}{message}{more}") from None


@cache
def default_interview() -> Interview:
    return load_interview()
