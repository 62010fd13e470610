"""`assess(facts)`: the assessment of one case, with key dates, flags and a cited trace."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable

from courtpath import __version__
from courtpath.i18n import Msg
from courtpath.law.cache import caches
from courtpath.law.decide import decider_for
from courtpath.law.decision import Decision, DecisionKey
from courtpath.law.facts import Context, Facts
from courtpath.law.items import Flag, KeyDate, TraceStep
from courtpath.law.lawbook import Citation, LawBook
from courtpath.law.loader import default_lawbook
from courtpath.law.periods import add_years
from courtpath.law.result import Assessment
from courtpath.law.vocabulary import ABSENCE_KINDS, BANDS, CONTEXTS

BORDERLINE = dt.timedelta(hours=24)
BORDERLINE_SECONDS = BORDERLINE.total_seconds()


BAND_CODES = tuple(BANDS)  # by the number of band boundaries an absence is beyond
BOUNDARY_CODES = ("criminal_liability_from", "band_over_10_days_from", "band_over_1_month_from")
KEY_DATE_CODES = (*BOUNDARY_CODES, "limitation_expires")


def special_context(facts: Facts, law: LawBook) -> tuple[bool, bool, str, TraceStep]:
    """Is the absence in context K? Returns (in K, began before the K period, the step's key, the trace step). The
    steps are kept per lawbook under their key (a context code, or the index of the period of the dates)."""
    if facts.context is Context.NONE:
        return False, False, "none", _context_step(law, "none", lambda: Msg("Context given: no special context."))
    if facts.context is not Context.AUTO:
        code = facts.context.value
        name = CONTEXTS.name(code)
        return True, False, code, _context_step(law, code, lambda: Msg("Context given: {context}.", context=name))
    end = facts.end
    for index, period in enumerate(law.contexts.periods):
        if period.territorial:
            continue
        if period.start < end and (period.end is None or period.end > facts.left):
            step = _context_step(
                law,
                index,
                lambda found=period: Msg("Context derived from the dates: {summary}", summary=found.summary),
                lambda found=period: (law.period_citation(found),),
            )
            return True, facts.left < period.start, f"period:{index}", step
    step = _context_step(law, "no-period", lambda: Msg("No special period covers the dates of the absence."))
    return False, False, "no-period", step


def _context_step(
    law: LawBook,
    key: object,
    message: Callable[[], Msg],
    citations: Callable[[], tuple[Citation, ...]] = tuple,
) -> TraceStep:
    """The context step kept under `key` for the lawbook, made on first use."""
    return caches(law).steps.get(("context", key), lambda: TraceStep("context", message(), citations()))  # type: ignore[return-value]


def _decision_key(facts: Facts, law: LawBook) -> tuple[DecisionKey, str, TraceStep, list[dt.datetime], list[float]]:
    """The key, the context step (with its key), the band boundaries and their instants (computed once per
    assessment)."""
    left, end, as_of = facts.left, facts.end, facts.as_of
    left_utc = left.astimezone(dt.UTC)
    boundaries = [threshold.after(left, left_utc) for threshold in law.thresholds]
    # Compared as seconds since the epoch: aware datetimes sharing a tzinfo compare on the wall clock, instants do
    # not. Ascending, as the thresholds are sorted.
    instants = [moment.timestamp() for moment in boundaries]
    in_k, started_before, context_key, context_step = special_context(facts, law)
    as_of_day = as_of.date()  # type: ignore[union-attr]
    key = DecisionKey(
        facts.status.value,
        bisect.bisect_left(instants, end.timestamp()),  # the band: how many boundaries the end is beyond
        in_k,
        facts.context.value,
        started_before,
        facts.released_80_2,
        frozenset(i.value for i in facts.indicators) if facts.indicators else _NO_INDICATORS,
        facts.weapon or facts.group,
        facts.first_offence,
        facts.grave_circumstances,
        facts.surrendered,
        facts.aggravating,
        facts.returned is None,
        law.epoch_of(left.date()),
        law.epoch_of(end.date()),
        law.epoch_of(as_of_day),
        law.epoch_of(facts.law_on) if facts.law_on else None,
        as_of_day >= law.general.release_for_service.valid_from,  # type: ignore[operator]
    )
    return key, context_key, context_step, boundaries, instants


_NO_INDICATORS: frozenset[str] = frozenset()
_ONGOING = Msg(", and is still going on")


def assess(facts: Facts, law: LawBook | None = None) -> Assessment:
    law = law or default_lawbook()
    key, context_key, context_step, boundaries, instants = _decision_key(facts, law)
    decision = decider_for(law).decide(key)
    end_instant = facts.end.timestamp()
    hours = (end_instant - facts.left.timestamp()) / 3600
    duration_step = TraceStep(
        "duration",
        Msg(
            "The absence lasted {hours} hours ({days} days){ongoing}: {band}. Counted in exact hours from the "
            "moment of leaving; a month is a calendar month.",
            hours=round(hours, 1),
            days=round(hours / 24, 1),
            ongoing=_ONGOING if key.is_open else "",
            band=BANDS.name(BAND_CODES[key.band]),
        ),
        decision.duration_cited,
    )
    # The kind of absence and the context have few values: their steps, cited, are made once per decision.
    lead: tuple[TraceStep, ...] = caches(law).leads.get(  # type: ignore[assignment]
        (key, facts.absence_kind, context_key),
        lambda: tuple(_cite(decision.article_cited, [kind_step(facts, decision), context_step])),
    )
    return Assessment(
        facts=facts,
        key=key,
        decision=decision,
        duration_hours=hours,
        band=BAND_CODES[key.band],
        in_special_context=key.special_context,
        context_basis=facts.context.value,
        context_step=context_key,
        lead=(duration_step, *lead),
        key_dates=_key_dates(facts, decision, boundaries, instants, end_instant),
        date_flags=_date_flags(facts, decision, boundaries, instants, end_instant, law),
        engine_version=__version__,
        law_version=law.version,
    )


def _cite(cited: tuple[Citation, ...], steps: list[TraceStep]) -> list[TraceStep]:
    return [step if step.citations or not cited else TraceStep(step.code, step.message, cited) for step in steps]


def kind_step(facts: Facts, decision: Decision) -> TraceStep:
    awol = next((q for q in decision.qualifications if q.kind == "awol"), None)
    return TraceStep(
        "absence_kind",
        Msg(
            "The serviceman {kind}. Art. 337 treats leaving the unit and failing to report on time without a valid "
            "reason alike.",
            kind=ABSENCE_KINDS.phrase(facts.absence_kind.value),
        ),
        tuple(awol.citations[:1]) if awol else (),
    )


def _key_dates(
    facts: Facts, decision: Decision, boundaries: list[dt.datetime], instants: list[float], end_instant: float
) -> tuple[KeyDate, ...]:
    dates = []
    liability = decision.liability_index
    if liability is not None:  # below the liability threshold for this serviceman a boundary changes nothing
        is_open = facts.returned is None
        for index in range(liability, len(boundaries)):
            moment = boundaries[index]
            passed = end_instant > instants[index]
            if index == liability:
                code = "criminal_liability_from"
                message = Msg("Criminal liability under art. 337 begins once the absence lasts beyond {at}.", at=moment)
            else:
                code = BOUNDARY_CODES[index]
                message = (
                    Msg("Ending the absence by {at} keeps it in the lower band.", at=moment)
                    if is_open and not passed
                    else Msg("Band boundary: an absence lasting beyond {at} falls into the higher band.", at=moment)
                )
            dates.append(KeyDate(code, moment, message, passed, decision.awol_cited))
    primary = decision.primary
    if primary is not None and facts.returned is not None:
        expiry = add_years(facts.returned, primary.limitation_years)
        dates.append(
            KeyDate(
                "limitation_expires",
                expiry,
                Msg(
                    "The limitation period ({years} years) would expire on {at}, counted from the end of the "
                    "absence, unless it is suspended because the person evades investigation.",
                    years=primary.limitation_years,
                    at=expiry,
                ),
                facts.as_of >= expiry,  # type: ignore[operator]
                decision.limitation_cited,
            )
        )
    return tuple(dates)


def _date_flags(
    facts: Facts,
    decision: Decision,
    boundaries: list[dt.datetime],
    instants: list[float],
    end_instant: float,
    law: LawBook,
) -> tuple[Flag, ...]:
    # With no liability threshold every boundary is relevant; otherwise those from it on.
    near = next(
        (
            index
            for index in range(decision.liability_index or 0, len(instants))
            if abs(end_instant - instants[index]) <= BORDERLINE_SECONDS
        ),
        None,
    )
    if near is None:
        return ()
    moment = boundaries[near]
    message = (
        Msg("The absence will cross a band boundary at {at}, less than 24 hours from now.", at=moment)
        if facts.returned is None and end_instant < instants[near]
        else Msg(
            "Borderline duration: the absence ends within 24 hours of a band boundary ({at}); the exact "
            "moments of leaving and return decide the part.",
            at=moment,
        )
    )
    edition = law.edition_on("337", facts.end.date())
    cited = (law.article_citation("337", edition),) if edition else ()
    return (
        Flag("borderline_duration", "warning", message, cited),
        decider_for(law).questions["q_duration_computation"],
    )
