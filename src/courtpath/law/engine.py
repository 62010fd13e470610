"""`assess(facts)`: the assessment of one case, with key dates, flags and a cited trace."""

from __future__ import annotations

import bisect
import datetime as dt

from courtpath import __version__
from courtpath.i18n import Msg
from courtpath.law.context import special_context
from courtpath.law.decide import Decider, decider_for
from courtpath.law.decision import Decision, DecisionKey
from courtpath.law.facts import MOSCOW, Facts
from courtpath.law.items import Flag, KeyDate, TraceStep
from courtpath.law.lawbook import LawBook
from courtpath.law.loader import default_lawbook
from courtpath.law.periods import add_years
from courtpath.law.result import Assessment
from courtpath.law.vocabulary import BANDS

BORDERLINE = dt.timedelta(hours=24)
BORDERLINE_SECONDS = BORDERLINE.total_seconds()


BAND_CODES = tuple(BANDS)  # by the number of band boundaries an absence is beyond
BOUNDARY_CODES = ("criminal_liability_from", "band_over_10_days_from", "band_over_1_month_from")


def _decision_key(facts: Facts, law: LawBook) -> tuple[DecisionKey, str, list[dt.datetime], list[float]]:
    """The key, the key of the context step, the band boundaries and their instants (computed once per
    assessment)."""
    left, end, as_of = facts.left, facts.end, facts.as_of
    left_utc = left.astimezone(dt.UTC)
    boundaries = [threshold.after(left, left_utc) for threshold in law.thresholds]
    # Compared as seconds since the epoch: aware datetimes sharing a tzinfo compare on the wall clock, instants do
    # not. Ascending, as the thresholds are sorted.
    instants = [moment.timestamp() for moment in boundaries]
    in_k, started_before, context_key = special_context(facts, law)
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
        facts.sex,  # StrEnum members: equal to, and hashed as, their values (.value costs a descriptor call)
        facts.prior_conviction,
        facts.prior_imprisonment,
        facts.on_probation,
        as_of_day >= law.general.discharge_on_sentence.valid_from,
    )
    return key, context_key, boundaries, instants


_NO_INDICATORS: frozenset[str] = frozenset()
_ONGOING = Msg(", and is still going on")


def assess(facts: Facts, law: LawBook | None = None) -> Assessment:
    law = law or default_lawbook()
    decider = decider_for(law)
    key, context_key, boundaries, instants = _decision_key(facts, law)
    decision = decider.decisions[key]
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
    lead: tuple[TraceStep, ...] = decider.leads[(key, facts.absence_kind, context_key)]  # type: ignore[assignment]
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
        date_flags=_date_flags(facts, decision, decider, boundaries, instants, end_instant),
        engine_version=__version__,
        law_version=law.version,
    )


def _key_dates(
    facts: Facts, decision: Decision, boundaries: list[dt.datetime], instants: list[float], end_instant: float
) -> tuple[KeyDate, ...]:
    dates = []
    liability = decision.liability_index
    spanning = decision.spanning_from is not None
    if spanning:
        found = _spanning_liability(decision, boundaries)
        if found is not None:
            moment, message = found
            passed = end_instant > moment.timestamp()
            dates.append(KeyDate("criminal_liability_from", moment, message, passed, decision.awol_cited))
    if liability is not None:  # below the liability threshold for this serviceman a boundary changes nothing
        is_open = facts.returned is None
        for index in range(liability + spanning, len(boundaries)):
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


def _spanning_liability(decision: Decision, boundaries: list[dt.datetime]) -> tuple[dt.datetime, Msg] | None:
    """When liability begins for an absence that spans a change of art. 337 (arts. 9, 10): under the edition in force
    when it began, if the threshold is reached before the change; else under the later edition, never before the
    later edition entered into force."""
    change = dt.datetime.combine(decision.spanning_from, dt.time(), MOSCOW)  # type: ignore[arg-type]
    earlier = decision.earlier_liability_index
    if earlier is not None and boundaries[earlier] < change:
        moment = boundaries[earlier]
        return moment, Msg(
            "Criminal liability under art. 337 begins once the absence lasts beyond {at}, under the edition in force "
            "when it began.",
            at=moment,
        )
    later = decision.liability_index
    if later is None:
        return None
    moment = boundaries[later]
    if moment >= change:
        return moment, Msg("Criminal liability under art. 337 begins once the absence lasts beyond {at}.", at=moment)
    return change, Msg(
        "Under the later edition criminal liability can begin no earlier than {at}, when it entered into force; "
        "whether the time before counts toward its threshold is an open question.",
        at=change,
    )


def _edition_hours(facts: Facts, decision: Decision, end_instant: float) -> Flag:
    change = dt.datetime.combine(decision.spanning_from, dt.time(), MOSCOW)  # type: ignore[arg-type]
    before = (change.timestamp() - facts.left.timestamp()) / 3600
    after = (end_instant - change.timestamp()) / 3600
    return Flag(
        "edition_hours",
        "info",
        Msg(
            "Of the absence, {before} hours fall before {day}, under the edition in force when it began, and {after} "
            "hours from that day on.",
            before=round(before, 1),
            after=round(after, 1),
            day=decision.spanning_from,
        ),
        decision.article_cited,
    )


def _date_flags(
    facts: Facts,
    decision: Decision,
    decider: Decider,
    boundaries: list[dt.datetime],
    instants: list[float],
    end_instant: float,
) -> tuple[Flag, ...]:
    spanning = (_edition_hours(facts, decision, end_instant),) if decision.spanning_from is not None else ()
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
        return spanning
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
    law = decider.law
    edition = law.edition_on("337", facts.end.date())
    cited = (law.article_citation("337", edition),) if edition else ()
    return (
        *spanning,
        Flag("borderline_duration", "warning", message, cited),
        decider.questions["q_duration_computation"],
    )
