"""The duration boundaries a reassessment found passed: the timeline event it writes, its text, and the dashboard's
list of those passed lately.

The event keeps structured params (sealed with the case's key: the moment of a boundary follows from the moment of
leaving), never a rendered sentence: the sentence is made when shown, in the page's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courtpath.i18n import format_moment
from courtpath.interview.explain import duration_text
from courtpath.law.facts import MOSCOW
from courtpath.law.loader import default_lawbook
from courtpath.web import clock, vocabulary
from courtpath.web.accounts.models import User
from courtpath.web.cases import selectors, stored
from courtpath.web.cases.models import Case, CaseEvent, EventKind
from courtpath.web.vocabulary import page_language

RECENT_DAYS = 7
RECENT_LIMIT = 50
BANDS = ("none", "A", "B", "C")  # an answer's `absence.band`: how many boundaries the absence is beyond
# The sentence of each boundary, whole, so that each language can say it its own way.
PASSED = {
    "A": gettext_lazy("The absence passed the 2-day boundary on %(at)s: now %(now)s (was %(was)s)."),
    "B": gettext_lazy("The absence passed the 10-day boundary on %(at)s: now %(now)s (was %(was)s)."),
    "C": gettext_lazy("The absence passed the 1-month boundary on %(at)s: now %(now)s (was %(was)s)."),
}


def qualification(answer: Mapping[str, Any]) -> dict[str, object] | None:
    """The primary qualification of a saved answer (plain data) as an event keeps it: article, part, and its most
    severe penalty but a fine (the longest term) with its range; None when no article applies."""
    primary = next((q for q in answer.get("qualifications", ()) if q.get("primary")), None)
    if primary is None:
        return None
    terms = [p for p in primary["penalties"] if p["type"] != "fine" and p.get("available", "yes") != "no"]
    worst = max(terms, key=lambda p: p["max_months"], default=None)
    return {
        "article": primary["article"],
        "part": primary["part"],
        "penalty": None if worst is None else worst["type"],
        "min_months": None if worst is None else worst["min_months"],
        "max_months": None if worst is None else worst["max_months"],
    }


def changed(before: Mapping[str, Any], after: Mapping[str, Any]) -> bool:
    """Whether two answers differ in the part or the penalty range of their primary qualification."""
    return qualification(before) != qualification(after)


def event_params(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, object]:
    """What a boundary event keeps: the bands before and after, the moment of the boundary passed (the highest, when
    a reassessment finds several passed), or of the reassessment when no band changed (a dated rule of the law), and
    the qualification before and after."""
    band_from, band_to = before["absence"]["band"], after["absence"]["band"]
    params: dict[str, object] = {
        "band_from": band_from,
        "band_to": band_to,
        "before": qualification(before),
        "after": qualification(after),
        "at": after["facts"]["as_of"],
    }
    if band_to != band_from and band_to in PASSED:
        left = dt.datetime.fromisoformat(after["facts"]["left"])
        threshold = default_lawbook().thresholds[BANDS.index(band_to) - 1]
        params["at"] = threshold.after(left).isoformat()
        params["boundary"] = band_to
    return params


def new_event(case: Case, params: dict[str, object]) -> CaseEvent:
    """The boundary event for the case's timeline, by the system (no actor), not yet saved; every sealed value set,
    as bulk_create does not call SealedModel.save."""
    return CaseEvent(
        case=case,
        data_key=case.data_key,
        actor=None,
        stage=case.stage,
        kind=EventKind.BOUNDARY,
        comment="",
        params=params,
    )


def _article(q: Mapping[str, Any] | None, *, now: bool) -> str:
    if q is None:
        return _("no article applies") if now else _("no article applied")
    if not q["part"]:
        return _("art. %(article)s") % {"article": q["article"]}
    return _("art. %(article)s part %(part)s") % {"article": q["article"], "part": q["part"]}


def describe(params: Mapping[str, Any]) -> str:
    """The event's sentence in the page's language."""
    lang = "ru" if page_language() == "ru" else "en"
    at = format_moment(dt.datetime.fromisoformat(params["at"]).astimezone(MOSCOW), lang)
    after = params.get("after")
    values = {"at": at, "now": _article(after, now=True), "was": _article(params.get("before"), now=False)}
    if params.get("boundary") in PASSED:
        text = str(PASSED[params["boundary"]]) % values
    else:
        text = _("On %(at)s the assessment changed with time: now %(now)s (was %(was)s).") % values
    if after is not None and after.get("penalty"):
        text += " " + _("%(penalty)s up to %(term)s.") % {
            "penalty": vocabulary.name("penalty", after["penalty"]).capitalize(),
            "term": duration_text(after["max_months"], lang).replace(" ", "\u00a0"),
        }
    return text


def event_text(event: CaseEvent) -> str:
    """describe() of a boundary event; empty for another kind, or when its params cannot be read (logged)."""
    if event.kind != EventKind.BOUNDARY:
        return ""
    try:
        return describe(event.params)
    except stored.READ_ERRORS as error:
        stored.failed(event.case.code, "records", error)
        return ""


def recent(user: User, days: int = RECENT_DAYS) -> list[CaseEvent]:
    """The boundary events of the last `days` days on the cases `user` may see, newest first (at most
    RECENT_LIMIT)."""
    since = clock.now() - dt.timedelta(days=days)
    visible = selectors.visible_cases(user).values("pk")
    events = CaseEvent.objects.filter(kind=EventKind.BOUNDARY, at__gte=since, case__in=visible)
    return list(events.select_related("case", "data_key").order_by("-at", "-id")[:RECENT_LIMIT])
