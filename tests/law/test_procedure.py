"""The procedure deadlines (courtpath.law.procedure, procedure.yaml): golden cases counted by hand, the citations, the
reading of stored events, and properties of the arithmetic (hypothesis, deterministic)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, get_args

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courtpath.law.loader import default_lawbook
from courtpath.law.periods import add_months
from courtpath.law.procedure import (
    Event,
    EventCode,
    ProcedureDataError,
    escalations_for,
    escalations_of_deadline,
    nominal_last_day,
    open_duties,
    procedure_trace,
    read_events,
    running_deadlines,
)
from courtpath.law.procedure_schema import DRAFT_TEMPLATES, Term
from courtpath.law.schema import Confidence

GOLDEN = Path(__file__).parent / "procedure_golden"
PROPERTY = settings(derandomize=True, database=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])
DAYS = st.dates(min_value=dt.date(2023, 1, 1), max_value=dt.date(2028, 6, 30))
SPEC = default_lawbook().procedure
assert SPEC is not None


def golden_cases() -> list[Any]:
    cases = []
    for path in sorted(GOLDEN.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            cases.append(pytest.param(case, id=f"{path.stem}: {case['name']}"))
    return cases


def test_there_are_enough_golden_cases_and_each_names_its_statute() -> None:
    cases = golden_cases()
    assert len(cases) >= 12
    names = [case.values[0]["name"] for case in cases]
    assert len(set(names)) == len(names)
    for case in cases:
        assert "ст." in case.values[0]["rests_on"], case.values[0]["name"]


@pytest.mark.parametrize("case", golden_cases())
def test_golden(case: dict[str, Any]) -> None:
    events = read_events(case["events"])
    in_custody = case.get("in_custody", False)
    found = {d.code: d for d in running_deadlines(events, in_custody=in_custody)}
    expected: dict[str, dict[str, Any]] = case["expect"]
    assert set(found) == set(expected), f"running: {sorted(found)}"
    for code, want in expected.items():
        got = found[code]
        assert got.end.day == want["last_day"], code
        assert got.end.moved_from == want["moved_from"], code
        assert (got.rule.article, got.rule.part) == (want["article"], want["part"]), code
        if "confidence" in want:
            assert got.end.confidence == want["confidence"], code
        if "extended_by" in want:
            assert got.extended_by == want["extended_by"], code
        if "escalations" in want:
            assert list(got.escalations) == want["escalations"], code
        if "kind" in want:
            assert got.kind == want["kind"], code
        assert set(want.get("questions_include", [])) <= set(got.questions), (code, got.questions)
    if "escalations" in case:
        assert list(escalations_for(events)) == case["escalations"]


# -- the data ------------------------------------------------------------------------------------------------------


def test_the_event_codes_are_the_data_s() -> None:
    assert [code.value for code in EventCode] == list(SPEC.events)


def test_every_event_deadline_and_duty_cites_an_article_and_known_sources() -> None:
    book = default_lawbook()
    rules = SPEC.rules()
    assert len(rules) >= len(SPEC.events) + len(SPEC.deadlines) + len(SPEC.duties) + 1
    for where, rule in rules:
        assert rule.article.strip(), where
        assert rule.sources and set(rule.sources) <= set(book.sources), where
        assert rule.summary.ru and rule.summary.en, where
        assert rule.confidence in get_args(Confidence), where


def test_escalations_name_the_fixed_draft_templates() -> None:
    named = {e for d in SPEC.deadlines.values() for e in d.escalations}
    named |= {e for ev in SPEC.events.values() for e in ev.escalations}
    assert named <= DRAFT_TEMPLATES
    assert {
        "complaint_prosecutor_inaction",
        "complaint_court_inaction",
        "motion_procedural_steps",
        "accused_refusal_statement",
        "complaint_prosecutor_returned_to_unit",
    } <= named


def test_the_escalations_of_a_deadline_code() -> None:
    assert escalations_of_deadline("report_decision_due") == (
        "complaint_prosecutor_inaction",
        "complaint_court_inaction",
    )
    # The family letter is about the window while it runs: once it has passed, the letter has nothing to offer.
    assert escalations_of_deadline("appeal_window_ends") == ()
    assert escalations_of_deadline("verdict_in_force") == escalations_of_deadline("no_such_code") == ()


def test_a_meeting_event_of_the_start_s_day_meets_it_whatever_order_they_were_recorded_in() -> None:
    decided_first = [
        Event(EventCode.REPORT_DECIDED, dt.date(2026, 5, 6)),
        Event(EventCode.REPORT_FILED, dt.date(2026, 5, 6)),
    ]
    assert "report_decision_due" not in {d.code for d in running_deadlines(decided_first)}
    # A decision of an earlier day belongs to an earlier report: the new report's term runs.
    earlier = [Event(EventCode.REPORT_DECIDED, dt.date(2026, 5, 5)), Event(EventCode.REPORT_FILED, dt.date(2026, 5, 6))]
    assert "report_decision_due" in {d.code for d in running_deadlines(earlier)}


def test_a_release_ends_the_detention_and_custody_terms() -> None:
    detained = [Event(EventCode.DETAINED, dt.date(2026, 4, 1))]
    assert "detention_ends" in {d.code for d in running_deadlines(detained)}
    released = [*detained, Event(EventCode.RELEASED, dt.date(2026, 4, 2))]
    assert "detention_ends" not in {d.code for d in running_deadlines(released)}
    custody = [Event(EventCode.CUSTODY_ORDERED, dt.date(2026, 4, 3))]
    assert "custody_term_ends" in {d.code for d in running_deadlines(custody, in_custody=True)}
    for ends in (EventCode.RELEASED, EventCode.VERDICT):
        after = [*custody, Event(ends, dt.date(2026, 5, 1))]
        assert "custody_term_ends" not in {d.code for d in running_deadlines(after, in_custody=True)}


def test_detention_and_custody_terms_are_not_moved_and_the_others_are() -> None:
    fixed = {code for code, d in SPEC.deadlines.items() if not d.moves}
    assert fixed == {"detention_ends", "custody_term_ends", "court_custody_ends"}


def test_the_entry_into_force_is_a_date_with_no_escalation() -> None:
    assert SPEC.deadlines["verdict_in_force"].kind == "date"
    assert not SPEC.deadlines["verdict_in_force"].escalations


def test_the_discharge_is_shown_without_a_date_after_the_verdict_in_force() -> None:
    events = read_events([{"code": "verdict", "on": "2026-04-24"}])
    assert open_duties(events, dt.date(2026, 5, 12)) == []
    (duty,) = open_duties(events, dt.date(2026, 5, 13))
    assert duty.code == "discharge_on_sentence" and duty.arises_on == dt.date(2026, 5, 13)
    assert "q_discharge_no_term" in duty.questions
    appealed = [*events, Event(EventCode.APPEAL_FILED, dt.date(2026, 5, 5))]
    assert open_duties(appealed, dt.date(2026, 6, 1)) == []


def test_the_trace_cites_article_128_the_calendar_and_each_rule_used() -> None:
    events = read_events([{"code": "detained", "on": "2026-04-07"}, {"code": "custody_ordered", "on": "2026-04-09"}])
    trace = procedure_trace(events)
    articles = [step.rule.article for step in trace]
    assert articles[:2] == ["УПК 128", "ТК РФ ст. 112"]
    assert "УПК 109" in articles and "УПК 91, 94" in articles


def test_a_missed_duty_is_missed_and_a_date_never_is() -> None:
    (appeal, in_force) = running_deadlines(read_events([{"code": "verdict", "on": "2026-04-24"}]))
    assert not appeal.missed(dt.date(2026, 5, 12)) and appeal.missed(dt.date(2026, 5, 13))
    assert not in_force.missed(dt.date(2030, 1, 1))


# -- reading stored events -----------------------------------------------------------------------------------------


def test_stored_events_are_read() -> None:
    events = read_events(
        [
            {"code": "case_opened", "on": "2026-01-15"},
            {"code": "investigation_extended", "on": "2026-03-10", "until": "2026-04-15"},
        ]
    )
    assert events == [
        Event(EventCode.CASE_OPENED, dt.date(2026, 1, 15)),
        Event(EventCode.INVESTIGATION_EXTENDED, dt.date(2026, 3, 10), dt.date(2026, 4, 15)),
    ]


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ([{"code": "case_closed", "on": "2026-01-01"}], "unknown event code 'case_closed'"),
        ([{"code": "verdict", "on": "01.02.2026"}], "expected a date YYYY-MM-DD"),
        ([{"code": "verdict"}], "`on` is missing"),
        ([{"code": "verdict", "on": "2026-01-01", "until": "2026-02-01"}], "only an extension carries `until`"),
        ([{"code": "custody_extended", "on": "2026-01-01"}], "needs `until`"),
        ([{"code": "custody_extended", "on": "2026-03-01", "until": "2026-02-01"}], "before the event"),
        ([{"code": "verdict", "on": "2026-01-01", "note": "x"}], "unknown fields ['note']"),
        (["verdict"], "expected a mapping"),
        ([{"code": "verdict", "on": dt.datetime(2026, 1, 1, 10)}], "date and time"),
    ],
)
def test_bad_stored_events_are_refused_clearly(raw: list[Any], words: str) -> None:
    with pytest.raises(ProcedureDataError) as caught:
        read_events(raw)
    assert words in str(caught.value)
    assert isinstance(caught.value, ValueError)


# -- properties ----------------------------------------------------------------------------------------------------

START_EVENTS = [code for code in EventCode if any(s.event == code for d in SPEC.deadlines.values() for s in d.starts)]


@PROPERTY
@given(code=st.sampled_from(START_EVENTS), on=DAYS, in_custody=st.booleans())
def test_a_deadline_never_ends_before_its_event(code: EventCode, on: dt.date, in_custody: bool) -> None:
    for deadline in running_deadlines([Event(code, on)], in_custody=in_custody):
        assert deadline.end.day >= on
        assert deadline.event_on == on and deadline.after == code
        if deadline.end.moved_from is not None:
            assert deadline.end.moved_from < deadline.end.day


@PROPERTY
@given(code=st.sampled_from(START_EVENTS), on=DAYS, gap=st.integers(0, 400), in_custody=st.booleans())
def test_a_later_meeting_event_removes_the_deadline(code: EventCode, on: dt.date, gap: int, in_custody: bool) -> None:
    for deadline in running_deadlines([Event(code, on)], in_custody=in_custody):
        for meeting in SPEC.deadlines[deadline.code].met_by:
            later = [Event(code, on), Event(EventCode(meeting), on + dt.timedelta(days=gap))]
            assert deadline.code not in {d.code for d in running_deadlines(later, in_custody=in_custody)}


EXTENDED = [
    (EventCode.REPORT_FILED, EventCode.CHECK_EXTENDED_10),
    (EventCode.REPORT_FILED, EventCode.CHECK_EXTENDED_30),
    (EventCode.CASE_OPENED, EventCode.INVESTIGATION_EXTENDED),
    (EventCode.CUSTODY_ORDERED, EventCode.CUSTODY_EXTENDED),
]


@PROPERTY
@given(pair=st.sampled_from(EXTENDED), on=DAYS, after=st.integers(0, 60), until=st.integers(0, 400))
def test_an_extension_never_shortens_the_term(
    pair: tuple[EventCode, EventCode], on: dt.date, after: int, until: int
) -> None:
    base, extension = pair
    (before,) = [d for d in running_deadlines([Event(base, on)]) if d.after == base]
    carries = SPEC.events[extension].carries_until
    ext = Event(extension, on + dt.timedelta(days=after), on + dt.timedelta(days=after + until) if carries else None)
    (now,) = [d for d in running_deadlines([Event(base, on), ext]) if d.code == before.code]
    assert now.end.day >= before.end.day


@PROPERTY
@given(on=DAYS, months=st.integers(1, 18))
def test_month_arithmetic(on: dt.date, months: int) -> None:
    last = nominal_last_day(on, Term(months=months))
    assert (last.year * 12 + last.month) - (on.year * 12 + on.month) == months
    # the same date of the last month, or that month's last day if it has none (art. 128 part 2)
    assert last.day == on.day or (last.day < on.day and (last + dt.timedelta(days=1)).day == 1)
    if on.day <= 28:
        back = add_months(dt.datetime(last.year, last.month, last.day), -months).date()
        assert back == on
    assert nominal_last_day(on, Term(months=months), counts_first_day=True) == last - dt.timedelta(days=1)


@PROPERTY
@given(on=DAYS, days=st.integers(1, 60))
def test_day_arithmetic_counts_from_the_next_day(on: dt.date, days: int) -> None:
    assert nominal_last_day(on, Term(days=days)) == on + dt.timedelta(days=days)
    assert nominal_last_day(on, Term(hours=24 * days)) == on + dt.timedelta(days=days)


@PROPERTY
@given(on=DAYS)
def test_the_order_of_recording_one_day_s_events_decides_only_ties(on: dt.date) -> None:
    """Events of different days are read by date, whatever order they were recorded in."""
    opened, decided = Event(EventCode.REPORT_FILED, on), Event(EventCode.REPORT_DECIDED, on + dt.timedelta(days=1))
    assert running_deadlines([decided, opened]) == running_deadlines([opened, decided]) == []


@pytest.mark.parametrize(
    ("article", "part", "cited"),
    [
        ("УПК 144", "1, 3", "ч. 1, 3 ст. 144 УПК РФ"),
        ("УПК 208", "1 п. 3.1", "п. 3.1 ч. 1 ст. 208 УПК РФ"),
        ("УПК 171, 172", "", "ст. 171, 172 УПК РФ"),
        ("53-ФЗ ст. 51 ч. 1 п. «е»; Указ № 647 п. 5", "", "53-ФЗ ст. 51 ч. 1 п. «е»; Указ № 647 п. 5"),
    ],
)
def test_a_rule_is_cited_as_a_lawyer_writes_it(article: str, part: str, cited: str) -> None:
    from courtpath.law.procedure import citation

    assert citation(article, part) == cited
