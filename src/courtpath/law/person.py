"""What a qualification means for this person: recidivism and its minimum (arts. 18, 68), imprisonment for a first
crime of small gravity (art. 56 part 1), the two-thirds cap (art. 62), a suspended sentence (art. 73) and the colony
(art. 58). Each rule is one function of courtpath.law.rules; this module puts their results and cited trace steps
on the qualification that courtpath.law.qualify built for any serviceman of the status.
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction

from courtpath.i18n import Msg
from courtpath.law.cache import caches
from courtpath.law.decision import DecisionKey, person_of
from courtpath.law.items import Penalty, Qualification, TraceStep
from courtpath.law.lawbook import Citation, LawBook
from courtpath.law.qualify import act_of, months_text, unique
from courtpath.law.rules import availability as rules_availability
from courtpath.law.rules import colony as rules_colony
from courtpath.law.rules import recidivism as rules_recidivism
from courtpath.law.rules import suspension as rules_suspension
from courtpath.law.vocabulary import RECIDIVISM, REGIMES

REPEATS = ("simple", "dangerous", "especially_dangerous")


class PersonRules:
    """The General Part's rules for the person, applied to a built qualification (memoised in
    courtpath.law.cache: `modified`)."""

    def __init__(self, law: LawBook) -> None:
        self.law = law
        general = law.general
        self.c_suspended = law.rule_citation(general.suspended_sentence.rule)
        exclusions = general.suspended_sentence.exclusions
        self.c_exclusions = law.rule_citation(exclusions.rule, act_of(exclusions.act))
        self.c_cap = law.rule_citation(general.two_thirds_cap.rule)
        self.c_colony = law.rule_citation(general.colony_regime.rule)
        self.c_colony_items = {
            row.item: dataclasses.replace(self.c_colony, part=f"1 п. «{row.item}»")
            for row in general.colony_regime.rows
        }
        first = general.first_offence_imprisonment
        self.c_first_offence = law.rule_citation(first.rule, act_of(first.act))
        self.c_recidivism = law.rule_citation(general.recidivism.rule)
        self.c_recidivism_min = law.rule_citation(general.recidivism.minimum.rule)
        self.c_recidivism_kinds = {
            row.kind: dataclasses.replace(self.c_recidivism, part=row.part) for row in general.recidivism.kinds
        }
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

    def modify(self, q: Qualification, key: DecisionKey) -> tuple[Qualification, tuple[TraceStep, ...]]:
        """What the qualification means for this person (memoised on how `q` was made, Qualification.made_from)."""
        memo_key = (q.made_from, *person_of(key))
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
            general.first_offence_imprisonment, key.first_offence, q.gravity, aggravated, q.sole_penalty
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
                        months=months_text(cap),
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
            q.citations + tuple(unique(citations[len(q.citations) :], q.citations)),
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
                    months=months_text(minimum),
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
