"""From a DecisionKey to qualifications, flags and trace: the date-free half of an assessment."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from courtpath.i18n import Msg
from courtpath.law.lawbook import LawBook
from courtpath.law.periods import Period
from courtpath.law.qualify import (
    BAND_NAMES,
    SUBJECT_NAMES,
    ArticleResult,
    DecisionKey,
    Qualifier,
    candidates,
    resolve_subjects,
    severity,
)
from courtpath.law.result import Flag, Qualification, TraceStep
from courtpath.law.schema import StatusRule

INDICATOR_NAMES = {
    "job": Msg("a job"),
    "border": Msg("crossing or trying to cross the border"),
    "forged-documents": Msg("forged or false documents"),
    "false-identity": Msg("living under another identity"),
    "other": Msg("other signs of intent to leave service for good"),
}


@dataclass(frozen=True, slots=True)
class Decision:
    qualifications: tuple[Qualification, ...]
    flags: tuple[Flag, ...]
    trace: tuple[TraceStep, ...]
    liability_threshold: Period | None  # the shortest absence that is a crime for this subject and context
    editions_used: tuple[tuple[str, str], ...]  # (article, edition)


class Decider:
    def __init__(self, law: LawBook) -> None:
        self.law = law
        self.qualifier = Qualifier(law)
        general = law.general
        self.c_retro = law.rule_citation(general.retroactivity.rule)
        self.c_special = law.rule_citation(general.special_norm.rule)
        self.c_discharge = law.rule_citation(general.discharge_on_sentence.rule)
        release = general.release_for_service
        self.c_release = law.rule_citation(release.rule, (release.act.number, release.act.date))
        self.c_attempt = law.rule_citation(general.attempt_doctrine.rule)
        self.c_disciplinary = law.rule_citation(general.disciplinary_offence.rule)
        self.decide = lru_cache(maxsize=8192)(self._decide)

    # -- editions -------------------------------------------------------------------------------------------
    def plan(self, key: DecisionKey) -> list[tuple[int, str]]:
        """Which law epochs to qualify under, and why (art. 9: the time of the act)."""
        if key.epoch_hypothetical is not None:
            return [(key.epoch_hypothetical, "hypothetical")]
        if key.epoch_start == key.epoch_end:
            return [(key.epoch_end, "act_time")]
        return [(key.epoch_end, "later_edition"), (key.epoch_start, "earlier_edition")]

    def qualify(
        self, number: str, epoch: int, basis: str, key: DecisionKey, subjects: frozenset[str], primary: bool
    ) -> ArticleResult:
        law = self.law
        article = law.article(number)
        day = law.epoch_start(epoch)
        edition = law.edition_on(number, day)
        trace: list[TraceStep] = []
        if edition is None:
            return ArticleResult(None, None, trace, None, False)
        found = candidates(number, edition, key, subjects, law)
        if not found:
            return ArticleResult(None, None, trace, None, False)
        best = found[0]
        if len(found) > 1:
            trace.append(
                TraceStep(
                    "special_norm",
                    Msg(
                        "Several parts fit; the most specific one is applied (special subject, special context, "
                        "qualifying features)."
                    ),
                    (self.c_special,),
                )
            )
        qualification, aggravating = self.qualifier.build(
            article, edition, best, key, subjects, basis, primary, day, trace
        )
        alternative = None
        if best.alias is not None:
            direct = next((c for c in found[1:] if c.alias is None), None)
            if direct is not None:
                alternative, _ = self.qualifier.build(article, edition, direct, key, subjects, basis, False, day, trace)
        # Art. 10: a later, milder law applies retroactively; a later, harsher one does not.
        if basis in ("act_time", "later_edition", "earlier_edition") and key.epoch_now > epoch:
            later = law.edition_on(number, law.epoch_start(key.epoch_now))
            if later is not None and later is not edition:
                later_found = candidates(number, later, key, subjects, law)
                if later_found:
                    probe: list[TraceStep] = []
                    milder, _ = self.qualifier.build(
                        article,
                        later,
                        later_found[0],
                        key,
                        subjects,
                        "retroactive",
                        primary,
                        law.epoch_start(key.epoch_now),
                        probe,
                    )
                    rank = self.qualifier.rank
                    if severity(milder, rank) < severity(qualification, rank):
                        trace.append(
                            TraceStep(
                                "retroactive",
                                Msg(
                                    "A later edition ({edition}) is milder for these facts and applies retroactively.",
                                    edition=milder.edition_act,
                                ),
                                (self.c_retro,),
                            )
                        )
                        trace.extend(probe)
                        qualification = milder
                    else:
                        trace.append(
                            TraceStep(
                                "not_retroactive",
                                Msg(
                                    "The later edition ({edition}) is not milder for these facts, so the law at "
                                    "the time of the act applies.",
                                    edition=milder.edition_act,
                                ),
                                (self.c_retro,),
                            )
                        )
        return ArticleResult(qualification, alternative, trace, best.alias, aggravating)

    # -- the decision -----------------------------------------------------------------------------------------
    def _decide(self, key: DecisionKey) -> Decision:
        law = self.law
        trace: list[TraceStep] = []
        flags: dict[str, Flag] = {}

        def flag(code: str, severity_: str, message: Msg, *citations: object) -> None:
            flags.setdefault(code, Flag(code, severity_, message, tuple(citations)))  # type: ignore[arg-type]

        def question(qid: str) -> None:
            text = law.questions[qid]
            flags.setdefault(
                f"open_question:{qid}",
                Flag(
                    f"open_question:{qid}",
                    "open_question",
                    Msg("Open question ({ref}): {text}", ref=text.research_ref, text=text),
                ),
            )

        subjects = resolve_subjects(key, law, trace)
        plan = self.plan(key)
        if plan[0][1] == "hypothetical":
            flag(
                "hypothetical_law",
                "warning",
                Msg(
                    "Hypothetical: the law in force on {day} is applied instead of the law at the time of the act.",
                    day=law.epoch_start(plan[0][0]),
                ),
            )
        if len(plan) > 1:
            flag(
                "edition_spanning",
                "warning",
                Msg(
                    "The absence spans a change of the law ({day}): both editions are shown; the later one first.",
                    day=law.epoch_start(key.epoch_end),
                ),
                self.c_retro,
            )
            question("q_transitional")

        qualifications: list[Qualification] = []
        editions_used: list[tuple[str, str]] = []
        awol_results = []
        for index, (epoch, basis) in enumerate(plan):
            result = self.qualify("337", epoch, basis, key, subjects, primary=index == 0)
            awol_results.append(result)
            trace.extend(result.trace)
            for found in (result.qualification, result.alternative):
                if found is not None and not _same(found, qualifications):
                    qualifications.append(found)
            if (
                result.alias_used is not None
                and isinstance(result.alias_used, StatusRule)
                and result.alias_used is law.general.dmu_status
            ):
                question("q_dmu_parts")
            if result.aggravating_context:
                flag(
                    "special_context_aggravating",
                    "warning",
                    Msg(
                        "The special context (mobilization etc.) counts as an aggravating circumstance here; the "
                        "two-thirds cap for a voluntary surrender is then unavailable."
                    ),
                    self.qualifier.c_aggravating,
                )

        awol = next((q for q in qualifications if q.kind == "awol"), None)
        if awol is None:
            trace.append(
                TraceStep(
                    "no_awol",
                    Msg(
                        "No part of art. 337 covers {subject} absent {band} in this context.",
                        subject=SUBJECT_NAMES[key.status],
                        band=BAND_NAMES[min(key.band, 3)],
                    ),
                )
            )
            if key.band == 0:
                flag(
                    "no_criminal_liability",
                    "info",
                    Msg(
                        "An absence of up to two days is not a crime under art. 337; for a conscript it is a gross "
                        "disciplinary offence."
                    ),
                    self.c_disciplinary,
                )
                flag(
                    "attempt_doctrine",
                    "warning",
                    Msg(
                        "If the serviceman meant to stay away longer, a court can charge an attempt under the part for "
                        "the intended duration, even below two days."
                    ),
                    self.c_attempt,
                )
            else:
                flag(
                    "below_threshold_for_subject",
                    "info",
                    Msg(
                        "No part of art. 337 covers {subject} for an absence of {band} outside the special context "
                        "(mobilization, martial law, wartime, armed conflict).",
                        subject=SUBJECT_NAMES[key.status],
                        band=BAND_NAMES[min(key.band, 3)],
                    ),
                )
                if key.status == "reservist":
                    question("q_reservist_before_2022")

        if key.indicators:
            names = Msg(
                ", ".join(f"{{i{n}}}" for n in range(len(key.indicators))),
                **{f"i{n}": INDICATOR_NAMES[i] for n, i in enumerate(sorted(key.indicators))},
            )
            for index, (epoch, basis) in enumerate(plan):
                result = self.qualify("338", epoch, basis, key, subjects, primary=False)
                trace.extend(result.trace)
                if result.qualification is not None and not _same(result.qualification, qualifications):
                    qualifications.append(result.qualification)
                    if index == 0:
                        flag(
                            "desertion_risk",
                            "risk",
                            Msg(
                                "Desertion risk: courts read {indicators} as intent to leave service altogether. "
                                "Art. 338 part {part} would then apply ({range}).",
                                indicators=names,
                                part=result.qualification.part,
                                range=_range(result.qualification),
                            ),
                            *result.qualification.citations[:1],
                        )
            question("q_desertion_indicators")
            if "forged-documents" in key.indicators:
                evasion = self.qualify("339", plan[0][0], plan[0][1], key, subjects, primary=False).qualification
                if evasion is not None:
                    flag(
                        "evasion_by_deceit",
                        "risk",
                        Msg(
                            "Forged or false documents can also be charged as evasion by deceit, art. 339 part {part} "
                            "({range}).",
                            part=evasion.part,
                            range=_range(evasion),
                        ),
                        *evasion.citations[:1],
                    )
        elif key.weapon_or_group:
            flag(
                "weapon_group_only_for_desertion",
                "info",
                Msg("A weapon or a group matters only if the absence is charged as desertion (art. 338 part 2)."),
            )

        primary = next((q for q in qualifications if q.primary), None)
        if primary is not None:
            if primary.suspended_possible and key.special_context:
                flag(
                    "suspended_return_to_front",
                    "risk",
                    Msg(
                        "A suspended sentence is possible here, but during the mobilization only a verdict of real "
                        "imprisonment in force ends service: with a suspended sentence the serviceman stays in the "
                        "army and can be sent back to the front."
                    ),
                    self.c_discharge,
                    self.qualifier.c_suspended,
                )
                question("q_discharge_rules")
                question("q_article_73_changes")
            if any(p.type == "arrest" for p in primary.penalties):
                question("q_arrest_practice")
            if not key.first_offence and primary.colony_regime is not None:
                flag(
                    "colony_regime_repeat",
                    "info",
                    Msg("The colony regime shown is for a first-time offender; a prior prison term changes it."),
                    self.qualifier.c_colony,
                )
        if key.grave_circumstances:
            exempt = [q for q in qualifications if q.exemption_possible]
            if exempt:
                flag(
                    "exemption_possible",
                    "info",
                    Msg(
                        "First offence under grave circumstances: the note to art. {article} allows exemption from "
                        "criminal liability (part {part}).",
                        article=exempt[0].article,
                        part=exempt[0].part,
                    ),
                    *exempt[0].citations[:1],
                )
            else:
                flag(
                    "exemption_unavailable",
                    "warning",
                    Msg(
                        "The exemption for grave circumstances does not cover these parts (or this is not a first "
                        "offence)."
                    ),
                )
        if key.special_context and key.release_for_service_active:
            flag(
                "case_suspension_for_service",
                "risk",
                Msg(
                    "While the serviceman serves during mobilization, the command can petition to suspend the criminal "
                    "case (arts. 78.1, 80.2): that returns him to service, not to discharge."
                ),
                self.c_release,
            )
        if key.released_80_2:
            question("q_78_1_80_2")
        if key.context == "armed-conflict":
            question("q_armed_conflict")
        if key.context == "martial-law":
            question("q_martial_law_decree")
        if key.context_started_before:
            flag(
                "context_started_during_absence",
                "warning",
                Msg(
                    "The absence began before the special period (mobilization from 21.09.2022) and continued into it."
                ),
            )
            question("q_transitional")
        if not key.is_open and qualifications:
            question("q_limitation_continuing")

        for q in qualifications:
            pair = (q.article, q.edition)
            if pair not in editions_used:
                editions_used.append(pair)
                for qid in law.edition_by_id(q.article, q.edition).open_questions:
                    question(qid)

        return Decision(
            qualifications=tuple(qualifications),
            flags=tuple(flags.values()),
            trace=tuple(trace),
            liability_threshold=self.liability_threshold(key, subjects, plan[0][0]),
            editions_used=tuple(editions_used),
        )

    def liability_threshold(self, key: DecisionKey, subjects: frozenset[str], epoch: int) -> Period | None:
        """The shortest absence that art. 337 makes a crime for this subject and context."""
        law = self.law
        edition = law.edition_on("337", law.epoch_start(epoch))
        if edition is None:
            return None
        for band in range(1, len(law.thresholds) + 1):
            probe = DecisionKey(**{**_as_dict(key), "band": band})
            if candidates("337", edition, probe, subjects, law):
                return law.thresholds[band - 1]
        return None


def _as_dict(key: DecisionKey) -> dict[str, object]:
    return {name: getattr(key, name) for name in key.__slots__}


def _same(candidate: Qualification, existing: list[Qualification]) -> bool:
    """Two editions that give the same part and penalties are shown once."""
    return any(
        q.article == candidate.article and q.part == candidate.part and q.penalties == candidate.penalties
        for q in existing
    )


def _range(q: Qualification) -> Msg:
    worst = q.penalties[-1]
    return Msg("{low} to {high} months", low=worst.min_months, high=worst.max_months)


_DECIDERS: dict[int, Decider] = {}


def decider_for(law: LawBook) -> Decider:
    decider = _DECIDERS.get(id(law))
    if decider is None or decider.law is not law:
        decider = _DECIDERS[id(law)] = Decider(law)
    return decider
