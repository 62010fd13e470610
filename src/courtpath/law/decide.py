"""From a DecisionKey to qualifications, flags and trace: the date-free half of an assessment.

Two stages, each memoised in courtpath.law.cache: `core` decides the qualifications from the legally decisive
facts; `decide` adds the flags that depend only on the situation (context given, absence still open, the date of
assessment). Many keys share one core.
"""

from __future__ import annotations

import datetime as dt

from courtpath.i18n import Joined, Msg
from courtpath.law.cache import caches
from courtpath.law.context import context_steps
from courtpath.law.decision import Decision, DecisionKey
from courtpath.law.facts import AbsenceKind
from courtpath.law.items import Flag, Qualification, TraceStep
from courtpath.law.lawbook import Citation, LawBook
from courtpath.law.periods import Period
from courtpath.law.person import PersonRules
from courtpath.law.qualify import (
    ArticleResult,
    Qualifier,
    candidates,
    resolve_subjects,
    severity,
)
from courtpath.law.sentencing import SentencingFlags
from courtpath.law.vocabulary import ABSENCE_KINDS, BANDS, INDICATORS, SUBJECTS

ACT_TIME_BASES = ("act_time", "later_edition", "earlier_edition")
# Open questions that leave "is this a crime at all" open: with one of them and no qualification, the outcome is
# unresolved, not "no crime".
UNRESOLVING_QUESTIONS = frozenset({"open_question:q_reservist_before_2022"})


def question_flag(qid: str, law: LawBook) -> Flag:
    """The flag that names an open legal question touching the case; it cites the question's notes in docs/law."""
    text, ref = law.questions[qid], law.question_ref(qid)
    return Flag(f"open_question:{qid}", "open_question", Msg("{text} (see {ref})", ref=ref, text=text))


class Flags:
    """An ordered set of flags (the first flag with a code wins)."""

    def __init__(self, questions: dict[str, Flag], initial: tuple[Flag, ...] = ()) -> None:
        self._questions = questions
        self.items: dict[str, Flag] = {f.code: f for f in initial}

    def add(self, code: str, severity: str, message: Msg, *citations: Citation) -> None:
        if code not in self.items:
            self.items[code] = Flag(code, severity, message, citations)

    def question(self, qid: str) -> None:
        found = self._questions[qid]
        self.items.setdefault(found.code, found)

    def freeze(self) -> tuple[Flag, ...]:
        return tuple(self.items.values())


class Decider:
    def __init__(self, law: LawBook) -> None:
        self.law = law
        self.qualifier = Qualifier(law)
        self.person = PersonRules(law)
        general = law.general
        self.c_retro = law.rule_citation(general.retroactivity.rule)
        self.c_special = law.rule_citation(general.special_norm.rule)
        release = general.release_for_service
        self.c_release = law.rule_citation(release.rule, (release.act.number, release.act.date))
        self.c_attempt = law.rule_citation(general.attempt_doctrine.rule)
        self.c_disciplinary = law.rule_citation(general.disciplinary_offence.rule)
        self.c_attempt_cap = law.rule_citation(general.defence_tools.attempt_cap.rule)
        self.questions = {qid: question_flag(qid, law) for qid in law.questions}
        self.period_cited = tuple(law.period_citation(p) for p in law.contexts.periods if not p.territorial)
        self.context_steps = context_steps(law)
        self.sentencing = SentencingFlags(law)
        kept = caches(law)
        # The memos this decider fills (courtpath.law.cache): `decisions[key]` is the decision of a DecisionKey,
        # made on first use; `leads[(key, kind of absence, context step key)]` the steps that open an assessment.
        self.decisions, self.cores, self.leads = kept.decisions, kept.cores, kept.leads
        self.decisions.make = self._decide  # type: ignore[assignment]
        self.cores.make = self._core  # type: ignore[assignment]
        self.leads.make = self._lead  # type: ignore[assignment]

    def decide(self, key: DecisionKey) -> Decision:
        return self.decisions[key]  # type: ignore[return-value]

    def core(self, key: DecisionKey) -> Decision:
        return self.cores[key]  # type: ignore[return-value]

    def _lead(self, lead_key: tuple[DecisionKey, AbsenceKind, str]) -> tuple[TraceStep, ...]:
        """The kind-of-absence and context steps, cited with art. 337 when they cite nothing of their own."""
        key, kind, context_key = lead_key
        decision = self.decisions[key]
        awol = next((q for q in decision.qualifications if q.kind == "awol"), None)
        kind_step = TraceStep(
            "absence_kind",
            Msg(
                "The serviceman {kind}. Art. 337 treats leaving the unit and failing to report on time without a "
                "valid reason alike.",
                kind=ABSENCE_KINDS.phrase(kind.value),
            ),
            tuple(awol.citations[:1]) if awol else (),
        )
        cited = decision.article_cited
        return tuple(
            step if step.citations or not cited else TraceStep(step.code, step.message, cited)
            for step in (kind_step, self.context_steps[context_key])
        )

    # -- editions -------------------------------------------------------------------------------------------
    @staticmethod
    def plan(key: DecisionKey) -> list[tuple[int, str]]:
        """Which law epochs to qualify under, and why (art. 9: the time of the act)."""
        if key.epoch_hypothetical is not None:
            return [(key.epoch_hypothetical, "hypothetical")]
        if key.epoch_start == key.epoch_end:
            return [(key.epoch_end, "act_time")]
        return [(key.epoch_end, "later_edition"), (key.epoch_start, "earlier_edition")]

    def qualify(
        self, number: str, epoch: int, basis: str, key: DecisionKey, subjects: frozenset[str], primary: bool
    ) -> ArticleResult:
        """The most specific part of `number` under the edition of `epoch`, with art. 10 applied."""
        law = self.law
        article = law.article(number)
        day = law.epoch_start(epoch)
        edition = law.edition_on(number, day)
        trace: list[TraceStep] = []
        found = candidates(number, edition, key, subjects, law) if edition is not None else []
        if edition is None or not found:
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
        build = self.qualifier.build
        qualification, aggravating = build(article, edition, best, key, subjects, basis, primary, day, trace)
        alternative = None
        if best.alias is not None:
            direct = next((c for c in found[1:] if c.alias is None), None)
            if direct is not None:
                alternative, _ = build(article, edition, direct, key, subjects, basis, False, day, trace)
        if basis in ACT_TIME_BASES and key.epoch_now > epoch:
            qualification = self._retroactive(qualification, basis, number, edition, key, subjects, primary, day, trace)
        return ArticleResult(qualification, alternative, trace, best.alias, aggravating)

    def _retroactive(
        self,
        current: Qualification,
        basis: str,
        number: str,
        edition: object,
        key: DecisionKey,
        subjects: frozenset[str],
        primary: bool,
        act_day: object,
        trace: list[TraceStep],
    ) -> Qualification:
        """Art. 10: the mildest later edition (intermediate ones included) applies; a harsher one does not.

        Among equally mild editions the earliest is cited: it is the law that made the change (26-FZ for art. 338
        part 2, not a later edition that left that part as it was).
        """
        law = self.law
        article = law.article(number)
        now = law.epoch_start(key.epoch_now)
        rank = self.qualifier.rank
        later_editions = [e for e in article.editions if e.valid_from > edition.valid_from and e.valid_from <= now]  # type: ignore[attr-defined]
        mildest: Qualification | None = None
        mildest_steps: list[TraceStep] = []
        for later in later_editions:
            found = candidates(number, later, key, subjects, law)
            if not found:
                continue
            steps: list[TraceStep] = []
            built, _ = self.qualifier.build(
                article,
                later,
                found[0],
                key,
                subjects,
                "retroactive",
                primary,
                act_day,
                steps,  # type: ignore[arg-type]
            )
            if mildest is None or severity(built, rank) < severity(mildest, rank):
                mildest, mildest_steps = built, steps
        if mildest is None:
            return current
        if severity(mildest, rank) < severity(current, rank):
            trace.append(
                TraceStep(
                    "retroactive",
                    Msg(
                        "A later edition ({edition}) is milder for these facts and applies retroactively.",
                        edition=mildest.edition_act,
                    ),
                    (self.c_retro,),
                )
            )
            trace.extend(mildest_steps)
            return mildest
        trace.append(
            TraceStep(
                "not_retroactive",
                Msg(
                    "The later editions are not milder for these facts, so the edition in force when the absence "
                    "ended applies (the end of a continuing crime)."
                )
                if basis == "later_edition"
                else Msg(
                    "The later editions are not milder for these facts, so the edition in force when the absence "
                    "began applies."
                )
                if basis == "earlier_edition"
                else Msg(
                    "The later editions are not milder for these facts, so the law at the time of the act applies."
                ),
                (self.c_retro,),
            )
        )
        return current

    # -- stage 1: the qualifications ------------------------------------------------------------------------------
    def _core(self, key: DecisionKey) -> Decision:
        law = self.law
        trace: list[TraceStep] = []
        flags = Flags(self.questions)
        subjects = resolve_subjects(key, law, trace)
        plan = self.plan(key)
        if plan[0][1] == "hypothetical":
            flags.add(
                "hypothetical_law",
                "warning",
                Msg(
                    "Hypothetical: the law in force on {day} is applied instead of the law at the time of the act.",
                    day=law.epoch_start(plan[0][0]),
                ),
            )
        if len(plan) > 1:
            later, earlier = law.epoch_start(key.epoch_end), law.epoch_start(key.epoch_start)
            if any(law.edition_on(number, later) is not law.edition_on(number, earlier) for number in ("337", "338")):
                flags.add(
                    "edition_spanning",
                    "warning",
                    Msg(
                        "The absence spans a change of the law ({day}): both editions are shown; the later one first.",
                        day=later,
                    ),
                    self.c_retro,
                )
            else:  # only a dated General Part rule changed (art. 15, 63 or 73): the article reads the same
                flags.add(
                    "general_part_spanning",
                    "warning",
                    Msg(
                        "The absence spans a change of the General Part ({day}): the rules in force when it ended "
                        "are applied, and a later milder rule reaches it too (arts. 9, 10).",
                        day=later,
                    ),
                    self.c_retro,
                )
            flags.question("q_transitional")
        qualifications: list[Qualification] = []
        self._awol(key, subjects, plan, qualifications, flags, trace)
        if key.indicators:
            self._desertion(key, subjects, plan, qualifications, flags, trace)
        elif key.weapon_or_group:
            flags.add(
                "weapon_group_only_for_desertion",
                "info",
                Msg("A weapon or a group matters only if the absence is charged as desertion (art. 338 part 2)."),
                self.article_cited("338", plan[0][0]),
            )
        self._consequences(key, qualifications, flags)
        editions_used: list[tuple[str, str]] = []
        for q in qualifications:
            if (q.article, q.edition) not in editions_used:
                editions_used.append((q.article, q.edition))
                for qid in law.edition_by_id(q.article, q.edition).open_questions:
                    flags.question(qid)
            for qid in law.part_spec(q.article, q.edition, q.part).open_questions:
                flags.question(qid)
        frozen = flags.freeze()
        spanning_from, earlier_index = self._spanning(key, subjects, plan)
        made = Decision(
            tuple(qualifications),
            frozen,
            tuple(trace),
            self.liability_threshold(key, subjects, plan[0][0]),
            tuple(editions_used),
            unresolved=not qualifications and any(f.code in UNRESOLVING_QUESTIONS for f in frozen),
            spanning_from=spanning_from,
            earlier_liability_index=earlier_index,
        )
        return self._anchored(key, made)

    def _spanning(
        self, key: DecisionKey, subjects: frozenset[str], plan: list[tuple[int, str]]
    ) -> tuple[dt.date | None, int | None]:
        """For an absence that spans a change of art. 337: the first day of the later edition, and the liability
        threshold (its index) under the edition in force when the absence began (None: no crime under it)."""
        if len(plan) < 2:
            return None, None
        law = self.law
        later_day, earlier_day = law.epoch_start(plan[0][0]), law.epoch_start(plan[1][0])
        if law.edition_on("337", later_day) is law.edition_on("337", earlier_day):
            return None, None
        threshold = self.liability_threshold(key, subjects, plan[1][0])
        return later_day, None if threshold is None else law.thresholds.index(threshold)

    def _awol(
        self,
        key: DecisionKey,
        subjects: frozenset[str],
        plan: list[tuple[int, str]],
        qualifications: list[Qualification],
        flags: Flags,
        trace: list[TraceStep],
    ) -> None:
        for index, (epoch, basis) in enumerate(plan):
            result = self.qualify("337", epoch, basis, key, subjects, primary=index == 0)
            trace.extend(result.trace)
            if basis == "earlier_edition" and result.qualification is None and qualifications:
                edition = self.law.edition_on("337", self.law.epoch_start(epoch))
                flags.add(
                    "earlier_edition_no_crime",
                    "risk",
                    Msg(
                        "Under the edition in force when the absence began ({act}), these facts were not a crime: no "
                        "part covered {subject} absent {band}. Only the time from {day} falls under the later "
                        "edition; whether the time before it counts is an open question.",
                        act=self.law.edition_act(edition) if edition else "",
                        subject=SUBJECTS.phrase(key.status),
                        band=BANDS.name(tuple(BANDS)[min(key.band, len(BANDS) - 1)]),
                        day=self.law.epoch_start(plan[0][0]),
                    ),
                    self.article_cited("337", epoch),
                )
            for found in (result.qualification, result.alternative):
                if found is not None and not _same(found, qualifications):
                    qualifications.append(found)
            if result.alias_used is self.law.general.dmu_status:
                flags.question("q_dmu_parts")
            if any(q is not None and q.special_context_aggravating for q in (result.qualification, result.alternative)):
                flags.add(
                    "special_context_aggravating",
                    "warning",
                    Msg(
                        "The special context (mobilization etc.) counts as an aggravating circumstance here; the "
                        "two-thirds cap for a voluntary surrender is then unavailable."
                    ),
                    *(
                        c
                        for q in (result.qualification, result.alternative)
                        if q
                        for c in q.citations
                        if c.article == "63"
                    ),
                )
        if qualifications:
            return
        band = BANDS.name(tuple(BANDS)[min(key.band, len(BANDS) - 1)])
        trace.append(
            TraceStep(
                "no_awol",
                Msg(
                    "No part of art. 337 covers {subject} absent {band} in this context.",
                    subject=SUBJECTS.phrase(key.status),
                    band=band,
                ),
                (self.article_cited("337", plan[0][0]),),
            )
        )
        if key.band == 0:
            flags.add(
                "no_criminal_liability",
                "info",
                Msg(
                    "An absence of up to two days is not a crime under art. 337 for {subject}; it may be a gross "
                    "disciplinary offence.",
                    subject=SUBJECTS.phrase(key.status),
                ),
                self.c_disciplinary,
            )
            flags.add(
                "attempt_doctrine",
                "warning",
                Msg(
                    "If the serviceman meant to stay away longer, a court can charge an attempt under the part for the "
                    "intended duration, even below two days; the penalty for an attempt is then at most three "
                    "quarters of that part's maximum (art. 66 part 3)."
                ),
                self.c_attempt,
                self.c_attempt_cap,
            )
            return
        flags.add(
            "below_threshold_for_subject",
            "info",
            Msg(
                "No part of art. 337 covers {subject} for an absence of {band} outside the special context "
                "(mobilization, martial law, wartime, armed conflict).",
                subject=SUBJECTS.phrase(key.status),
                band=band,
            ),
            self.article_cited("337", plan[0][0]),
        )
        edition = self.law.edition_on("337", self.law.epoch_start(plan[0][0]))
        if key.status == "reservist" and edition is not None and not edition.subject_aliases:
            flags.question("q_reservist_before_2022")  # the Decision is then unresolved (UNRESOLVING_QUESTIONS)

    def _desertion(
        self,
        key: DecisionKey,
        subjects: frozenset[str],
        plan: list[tuple[int, str]],
        qualifications: list[Qualification],
        flags: Flags,
        trace: list[TraceStep],
    ) -> None:
        names = Joined(*(INDICATORS.phrase(indicator) for indicator in sorted(key.indicators)))
        for index, (epoch, basis) in enumerate(plan):
            result = self.qualify("338", epoch, basis, key, subjects, primary=False)
            trace.extend(result.trace)
            desertion = result.qualification
            if desertion is None or _same(desertion, qualifications):
                continue
            qualifications.append(desertion)
            if index == 0:
                flags.add(
                    "desertion_risk",
                    "risk",
                    Msg(
                        "Desertion risk: courts read {indicators} as intent to leave service altogether. Art. 338 "
                        "part {part} would then apply ({range}).",
                        indicators=names,
                        part=desertion.part,
                        range=_range(desertion),
                    ),
                    desertion.citations[0],
                )
        flags.question("q_desertion_indicators")
        if "forged-documents" in key.indicators:
            evasion = self.qualify("339", plan[0][0], plan[0][1], key, subjects, primary=False).qualification
            if evasion is not None:
                flags.add(
                    "evasion_by_deceit",
                    "risk",
                    Msg(
                        "Forged or false documents can also be charged as evasion by deceit, art. 339 part {part} "
                        "({range}).",
                        part=evasion.part,
                        range=_range(evasion),
                    ),
                    evasion.citations[0],
                )

    def _consequences(self, key: DecisionKey, qualifications: list[Qualification], flags: Flags) -> None:
        """Flags about what the facts of the absence mean, whoever the person is: arrest, art. 80.2."""
        primary = next((q for q in qualifications if q.primary), None)
        if primary is not None and any(p.type == "arrest" for p in primary.penalties):
            flags.question("q_arrest_in_force")
        if key.released_80_2:
            flags.question("q_78_1_80_2")

    # -- stage 2: the situation -------------------------------------------------------------------------------
    def _decide(self, key: DecisionKey) -> Decision:
        core_key = key._replace(
            context=self.context_kind(key),
            context_started_before=False,
            is_open=False,
            release_for_service_active=False,
            surrendered=False,
            aggravating=False,
            first_offence=True,
            grave_circumstances=False,
            sex="male",
            prior_conviction="none",
            prior_imprisonment=False,
            on_probation=False,
            discharge_rule_active=False,
        )
        core = self.core(core_key)
        flags = Flags(self.questions, core.flags)
        trace = list(core.trace)
        qualifications = []
        for q in core.qualifications:
            modified, steps = self.person.modify(q, key)
            qualifications.append(modified)
            trace.extend(steps)
        primary = next((q for q in qualifications if q.primary), None)
        if primary is not None:
            for made in self.sentencing.flags(key, primary):
                if isinstance(made, str):
                    flags.question(made)
                else:
                    flags.items.setdefault(made.code, made)
        if key.grave_circumstances:
            exempt = next((q for q in qualifications if q.exemption_possible), None)
            if exempt is not None:
                flags.add(
                    "exemption_possible",
                    "info",
                    Msg(
                        "First offence under grave circumstances: the note to art. {article} allows exemption from "
                        "criminal liability (part {part}).",
                        article=exempt.article,
                        part=exempt.part,
                    ),
                    exempt.citations[0],
                )
            else:
                flags.add(
                    "exemption_unavailable",
                    "warning",
                    Msg(
                        "The exemption for grave circumstances does not cover these parts (or this is not a first "
                        "offence)."
                    ),
                    qualifications[0].citations[0] if qualifications else self.article_cited("337", key.epoch_end),
                )
        if key.special_context and key.release_for_service_active and core.qualifications:
            flags.add(
                "case_suspension_for_service",
                "risk",
                Msg(
                    "While the serviceman serves during mobilization, the command can petition to suspend the criminal "
                    "case (arts. 78.1, 80.2): that returns him to service, not to discharge."
                ),
                self.c_release,
            )
        if key.context == "armed-conflict":
            flags.question("q_armed_conflict")
        if key.context == "martial-law":
            flags.question("q_martial_law_decree")
        if key.context_started_before:
            flags.add(
                "context_started_during_absence",
                "warning",
                Msg(
                    "The absence began before the special period (mobilization from 21.09.2022) and continued into it."
                ),
                *self.period_cited,
            )
            flags.question("q_transitional")
        if not key.is_open and core.primary is not None:
            flags.question("q_limitation_continuing")
        return self._decision(tuple(qualifications), flags.freeze(), tuple(trace), core)

    def _anchored(self, key: DecisionKey, core: Decision) -> Decision:
        """The core decision with what every assessment reads off it (Decision's anchor fields), read once per core:
        the person's rules change none of them (they keep each qualification's first citations and add no art. 78
        citation)."""
        qualifications = core.qualifications
        article = self.article_of(key)
        awol = next((q for q in qualifications if q.kind == "awol"), None)
        primary = core.primary
        threshold = core.liability_threshold
        return Decision(
            qualifications,
            core.flags,
            core.trace,
            threshold,
            core.editions_used,
            article,
            tuple(awol.citations[:1]) if awol else article,
            (qualifications[0].citations[0],) if qualifications and qualifications[0].kind == "awol" else article,
            tuple(c for c in primary.citations if c.article == "78") if primary else (),
            self.law.thresholds.index(threshold) if threshold is not None else None,
            core.unresolved,
            core.spanning_from,
            core.earlier_liability_index,
        )

    @staticmethod
    def _decision(
        qualifications: tuple[Qualification, ...],
        flags: tuple[Flag, ...],
        trace: tuple[TraceStep, ...],
        core: Decision,
    ) -> Decision:
        return Decision(
            qualifications,
            flags,
            trace,
            core.liability_threshold,
            core.editions_used,
            core.article_cited,
            core.awol_cited,
            core.duration_cited,
            core.limitation_cited,
            core.liability_index,
            core.unresolved,
            core.spanning_from,
            core.earlier_liability_index,
        )

    @staticmethod
    def context_kind(key: DecisionKey) -> str:
        """The special context as the facts name it (art. 63 reads it), or "" outside one. A context derived from the
        dates is the partial mobilization (the only non-territorial period of the law data)."""
        if not key.special_context:
            return ""
        return "mobilization" if key.context in ("auto", "") else key.context

    def article_of(self, key: DecisionKey) -> tuple[Citation, ...]:
        """Art. 337 as a whole in the edition applied: its bands, its definition, its context clause."""
        law = self.law
        epoch = key.epoch_hypothetical if key.epoch_hypothetical is not None else key.epoch_end
        edition = law.edition_on("337", law.epoch_start(epoch))
        return (law.article_citation("337", edition),) if edition else ()

    def article_cited(self, number: str, epoch: int) -> Citation:
        edition = self.law.edition_on(number, self.law.epoch_start(epoch))
        return self.law.article_citation(number, edition) if edition else self.c_special

    def liability_threshold(self, key: DecisionKey, subjects: frozenset[str], epoch: int) -> Period | None:
        """The shortest absence that art. 337 makes a crime for this subject and context."""
        law = self.law
        edition = law.edition_on("337", law.epoch_start(epoch))
        if edition is None:
            return None
        lows = [
            law.part_bands("337", edition, c.part) for c in candidates("337", edition, key, subjects, law, band=None)
        ]
        low = min((bands[0] for bands in lows if bands is not None), default=None)
        return law.thresholds[low - 1] if low is not None else None


def _same(candidate: Qualification, existing: list[Qualification]) -> bool:
    """Two editions that give the same part and penalties are shown once."""
    return any(
        q.article == candidate.article and q.part == candidate.part and q.penalties == candidate.penalties
        for q in existing
    )


def _cited(article: str, *qualifications: Qualification | None) -> tuple[Citation, ...]:
    """The citations of `article` among those of the qualifications, each once."""
    found: list[Citation] = []
    for q in qualifications:
        for citation in q.citations if q is not None else ():
            if citation.article == article and citation not in found:
                found.append(citation)
    return tuple(found)


def _range(q: Qualification) -> Msg:
    worst = q.penalties[-1]
    return Msg("{low} to {high} months", low=worst.min_months, high=worst.max_months)


def decider_for(law: LawBook) -> Decider:
    """The lawbook's Decider, made once (kept with the lawbook's caches)."""
    kept = caches(law)
    decider = kept.decider
    if decider is None:
        decider = kept.decider = Decider(law)
    return decider  # type: ignore[return-value]
