"""What can be wrong with the facts of a case: each problem has a field, a code and parameters, and one message.

Every door (command line, API, case form, interview, batch) reports the same problem in its own words: the command
line names its option (`--left`), the API its field (`left`), the form puts the message on its field, the interview
asks the question again. The message itself is written once, here, and translated like every other message
(courtpath.i18n). The codes are part of the API: tools may read them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from courtpath.i18n import Msg

# code -> the message, in English (the gettext msgid); {name} placeholders take the problem's parameters.
MESSAGES: dict[str, Msg] = {
    "not_json": Msg("The body is not JSON text in UTF-8."),
    "not_object": Msg("The body must be a JSON object of facts."),
    "required": Msg("This is required."),
    "unknown_field": Msg("Unknown field “{name}”. Known fields: {known}."),
    "not_text": Msg("Expected text."),
    "not_boolean": Msg("Expected true or false."),
    "not_list": Msg("Expected a list."),
    "unknown_value": Msg("“{value}” is not one of: {allowed}."),
    "duplicate": Msg("“{value}” is given twice."),
    "moment_format": Msg(
        "“{text}” is not a date or a date and time. Write it as 01.03.2025 or 01.03.2025 08:00 (day.month.year), "
        "or 2025-03-01T08:00."
    ),
    "day_format": Msg("“{text}” is not a date. Write it as 01.03.2025 (day.month.year) or 2025-03-01."),
    "moment_value": Msg("“{text}” is not a real date or time."),
    "year_range": Msg("The year must be between {earliest} and {latest}."),
    "in_future": Msg("{at} has not come yet. Give a moment that has passed."),
    "end_before_start": Msg("The absence must end after it began ({left})."),
    "as_of_before_start": Msg("The moment of assessment must be after the absence began ({left})."),
    "as_of_before_end": Msg("The moment of assessment must not be before the absence ended ({returned})."),
    "surrender_needs_end": Msg("A voluntary surrender ends the absence: give the moment it ended."),
    "released_80_2_status": Msg(
        "Release under art. 80.2, or a case suspended on the command's petition, concerns contract or mobilized "
        "servicemen only."
    ),
    "mobilized_too_early": Msg("The mobilized status applies to an absence that began on {day} or later."),
    "before_code": Msg("The Criminal Code in force since {day} is the earliest law covered."),
    "first_offence_with_conviction": Msg(
        "A first offence cannot go with an earlier conviction or a probation: give one or the other."
    ),
    "imprisonment_without_conviction": Msg("A prison term served means an earlier conviction: give its gravity."),
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the facts: `field` is a canonical fact name (None: the facts as a whole)."""

    field: str | None
    code: str
    params: Mapping[str, object] = field(default_factory=dict)

    def message(self) -> Msg:
        return MESSAGES[self.code].with_params(**self.params)

    def render(self, lang: str) -> str:
        return self.message().render(lang)


class FactsError(ValueError):
    """Facts that cannot be assessed: one or more problems, the first of which is the error's field and code."""

    def __init__(self, *problems: Problem) -> None:
        if not problems:
            raise ValueError("a FactsError needs at least one problem")
        self.problems = problems
        super().__init__(f"{problems[0].field or 'facts'}: {problems[0].render('en')}")

    @classmethod
    def of(cls, code: str, field: str | None = None, **params: object) -> FactsError:
        return cls(Problem(field, code, params))

    @property
    def field(self) -> str | None:
        return self.problems[0].field

    @property
    def code(self) -> str:
        return self.problems[0].code

    @property
    def params(self) -> Mapping[str, object]:
        return self.problems[0].params

    def at(self, name: str) -> FactsError:
        """The same problems, placed on the field `name` (for a value parsed before its field was known)."""
        return FactsError(*(replace(p, field=name) if p.field is None else p for p in self.problems))

    def render(self, lang: str) -> str:
        """The first problem's message in `lang`."""
        return self.problems[0].render(lang)
