"""Issue 17, item 11: the number of SQL queries of the coordinator's pages does not grow with the number of cases.

The per-process cache of data keys is emptied before each request, as a process that scans more cases than it holds
keys (keys.CACHE_SIZE) always finds it: every data key a page needs must come with the rows it seals, never one
query per case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from courtpath.web.accounts.models import User
from courtpath.web.assessments import deadlines
from courtpath.web.cases import derived, listing, selectors, services
from courtpath.web.cases.models import Case, Stage
from courtpath.web.vault import keys

MOSCOW = dt.timezone(dt.timedelta(hours=3))
STAGES = (Stage.FIRST_CONTACT, Stage.TRIAL, Stage.VERDICT, Stage.IN_FORCE)


def add_cases(world: dict[str, Any], count: int) -> None:
    """`count` cases made as staff make them: facts (so an assessment), every other one edited again (a second
    assessment), at various stages, with a verdict date where a verdict is recorded."""
    coordinator: User = world["coordinator"]
    for number in range(count):
        request = services.create_request(world["intake1"], channel="phone", relation="self", summary="Выдуманный")
        case = services.convert_request(coordinator, request, world["lawyer1"])
        left = dt.datetime(2026, 1, 5, 8, 0, tzinfo=MOSCOW) + dt.timedelta(days=number)
        services.update_case(coordinator, case, {"status": "mobilized", "left": left})
        if number % 2:
            services.update_case(coordinator, case, {"first_offence": False, "verdict_date": dt.date(2026, 11, 2)})
        services.change_stage(coordinator, case, STAGES[number % len(STAGES)])


def queries_of(client: Client, url: str) -> int:
    """The SQL statements of one request, with a cold data-key cache and no deadlines, analytics records or case-list
    summaries kept from an earlier view."""
    keys.forget_cached_keys()
    deadlines.forget()
    listing.forget()
    derived.empty_all()  # and none kept in the database: every case's values are worked out
    executed: list[str] = []

    def count(execute: Callable[..., object], sql: str, *rest: object) -> object:
        executed.append(sql)
        return execute(sql, *rest)

    with connection.execute_wrapper(count):
        response = client.get(url)
    assert response.status_code == 200, url
    return len(executed)


def test_the_coordinators_pages_make_as_many_queries_at_60_cases_as_at_10(
    world: dict[str, Any], login: Callable[..., object], client: Client
) -> None:
    add_cases(world, 9)  # and the world's case: 10
    case = Case.objects.get(pk=world["case"].pk)
    urls = {
        "dashboard": reverse("cases:dashboard"),
        "statistics": reverse("statistics:page"),
        "statistics CSV": reverse("statistics:export"),
        "case list": reverse("cases:case_list"),
        "case page": reverse("cases:case_detail", args=[case.code]),
        "request list (with previews)": reverse("cases:request_list"),
    }
    login(client, world["coordinator"])
    for url in urls.values():
        client.get(url)  # the first request of a page may load what the process caches (templates, directories)
    few = {page: queries_of(client, url) for page, url in urls.items()}
    add_cases(world, 50)
    assert Case.objects.count() == 60
    many = {page: queries_of(client, url) for page, url in urls.items()}
    assert many == few


@pytest.mark.parametrize("role", ["lawyer1", "coordinator"])
def test_the_dashboard_reads_only_the_latest_assessment_of_each_open_case(
    role: str, world: dict[str, Any], login: Callable[..., object], client: Client
) -> None:
    """The deadlines come from each open case's latest assessment: an older one, or a closed case, is not loaded."""
    add_cases(world, 4)
    login(client, world[role])
    cases = list(selectors.cases_with_assessments(world[role]))
    assert cases and all(case.is_open for case in cases)
    for case in cases:
        loaded = selectors.loaded_latest_assessment(case)
        assert loaded == selectors.latest_assessment(case)
        assert len(case.latest_assessments) <= 1
    assert any(case.assessments.count() > 1 for case in cases)
    assert client.get(reverse("cases:dashboard")).status_code == 200
