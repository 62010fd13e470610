"""Art. 63 part 1 item "л" and part 2: the special context as an aggravating circumstance, by the wording in force."""

from __future__ import annotations

import datetime as dt

from courtpath.law.rules.dated import in_force_on
from courtpath.law.schema import AggravatingSpec, AggravatingVersion


def context_aggravates(
    spec: AggravatingSpec, context_kind: str, element_of_part: bool, act_day: dt.date
) -> AggravatingVersion | None:
    """The version of item "л" that makes this context aggravating, or None.

    None when the context is an element of the part (part 2), or the wording in force on the day of the act does not
    name it: the item was widened (375-FZ, 365-FZ), a harsher change that reaches no earlier act (art. 10).
    """
    if element_of_part or not context_kind:
        return None
    version = in_force_on(spec.versions, act_day)
    return version if version is not None and context_kind in version.contexts else None
