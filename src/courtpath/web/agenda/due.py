"""One list of what is due: the deadlines computed from a case's assessment and stage (assessments/deadlines.py)
and the dates entered by hand (AgendaItem), in one shape for the dashboard, the 14-day page, the digest and the
calendar feed. A Due carries the case code, a kind and a moment: never a name, a fact or a note."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from courtpath.law.moments import MOSCOW
from courtpath.web.agenda.models import Kind
from courtpath.web.assessments.deadlines import Deadline


@dataclass(frozen=True)
class Due:
    case_code: str
    code: str  # a computed deadline's code, or the kind of an item entered by hand
    at: dt.datetime  # aware; a whole day: 00:00 Moscow time of that day
    all_day: bool = False
    item_id: int | None = None  # the AgendaItem, for those entered by hand

    @classmethod
    def of_deadline(cls, deadline: Deadline) -> Due:
        return cls(deadline.case_code, deadline.code, deadline.at)

    @property
    def manual(self) -> bool:
        return self.item_id is not None

    @property
    def label(self) -> str:
        if self.manual:
            return str(Kind(self.code).label) if self.code in Kind.values else self.code
        return Deadline(self.case_code, self.code, self.at).label

    @property
    def escalations(self) -> tuple[tuple[str, str], ...]:
        """The drafts (id, title in the page's language) a missed procedural term allows; () for anything else."""
        if self.manual:
            return ()
        from courtpath.web.cases.procedure import escalation_title
        from courtpath.web.vocabulary import page_language

        lang = page_language()
        drafts = Deadline(self.case_code, self.code, self.at).escalations
        return tuple((draft, escalation_title(draft, lang)) for draft in drafts)

    @property
    def day(self) -> dt.date:
        return self.at.astimezone(MOSCOW).date()

    @property
    def ends(self) -> dt.datetime:
        """When it is past: a whole day at its end (Moscow time), a moment at that moment."""
        if not self.all_day:
            return self.at
        return dt.datetime.combine(self.day + dt.timedelta(days=1), dt.time(), tzinfo=MOSCOW)

    @property
    def overdue(self) -> bool:
        if not self.manual and not Deadline(self.case_code, self.code, self.at).can_be_missed:
            return False
        return self.ends <= timezone.now()

    @property
    def uid(self) -> str:
        """Stable across fetches of the calendar feed: the item, or the case and the deadline's code."""
        if self.manual:
            return f"item-{self.item_id}-{self.case_code}@courtpath"
        return f"deadline-{self.code}-{self.case_code}@courtpath"
