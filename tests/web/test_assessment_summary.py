"""Issue 14, "Measured": the pages over every case read each latest assessment's sealed summary
(assessments/summary.py) instead of its whole answer. What they show must be what the whole answer gives: the
deadlines and the statistics are compared with and without the summaries (an installation upgraded from a version
without them), and `courtpath reassess` writes the missing ones."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from polars.testing import assert_frame_equal
from test_page_queries import add_cases

from courtpath.law.answer import read_answer
from courtpath.web.assessments import deadlines, summary
from courtpath.web.assessments.reassess import fill_missing_summaries
from courtpath.web.cases import derived, listing, selectors, services
from courtpath.web.cases.models import Assessment, Case, DerivedIndex, Stage
from courtpath.web.statistics.stats import case_records
from courtpath.web.vault import keys

MOSCOW = dt.timezone(dt.timedelta(hours=3))


def _varied_cases(world: dict[str, Any]) -> None:
    """Cases whose deadlines differ in every way the summary decides: absent or returned, before surrender or after,
    with a verdict or not, at a closed stage; one has no facts at all (no assessment)."""
    add_cases(world, 8)
    coordinator = world["coordinator"]
    for number, stage in enumerate((Stage.FIRST_CONTACT, Stage.AGREEMENT, Stage.APPEAL, Stage.DISCHARGED)):
        request = services.create_request(world["intake1"], channel="phone", relation="self", summary="Выдуманный")
        case = services.convert_request(coordinator, request, world["lawyer1"])
        left = dt.datetime.now(MOSCOW).replace(microsecond=0) - dt.timedelta(days=3 + 9 * number)
        changes: dict[str, object] = {"status": "contract", "left": left}
        if number % 2:
            changes["returned"] = left + dt.timedelta(days=2, hours=3)
        if stage == Stage.APPEAL:
            changes |= {"verdict_date": dt.date.today() - dt.timedelta(days=4), "court_id": "", "sentence_months": 30}
        services.update_case(coordinator, case, changes)
        services.change_stage(coordinator, case, stage)
    request = services.create_request(world["intake1"], channel="phone", relation="self", summary="Выдуманный")
    services.convert_request(coordinator, request, world["lawyer1"])  # no facts: no assessment


def _without_summaries() -> int:
    """Empty every summary column, as the rows of a version before summaries are."""
    return Assessment.objects.update(summary_sealed=b"")


def _all_deadlines(user: object) -> list[deadlines.Deadline]:
    """The deadlines of the user's open cases, worked out now: nothing kept in the process or the sealed index."""
    keys.forget_cached_keys()
    deadlines.forget()
    derived.empty_all()
    return deadlines.upcoming_deadlines(selectors.open_cases(user))  # type: ignore[arg-type]


def test_a_saved_assessment_carries_the_summary_of_its_answer(world: dict[str, Any]) -> None:
    _varied_cases(world)
    assessments = list(Assessment.objects.all())
    assert assessments
    for assessment in assessments:
        answer = read_answer(assessment.result_en)
        kept = summary.decode(assessment.summary)
        assert kept is not None
        assert kept.ended == (answer.facts.returned is not None)
        assert [(k.code, k.at, k.passed) for k in kept.key_dates] == [
            (k.code, k.at, k.passed) for k in answer.key_dates
        ]
        primary = next((q for q in answer.qualifications if q.primary), None)
        assert (kept.article, kept.part) == ((primary.article, primary.part) if primary else (None, None))


@pytest.mark.parametrize("role", ["coordinator", "lawyer1"])
def test_the_deadlines_from_summaries_are_those_from_whole_answers(world: dict[str, Any], role: str) -> None:
    _varied_cases(world)
    from_summaries = _all_deadlines(world[role])
    assert {d.code for d in from_summaries} >= {"band_over_10_days_from", "limitation_expires", "appeal_window_ends"}
    assert _without_summaries() > 0
    assert _all_deadlines(world[role]) == from_summaries
    listed = list(selectors.cases_with_assessments(world[role]))  # the model path, as the case list reads a page
    assert deadlines.upcoming_deadlines(listed) == from_summaries


def test_the_statistics_from_summaries_are_those_from_whole_answers(world: dict[str, Any]) -> None:
    _varied_cases(world)
    unreadable: list[object] = []
    from_summaries = case_records(Case.objects.all(), unreadable)  # type: ignore[arg-type]
    assert_frame_equal(case_records(Case.objects.all(), unreadable), from_summaries)  # type: ignore[arg-type]
    assert str(Case.objects.first().pk) in DerivedIndex.objects.get(name=derived.RECORDS).entries  # the second: kept
    assert from_summaries.height == Case.objects.count() and not unreadable
    assert from_summaries["article"].drop_nulls().len() == Assessment.objects.values("case").distinct().count()
    assert from_summaries["term_months"].drop_nulls().to_list() == [30]
    _without_summaries()
    keys.forget_cached_keys()
    derived.empty_all()
    assert_frame_equal(case_records(Case.objects.all(), unreadable), from_summaries)  # type: ignore[arg-type]
    assert not unreadable


def test_reassess_writes_the_missing_summaries_of_latest_assessments_once(world: dict[str, Any]) -> None:
    _varied_cases(world)
    before = {a.pk: summary.of_assessment(a) for a in Assessment.objects.all()}
    _without_summaries()
    latest = {a.pk for a in (selectors.latest_assessment(case) for case in Case.objects.all()) if a is not None}
    assert fill_missing_summaries() == len(latest)
    after = {a.pk: summary.of_assessment(a) for a in Assessment.objects.all()}
    assert {pk: after[pk] for pk in latest} == {pk: before[pk] for pk in latest}
    assert all(after[pk] is None for pk in after if pk not in latest)  # the pages never read older assessments
    assert fill_missing_summaries() == 0


def test_an_answer_that_cannot_be_read_gets_no_summary_and_is_named(
    world: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    _varied_cases(world)
    _without_summaries()
    case = Case.objects.filter(assessments__isnull=False).first()
    latest = selectors.latest_assessment(case)
    Assessment.objects.filter(pk=latest.pk).update(result_en_sealed=b"garbage")
    written = fill_missing_summaries()
    assert written == len({a.case_id for a in Assessment.objects.all()}) - 1
    assert f"case {case.code}: assessment could not be read (SealedValueError)" in caplog.text
    assert Assessment.objects.get(pk=latest.pk).summary_sealed == b""


def test_the_case_list_summaries_from_summaries_are_those_from_whole_answers(world: dict[str, Any]) -> None:
    """The case list's filters by article part and by deadline read the same summary of each case."""
    _varied_cases(world)
    listing.forget()
    from_summaries = listing.summaries(Case.objects.all())
    assert {s.part for s in from_summaries.values()} - {""}
    _without_summaries()
    listing.forget()
    assert listing.summaries(Case.objects.all()) == from_summaries
