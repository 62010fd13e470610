"""The special context of an absence (mobilization, martial law, wartime, armed conflict): given, or derived from
the dates, and the trace step that says which."""

from __future__ import annotations

from courtpath.i18n import Msg
from courtpath.law.facts import Context, Facts
from courtpath.law.items import TraceStep
from courtpath.law.lawbook import LawBook
from courtpath.law.vocabulary import CONTEXTS

NO_PERIOD = "no-period"


def special_context(facts: Facts, law: LawBook) -> tuple[bool, bool, str]:
    """(in the special context, began before its period, the key of its trace step in context_steps(law))."""
    if facts.context is Context.NONE:
        return False, False, Context.NONE.value
    if facts.context is not Context.AUTO:
        return True, False, facts.context.value
    end = facts.end
    for index, period in enumerate(law.contexts.periods):
        if period.territorial:
            continue
        if period.start < end and (period.end is None or period.end > facts.left):
            return True, facts.left < period.start, f"period:{index}"
    return False, False, NO_PERIOD


def context_steps(law: LawBook) -> dict[str, TraceStep]:
    """The trace step of each key special_context gives: a context given, a period of the law data, or none."""
    steps = {
        Context.NONE.value: TraceStep("context", Msg("Context given: no special context.")),
        NO_PERIOD: TraceStep("context", Msg("No special period covers the dates of the absence.")),
    }
    for code in CONTEXTS:
        if code not in (Context.AUTO.value, Context.NONE.value):
            steps[code] = TraceStep("context", Msg("Context given: {context}.", context=CONTEXTS.name(code)))
    for index, period in enumerate(law.contexts.periods):
        if not period.territorial:
            steps[f"period:{index}"] = TraceStep(
                "context",
                Msg("Context derived from the dates: {summary}", summary=period.summary),
                (law.period_citation(period),),
            )
    return steps
