"""Art. 18 (kinds of recidivism) and art. 68 parts 2–3 (the minimum term with recidivism)."""

from __future__ import annotations

from fractions import Fraction

from courtpath.law.schema import RecidivismSpec

NONE = "none"
UNKNOWN = "unknown"  # an earlier conviction is known of, but not its gravity


def kind(
    spec: RecidivismSpec,
    gravity: str,
    prior: str,
    prior_imprisonment: bool,
    on_probation: bool,
    first_offence: bool,
    released_80_2: bool = False,
) -> str:
    """none | unknown | simple | dangerous | especially_dangerous, for an intentional crime of `gravity`.

    A suspended sentence still on probation was never revoked, so it does not count by itself (art. 18 part 4
    "в"); a prison term served means another conviction that does.
    """
    if prior == NONE:
        if on_probation:  # the suspended sentence itself, never revoked: it does not count (part 4 "в")
            return NONE
        # a repeat offence or a release under art. 80.2 mean an earlier conviction of unknown gravity
        return NONE if first_offence and not released_80_2 else UNKNOWN
    if prior in spec.not_counted or (on_probation and not prior_imprisonment):
        return NONE
    for row in spec.kinds:
        if row.gravity is not None and gravity not in row.gravity:
            continue
        if prior not in row.prior:
            continue
        if row.prior_imprisonment is not None and row.prior_imprisonment != prior_imprisonment:
            continue
        return row.kind
    return NONE


def minimum_months(spec: RecidivismSpec, most_severe_max: int) -> Fraction:
    """Art. 68 part 2: a third of the maximum of the most severe penalty."""
    return Fraction(most_severe_max * spec.minimum.numerator, spec.minimum.denominator)
