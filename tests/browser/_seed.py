"""Cases made through the services (not the pages), for browser tests that only look at them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from courtpath.web.accounts.models import User
from courtpath.web.cases import services
from courtpath.web.cases.models import Case

MSK = ZoneInfo("Europe/Moscow")


def days_ago(days: float) -> dt.datetime:
    return (dt.datetime.now(MSK) - dt.timedelta(days=days)).replace(second=0, microsecond=0)


def absent_case(intake: User, coordinator: User, lawyer: User, *, days: float = 4, status: str = "mobilized") -> Case:
    """A request taken to a case for `lawyer`: a serviceman who left his unit `days` ago and is still away."""
    request = services.create_request(intake, channel="phone", relation="parent", summary="Сын не вернулся в часть.")
    case = services.convert_request(coordinator, request, lawyer)
    services.update_case(lawyer, case, {"status": status, "left": days_ago(days), "returned": None})
    services.add_note(lawyer, case, "Позвонить матери в пятницу. " * 8)
    return case


def returned_case(intake: User, coordinator: User, lawyer: User, *, days: float = 40) -> Case:
    """A contract serviceman who came back after `days - 20` days and was sentenced; the case is at the verdict."""
    request = services.create_request(intake, channel="email", relation="self", summary="")
    case = services.convert_request(coordinator, request, lawyer)
    services.update_case(
        lawyer,
        case,
        {
            "status": "contract",
            "left": days_ago(days),
            "returned": days_ago(20),
            "surrendered": True,
            "verdict_date": days_ago(3).date(),
            "sentence_type": "imprisonment",
            "sentence_months": 24,
            "sentence_suspended": True,
        },
    )
    services.change_stage(lawyer, case, "verdict")
    return case
