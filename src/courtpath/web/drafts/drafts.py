"""A case as a DraftContext for the document drafts (courtpath.drafting), plus what staff add for one download.

The identity fields are read with getattr(case, name, "") so that the drafts keep working whatever the case model
holds; nothing here writes to the case. The signer is the case's lawyer (else the staff member making the draft),
with the staff profile and the organisation (accounts.selectors.draft_profile). The days of the procedure come from
the case's recorded events, the last days of their terms from the law engine (web/cases/procedure.py). What staff
type in the drafts form (a family member's name, the list of documents, …) is used for the one document and never
stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from functools import cache

from django.utils import timezone

from courtpath.drafting import DraftContext
from courtpath.drafting.context import parse_sex
from courtpath.law.facts import AbsenceKind
from courtpath.web.cases.models import Case

CASE_TEXT_FIELDS = {  # DraftContext field -> Case attribute
    "client_surname": "client_surname",
    "client_given_name": "client_given_name",
    "client_patronymic": "client_patronymic",
    "client_rank": "client_rank",
    "military_unit": "military_unit",
    "investigative_body": "investigator",
}
EXTRA_FIELDS = (  # what the drafts form may add or override, never stored
    "lawyer_name",
    "lawyer_details",
    "investigative_body",
    "court_name",
    "prosecutor_office",
    "commander",
    "criminal_case_number",
    "charge",
    "inaction",
    "family_addressee_name",
    "requested_steps",
    "attachments",
    "place",
)
LIST_EXTRAS = ("attachments", "requested_steps")  # one entry per line
# The day of the latest recorded event of each kind, under the drafts' field names.
EVENT_DAYS = {
    "report_date": "report_filed",
    "case_opened_date": "case_opened",
    "charged_date": "charged",
    "suspension_date": "case_suspended",
    "detained_date": "detained",
    "returned_to_unit_date": "returned_to_unit",
}
# The last day of a running term, under the drafts' field names. (The family letter works out the appeal's last day
# from the verdict itself: for a convict in custody the engine counts from the copy he received, which the letter's
# wording, "from the day of the verdict", does not say.)
TERM_DAYS = {"report_decision_due": "report_decision_due"}


@cache
def court_names() -> dict[str, str]:
    from courtpath.analytics.courts import court_directory

    return dict(court_directory().select("court_id", "court_name").iter_rows())


def _text(case: object, name: str) -> str:
    value = getattr(case, name, "")
    return " ".join(str(value).split()) if value else ""


def _local_date(moment: object) -> dt.date | None:
    if isinstance(moment, dt.datetime):
        return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    if isinstance(moment, dt.date):
        return moment
    return None


def _procedure_days(case: object) -> dict[str, dt.date]:
    """The days of the case's recorded events and the last days of its running terms (EVENT_DAYS, TERM_DAYS)."""
    from courtpath.web.cases import procedure

    if not isinstance(case, Case):
        return {}
    events = procedure.events_of(case)
    days: dict[str, dt.date] = {}
    for field, code in EVENT_DAYS.items():
        found = [event.on for event in events if event.code == code]
        if found:
            days[field] = found[-1]
    terms = {term.code: term.end.day for term in procedure.running(events)}
    for field, code in TERM_DAYS.items():
        if code in terms:
            days[field] = terms[code]
    return days


def draft_context_for(case: object, today: dt.date | None = None, signer: object = None) -> DraftContext:
    """What the case knows, in the drafts' terms; `signer` is who makes the draft (the case's lawyer signs when it
    has one)."""
    from courtpath.web.accounts.selectors import draft_profile

    values: dict[str, object] = {field: _text(case, attribute) for field, attribute in CASE_TEXT_FIELDS.items()}
    try:
        values["client_sex"] = parse_sex(getattr(case, "client_sex", ""), "client_sex")
    except ValueError:
        values["client_sex"] = None  # an unexpected stored value: the name shows the sex
    birth = getattr(case, "client_birth_date", None)
    values["client_birth_date"] = birth if isinstance(birth, dt.date) else None
    values["court_name"] = court_names().get(_text(case, "court_id").upper(), "")
    values.update(draft_profile(getattr(case, "lawyer", None) or signer))
    values["absence_start"] = _local_date(getattr(case, "left", None))
    kind = _text(case, "absence_kind")
    values["absence_kind"] = kind if kind in {k.value for k in AbsenceKind} else ""
    surrendered = getattr(case, "surrendered", False)
    values["surrender_date"] = _local_date(getattr(case, "returned", None)) if surrendered else None
    values["verdict_date"] = _local_date(getattr(case, "verdict_date", None))
    values["case_code"] = _text(case, "code")
    values["document_date"] = today or timezone.localdate()
    values.update(_procedure_days(case))
    return DraftContext(**values)  # type: ignore[arg-type]


def with_extras(context: DraftContext, extras: Mapping[str, object]) -> DraftContext:
    """The context with what staff typed for this document; an empty entry keeps the case's value."""
    changes: dict[str, object] = {}
    for name in EXTRA_FIELDS:
        value = extras.get(name)
        if name in LIST_EXTRAS:
            items = tuple(line.strip() for line in str(value or "").splitlines() if line.strip())
            if items:
                changes[name] = items
        elif value and str(value).strip():
            changes[name] = " ".join(str(value).split())
    return replace(context, **changes)
