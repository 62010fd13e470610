"""Qualification of the facts under one edition of an article, and the General Part rules applied to it.

Everything here depends only on a `DecisionKey` (status, duration band, context, editions by epoch, the yes/no
facts), never on exact dates, so the batch mode can decide once per distinct key and reuse the result.
"""

from __future__ import annotations

import dataclasses
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
from courtpath.law.rules import colony as rules_colony
from courtpath.law.rules import dated as rules_dated
from courtpath.law.rules import gravity as rules_gravity
from courtpath.law.rules import recidivism as rules_recidivism
from courtpath.law.rules import suspension as rules_suspension
from courtpath.law.schema import Act, AliasSpec, ArticleSpec, EditionSpec, PartSpec, PenaltySpec, StatusRule
from courtpath.law.vocabulary import GRAVITY, PENALTIES, RECIDIVISM, REGIMES, SUBJECTS


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
    """Builds a Qualification for a chosen part in two steps: `build`, what the part means for any serviceman of
    this status (penalties and who may get them, gravity, limitation, the aggravating context); `modify`, what it
    means for this person (recidivism, imprisonment for a first offence, the cap, suspension, the colony). Each rule
    is one function of courtpath.law.rules."""

    def __init__(self, law: LawBook) -> None:
        self.law = law
        general = law.general
        self.types = {t.type: t for t in general.penalty_types}
        self.rank = {t.type: i for i, t in enumerate(general.penalty_types)}
        self.c_gravity = {v.valid_from: law.rule_citation(v.rule, _act(v.act)) for v in general.gravity.versions}
        self.c_limitation = law.rule_citation(general.limitation.rule)
        self.c_suspended = law.rule_citation(general.suspended_sentence.rule)
        exclusions = general.suspended_sentence.exclusions
        self.c_exclusions = law.rule_citation(exclusions.rule, _act(exclusions.act))
        self.c_cap = law.rule_citation(general.two_thirds_cap.rule)
        self.c_colony = law.rule_citation(general.colony_regime.rule)
        self.c_colony_items = {
            row.item: dataclasses.replace(self.c_colony, part=f"1 п. «{row.item}»")
            for row in general.colony_regime.rows
        }
        self.c_aggravating = {
            v.valid_from: law.rule_citation(v.rule, _act(v.act)) for v in general.special_context_aggravating.versions
        }
        first = general.first_offence_imprisonment
        self.c_first_offence = law.rule_citation(first.rule, _act(first.act))
        self.c_recidivism = law.rule_citation(general.recidivism.rule)
        self.c_recidivism_min = law.rule_citation(general.recidivism.minimum.rule)
        self.c_recidivism_kinds = {
            row.kind: dataclasses.replace(self.c_recidivism, part=row.part) for row in general.recidivism.kinds
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
        self._steps()
        self.caches = caches(law)

    def _steps(self) -> None:
        """The trace steps of the person's rules whose wording depends on nothing but the rule: made once."""
        reason = Msg(
            "Imprisonment cannot be imposed: a first crime of small gravity, no aggravating circumstance, and the "
            "sanction has other penalties (art. 56 part 1)."
        )
        self.first_offence_reason = reason
        self.first_offence_step = TraceStep("first_offence_no_imprisonment", reason, (self.c_first_offence,))
        self.recidivism_none_step = TraceStep(
            "recidivism_none",
            Msg(
                "The earlier conviction does not make recidivism: convictions for crimes of small gravity and "
                "suspended sentences never revoked do not count (art. 18 part 4)."
            ),
            (self.c_recidivism,),
        )
        self.recidivism_unknown_step = TraceStep(
            "recidivism_unknown",
            Msg(
                "An earlier conviction is known of but not its gravity: whether there is recidivism, and which, is "
                "not decided."
            ),
            (self.c_recidivism,),
        )
        self.excluded_steps = {
            "б": TraceStep(
                "suspended_excluded",
                Msg(
                    "A suspended sentence is not possible: a grave or especially grave crime during the probation of "
                    "a suspended sentence (art. 73 part 1 item «б»)."
                ),
                (self.c_exclusions,),
            ),
            "в": TraceStep(
                "suspended_excluded",
                Msg(
                    "A suspended sentence is not possible with dangerous or especially dangerous recidivism (art. 73 "
                    "part 1 item «в»)."
                ),
                (self.c_exclusions,),
            ),
        }
        self.suspended_steps = {
            True: TraceStep("suspended", Msg("A suspended sentence is legally possible."), (self.c_suspended,)),
            False: TraceStep(
                "suspended",
                Msg("A suspended sentence is not possible: the minimum exceeds the art. 73 ceiling."),
                (self.c_suspended,),
            ),
        }
        self.colony_unlisted_step = TraceStep(
            "colony_unlisted",
            Msg(
                "Art. 58 part 1 names no colony for these facts (a prison term served, and no recidivism or a crime "
                "of small or medium gravity): the court decides."
            ),
            (self.c_colony,),
        )
        self.colony_steps = {
            (row.item, row.regime): TraceStep(
                "colony",
                Msg(
                    "Imprisonment would be served in a {regime} (art. 58 part 1 item «{item}»).",
                    regime=REGIMES.name(row.regime),
                    item=row.item,
                ),
                (self.c_colony_items[row.item],),
            )
            for row in self.law.general.colony_regime.rows
        }

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
            self.dated_versions(act_day, now),
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
            citations=tuple(_unique(citations)),
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

    def modify(self, q: Qualification, key: DecisionKey) -> tuple[Qualification, tuple[TraceStep, ...]]:
        """What the qualification means for this person (memoised on how `q` was made, Qualification.made_from)."""
        memo_key = (
            q.made_from,
            key.surrendered,
            key.aggravating,
            key.first_offence,
            key.grave_circumstances,
            key.sex,
            key.prior_conviction,
            key.prior_imprisonment,
            key.on_probation,
        )
        found = self.caches.modified.get(memo_key)
        if found is None:
            found = self.caches.modified.keep(memo_key, self._modify(q, key))
        return found  # type: ignore[return-value]

    def _modify(self, q: Qualification, key: DecisionKey) -> tuple[Qualification, tuple[TraceStep, ...]]:
        general = self.law.general
        steps: list[TraceStep] = []
        citations = list(q.citations)
        label = f"{q.article}/{q.part}"

        recidivism = rules_recidivism.kind(
            general.recidivism,
            q.gravity,
            key.prior_conviction,
            key.prior_imprisonment,
            key.on_probation,
            key.first_offence,
            key.released_80_2,
        )
        recidivism_min = self._recidivism_step(q, key, recidivism, label, steps, citations)
        aggravated = key.aggravating or q.special_context_aggravating or recidivism in REPEATS

        penalties = list(q.penalties)
        if q.imprisonment_available and rules_availability.imprisonment_barred_for_first_offence(
            key.first_offence, q.gravity, aggravated, q.sole_penalty
        ):
            last = penalties[-1]
            penalties[-1] = Penalty(
                last.type,
                last.min_months,
                last.max_months,
                last.min_from_general_part,
                rules_availability.NO,
                self.first_offence_reason,
            )
            citations.append(self.c_first_offence)
            steps.append(self.first_offence_step)

        cap = None
        if key.surrendered and not aggravated:
            rule62 = general.two_thirds_cap
            cap = Fraction(q.max_months * rule62.numerator, rule62.denominator)
            citations.append(self.c_cap)
            steps.append(
                TraceStep(
                    "cap",
                    Msg(
                        "Art. {label}: voluntary surrender and no aggravating circumstances: the sentence may not "
                        "exceed {months} months (two-thirds of the maximum).",
                        label=label,
                        months=_months_text(cap),
                    ),
                    (self.c_cap,),
                )
            )
        elif key.surrendered:
            steps.append(
                TraceStep(
                    "cap_not_applied",
                    Msg(
                        "Art. {label}: the two-thirds cap does not apply: there are aggravating circumstances.",
                        label=label,
                    ),
                    (self.c_cap,),
                )
            )

        suspended = self._suspension_step(q, key, penalties, recidivism, recidivism_min, steps, citations)
        imprisonment = penalties[-1] if penalties[-1].type == "imprisonment" else None
        colony = None
        if imprisonment is not None and imprisonment.available != rules_availability.NO:
            colony = self._colony_step(q, key, recidivism, steps, citations)
        exemption = q.exemption_note and key.first_offence and key.grave_circumstances
        modified = q.for_person(
            tuple(penalties),
            suspended,
            colony,
            cap,
            exemption,
            q.citations + tuple(_unique(citations[len(q.citations) :], q.citations)),
            recidivism,
            recidivism_min,
        )
        return modified, tuple(steps)

    def _recidivism_step(
        self,
        q: Qualification,
        key: DecisionKey,
        recidivism: str,
        label: str,
        steps: list[TraceStep],
        citations: list[Citation],
    ) -> Fraction | None:
        """Art. 18's kind in the trace, and art. 68 part 2's least term when there is recidivism."""
        spec = self.law.general.recidivism
        if recidivism == rules_recidivism.NONE:
            if key.prior_conviction != "none":
                citations.append(self.c_recidivism)
                steps.append(self.recidivism_none_step)
            return None
        if recidivism == rules_recidivism.UNKNOWN:
            steps.append(self.recidivism_unknown_step)
            return None
        row = next(r for r in spec.kinds if r.kind == recidivism)
        cited = self.c_recidivism_kinds[row.kind]
        minimum = rules_recidivism.minimum_months(spec, q.max_months)
        imprisonment = q.imprisonment
        if imprisonment is not None:
            minimum = min(max(minimum, Fraction(imprisonment.min_months)), Fraction(imprisonment.max_months))
        citations += [cited, self.c_recidivism_min]
        steps.append(
            TraceStep(
                "recidivism",
                Msg(
                    "Kind of recidivism: {kind} (art. 18 part {part}); counted from one earlier conviction: with two "
                    "or more the kind may be graver.",
                    kind=RECIDIVISM.name(recidivism),
                    part=row.part,
                ),
                (cited,),
            )
        )
        steps.append(
            TraceStep(
                "recidivism_minimum",
                Msg(
                    "Art. {label}: with recidivism the term may not be less than {months} months, a third of the "
                    "maximum, unless the court finds mitigating circumstances (art. 68 parts 2 and 3).",
                    label=label,
                    months=_months_text(minimum),
                ),
                (self.c_recidivism_min,),
            )
        )
        return minimum

    def _suspension_step(
        self,
        q: Qualification,
        key: DecisionKey,
        penalties: list[Penalty],
        recidivism: str,
        recidivism_min: Fraction | None,
        steps: list[TraceStep],
        citations: list[Citation],
    ) -> bool:
        spec = self.law.general.suspended_sentence
        available = [
            (p.type, max(p.min_months, int(recidivism_min or 0)) if p.type == "imprisonment" else p.min_months)
            for p in penalties
            if p.available != rules_availability.NO
        ]
        item = rules_suspension.exclusion(spec, q.exclusions_in_force, q.gravity, key.on_probation, recidivism)
        citations.append(self.c_suspended)
        if item is not None:
            citations.append(self.c_exclusions)
            steps.append(self.excluded_steps[item])
            return False
        possible = rules_suspension.possible_types(spec, available)
        steps.append(self.suspended_steps[possible])
        return possible

    def _colony_step(
        self, q: Qualification, key: DecisionKey, recidivism: str, steps: list[TraceStep], citations: list[Citation]
    ) -> str | None:
        row = rules_colony.colony(
            self.law.general.colony_regime, q.gravity, key.sex, key.prior_imprisonment, recidivism
        )
        if row is None:
            citations.append(self.c_colony)
            steps.append(self.colony_unlisted_step)
            return None
        cited = self.c_colony_items[row.item]
        citations.append(cited)
        steps.append(self.colony_steps[(row.item, row.regime)])
        return row.regime


REPEATS = ("simple", "dangerous", "especially_dangerous")
MadePenalty = tuple[Penalty, tuple[TraceStep, ...], tuple[Citation, ...]]  # the penalty, its steps, its citations


def _act(act: Act | None) -> tuple[str, dt.date] | None:
    return None if act is None else (act.number, act.date)


def severity(q: Qualification, rank: dict[str, int]) -> tuple[int, int, int]:
    worst = q.penalties[-1]
    return rank[worst.type], worst.max_months, worst.min_months


def _months_text(months: Fraction) -> str:
    return str(int(months)) if months.denominator == 1 else f"{float(months):.1f}"


def _unique(citations: list[Citation], known: tuple[Citation, ...] = ()) -> list[Citation]:
    """The citations in order, each once (the rules cite the lawbook's own objects: compared by identity, which
    costs less than hashing a citation, and there are a dozen at most)."""
    result: list[Citation] = []
    for citation in citations:
        if not any(citation is kept for kept in result) and not any(citation is kept for kept in known):
            result.append(citation)
    return result
