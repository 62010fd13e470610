"""`assess(facts)`: the assessment of one case, with key dates, flags and a cited trace."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from courtpath import __version__
from courtpath.i18n import Msg
from courtpath.law.decide import Decision, decider_for
from courtpath.law.facts import Context, Facts
from courtpath.law.lawbook import Citation, LawBook
from courtpath.law.loader import default_lawbook
from courtpath.law.periods import add_years
from courtpath.law.qualify import BAND_NAMES, DecisionKey
from courtpath.law.result import Assessment, Flag, KeyDate, TraceStep

BORDERLINE = dt.timedelta(hours=24)
BORDERLINE_SECONDS = BORDERLINE.total_seconds()


def _instant(moment: dt.datetime) -> float:
    """Seconds since the epoch: aware datetimes sharing a tzinfo compare on the wall clock, instants do not."""
    return moment.timestamp()


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
    """Is the absence in context K? Returns (in K, began before the K period, trace)."""
    if facts.context is Context.NONE:
        return False, False, [TraceStep("context", Msg("Context given: no special context."))]
    if facts.context is not Context.AUTO:
        given = Msg("Context given: {context}.", context=CONTEXT_NAMES[facts.context.value])
        return True, False, [TraceStep("context", given)]
    end = facts.end
    for period in law.contexts.periods:
        if period.territorial:
            continue
        if period.start < end and (period.end is None or period.end > facts.left):
            cited = law.period_citation(period)
            step = TraceStep(
                "context", Msg("Context derived from the dates: {summary}", summary=period.summary), (cited,)
            )
            return True, facts.left < period.start, [step]
    return False, False, [TraceStep("context", Msg("No special period covers the dates of the absence."))]


def decision_key(facts: Facts, law: LawBook) -> tuple[DecisionKey, list[TraceStep], list[dt.datetime]]:
    key, trace, boundaries, _instants = _decision_key(facts, law)
    return key, trace, boundaries


def _decision_key(facts: Facts, law: LawBook) -> tuple[DecisionKey, list[TraceStep], list[dt.datetime], list[float]]:
    """The key, the context's trace, the band boundaries and their instants (computed once per assessment)."""
    end = facts.end
    boundaries = [threshold.after(facts.left) for threshold in law.thresholds]
    instants = [_instant(moment) for moment in boundaries]
    end_instant = _instant(end)
    band = sum(1 for instant in instants if end_instant > instant)
    in_k, started_before, trace = special_context(facts, law)
    key = DecisionKey(
        status=facts.status.value,
        band=band,
        special_context=in_k,
        context=facts.context.value,
        context_started_before=started_before,
        released_80_2=facts.released_80_2,
        indicators=frozenset(i.value for i in facts.indicators),
        weapon_or_group=facts.weapon or facts.group,
        first_offence=facts.first_offence,
        grave_circumstances=facts.grave_circumstances,
        surrendered=facts.surrendered,
        aggravating=facts.aggravating,
        is_open=facts.is_open,
        epoch_start=law.epoch_of(facts.left.date()),
        epoch_end=law.epoch_of(end.date()),
        epoch_now=law.epoch_of(facts.as_of.date()),  # type: ignore[union-attr]
        epoch_hypothetical=law.epoch_of(facts.law_on) if facts.law_on else None,
        release_for_service_active=facts.as_of.date() >= law.general.release_for_service.valid_from,  # type: ignore[union-attr]
    )
    return key, trace, boundaries, instants


def assess(facts: Facts, law: LawBook | None = None) -> Assessment:
    law = law or default_lawbook()
    key, context_trace, boundaries, instants = _decision_key(facts, law)
    decision = decider_for(law).decide(key)
    end = facts.end
    end_instant = _instant(end)
    hours = (end_instant - _instant(facts.left)) / 3600
    article = article_of(law, key)
    threshold = decision.liability_threshold
    moments = _Moments(boundaries, instants, end_instant, threshold.after(facts.left) if threshold else None)
    duration_step = TraceStep(
        "duration",
        Msg(
            "The absence lasted {hours} hours ({days} days){ongoing}: {band}. Counted in exact hours from the "
            "moment of leaving; a month is a calendar month.",
            hours=round(hours, 1),
            days=round(hours / 24, 1),
            ongoing=Msg(", and is still going on") if facts.is_open else "",
            band=BAND_NAMES[key.band],
        ),
        tuple(q.citations[0] for q in decision.qualifications[:1] if q.kind == "awol"),
    )
    assessment = Assessment(
        facts=facts,
        duration_hours=hours,
        band=BAND_CODES[key.band],
        in_special_context=key.special_context,
        context_basis=facts.context.value,
        qualifications=list(decision.qualifications),
        flags=list(decision.flags),
        trace=[*_cite(article, [duration_step, kind_step(facts, decision), *context_trace]), *decision.trace],
        engine_version=__version__,
        law_version=law.version,
        decision=decision,
    )
    assessment.key_dates = _key_dates(facts, decision, moments, article)
    assessment.flags.extend(_date_flags(facts, moments, law))
    return assessment


@dataclass(frozen=True, slots=True)
class _Moments:
    """The moments of one assessment that several steps compare, computed once."""

    boundaries: list[dt.datetime]  # of the bands, from the moment of leaving
    instants: list[float]  # the same as seconds since the epoch
    end: float  # the end of the absence (or the moment of assessment), as seconds since the epoch
    liability: dt.datetime | None  # from when the absence is a crime for this serviceman, if ever


def article_of(law: LawBook, key: DecisionKey) -> tuple[Citation, ...]:
    """Art. 337 as a whole in the edition applied: its bands, its definition, its context clause."""
    epoch = key.epoch_hypothetical if key.epoch_hypothetical is not None else key.epoch_end
    edition = law.edition_on("337", law.epoch_start(epoch))
    return (law.article_citation("337", edition),) if edition else ()


def cite_article(law: LawBook, key: DecisionKey, steps: list[TraceStep]) -> list[TraceStep]:
    """Steps that rest on art. 337 as a whole cite the article in the edition applied."""
    return _cite(article_of(law, key), steps)


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


def key_dates(
    facts: Facts, decision: Decision, boundaries: list[dt.datetime], article: tuple[Citation, ...]
) -> list[KeyDate]:
    threshold = decision.liability_threshold
    liability = threshold.after(facts.left) if threshold is not None else None
    moments = _Moments(boundaries, [_instant(m) for m in boundaries], _instant(facts.end), liability)
    return _key_dates(facts, decision, moments, article)


def _key_dates(facts: Facts, decision: Decision, moments: _Moments, article: tuple[Citation, ...]) -> list[KeyDate]:
    end, dates = facts.end, []
    awol = next((q for q in decision.qualifications if q.kind == "awol"), None)
    cited = tuple(awol.citations[:1]) if awol else article
    liability_moment = moments.liability
    end_instant = moments.end
    for index, moment in enumerate(moments.boundaries):
        if liability_moment is None or moment < liability_moment:
            continue  # below the liability threshold for this serviceman a boundary changes nothing
        passed = end_instant > moments.instants[index]
        if moment == liability_moment:
            code = "criminal_liability_from"
            message = Msg("Criminal liability under art. 337 begins once the absence lasts beyond {at}.", at=moment)
        else:
            code = BOUNDARY_CODES[index]
            message = (
                Msg("Ending the absence by {at} keeps it in the lower band.", at=moment)
                if facts.is_open and not passed
                else Msg("Band boundary: an absence lasting beyond {at} falls into the higher band.", at=moment)
            )
        dates.append(KeyDate(code, moment, message, passed, cited))
    primary = next((q for q in decision.qualifications if q.primary), None)
    if primary is not None and not facts.is_open:
        expiry = add_years(end, primary.limitation_years)
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
                tuple(c for c in primary.citations if c.article == "78"),
            )
        )
    return dates


def date_flags(facts: Facts, decision: Decision, boundaries: list[dt.datetime], law: LawBook) -> list[Flag]:
    threshold = decision.liability_threshold
    liability = threshold.after(facts.left) if threshold is not None else None
    return _date_flags(
        facts, _Moments(boundaries, [_instant(m) for m in boundaries], _instant(facts.end), liability), law
    )


def _date_flags(facts: Facts, moments: _Moments, law: LawBook) -> list[Flag]:
    flags: list[Flag] = []
    liability = moments.liability
    # With no liability threshold every boundary is relevant; otherwise those from it on (or the first one).
    relevant = [
        (moment, instant)
        for moment, instant in zip(moments.boundaries, moments.instants, strict=True)
        if liability is None or moment >= liability
    ] or [(moments.boundaries[0], moments.instants[0])][: len(moments.boundaries)]
    end_instant = moments.end
    near = [(m, i) for m, i in relevant if abs(end_instant - i) <= BORDERLINE_SECONDS]
    if near:
        moment, instant = near[0]
        message = (
            Msg("The absence will cross a band boundary at {at}, less than 24 hours from now.", at=moment)
            if facts.is_open and end_instant < instant
            else Msg(
                "Borderline duration: the absence ends within 24 hours of a band boundary ({at}); the exact "
                "moments of leaving and return decide the part.",
                at=moment,
            )
        )
        edition = law.edition_on("337", facts.end.date())
        cited = (law.article_citation("337", edition),) if edition else ()
        flags.append(Flag("borderline_duration", "warning", message, cited))
        flags.append(decider_for(law).questions["q_duration_computation"])
    return flags
