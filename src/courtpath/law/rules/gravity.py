"""Art. 15: the gravity of a crime from the maximum term of imprisonment of its part, by the wording in force."""

from __future__ import annotations

import datetime as dt

from courtpath.law.rules.dated import in_force_on
from courtpath.law.schema import GravitySpec, GravityVersion


def category(version: GravityVersion, imprisonment_max: int | None) -> str:
    """The category of a part whose sanction has imprisonment up to `imprisonment_max` months (None: none)."""
    if imprisonment_max is None:
        return version.categories[0].code
    for found in version.categories:
        if found.up_to_months is None or imprisonment_max <= found.up_to_months:
            return found.code
    return version.categories[-1].code


def gravity(
    spec: GravitySpec, imprisonment_max: int | None, act_day: dt.date, now: dt.date
) -> tuple[str, GravityVersion, bool]:
    """(category, the version applied, whether it applies retroactively).

    The wording in force on the day of the act applies, unless a later wording in force by `now` is marked milder
    and gives a milder category (art. 10).
    """
    at_act = in_force_on(spec.versions, act_day) or spec.versions[0]
    code = category(at_act, imprisonment_max)
    order = [c.code for c in at_act.categories]
    for later in spec.versions:
        if later.valid_from > act_day and later.valid_from <= now and later.milder:
            milder = category(later, imprisonment_max)
            if order.index(milder) < order.index(code):
                return milder, later, True
    return code, at_act, False
