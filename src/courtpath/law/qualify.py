"""Qualification of the facts under one edition of an article, and the General Part rules applied to it.

Everything here depends only on a `DecisionKey` (status, duration band, context, editions by epoch, the yes/no
facts), never on exact dates, so the batch mode can decide once per distinct key and reuse the result.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from courtpath.i18n import Msg
from courtpath.law.cache import caches
from courtpath.law.decision import DecisionKey
from courtpath.law.items import Penalty, Qualification, TraceStep
from courtpath.law.lawbook import Citation, LawBook
from courtpath.law.rules import aggravation as rules_aggravation
from courtpath.law.rules import availability as rules_availability
from courtpath.law.rules import dated as rules_dated
from courtpath.law.rules import gravity as rules_gravity
from courtpath.law.schema import Act, AliasSpec, ArticleSpec, EditionSpec, PartSpec, PenaltySpec, StatusRule
from courtpath.law.vocabulary import GRAVITY, PENALTIES, SUBJECTS


@dataclass(frozen=True, slots=True)
class Candidate:
    part: PartSpec
    alias: AliasSpec | StatusRule | None
    score: tuple[bool, bool, int, bool]


@dataclass(slots=True)
class ArticleResult:
    qualification: Qualification | None
    alternative: Qualification | None
    trace: list[TraceStep]
    alias_used: AliasSpec | StatusRule | None
    aggravating_context: bool


def resolve_subjects(key: DecisionKey, law: LawBook, trace: list[TraceStep]) -> frozenset[str]:
    subjects = {key.status}
    rule = law.general.mobilized_status
    if key.status == rule.subject:
        subjects.add(rule.treated_as)
        trace.append(
            TraceStep(
                "subject",
                Msg("A mobilized serviceman has the status of a contract serviceman."),
                (law.rule_citation(rule.rule),),
            )
        )
    if key.released_80_2:
        subjects.add("released_80_2")
    return frozenset(subjects)


def _aliases(number: str, edition: EditionSpec, law: LawBook) -> list[AliasSpec | StatusRule]:
    aliases: list[AliasSpec | StatusRule] = list(edition.subject_aliases)
    if number == "337":
        aliases.append(law.general.dmu_status)
    return aliases


def candidates(
    number: str,
    edition: EditionSpec,
    key: DecisionKey,
    subjects: frozenset[str],
    law: LawBook,
    band: int | None = -1,
) -> list[Candidate]:
    """Parts of the edition that fit the facts, most specific first (art. 17 part 3). band=None: any duration."""
    band = key.band if band == -1 else band
    memo_key = (number, edition.edition, band, key.special_context, key.weapon_or_group, subjects)
    memo = caches(law).candidates
    found = memo.get(memo_key)
    if found is None:
        made = _candidates(number, edition, band, key.special_context, key.weapon_or_group, subjects, law)
        found = memo.keep(memo_key, made)
    return found  # type: ignore[return-value]


def _candidates(
    number: str,
    edition: EditionSpec,
    band: int | None,
    special_context: bool,
    weapon_or_group: bool,
    subjects: frozenset[str],
    law: LawBook,
) -> list[Candidate]:
    found = []
    for part in edition.parts:
        bands = law.part_bands(number, edition, part)
        if bands is not None and band is not None and not bands[0] <= band <= bands[1]:
            continue
        if part.context == "k" and not special_context:
            continue
        if "weapon_or_group" in part.requires and not weapon_or_group:
            continue
        if "aim_full_release" in part.requires:
            continue
        alias = None
        if not subjects.intersection(part.subjects):
            alias = next(
                (a for a in _aliases(number, edition, law) if a.subject in subjects and a.treated_as in part.subjects),
                None,
            )
            if alias is None:
                continue
        score = ("released_80_2" in part.subjects, part.context == "k", len(part.requires), alias is None)
        found.append(Candidate(part, alias, score))
    found.sort(key=lambda c: c.score, reverse=True)
    return found


class Qualifier:
    """Builds a Qualification for a chosen part: what the part means for any serviceman of this status (penalties
    and who may get them, gravity, limitation, the aggravating context), each rule one function of
    courtpath.law.rules. What it means for this person is courtpath.law.person's."""

    def __init__(self, law: LawBook) -> None:
        self.law = law
        general = law.general
        self.types = {t.type: t for t in general.penalty_types}
        self.rank = {t.type: i for i, t in enumerate(general.penalty_types)}
        self.c_gravity = {v.valid_from: law.rule_citation(v.rule, act_of(v.act)) for v in general.gravity.versions}
        self.c_limitation = law.rule_citation(general.limitation.rule)
        self.c_aggravating = {
            v.valid_from: law.rule_citation(v.rule, act_of(v.act)) for v in general.special_context_aggravating.versions
        }
        self.c_special = law.rule_citation(general.special_norm.rule)
        self.c_types = {t.type: law.rule_citation(t.rule) for t in general.penalty_types}
        self.c_not_in_force = {
            t.type: law.rule_citation(t.not_in_force) for t in general.penalty_types if t.not_in_force is not None
        }
        # Each penalty of every sanction, made once for each way the General Part can treat it (art. 51, 54, 55):
        # (type, minimum, maximum, availability) -> the Penalty, its trace steps and citations.
        self.penalties: dict[
            tuple[str, int | None, int, str], tuple[Penalty, tuple[TraceStep, ...], tuple[Citation, ...]]
        ]
        self.penalties = {}
        for article in law.articles.values():
            for edition in article.editions:
                for part in edition.parts:
                    for spec in part.penalties:
                        for available in rules_availability.VALUES:
                            made_key = (spec.type, spec.min_months, spec.max_months, available)
                            if made_key not in self.penalties:
                                self.penalties[made_key] = self._make_penalty(spec, available)
        # What the dated rules make of each pair (day of the act's epoch, day of the assessment's epoch): the build
        # memo is keyed on it, so epochs the rules treat alike share their qualifications.
        self.dated = {(act, now): self.dated_versions(act, now) for act in law.epochs for now in law.epochs}
        self.caches = caches(law)

    def dated_versions(self, act_day: dt.date, now: dt.date) -> tuple[object, ...]:
        """What the dated General Part rules make of these days: equal for days the rules treat alike (so a memo
        keyed on it is shared across law epochs of the articles)."""
        general = self.law.general
        gravity = rules_gravity.gravity(general.gravity, None, act_day, now)[1].valid_from
        milder = [v.valid_from for v in general.gravity.versions if act_day < v.valid_from <= now and v.milder]
        aggravating = rules_dated.in_force_on(general.special_context_aggravating.versions, act_day)
        return (
            gravity,
            tuple(milder),
            aggravating.valid_from if aggravating else None,
            act_day >= general.suspended_sentence.exclusions.valid_from,
        )

    def build(
        self,
        article: ArticleSpec,
        edition: EditionSpec,
        candidate: Candidate,
        key: DecisionKey,
        subjects: frozenset[str],
        basis: str,
        primary: bool,
        act_day: dt.date,
        trace: list[TraceStep],
    ) -> tuple[Qualification, bool]:
        """The qualification under one part, appending its cited steps to `trace` (memoised: pure in its inputs).

        `act_day` is the first day of the law epoch of the act: the dated General Part rules are read on it."""
        alias = candidate.alias
        now = self.law.epoch_start(key.epoch_now)
        memo_key = (
            article.article,
            edition.edition,
            candidate.part.part,
            None if alias is None else (alias.subject, alias.treated_as),
            subjects,
            key.special_context,
            key.context,
            basis,
            primary,
            self.dated[(act_day, now)],
        )

        def make() -> tuple[Qualification, bool, tuple[TraceStep, ...]]:
            steps: list[TraceStep] = []
            qualification, aggravating = self._build(
                article, edition, candidate, key, subjects, basis, primary, act_day, now, steps, memo_key
            )
            return qualification, aggravating, tuple(steps)

        built: tuple[Qualification, bool, tuple[TraceStep, ...]] | None = self.caches.qualifications.get(memo_key)  # type: ignore[assignment]
        if built is None:
            built = self.caches.qualifications.keep(memo_key, make())  # type: ignore[assignment]
        trace.extend(built[2])
        return built[0], built[1]

    def _build(
        self,
        article: ArticleSpec,
        edition: EditionSpec,
        candidate: Candidate,
        key: DecisionKey,
        subjects: frozenset[str],
        basis: str,
        primary: bool,
        act_day: dt.date,
        now: dt.date,
        trace: list[TraceStep],
        made_from: tuple[object, ...],
    ) -> tuple[Qualification, bool]:
        law, general, part = self.law, self.law.general, candidate.part
        cited = law.part_citation(article.article, edition, part)
        citations: list[Citation] = [cited]
        trace.append(
            TraceStep(
                "part",
                Msg(
                    "Art. {article} part {part} ({edition}) applies: {summary}",
                    article=article.article,
                    part=part.part,
                    edition=cited.act,
                    summary=part.summary,
                ),
                (cited,),
            )
        )
        if candidate.alias is not None:
            alias_cited = law.rule_citation(candidate.alias.rule)
            citations.append(alias_cited)
            trace.append(
                TraceStep(
                    "subject_alias",
                    Msg(
                        "Treated here as {treated_as}: {subject}.",
                        subject=SUBJECTS.phrase(candidate.alias.subject),
                        treated_as=SUBJECTS.phrase(candidate.alias.treated_as),
                    ),
                    (alias_cited,),
                )
            )
        penalties = [self._penalty(spec, subjects, citations, trace) for spec in self._sanction(part)]

        sanction_max = next((p.max_months for p in penalties if p.type == "imprisonment"), None)
        gravity, version, retroactive = rules_gravity.gravity(general.gravity, sanction_max, act_day, now)
        limitation = general.limitation.years[gravity]
        c_gravity = self.c_gravity[version.valid_from]
        citations += [c_gravity, self.c_limitation]
        if retroactive:
            trace.append(
                TraceStep(
                    "gravity_retroactive",
                    Msg(
                        "Art. 15 in a later, milder wording ({act}) applies to this act too (art. 10).",
                        act=c_gravity.act,
                    ),
                    (c_gravity, law.rule_citation(general.retroactivity.rule)),
                )
            )
        trace.append(
            TraceStep(
                "gravity",
                Msg(
                    "Gravity: {gravity}; limitation period {years} years.",
                    gravity=GRAVITY.name(gravity),
                    years=limitation,
                ),
                (c_gravity, self.c_limitation),
            )
        )

        version63 = rules_aggravation.context_aggravates(
            general.special_context_aggravating,
            key.context if key.special_context else "",
            part.context == "k",
            act_day,
        )
        aggravating_context = version63 is not None
        if version63 is not None:
            c_aggravating = self.c_aggravating[version63.valid_from]
            citations.append(c_aggravating)
            trace.append(
                TraceStep(
                    "aggravating_context",
                    Msg(
                        "The special context is not an element of this part, so it counts as an aggravating "
                        "circumstance."
                    ),
                    (c_aggravating,),
                )
            )

        exemption_note = any(
            note.id == "exemption_grave_circumstances" and part.part in note.parts for note in edition.notes
        )
        qualification = Qualification(
            article=article.article,
            part=part.part,
            kind=article.kind,
            primary=primary,
            edition=edition.edition,
            edition_act=cited.act or law.edition_act(edition),  # the act that last changed the part
            basis=basis,
            penalties=tuple(penalties),
            gravity=gravity,
            limitation_years=limitation,
            suspended_possible=False,  # decided for the person: modify()
            colony_regime=None,
            cap_months=None,
            exemption_possible=False,
            special_context_aggravating=aggravating_context,
            exemption_note=exemption_note,
            numbering_confirmed=part.numbering_confirmed,
            title=article.title,
            summary=part.summary,
            citations=tuple(unique(citations)),
            sole_penalty=len(part.penalties) == 1,
            exclusions_in_force=act_day >= general.suspended_sentence.exclusions.valid_from,
            made_from=made_from,
        )
        return qualification, aggravating_context

    def _sanction(self, part: PartSpec) -> list[PenaltySpec]:
        return sorted(part.penalties, key=lambda p: self.rank[p.type])

    def _penalty(
        self, spec: PenaltySpec, subjects: frozenset[str], citations: list[Citation], trace: list[TraceStep]
    ) -> Penalty:
        """The penalty of the sanction for a serviceman of these subjects (made in __init__)."""
        available = rules_availability.for_subject(self.types[spec.type], subjects)
        penalty, steps, cited = self.penalties[(spec.type, spec.min_months, spec.max_months, available)]
        citations += cited
        trace += steps
        return penalty

    def _make_penalty(self, spec: PenaltySpec, available: str) -> MadePenalty:
        """The penalty, with the General Part's minimum where the part gives none, and whether the Code lets the
        court impose it (arts. 51, 54, 55), its trace steps and citations."""
        kind = self.types[spec.type]
        from_general = spec.min_months is None
        low = kind.min_months if from_general else spec.min_months or 0
        name = PENALTIES.name(spec.type)
        steps: list[TraceStep] = []
        citations: list[Citation] = []
        if from_general:
            citations.append(self.c_types[spec.type])
            steps.append(
                TraceStep(
                    "penalty_minimum",
                    Msg(
                        "The sanction gives no minimum for {penalty}; the General Part sets {months} months.",
                        penalty=name,
                        months=kind.min_months,
                    ),
                    (self.c_types[spec.type],),
                )
            )
        reason = None
        cited = self.c_types[spec.type]
        if not kind.in_force and kind.not_in_force is not None:
            cited = self.c_not_in_force[spec.type]
            reason = Msg(
                "Not imposed: {penalty}. {why} ({act}, {part}).",
                penalty=name,
                why=kind.not_in_force.summary,
                act=kind.not_in_force.article,
                part=kind.not_in_force.part,
            )
        elif available == rules_availability.NO:
            reason = Msg(
                "Cannot be imposed on this serviceman: {penalty}. {rule}", penalty=name, rule=kind.rule.summary
            )
        elif available == rules_availability.CONDITIONAL and kind.condition is not None:
            reason = Msg("Only on a condition: {penalty}, {condition}.", penalty=name, condition=kind.condition)
        if reason is not None:
            citations.append(cited)
            steps.append(TraceStep("penalty_" + available, reason, (cited,)))
        return Penalty(spec.type, low, spec.max_months, from_general, available, reason), tuple(steps), tuple(citations)


MadePenalty = tuple[Penalty, tuple[TraceStep, ...], tuple[Citation, ...]]  # the penalty, its steps, its citations


def act_of(act: Act | None) -> tuple[str, dt.date] | None:
    return None if act is None else (act.number, act.date)


def severity(q: Qualification, rank: dict[str, int]) -> tuple[int, int, int]:
    worst = q.penalties[-1]
    return rank[worst.type], worst.max_months, worst.min_months


def months_text(months: Fraction) -> str:
    return str(int(months)) if months.denominator == 1 else f"{float(months):.1f}"


def unique(citations: list[Citation], known: tuple[Citation, ...] = ()) -> list[Citation]:
    """The citations in order, each once (the rules cite the lawbook's own objects: compared by identity, which
    costs less than hashing a citation, and there are a dozen at most)."""
    seen = {id(citation) for citation in known}  # identities within this call only, never kept
    result: list[Citation] = []
    for citation in citations:
        if id(citation) not in seen:
            seen.add(id(citation))
            result.append(citation)
    return result
