"""The dashboards keep each case's deadlines for keys.CACHE_SECONDS (assessments/deadlines.py): a second view opens
no answer; a change of the facts, the stage or the assessment, or the time passing, makes them worked out again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from test_page_queries import add_cases

from courtpath.web import timed_memo
from courtpath.web.assessments import deadlines
from courtpath.web.cases import services
from courtpath.web.cases.models import Case, Stage


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The codes of the cases whose deadlines were worked out from their stored values."""
    deadlines.forget()
    calls: list[str] = []
    real = deadlines.case_deadlines

    def counted(case: Case, assessment: object) -> list[deadlines.Deadline]:
        calls.append(case.code)
        return real(case, assessment)  # type: ignore[arg-type]

    monkeypatch.setattr(deadlines, "case_deadlines", counted)
    yield calls
    deadlines.forget()


def _dashboard(client: Client) -> str:
    response = client.get(reverse("cases:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_second_view_opens_no_case_and_shows_the_same(
    opened: list[str], world: dict[str, Any], login: Callable[..., object], client: Client
) -> None:
    add_cases(world, 6)
    login(client, world["coordinator"])
    first = _dashboard(client)
    assert opened
    opened.clear()
    second = _dashboard(client)
    assert opened == []
    assert first.count("<tr") == second.count("<tr")


def test_a_change_of_facts_or_stage_is_seen_at_once(
    opened: list[str], world: dict[str, Any], login: Callable[..., object], client: Client
) -> None:
    add_cases(world, 3)
    case = Case.objects.filter(stage=Stage.FIRST_CONTACT).first() or world["case"]
    login(client, world["coordinator"])
    _dashboard(client)
    opened.clear()
    services.update_case(world["coordinator"], case, {"returned": dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)})
    _dashboard(client)
    assert opened == [case.code]
    opened.clear()
    services.change_stage(world["coordinator"], case, Stage.AGREEMENT)
    _dashboard(client)
    assert opened == [case.code]


def test_kept_deadlines_expire_with_the_key_cache(
    opened: list[str],
    monkeypatch: pytest.MonkeyPatch,
    world: dict[str, Any],
    login: Callable[..., object],
    client: Client,
) -> None:
    add_cases(world, 2)
    login(client, world["coordinator"])
    _dashboard(client)
    opened.clear()
    later = timed_memo.time.monotonic() + deadlines.keys.CACHE_SECONDS + 1
    monkeypatch.setattr(timed_memo.time, "monotonic", lambda: later)
    _dashboard(client)
    assert opened  # worked out again, and nothing older than the key cache is left in memory
    assert all(now_kept[0] == later for now_kept in deadlines._memo.entries.values())
