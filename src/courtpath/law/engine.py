"""`assess(facts)`: the assessment of one case, with key dates, flags and a cited trace."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from courtpath import __version__
from courtpath.i18n import Msg
from courtpath.law.decide import Decision, decider_for
from courtpath.law.facts import Context, Facts
from courtpath.law.lawbook import Citation, LawBook
from courtpath.law.loader import default_lawbook
from courtpath.law.periods import add_years
from courtpath.law.qualify import BAND_NAMES, DecisionKey
from courtpath.law.result import Assessment, Flag, KeyDate, Qualification, TraceStep

BORDERLINE = dt.timedelta(hours=24)
BORDERLINE_SECONDS = BORDERLINE.total_seconds()


BAND_CODES = ("none", "A", "B", "C")
CONTEXT_NAMES = {
    "mobilization": Msg("mobilization"),
    "martial-law": Msg("martial law"),
    "wartime": Msg("wartime"),
    "armed-conflict": Msg("armed conflict or combat"),
}
KIND_NAMES = {
    "left-unit": Msg("left the unit or place of service without permission"),
    "leave": Msg("did not return on time from leave"),
    "hospital": Msg("did not return on time from a medical organisation"),
    "trip": Msg("did not return on time from a business trip"),
    "transfer": Msg("did not report on time on appointment or transfer"),
}
BOUNDARY_CODES = ("criminal_liability_from", "band_over_10_days_from", "band_over_1_month_from")


def special_context(facts: Facts, law: LawBook) -> tuple[bool, bool, list[TraceStep]]:
    """Is the absence in context K? Returns (in K, began before the K period, trace). The trace steps are made once
    per lawbook and context (or period), so that a decision can reuse what it derived from them (see assess); they
    are kept by the decider (Decider.context_steps)."""
    if facts.context is Context.NONE:
        return False, False, [_context_step(law, "none", lambda: Msg("Context given: no special context."))]
    if facts.context is not Context.AUTO:
        name = CONTEXT_NAMES[facts.context.value]
        return (
            True,
            False,
            [_context_step(law, facts.context.value, lambda: Msg("Context given: {context}.", context=name))],
        )
    end = facts.end
    for period in law.contexts.periods:
        if period.territorial:
            continue
        if period.start < end and (period.end is None or period.end > facts.left):
            step = _context_step(  # a period of the lawbook: it lives as long as the decider, so its id is a key
                law,
                id(period),
                lambda found=period: Msg("Context derived from the dates: {summary}", summary=found.summary),
                lambda found=period: (law.period_citation(found),),
            )
            return True, facts.left < period.start, [step]
    return (
        False,
        False,
        [_context_step(law, "no-period", lambda: Msg("No special period covers the dates of the absence."))],
    )


def _context_step(
    law: LawBook,
    key: object,
    message: Callable[[], Msg],
    citations: Callable[[], tuple[Citation, ...]] = tuple,
) -> TraceStep:
    """The context step kept under `key` by the lawbook's decider, made on first use."""
    steps = decider_for(law).context_steps
    step = steps.get(key)
    if step is None:
        step = steps[key] = TraceStep("context", message(), citations())
    return step


def _decision_key(
    facts: Facts, law: LawBook
) -> tuple[DecisionKey, list[TraceStep], list[dt.datetime], list[float], float]:
    """The key, the context's trace, the band boundaries, their instants and the instant of the end (computed once
    per assessment)."""
    left, end, as_of = facts.left, facts.end, facts.as_of
    left_utc = left.astimezone(dt.UTC)
    boundaries = [threshold.after(left, left_utc) for threshold in law.thresholds]
    # Compared as seconds since the epoch: aware datetimes sharing a tzinfo compare on the wall clock, instants do
    # not. Ascending, as the thresholds are sorted.
    instants = [moment.timestamp() for moment in boundaries]
    end_instant = end.timestamp()
    in_k, started_before, trace = special_context(facts, law)
    as_of_day = as_of.date()  # type: ignore[union-attr]
    key = DecisionKey(
        facts.status.value,
        bisect.bisect_left(instants, end_instant),  # the band: how many boundaries the end is beyond
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
    return key, trace, boundaries, instants, end_instant


_NO_INDICATORS: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class _Anchors:
    """What every assessment reads off its decision, read once per decision (kept in Decision.memo)."""

    article: tuple[Citation, ...]  # art. 337 as a whole in the edition applied
    awol_cited: tuple[Citation, ...]  # the first citation of the art. 337 qualification, or the article
    duration_cited: tuple[Citation, ...]  # the same when that qualification comes first, else the article
    primary: Qualification | None
    limitation_cited: tuple[Citation, ...]  # the art. 78 citations of the primary qualification
    liability_index: int | None  # index of the liability threshold in LawBook.thresholds


def _anchors(decision: Decision, law: LawBook, key: DecisionKey) -> _Anchors:
    found = decision.memo.get("anchors")
    if found is None:
        article = article_of(law, key)
        awol = next((q for q in decision.qualifications if q.kind == "awol"), None)
        first = decision.qualifications[:1]
        primary = decision.primary
        threshold = decision.liability_threshold
        found = decision.memo["anchors"] = _Anchors(
            article=article,
            awol_cited=tuple(awol.citations[:1]) if awol else article,
            duration_cited=(first[0].citations[0],) if first and first[0].kind == "awol" else article,
            primary=primary,
            limitation_cited=tuple(c for c in primary.citations if c.article == "78") if primary else (),
            liability_index=law.thresholds.index(threshold) if threshold is not None else None,
        )
    return found  # type: ignore[return-value]


def assess(facts: Facts, law: LawBook | None = None) -> Assessment:
    law = law or default_lawbook()
    key, context_trace, boundaries, instants, end_instant = _decision_key(facts, law)
    decision = decider_for(law).decide(key)
    anchors = _anchors(decision, law, key)
    hours = (end_instant - facts.left.timestamp()) / 3600
    moments = _Moments(boundaries, instants, end_instant, anchors.liability_index)
    duration_step = TraceStep(
        "duration",
        Msg(
            "The absence lasted {hours} hours ({days} days){ongoing}: {band}. Counted in exact hours from the "
            "moment of leaving; a month is a calendar month.",
            hours=round(hours, 1),
            days=round(hours / 24, 1),
            ongoing=_ONGOING if key.is_open else "",
            band=BAND_NAMES[key.band],
        ),
        anchors.duration_cited,
    )
    # The kind of absence and the context step have few values: their steps, cited, are made once per decision.
    lead = decision.derive(
        (facts.absence_kind, *map(id, context_trace)),
        lambda: tuple(_cite(anchors.article, [kind_step(facts, decision), *context_trace])),
    )
    assessment = Assessment(
        facts=facts,
        duration_hours=hours,
        band=BAND_CODES[key.band],
        in_special_context=key.special_context,
        context_basis=facts.context.value,
        qualifications=list(decision.qualifications),
        flags=list(decision.flags),
        trace=[duration_step, *lead, *decision.trace],
        engine_version=__version__,
        law_version=law.version,
        decision=decision,
    )
    assessment.key_dates = _key_dates(facts, anchors, moments)
    assessment.flags.extend(_date_flags(facts, moments, law))
    return assessment


_ONGOING = Msg(", and is still going on")


@dataclass(frozen=True, slots=True)
class _Moments:
    """The moments of one assessment that several steps compare, computed once."""

    boundaries: list[dt.datetime]  # of the bands, from the moment of leaving
    instants: list[float]  # the same as seconds since the epoch
    end: float  # the end of the absence (or the moment of assessment), as seconds since the epoch
    liability: int | None  # the boundary from which the absence is a crime for this serviceman, if any


def article_of(law: LawBook, key: DecisionKey) -> tuple[Citation, ...]:
    """Art. 337 as a whole in the edition applied: its bands, its definition, its context clause."""
    epoch = key.epoch_hypothetical if key.epoch_hypothetical is not None else key.epoch_end
    edition = law.edition_on("337", law.epoch_start(epoch))
    return (law.article_citation("337", edition),) if edition else ()


def _cite(cited: tuple[Citation, ...], steps: list[TraceStep]) -> list[TraceStep]:
    return [step if step.citations or not cited else TraceStep(step.code, step.message, cited) for step in steps]


def kind_step(facts: Facts, decision: Decision) -> TraceStep:
    awol = next((q for q in decision.qualifications if q.kind == "awol"), None)
    return TraceStep(
        "absence_kind",
        Msg(
            "The serviceman {kind}. Art. 337 treats leaving the unit and failing to report on time without a valid "
            "reason alike.",
            kind=KIND_NAMES[facts.absence_kind.value],
        ),
        tuple(awol.citations[:1]) if awol else (),
    )


def _key_dates(facts: Facts, anchors: _Anchors, moments: _Moments) -> list[KeyDate]:
    dates = []
    liability = moments.liability
    if liability is not None:  # below the liability threshold for this serviceman a boundary changes nothing
        end_instant = moments.end
        is_open = facts.returned is None
        for index in range(liability, len(moments.boundaries)):
            moment = moments.boundaries[index]
            passed = end_instant > moments.instants[index]
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
            dates.append(KeyDate(code, moment, message, passed, anchors.awol_cited))
    primary = anchors.primary
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
                anchors.limitation_cited,
            )
        )
    return dates


def _date_flags(facts: Facts, moments: _Moments, law: LawBook) -> list[Flag]:
    # With no liability threshold every boundary is relevant; otherwise those from it on.
    end_instant = moments.end
    near = next(
        (
            index
            for index in range(moments.liability or 0, len(moments.instants))
            if abs(end_instant - moments.instants[index]) <= BORDERLINE_SECONDS
        ),
        None,
    )
    if near is None:
        return []
    moment = moments.boundaries[near]
    message = (
        Msg("The absence will cross a band boundary at {at}, less than 24 hours from now.", at=moment)
        if facts.returned is None and end_instant < moments.instants[near]
        else Msg(
            "Borderline duration: the absence ends within 24 hours of a band boundary ({at}); the exact "
            "moments of leaving and return decide the part.",
            at=moment,
        )
    )
    edition = law.edition_on("337", facts.end.date())
    cited = (law.article_citation("337", edition),) if edition else ()
    return [
        Flag("borderline_duration", "warning", message, cited),
        decider_for(law).questions["q_duration_computation"],
    ]
