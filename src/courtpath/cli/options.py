"""The command line's words for the facts: which option gives which fact, and problems reported in those words."""

from __future__ import annotations

from courtpath.law.problems import FactsError

# Canonical fact name (courtpath.law.intake.FIELDS) -> the option of `courtpath assess` that gives it.
OPTION_OF_FIELD = {
    "status": "--status",
    "left": "--left",
    "returned": "--returned",
    "as_of": "--as-of",
    "absence_kind": "--kind",
    "context": "--context",
    "indicators": "--indicator",
    "weapon": "--weapon",
    "group": "--group",
    "first_offence": "--first-offence/--repeat-offence",
    "grave_circumstances": "--grave-circumstances",
    "surrendered": "--surrendered",
    "aggravating": "--aggravating",
    "released_80_2": "--released-80-2",
    "law_on": "--law-on",
    "sex": "--sex",
    "on_probation": "--on-probation",
    "prior_conviction": "--prior-conviction",
    "prior_imprisonment": "--prior-imprisonment",
}


def problems_text(error: FactsError, lang: str, option_of: dict[str, str] = OPTION_OF_FIELD) -> str:
    """Every problem on one line, each after the option it concerns: `--left: ... --returned: ...`."""
    parts = []
    for problem in error.problems:
        message = problem.render(lang)
        option = option_of.get(problem.field or "")
        parts.append(f"{option}: {message}" if option else message)
    return " ".join(parts)
