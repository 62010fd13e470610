"""Statistics: the charts page and the CSV export show aggregates only, never a case's code or a name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from courtpath.web.audit.models import AuditEvent
from courtpath.web.cases import services
from courtpath.web.cases.models import Stage


def test_statistics_show_charts_and_export_only_aggregates(
    world: dict[str, object], login: Callable[..., object], client: Client
) -> None:
    case = world["case"]
    services.update_case(
        world["lawyer1"],
        case,
        {
            "court_id": "54GV0003",
            "verdict_date": dt.date(2027, 3, 1),
            "sentence_type": "imprisonment",
            "sentence_months": 40,
            "sentence_suspended": False,
        },
    )
    services.change_stage(world["lawyer1"], case, Stage.IN_FORCE)
    login(client, world["coordinator"])
    page = client.get(reverse("statistics:page")).content.decode()
    assert page.count("<svg") == 8
    assert "Алтайский край" in page  # the region of the Barnaul court, from the directory
    assert case.code not in page
    exported = client.get(reverse("statistics:export")).content.decode()
    assert "requests_per_month" in exported and case.code not in exported and "Канарейкин" not in exported
    assert AuditEvent.objects.filter(action="export", object_type="statistics").exists()
