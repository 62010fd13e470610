"""Art. 73 part 1: whether a suspended sentence is legally possible, with its exclusions (items "б" and "в")."""

from __future__ import annotations

from collections.abc import Iterable

from courtpath.law.schema import SuspendedSpec


def possible_types(spec: SuspendedSpec, available: Iterable[tuple[str, int]]) -> bool:
    """Some penalty the court may impose can be suspended: (type, minimum months) of the available ones."""
    for penalty_type, minimum in available:
        if penalty_type in spec.suspendable_types:
            return True
        if penalty_type == "imprisonment" and minimum <= spec.imprisonment_up_to_months:
            return True
    return False


def exclusion(spec: SuspendedSpec, in_force: bool, gravity: str, on_probation: bool, recidivism: str) -> str | None:
    """The item of art. 73 part 1 that bars a suspended sentence ("б" or "в"), or None. The exclusions are a harsher
    rule (172-FZ): `in_force` says whether they were at the time of the act (none reaches an earlier act)."""
    rule = spec.exclusions
    if not in_force:
        return None
    if on_probation and gravity in rule.on_probation_gravity:
        return "б"
    if recidivism in rule.recidivism:
        return "в"
    return None
