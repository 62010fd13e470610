"""Reads of manual dates and of everything due for a user, filtered by what the user may see
(cases.selectors.visible_cases): a lawyer their own cases, a coordinator every case, others none."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from courtpath.law.moments import MOSCOW
from courtpath.web.accounts.models import User
from courtpath.web.agenda import memo
from courtpath.web.agenda.due import Due
from courtpath.web.agenda.models import AgendaItem, CalendarFeed, DigestSubscription
from courtpath.web.assessments.deadlines import Deadline, upcoming_deadlines
from courtpath.web.cases import selectors as case_selectors
from courtpath.web.cases import stored
from courtpath.web.cases.models import OPEN_STAGES, Case

DIGEST_DAYS = 14
CHUNK = 500  # rows per query of pk__in (SQLite's limit on parameters)


@dataclass(frozen=True)
class ItemView:
    """An item of the case page: the item, and whether its sealed values could be read."""

    item: AgendaItem
    readable: bool

    @property
    def due(self) -> Due | None:
        if not self.readable:
            return None
        return Due(self.item.case.code, self.item.kind, self.item.at, self.item.all_day, self.item.pk)


def item_problem(item: AgendaItem, code: str) -> stored.Unreadable | None:
    """Whether the item's sealed moment and note open (the edit form would show defaults for what does not)."""
    problem = stored.read(code, "records", lambda: (item.at, item.all_day, item.note))
    return problem if isinstance(problem, stored.Unreadable) else None


def _readable(item: AgendaItem, code: str) -> bool:
    try:
        item.at, item.all_day, item.note  # noqa: B018 - opens the sealed values once, here
    except stored.READ_ERRORS as error:
        stored.failed(code, "records", error)
        return False
    return item.at is not None


def case_items(case: Case) -> list[ItemView]:
    """The case's items, open ones first, each group by date; an item that cannot be read last."""
    items = [ItemView(item, _readable(item, case.code)) for item in case.agenda_items.select_related("case")]
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    return sorted(items, key=lambda view: (view.item.done, view.item.at if view.readable else far, view.item.pk))


def get_item(case: Case, pk: int) -> AgendaItem:
    """One item of the case; 404 for another case's item or an unknown one."""
    item = case.agenda_items.select_related("case", "data_key").filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


def open_items(user: User) -> QuerySet[AgendaItem]:
    """The items not yet done on the open cases the user may see."""
    cases = case_selectors.visible_cases(user).filter(stage__in=OPEN_STAGES)
    return AgendaItem.objects.filter(case__in=cases.values("pk"), done=False)


def _moment(item: AgendaItem, code: str) -> tuple[dt.datetime, bool] | None:
    try:
        at, all_day = item.at, item.all_day
    except stored.READ_ERRORS as error:
        stored.failed(code, "records", error)
        return None
    return None if at is None else (at, all_day)


def manual_due(user: User) -> list[Due]:
    """The open items of the user's cases as Due; an item that cannot be read is left out (its case page says so).

    The pages that list every case's deadlines call this on every view: the clear columns come in one query, and
    only the moments this process has not opened in the last keys.CACHE_SECONDS (agenda/memo.py) are loaded and
    opened, a chunk of rows per query."""
    found: list[Due] = []
    missing: dict[int, tuple[str, str, Hashable]] = {}
    for pk, kind, code, sealed in open_items(user).values_list("pk", "kind", "case__code", "when_sealed"):
        key = (pk, bytes(sealed[-16:]))
        kept = memo.moments.get(key)
        if kept is None:
            missing[pk] = (kind, code, key)
        else:
            found.append(Due(code, kind, kept[0], kept[1], pk))
    pks = list(missing)
    for start in range(0, len(pks), CHUNK):
        chunk = AgendaItem.objects.filter(pk__in=pks[start : start + CHUNK]).select_related("data_key")
        for item in chunk.only("pk", "data_key", "when_sealed"):
            kind, code, key = missing[item.pk]
            opened = _moment(item, code)
            if opened is not None:
                memo.moments.put(key, opened)
                found.append(Due(code, kind, opened[0], opened[1], item.pk))
    return found


def merged(computed: Iterable[Deadline], manual: Iterable[Due]) -> list[Due]:
    """Both lists in one, soonest first."""
    return sorted([*(Due.of_deadline(d) for d in computed), *manual], key=lambda due: (due.at, due.case_code))


def everything_due(user: User) -> list[Due]:
    """The computed deadlines of the user's open cases and their open items, soonest first (the calendar feed)."""
    computed = upcoming_deadlines(case_selectors.open_cases(user))
    return merged([d for d in computed if d.code != "unreadable"], manual_due(user))


def next_days(user: User, days: int = DIGEST_DAYS, now: dt.datetime | None = None) -> list[Due]:
    """What is due from now to the end of the `days`-th day (Moscow time), and items entered by hand that are past
    and not marked done (they still ask for something), soonest first: the 14-day page and the digest."""
    now = now or timezone.now()
    today = now.astimezone(MOSCOW).date()
    until = dt.datetime.combine(today + dt.timedelta(days=days + 1), dt.time(), tzinfo=MOSCOW)
    return [due for due in everything_due(user) if due.at < until and (due.ends > now or due.manual)]


def active_feed(user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


def digest_of(user: User) -> DigestSubscription | None:
    return DigestSubscription.objects.filter(user=user).select_related("data_key").first()
