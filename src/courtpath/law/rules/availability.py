"""Who may get which penalty of a part: arts. 51 and 55 (by the serviceman's status), art. 54 with the law on the
Code's entry into force (arrest), and art. 56 part 1 (imprisonment for a first crime of small gravity)."""

from __future__ import annotations

from collections.abc import Collection

from courtpath.law.schema import FirstOffenceSpec, PenaltyTypeSpec

YES, NO, CONDITIONAL = "yes", "no", "conditional"
VALUES = (YES, NO, CONDITIONAL)


def for_subject(kind: PenaltyTypeSpec, subjects: Collection[str]) -> str:
    """yes | no | conditional for a serviceman of these subjects (his status and what it is treated as)."""
    if not kind.in_force:
        return NO
    if kind.for_subjects is None:
        return YES
    found = [kind.for_subjects[s] for s in subjects if s in kind.for_subjects]
    if YES in found:
        return YES
    return CONDITIONAL if found else NO


def imprisonment_barred_for_first_offence(
    spec: FirstOffenceSpec, first_offence: bool, gravity: str, aggravating: bool, sole_penalty: bool
) -> bool:
    """Art. 56 part 1: a first crime of the categories it names (small gravity), no aggravating circumstance, and
    imprisonment not the sanction's only penalty."""
    return first_offence and gravity in spec.gravity and not aggravating and not sole_penalty
