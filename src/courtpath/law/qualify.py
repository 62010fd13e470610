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
from courtpath.law.schema import AliasSpec, ArticleSpec, EditionSpec, PartSpec, StatusRule
from courtpath.law.vocabulary import GRAVITY, PENALTIES, REGIMES, SUBJECTS


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
    """Builds a Qualification for a chosen part: penalties with General-Part minimums, gravity, limitation…"""

    def __init__(self, law: LawBook) -> None:
        self.law = law
        general = law.general
        self.types = {t.type: t for t in general.penalty_types}
        self.rank = {t.type: i for i, t in enumerate(general.penalty_types)}
        self.c_gravity = law.rule_citation(general.gravity.rule)
        self.c_limitation = law.rule_citation(general.limitation.rule)
        self.c_suspended = law.rule_citation(general.suspended_sentence.rule)
        self.c_cap = law.rule_citation(general.two_thirds_cap.rule)
        self.c_colony = law.rule_citation(general.colony_regime.rule)
        aggravating = general.special_context_aggravating
        self.c_aggravating = law.rule_citation(aggravating.rule, (aggravating.act.number, aggravating.act.date))
        self.c_special = law.rule_citation(general.special_norm.rule)
        self.c_types = {t.type: law.rule_citation(t.rule) for t in general.penalty_types}
        self.caches = caches(law)

    def build(
        self,
        article: ArticleSpec,
        edition: EditionSpec,
        candidate: Candidate,
        key: DecisionKey,
        subjects: frozenset[str],
        basis: str,
        primary: bool,
        law_day: dt.date,
        trace: list[TraceStep],
    ) -> tuple[Qualification, bool]:
        """The qualification under one part, appending its cited steps to `trace` (memoised: pure in its inputs)."""
        alias = candidate.alias
        memo_key = (
            article.article,
            edition.edition,
            candidate.part.part,
            None if alias is None else (alias.subject, alias.treated_as),
            subjects,
            key.special_context,
            basis,
            primary,
            law_day >= self.law.general.special_context_aggravating.valid_from,
        )

        def make() -> tuple[Qualification, bool, tuple[TraceStep, ...]]:
            steps: list[TraceStep] = []
            qualification, aggravating = self._build(
                article, edition, candidate, key, subjects, basis, primary, law_day, steps, memo_key
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
        law_day: dt.date,
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

        penalties: list[Penalty] = []
        for spec in sorted(part.penalties, key=lambda p: self.rank[p.type]):
            kind = self.types[spec.type]
            if kind.only_for and not subjects.intersection(kind.only_for):
                trace.append(
                    TraceStep(
                        "penalty_excluded",
                        Msg("{penalty} is not available for this serviceman.", penalty=PENALTIES.name(spec.type)),
                        (self.c_types[spec.type],),
                    )
                )
                citations.append(self.c_types[spec.type])
                continue
            from_general = spec.min_months is None
            penalties.append(
                Penalty(
                    spec.type, kind.min_months if from_general else spec.min_months or 0, spec.max_months, from_general
                )
            )
            if from_general:
                citations.append(self.c_types[spec.type])
                trace.append(
                    TraceStep(
                        "penalty_minimum",
                        Msg(
                            "The sanction gives no minimum for {penalty}; the General Part sets {months} months.",
                            penalty=PENALTIES.name(spec.type),
                            months=kind.min_months,
                        ),
                        (self.c_types[spec.type],),
                    )
                )

        imprisonment = next((p for p in penalties if p.type == "imprisonment"), None)
        gravity = "small"
        if imprisonment is not None:
            for category in general.gravity.categories:
                if category.up_to_months is None or imprisonment.max_months <= category.up_to_months:
                    gravity = category.code
                    break
        limitation = general.limitation.years[gravity]
        citations += [self.c_gravity, self.c_limitation]
        trace.append(
            TraceStep(
                "gravity",
                Msg(
                    "Gravity: {gravity}; limitation period {years} years.",
                    gravity=GRAVITY.name(gravity),
                    years=limitation,
                ),
                (self.c_gravity, self.c_limitation),
            )
        )

        rule73 = general.suspended_sentence
        suspended = any(p.type in rule73.suspendable_types for p in penalties) or (
            imprisonment is not None and imprisonment.min_months <= rule73.imprisonment_up_to_months
        )
        citations.append(self.c_suspended)
        trace.append(
            TraceStep(
                "suspended",
                Msg("A suspended sentence is legally possible.")
                if suspended
                else Msg("A suspended sentence is not possible: the minimum exceeds the art. 73 ceiling."),
                (self.c_suspended,),
            )
        )

        colony = None
        if imprisonment is not None:
            colony = general.colony_regime.first_offence[gravity]
            citations.append(self.c_colony)
            trace.append(
                TraceStep(
                    "colony",
                    Msg(
                        "A first-time offender would serve imprisonment in a {regime}.",
                        regime=REGIMES.name(colony),
                    ),
                    (self.c_colony,),
                )
            )

        rule63 = general.special_context_aggravating
        aggravating_context = key.special_context and part.context == "any" and law_day >= rule63.valid_from
        if aggravating_context:
            citations.append(self.c_aggravating)
            trace.append(
                TraceStep(
                    "aggravating_context",
                    Msg(
                        "The special context is not an element of this part, so it counts as an aggravating "
                        "circumstance."
                    ),
                    (self.c_aggravating,),
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
            edition_act=law.edition_act(edition),
            basis=basis,
            penalties=tuple(penalties),
            gravity=gravity,
            limitation_years=limitation,
            suspended_possible=suspended,
            colony_regime=colony,
            cap_months=None,
            exemption_possible=False,
            special_context_aggravating=aggravating_context,
            exemption_note=exemption_note,
            numbering_confirmed=part.numbering_confirmed,
            title=article.title,
            summary=part.summary,
            citations=tuple(_unique(citations)),
            made_from=made_from,
        )
        return qualification, aggravating_context

    def modify(self, q: Qualification, key: DecisionKey) -> tuple[Qualification, tuple[TraceStep, ...]]:
        """The personal modifiers: art. 62 part 1 cap on surrender, the notes' exemption (memoised on how `q` was
        made, Qualification.made_from)."""
        memo_key = (q.made_from, key.surrendered, key.aggravating, key.first_offence, key.grave_circumstances)
        found = self.caches.modified.get(memo_key)
        if found is None:
            found = self.caches.modified.keep(memo_key, self._modify(q, key))
        return found  # type: ignore[return-value]

    def _modify(self, q: Qualification, key: DecisionKey) -> tuple[Qualification, tuple[TraceStep, ...]]:
        steps: list[TraceStep] = []
        cap = None
        label = f"{q.article}/{q.part}"
        if key.surrendered and not key.aggravating and not q.special_context_aggravating:
            rule62 = self.law.general.two_thirds_cap
            cap = Fraction(q.penalties[-1].max_months * rule62.numerator, rule62.denominator)
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
        exemption = q.exemption_note and key.first_offence and key.grave_circumstances
        citations = q.citations + ((self.c_cap,) if cap is not None else ())
        modified = dataclasses.replace(q, cap_months=cap, exemption_possible=exemption, citations=citations)
        return modified, tuple(steps)


def severity(q: Qualification, rank: dict[str, int]) -> tuple[int, int, int]:
    worst = q.penalties[-1]
    return rank[worst.type], worst.max_months, worst.min_months


def _months_text(months: Fraction) -> str:
    return str(int(months)) if months.denominator == 1 else f"{float(months):.1f}"


def _unique(citations: list[Citation]) -> list[Citation]:
    """The citations in order, each once (the rules cite the lawbook's own objects: compared by identity, which
    costs less than hashing a citation, and there are a dozen at most)."""
    result: list[Citation] = []
    for citation in citations:
        if not any(citation is kept for kept in result):
            result.append(citation)
    return result
