"""Issue 14, "a case that keeps up with time": an absence still going on is assessed as of now on its page, on the
dashboard and by `courtpath reassess` (courtpath.web.assessments.reassess); a boundary passed is written on the
timeline and listed on the dashboard.

Time is moved forward with the case pages' clock (courtpath.web.clock.now); the cases are saved with the real clock,
so a case saved five minutes before its 10-day boundary is stale once the clock is an hour ahead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django.template.defaultfilters import date as date_filter
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from courtpath.web import clock
from courtpath.web.accounts.models import User
from courtpath.web.assessments import deadlines, reassess
from courtpath.web.assessments.validity import valid_until
from courtpath.web.audit.models import AuditEvent
from courtpath.web.cases import services
from courtpath.web.cases.models import Assessment, Case, CaseEvent, EventKind, Stage
from courtpath.web.statistics import memo

MOSCOW = dt.timezone(dt.timedelta(hours=3))


@pytest.fixture
def move_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[dt.timedelta], dt.datetime]]:
    """Move the case pages' clock to the real time plus `ahead`; returns the moment it shows."""
    deadlines.forget()

    def move(ahead: dt.timedelta) -> dt.datetime:
        moment = timezone.now() + ahead
        monkeypatch.setattr(clock, "now", lambda: moment)
        return moment

    yield move
    deadlines.forget()


def _case_near_the_10_day_boundary(world: dict[str, Any], lawyer: str = "lawyer1", minutes: int = 5) -> Case:
    """A mobilized serviceman absent for 10 days less `minutes`, saved now by his lawyer."""
    request = services.create_request(world["intake1"], channel="phone", relation="parent", summary="Выдуманный")
    case = services.convert_request(world["coordinator"], request, world[lawyer])
    left = timezone.now().astimezone(MOSCOW) - dt.timedelta(days=10) + dt.timedelta(minutes=minutes)
    services.update_case(world[lawyer], case, {"status": "mobilized", "left": left.replace(microsecond=0)})
    return case


def _latest(case: Case) -> Assessment:
    return Case.objects.get(pk=case.pk).assessments.order_by("-created_at", "-id")[0]


def _part(assessment: Assessment) -> str:
    return next(q["part"] for q in assessment.result_en["qualifications"] if q["primary"])


def _page(client: Client, case: Case) -> str:
    if settings.LANGUAGE_COOKIE_NAME not in client.cookies:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("cases:case_detail", args=[case.code]))
    assert response.status_code == 200
    return response.content.decode()


def _dashboard(client: Client) -> str:
    if settings.LANGUAGE_COOKIE_NAME not in client.cookies:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("cases:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_case_page_shows_the_part_as_of_now(
    world: dict[str, Any], login: Callable[..., object], client: Client, move_clock: Callable[..., dt.datetime]
) -> None:
    case = _case_near_the_10_day_boundary(world)
    login(client, world["lawyer1"])
    _page(client, case)
    saved = _latest(case)
    assert _part(saved) == "2.1" and saved.created_by == world["lawyer1"]  # five minutes before the boundary

    move_clock(dt.timedelta(hours=1))
    page = _page(client, case)
    now = _latest(case)
    assert now.pk != saved.pk and _part(now) == "3.1"  # art. 337 part 3.1: more than 10 days, mobilized
    assert now.created_by is None  # the system's, not the viewer's
    assert now.result_en["absence"]["band"] == "B"
    assert "3.1" in page and "passed the 10-day boundary" in page

    _page(client, case)  # the fresh assessment is valid until the next boundary: no new one
    assert _latest(case).pk == now.pk
    assert case.assessments.count() == 2


def test_a_fresh_assessment_is_not_replaced(
    world: dict[str, Any], login: Callable[..., object], client: Client, move_clock: Callable[..., dt.datetime]
) -> None:
    case = _case_near_the_10_day_boundary(world, minutes=90)
    login(client, world["lawyer1"])
    move_clock(dt.timedelta(hours=1))  # still 30 minutes before the boundary
    _page(client, case)
    _dashboard(client)
    assert case.assessments.count() == 1
    assert reassess.reassess_open_cases().reassessed == 0


def test_the_boundary_is_written_on_the_timeline_sealed(
    world: dict[str, Any],
    login: Callable[..., object],
    client: Client,
    move_clock: Callable[..., dt.datetime],
    db_contains: Callable[[str], bool],
) -> None:
    case = _case_near_the_10_day_boundary(world)
    move_clock(dt.timedelta(hours=1))
    done = reassess.reassess_case(case.pk)
    assert done is not None and done.changed
    event = CaseEvent.objects.get(case=case, kind=EventKind.BOUNDARY)
    assert event.actor is None and event.stage == case.stage
    boundary = dt.datetime.fromisoformat(event.params["at"])
    assert boundary == case.left + dt.timedelta(days=10)
    assert event.params["boundary"] == "B"
    assert event.params["before"]["part"] == "2.1" and event.params["after"]["part"] == "3.1"
    assert not db_contains('"boundary"')  # the params are sealed
    audit = AuditEvent.objects.filter(object_type="assessment", fields="reassessment").get()
    assert audit.actor_id is None and audit.object_id == f"{case.code}/{done.assessment.pk}"

    login(client, world["lawyer1"])
    moscow = boundary.astimezone(MOSCOW)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = _page(client, case)
    at = moscow.strftime("%Y-%m-%d %H:%M")
    sentence = f"The absence passed the 10-day boundary on {at} MSK: now art. 337 part 3.1 (was art. 337 part 2.1)."
    assert sentence in english
    assert "Imprisonment up to 7\u00a0years." in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    russian = _page(client, case)
    assert (
        f"С {moscow.strftime('%d.%m.%Y %H:%M')} МСК отсутствие длится более 10\u00a0суток" in russian
        and "ч.\u00a03.1 ст.\u00a0337" in russian
    )


def test_the_dashboard_reassesses_lapsed_cases_and_lists_the_boundaries(
    world: dict[str, Any], login: Callable[..., object], client: Client, move_clock: Callable[..., dt.datetime]
) -> None:
    case = _case_near_the_10_day_boundary(world)
    login(client, world["lawyer1"])
    before = _dashboard(client)  # the deadlines of this case are kept by the process (deadlines._memo)
    assert "Boundaries passed" not in before
    boundary = case.left + dt.timedelta(days=10)
    with translation.override("en"):  # the dashboard's date cell, in the page's language and format
        row = '">' + date_filter(boundary.astimezone(timezone.get_current_timezone()), "SHORT_DATETIME_FORMAT")
    assert row in before

    move_clock(dt.timedelta(hours=1))
    after = _dashboard(client)
    assert _part(_latest(case)) == "3.1"
    # The kept deadlines are not shown: the 10-day boundary is gone, the 1-month one is next.
    assert row not in after
    assert "Boundaries passed in the last 7 days" in after
    assert case.code in after and "passed the 10-day boundary" in after


def test_one_dashboard_view_reassesses_a_bounded_number(
    world: dict[str, Any],
    login: Callable[..., object],
    client: Client,
    move_clock: Callable[..., dt.datetime],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cases = [_case_near_the_10_day_boundary(world, minutes=5 + n) for n in range(3)]
    monkeypatch.setattr(reassess, "PER_VIEW", 2)
    login(client, world["coordinator"])
    move_clock(dt.timedelta(hours=1))
    _dashboard(client)
    assert sum(case.assessments.count() == 2 for case in cases) == 2
    assert cases[2].assessments.count() == 1  # the latest to lapse waits for the next view or the timer
    _dashboard(client)
    assert all(case.assessments.count() == 2 for case in cases)


def test_each_sees_only_the_boundaries_of_their_own_cases(
    world: dict[str, Any], login: Callable[..., object], client: Client, move_clock: Callable[..., dt.datetime]
) -> None:
    mine = _case_near_the_10_day_boundary(world, "lawyer1")
    theirs = _case_near_the_10_day_boundary(world, "lawyer2")
    move_clock(dt.timedelta(hours=1))
    assert reassess.reassess_open_cases().changed == 2
    passed = "passed the 10-day boundary"
    login(client, world["lawyer1"])
    page = _dashboard(client)
    assert page.count(passed) == 1 and mine.code in page and theirs.code not in page
    assert client.get(reverse("cases:case_detail", args=[theirs.code])).status_code == 404
    login(client, world["coordinator"])
    page = _dashboard(client)
    assert page.count(passed) == 2 and mine.code in page and theirs.code in page
    for role in ("admin", "intake1"):  # see no case data
        login(client, world[role])
        page = _dashboard(client)
        assert passed not in page and mine.code not in page and theirs.code not in page


def test_a_second_run_changes_nothing(world: dict[str, Any], move_clock: Callable[..., dt.datetime]) -> None:
    cases = [_case_near_the_10_day_boundary(world, minutes=5 + n) for n in range(3)]
    ended = _case_near_the_10_day_boundary(world)
    services.update_case(world["lawyer1"], ended, {"returned": timezone.now().replace(microsecond=0)})
    move_clock(dt.timedelta(hours=1))
    first = reassess.reassess_open_cases()
    # world's own case (absent since 10.11.2026) is fresh; the ended absence is never stale.
    assert (first.open_cases, first.ongoing, first.reassessed, first.changed) == (5, 4, 3, 3)
    assessments, events = Assessment.objects.count(), CaseEvent.objects.count()
    second = reassess.reassess_open_cases()
    assert (second.reassessed, second.changed) == (0, 0)
    assert (Assessment.objects.count(), CaseEvent.objects.count()) == (assessments, events)
    assert all(_part(_latest(case)) == "3.1" for case in cases)
    forced = reassess.reassess_open_cases(all_cases=True)
    assert (forced.reassessed, forced.changed) == (4, 0)  # every absence going on, none changed: no new event
    assert CaseEvent.objects.count() == events


def test_closed_cases_are_left_alone(world: dict[str, Any], move_clock: Callable[..., dt.datetime]) -> None:
    case = _case_near_the_10_day_boundary(world)
    services.change_stage(world["coordinator"], case, Stage.LOST_CONTACT)
    move_clock(dt.timedelta(hours=1))
    assert reassess.reassess_open_cases().reassessed == 0
    assert reassess.reassess_case(case.pk) is None


def test_an_edit_made_meanwhile_is_not_lost(world: dict[str, Any], move_clock: Callable[..., dt.datetime]) -> None:
    """The page loaded the case; before its reassessment a user saved new facts (the absence ended): the
    reassessment reads the case again under its lock and leaves the user's assessment the latest."""
    case = _case_near_the_10_day_boundary(world)
    move_clock(dt.timedelta(hours=1))
    loaded = Case.objects.get(pk=case.pk)
    stale = _latest(case)
    edited = Case.objects.get(pk=case.pk)
    returned = timezone.now().replace(microsecond=0)
    services.update_case(world["lawyer1"], edited, {"returned": returned})
    shown = reassess.as_of_now(loaded, stale)
    assert shown is not None and shown.created_by == world["lawyer1"]
    assert _latest(case).created_by == world["lawyer1"]
    assert Case.objects.get(pk=case.pk).returned == returned


def test_an_edit_after_a_reassessment_stays_the_latest(
    world: dict[str, Any], move_clock: Callable[..., dt.datetime]
) -> None:
    """A user who loaded the case before the reassessment and saves after it: the edit's facts and assessment win."""
    case = _case_near_the_10_day_boundary(world)
    loaded_by_user = Case.objects.get(pk=case.pk)
    move_clock(dt.timedelta(hours=1))
    assert reassess.reassess_case(case.pk) is not None
    returned = timezone.now().replace(microsecond=0)
    services.update_case(world["lawyer1"], loaded_by_user, {"returned": returned})
    latest = _latest(case)
    assert latest.created_by == world["lawyer1"] and latest.result_en["facts"]["returned"] is not None
    assert Case.objects.get(pk=case.pk).returned == returned


def test_a_change_drops_the_statistics_kept(
    world: dict[str, Any],
    move_clock: Callable[..., dt.datetime],
    settings: Any,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    settings.COURTPATH_STATISTICS_CACHE_SECONDS = 300
    case = _case_near_the_10_day_boundary(world)
    memo.figures("page", lambda: {"cases": 1})
    assert memo._figures
    move_clock(dt.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert reassess.reassess_case(case.pk) is not None
    assert not memo._figures


def test_validity_ends_at_each_boundary_and_a_day_either_side() -> None:
    left = dt.datetime(2026, 11, 10, 8, 0, tzinfo=MOSCOW)
    day = dt.timedelta(days=1)
    assert valid_until(left, None, left + dt.timedelta(hours=1)) == left + day  # 2 days, less 24 hours
    assert valid_until(left, None, left + 2 * day) == left + 2 * day  # at the boundary: still the lower band
    assert valid_until(left, None, left + 2 * day + dt.timedelta(minutes=1)) == left + 3 * day
    assert valid_until(left, None, left + 10 * day + dt.timedelta(hours=25)) == dt.datetime(
        2026, 12, 9, 8, 0, tzinfo=MOSCOW
    )  # a month (10.12 08:00) less 24 hours
    assert valid_until(left, left + day, left + 5 * day) is None  # an ended absence never goes stale


def test_users_are_not_credited_with_system_reassessments(
    world: dict[str, Any], move_clock: Callable[..., dt.datetime]
) -> None:
    case = _case_near_the_10_day_boundary(world)
    move_clock(dt.timedelta(hours=1))
    reassess.reassess_open_cases()
    viewer: User = world["lawyer1"]
    assert not AuditEvent.objects.filter(actor=viewer, object_type="assessment").exists()
    assert _latest(case).created_by is None


def test_a_case_that_cannot_be_read_is_counted_and_the_others_reassessed(
    world: dict[str, Any], move_clock: Callable[..., dt.datetime], caplog: pytest.LogCaptureFixture
) -> None:
    broken = _case_near_the_10_day_boundary(world)
    fine = _case_near_the_10_day_boundary(world)
    Case.objects.filter(pk=broken.pk).update(facts_sealed=b"not a sealed value")
    move_clock(dt.timedelta(hours=1))
    summary = reassess.reassess_open_cases()
    assert (summary.unreadable, summary.reassessed) == (1, 1)
    assert _part(_latest(fine)) == "3.1" and broken.assessments.count() == 1
    assert f"case {broken.code}: assessment could not be read (SealedValueError)" in caplog.text
