"""How long a saved assessment of an absence still going on stays true.

The engine assesses an open absence as of a moment (`as_of`): its duration band, and with it the article part, the
penalty range and the flags, change only at known moments. Those are the duration boundaries counted from the moment
of leaving (2 days, 10 days, 1 month: the lawbook's thresholds), 24 hours before and after each (the engine's
"less than 24 hours from now" and "borderline duration" flags), and the day a dated rule of the law data enters into
force (the lawbook's epochs). Between two such moments a new assessment would say the same, apart from the hours
counted; after the first of them the saved one is stale. An ended absence never goes stale.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from courtpath.law.engine import BORDERLINE
from courtpath.law.facts import MOSCOW
from courtpath.law.lawbook import LawBook
from courtpath.law.loader import default_lawbook


def valid_until(
    left: dt.datetime, returned: dt.datetime | None, as_of: dt.datetime, law: LawBook | None = None
) -> dt.datetime | None:
    """The first moment at or after `as_of` at which an assessment of this absence made at `as_of` may change; None
    when it never will (the absence has ended, or no boundary or dated rule is ahead)."""
    if returned is not None:
        return None
    law = law or default_lawbook()
    left_utc = left.astimezone(dt.UTC)
    points = []
    for threshold in law.thresholds:
        boundary = threshold.after(left, left_utc)
        points += [boundary - BORDERLINE, boundary, boundary + BORDERLINE]
    day = as_of.astimezone(MOSCOW).date()
    points += [dt.datetime.combine(epoch, dt.time(), MOSCOW) for epoch in law.epochs if epoch > day][:1]
    ahead = [point for point in points if point >= as_of]
    return min(ahead) if ahead else None


def answer_as_of(answer: Mapping[str, Any]) -> tuple[dt.datetime, dt.datetime | None, dt.datetime] | None:
    """The moments a saved answer (plain data, as an Assessment keeps it) was assessed with: left, returned, as_of.
    ValueError, KeyError or TypeError when the answer has another shape (courtpath.web.cases.stored.READ_ERRORS)."""
    facts = answer["facts"]
    if facts.get("as_of") is None:
        return None
    returned = facts.get("returned")
    return (
        dt.datetime.fromisoformat(facts["left"]),
        None if returned is None else dt.datetime.fromisoformat(returned),
        dt.datetime.fromisoformat(facts["as_of"]),
    )


def is_stale(answer: Mapping[str, Any], now: dt.datetime) -> bool:
    """Whether a saved answer of an absence still going on no longer holds at `now`."""
    moments = answer_as_of(answer)
    if moments is None:
        return False
    until = valid_until(*moments)
    return until is not None and now > until
