"""A case as a DraftContext for the document drafts (courtpath.drafting), plus what staff add for one download.

The identity fields are read with getattr(case, name, "") so that the drafts keep working whatever the case model
holds; nothing here writes to the case. What staff type in the drafts form (a family member's name, the list of
documents, …) is used for the one document and never stored.
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
    "criminal_case_number",
    "charge",
    "family_addressee_name",
    "attachments",
    "place",
)


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


def _lawyer_name(case: object) -> str:
    lawyer = getattr(case, "lawyer", None)
    if lawyer is None:
        return ""
    return " ".join(p for p in (lawyer.last_name.strip(), lawyer.first_name.strip()) if p)


def draft_context_for(case: object, today: dt.date | None = None) -> DraftContext:
    """What the case knows, in the drafts' terms."""
    values: dict[str, object] = {field: _text(case, attribute) for field, attribute in CASE_TEXT_FIELDS.items()}
    try:
        values["client_sex"] = parse_sex(getattr(case, "client_sex", ""), "client_sex")
    except ValueError:
        values["client_sex"] = None  # an unexpected stored value: the name shows the sex
    birth = getattr(case, "client_birth_date", None)
    values["client_birth_date"] = birth if isinstance(birth, dt.date) else None
    values["court_name"] = court_names().get(_text(case, "court_id").upper(), "")
    values["lawyer_name"] = _lawyer_name(case)
    values["absence_start"] = _local_date(getattr(case, "left", None))
    kind = _text(case, "absence_kind")
    values["absence_kind"] = kind if kind in {k.value for k in AbsenceKind} else ""
    surrendered = getattr(case, "surrendered", False)
    values["surrender_date"] = _local_date(getattr(case, "returned", None)) if surrendered else None
    values["verdict_date"] = _local_date(getattr(case, "verdict_date", None))
    values["case_code"] = _text(case, "code")
    values["document_date"] = today or timezone.localdate()
    return DraftContext(**values)  # type: ignore[arg-type]


def with_extras(context: DraftContext, extras: Mapping[str, object]) -> DraftContext:
    """The context with what staff typed for this document; an empty entry keeps the case's value."""
    changes: dict[str, object] = {}
    for name in EXTRA_FIELDS:
        value = extras.get(name)
        if name == "attachments":
            items = tuple(line.strip() for line in str(value or "").splitlines() if line.strip())
            if items:
                changes[name] = items
        elif value and str(value).strip():
            changes[name] = " ".join(str(value).split())
    return replace(context, **changes)
