"""Statistics: the charts page and the CSV export show aggregates only, never a case's code or a name."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courtpath.web.audit.models import AuditEvent
from courtpath.web.cases import services
from courtpath.web.cases.models import Case, CaseEvent, Stage
from courtpath.web.statistics.stats import median_days_per_stage


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


def _one_sentenced_case(world: dict[str, object]) -> object:
    """The red team's setting: one case, with its part (an assessment), verdict month, region and sentence."""
    case = world["case"]
    services.update_case(
        world["lawyer1"],
        case,
        {
            "court_id": "54GV0003",
            "verdict_date": dt.date(2026, 10, 15),
            "sentence_type": "imprisonment",
            "sentence_months": 40,
            "sentence_suspended": False,
        },
    )
    services.change_stage(world["lawyer1"], case, Stage.IN_FORCE)
    assert services.save_assessment(world["lawyer1"], case) is not None
    return case


SMALL_CELL = re.compile(r"<td(?: [^>]*)?>[0-4]</td>")  # with or without the cell's data-label


def test_an_administrator_sees_no_small_count_of_the_one_case(
    world: dict[str, object], login: Callable[..., object], client: Client
) -> None:
    case = _one_sentenced_case(world)
    login(client, world["admin"])
    page = client.get(reverse("statistics:page")).content.decode()
    assert "<svg" not in page  # a bar's length is its value
    assert "<table>" in page and "&lt;5" in page
    assert SMALL_CELL.findall(page) == []
    assert "Алтайский край" not in page  # a region under 5 is pooled, unnamed
    assert "ч. 5 ст. 337" not in page and "part 5" not in page
    assert re.search(r"\b1 (заявк|request)", page) is None and case.code not in page
    exported = client.get(reverse("statistics:export")).content.decode()
    rows = list(csv.reader(io.StringIO(exported)))
    assert rows[0] == ["table", "key", "column", "value"]
    assert {row[3] for row in rows[1:]} <= {"<5", "x", "—"}  # with one case, every count is small
    assert "Алтайский край" not in exported and "337" not in exported and case.code not in exported
    assert AuditEvent.objects.filter(action="export", object_type="statistics").exists()


def test_a_coordinator_sees_the_exact_counts_of_the_one_case(
    world: dict[str, object], login: Callable[..., object], client: Client
) -> None:
    _one_sentenced_case(world)
    login(client, world["coordinator"])
    page = client.get(reverse("statistics:page")).content.decode()
    assert page.count("<svg") == 8 and "Алтайский край" in page and "&lt;5" not in page
    exported = list(csv.reader(io.StringIO(client.get(reverse("statistics:export")).content.decode())))
    assert ["closed_cases_by_outcome", "Приговор вступил в законную силу", "1", "1"] in exported


def test_an_administrator_sees_counts_of_five_or_more(
    world: dict[str, object], login: Callable[..., object], client: Client
) -> None:
    for number in range(5):  # six requests this month, with the world's
        services.create_request(world["intake1"], channel="phone", relation="parent", summary=f"Вымышленный {number}")
    login(client, world["admin"])
    page = client.get(reverse("statistics:page")).content.decode()
    this_month = timezone.localdate().strftime("%m.%Y")
    assert re.search(rf'<th scope="row">{re.escape(this_month)}</th><td(?: [^>]*)?>6</td>', page)
    assert "Обращений: 6, дел: &lt;5." in page


def test_median_days_per_stage_counts_each_completed_stay(world: dict[str, object]) -> None:
    """Two cases move through stages at set moments (one across a change of month and of the time zone's day); the
    medians are those of the stays, in days, and a stage still going on is no completed stay."""
    start = dt.datetime(2026, 3, 31, 22, 30, tzinfo=dt.UTC)
    stays = {  # per case: the stages entered, each after the given days
        "first": [(Stage.FIRST_CONTACT, 0), (Stage.AGREEMENT, 2.5), (Stage.SURRENDER, 1)],
        "second": [(Stage.FIRST_CONTACT, 0), (Stage.AGREEMENT, 4.5), (Stage.SURRENDER, 3)],
    }
    for name, path in stays.items():
        request = services.create_request(world["intake1"], channel="phone", relation="self", summary=name)
        case = services.convert_request(world["coordinator"], request, world["lawyer1"])
        for stage, _days in path[1:]:
            services.change_stage(world["coordinator"], case, stage)
        moment = start
        for event, (_stage, days) in zip(case.events.order_by("at", "id"), path, strict=True):
            moment += dt.timedelta(days=days)
            CaseEvent.objects.filter(pk=event.pk).update(at=moment)
    medians = {label: (days, n) for label, days, n in median_days_per_stage(Case.objects.exclude(pk=world["case"].pk))}
    assert medians == {Stage.FIRST_CONTACT.label: (3.5, 2), Stage.AGREEMENT.label: (2.0, 2)}
