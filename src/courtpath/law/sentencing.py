"""The flags that follow from the primary qualification for this person: an earlier conviction of unknown gravity,
the suspended sentence on probation (arts. 74, 70), discharge only on a real term (Decree 647), a disciplinary unit
instead of imprisonment (art. 55), a colony art. 58 does not name, and the defence's tools (arts. 61, 64, 75, 76.2).
"""

from __future__ import annotations

from collections.abc import Callable

from courtpath.i18n import Msg
from courtpath.law.cache import caches
from courtpath.law.decision import DecisionKey, person_of
from courtpath.law.items import Flag, Qualification
from courtpath.law.lawbook import Citation, LawBook
from courtpath.law.rules import availability
from courtpath.law.rules.recidivism import UNKNOWN


class SentencingFlags:
    def __init__(self, law: LawBook) -> None:
        self.law = law
        general = law.general
        cite = law.rule_citation
        self.c_recidivism = cite(general.recidivism.rule)
        self.c_probation = cite(general.probation.rule)
        self.c_combined = cite(general.probation.combined)
        self.c_discharge = cite(general.discharge_on_sentence.rule)
        self.c_suspended = cite(general.suspended_sentence.rule)
        self.c_instead = cite(general.disciplinary_unit_instead.rule)
        tools = general.defence_tools
        self.c_64 = cite(tools.below_minimum.rule)
        self.c_61d = cite(tools.hard_circumstances.rule)
        self.c_75 = cite(tools.active_repentance.rule)
        self.c_76_2 = cite(tools.court_fine.rule)
        self.c_confession = cite(tools.confession.rule)
        self.disciplinary_unit = next(t for t in general.penalty_types if t.type == "disciplinary_unit")

    def flags(self, key: DecisionKey, primary: Qualification) -> tuple[Flag | str, ...]:
        """The flags, and the ids of the open questions, for this person (memoised: pure in its inputs)."""
        memo_key = (primary.made_from, *person_of(key), key.discharge_rule_active)
        memo = caches(self.law).sentenced
        found = memo.get(memo_key)
        if found is None:
            found = memo.keep(memo_key, self._flags(key, primary))
        return found  # type: ignore[return-value]

    def _flags(self, key: DecisionKey, primary: Qualification) -> tuple[Flag | str, ...]:
        made: list[Flag | str] = []

        def add(code: str, severity: str, message: Msg, *citations: Citation) -> None:
            made.append(Flag(code, severity, message, citations))

        question = made.append
        self._collect(key, primary, add, question)
        return tuple(made)

    def _collect(
        self, key: DecisionKey, primary: Qualification, add: Callable[..., None], question: Callable[[str], None]
    ) -> None:
        general = self.law.general
        if primary.recidivism == UNKNOWN:
            add(
                "prior_conviction_unknown",
                "warning",
                Msg(
                    "There is an earlier conviction (a repeat offence or a release under art. 80.2), but its gravity "
                    "is not given: recidivism (art. 18), the least term (art. 68), a suspended sentence (art. 73 "
                    "part 1 item «в») and the colony (art. 58) depend on it."
                ),
                self.c_recidivism,
            )
        if key.on_probation:
            if primary.gravity in general.probation.revoked_for:
                add(
                    "probation_revoked",
                    "risk",
                    Msg(
                        "The absence began during a probation and is a grave or especially grave crime: the court "
                        "revokes the suspended sentence and adds the unserved sentence to the new one (art. 74 part 5, "
                        "art. 70)."
                    ),
                    self.c_probation,
                    self.c_combined,
                )
            else:
                add(
                    "probation_at_risk",
                    "warning",
                    Msg(
                        "The absence began during a probation: the court decides whether to keep the suspended "
                        "sentence; if it revokes it, the unserved sentence is added to the new one (art. 74 part 4, "
                        "art. 70)."
                    ),
                    self.c_probation,
                    self.c_combined,
                )
        if primary.imprisonment_available and primary.colony_regime is None:
            question("q_colony_unlisted")
        if all(p.available == availability.NO for p in primary.penalties):
            question("q_no_available_penalty")
        if primary.cap_months is not None and primary.penalties[-1].available == availability.NO:
            question("q_cap_most_severe_available")
        if (
            primary.suspended_possible
            and key.discharge_rule_active
            and self._subjects(key) & set(general.discharge_on_sentence.subjects)
        ):
            add(
                "suspended_return_to_front",
                "risk",
                Msg(
                    "A suspended sentence is possible here, but during the partial mobilization only a verdict of "
                    "real imprisonment in force ends a contract or mobilized serviceman's service: with a suspended "
                    "sentence he stays in the army and can be sent back to the front."
                ),
                self.c_discharge,
                self.c_suspended,
            )
            question("q_discharge_rules")
            question("q_article_73_changes")
        self._instead(key, primary, add)
        self._defence(key, primary, add)

    def _subjects(self, key: DecisionKey) -> set[str]:
        subjects = {key.status}
        rule = self.law.general.mobilized_status
        if key.status == rule.subject:
            subjects.add(rule.treated_as)
        return subjects

    def _instead(self, key: DecisionKey, primary: Qualification, add: Callable[..., None]) -> None:
        """Art. 55 part 1: imprisonment of up to 2 years replaced by a disciplinary unit, for those it may take."""
        imprisonment = primary.imprisonment
        if imprisonment is None or imprisonment.available == availability.NO:
            return
        least = max(imprisonment.min_months, int(primary.recidivism_min_months or 0))
        if least > self.law.general.disciplinary_unit_instead.up_to_months:
            return
        who = availability.for_subject(self.disciplinary_unit, self._subjects(key))
        if who == availability.NO:
            return
        message = (
            Msg(
                "The court may replace imprisonment of up to 2 years with the same term in a disciplinary military "
                "unit (art. 55 part 1)."
            )
            if who == availability.YES
            else Msg(
                "The court may replace imprisonment of up to 2 years with the same term in a disciplinary military "
                "unit, {condition}.",
                condition=self.disciplinary_unit.condition,
            )
        )
        add("disciplinary_unit_instead", "info", message, self.c_instead)

    def _defence(self, key: DecisionKey, primary: Qualification, add: Callable[..., None]) -> None:
        imprisonment = primary.imprisonment
        if imprisonment is not None and not imprisonment.min_from_general_part:
            add(
                "below_minimum",
                "info",
                Msg(
                    "With exceptional circumstances the court may go below the part's minimum of {months} months or "
                    "choose a milder penalty (art. 64).",
                    months=imprisonment.min_months,
                ),
                self.c_64,
            )
        if key.grave_circumstances and not primary.exemption_possible:
            add(
                "hard_circumstances",
                "info",
                Msg(
                    "Hard life circumstances are a mitigating circumstance even where the note's exemption does not "
                    "apply (art. 61 part 1 item «д»)."
                ),
                self.c_61d,
            )
        tools = self.law.general.defence_tools
        if key.first_offence and key.surrendered and primary.gravity in tools.active_repentance.gravity:
            add(
                "active_repentance",
                "info",
                Msg(
                    "A first crime of small or medium gravity: after a voluntary surrender and help to the "
                    "investigation, release from liability for active repentance may be asked (art. 75)."
                ),
                self.c_75,
            )
        if key.first_offence and primary.gravity in tools.court_fine.gravity:
            add(
                "court_fine",
                "info",
                Msg(
                    "A first crime of small or medium gravity: release from liability with a court fine may be asked "
                    "if the harm is made good (art. 76.2)."
                ),
                self.c_76_2,
            )
        if key.surrendered:
            add(
                "confession_not_accepted",
                "warning",
                Msg(
                    "Courts often do not count a return to the unit as a voluntary confession when the command had "
                    "already reported the absence; then the two-thirds cap falls away, though the return may still "
                    "count as active cooperation or another mitigating circumstance."
                ),
                self.c_confession,
            )
