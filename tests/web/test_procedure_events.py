"""A case's procedural events: recorded on the case page, they start the statutory terms of the criminal procedure
(courtpath.law.procedure), shown on the case page and on the dashboard, red once missed, with the drafts a missed
term allows; bad input is refused on its field and nothing is kept."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from courtpath.web.assessments.deadlines import case_deadlines, forget, upcoming_deadlines
from courtpath.web.audit.models import AuditEvent
from courtpath.web.cases import selectors, services
from courtpath.web.cases.models import Case, Stage


def _fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def _post_event(client: Client, case: Case, **data: str) -> object:
    return client.post(reverse("cases:case_procedure", args=[case.code]), data)


def test_a_report_left_without_a_decision_is_a_red_term_with_its_complaints(
    world: dict[str, object], login: Callable[..., object], client: Client
) -> None:
    case: Case = world["case"]
    login(client, world["lawyer1"])
    # 6 May 2026 + 3 days = Saturday 9 May, Victory Day; Monday 11 May is its day off (ТК ст. 112 ч. 2): 12 May.
    response = _post_event(client, case, event="report_filed", on="06.05.2026")
    assert response.status_code == 302
    assert _fresh(case).procedure == [{"code": "report_filed", "on": "2026-05-06"}]
    page = client.get(reverse("cases:case_detail", args=[case.code])).content.decode()
    section = page[page.index('id="procedure"') :]
    assert "12.05.2026" in section and "09.05.2026" in section  # the last day, and the day it was moved from
    assert "ч. 1, 3 ст. 144 УПК РФ" in section
    assert 'class="overdue"' in section
    complaint = reverse("drafts:preview", args=[case.code, "complaint_prosecutor_inaction"])
    assert complaint in section
    assert reverse("drafts:preview", args=[case.code, "complaint_court_inaction"]) in section
    forget()
    dashboard = client.get(reverse("cases:dashboard")).content.decode()
    assert complaint in dashboard  # missed: the dashboard offers the escalation


def test_a_decision_on_the_report_ends_its_term(world: dict[str, object]) -> None:
    case: Case = world["case"]
    lawyer = world["lawyer1"]
    services.record_procedure_event(lawyer, case, "report_filed", dt.date(2026, 5, 6))
    assert "report_decision_due" in _codes(_fresh(case))
    services.record_procedure_event(lawyer, _fresh(case), "report_decided", dt.date(2026, 5, 8))
    assert "report_decision_due" not in _codes(_fresh(case))


def _codes(case: Case) -> set[str]:
    return {d.code for d in case_deadlines(case, selectors.latest_assessment(case))}


def test_the_dashboard_reads_new_events_of_a_case_it_had_worked_out(world: dict[str, object]) -> None:
    """The dashboard keeps each case's deadlines between views, keyed by the facts record: a new event changes it."""
    case: Case = world["case"]
    lawyer = world["lawyer1"]
    before = {d.code for d in upcoming_deadlines(selectors.open_cases(lawyer)) if d.case_code == case.code}
    assert "investigation_term_ends" not in before
    services.record_procedure_event(lawyer, case, "case_opened", dt.date(2026, 10, 1))
    after = [d for d in upcoming_deadlines(selectors.open_cases(lawyer)) if d.case_code == case.code]
    ends = {d.code: d.at for d in after}
    # Two months from 1 October 2026 (УПК ст. 162 ч. 1): 1 December, a Tuesday.
    assert ends["investigation_term_ends"].astimezone(dt.timezone(dt.timedelta(hours=3))).date() == dt.date(2026, 12, 1)


def test_a_verdict_event_sets_the_verdict_date_and_the_appeal_term_moves_past_the_holidays(
    world: dict[str, object],
) -> None:
    case: Case = world["case"]
    services.change_stage(world["lawyer1"], case, Stage.VERDICT)
    # 20 February 2026 + 15 days = Saturday 7 March; 8 March (Sunday) and its day off 9 March: Tuesday 10 March.
    services.record_procedure_event(world["lawyer1"], _fresh(case), "verdict", dt.date(2026, 2, 20))
    case = _fresh(case)
    assert case.verdict_date == dt.date(2026, 2, 20)
    ends = {d.code: d.at for d in case_deadlines(case, selectors.latest_assessment(case))}
    assert ends["appeal_window_ends"].astimezone(dt.timezone(dt.timedelta(hours=3))).date() == dt.date(2026, 3, 10)


def test_bad_events_are_refused_on_their_field_and_nothing_is_kept(
    world: dict[str, object], login: Callable[..., object], client: Client
) -> None:
    case: Case = world["case"]
    login(client, world["lawyer1"])
    cases = [
        {"event": "report_filed", "on": "31.02.2026"},  # no such day
        {"event": "report_filed", "on": "01.01.2099"},  # in the future
        {"event": "report_filed", "on": ""},
        {"event": "no_such_event", "on": "01.03.2026"},
        {"event": "investigation_extended", "on": "01.03.2026"},  # an extension without its day
        {"event": "custody_extended", "on": "01.03.2026", "until": "01.02.2026"},  # extended into the past
        {"event": "report_filed", "on": "01.03.2026", "until": "05.03.2026"},  # not an extension
        {"event": "investigation_extended", "on": "01.03.2026", "until": "01.01.2500"},  # beyond the years known
    ]
    for data in cases:
        response = _post_event(client, case, **data)
        assert response.status_code == 400, data
        assert 'class="errorlist' in response.content.decode(), data
    assert _fresh(case).procedure == []


def test_removing_an_event_checks_it_is_still_the_one_shown(
    world: dict[str, object], login: Callable[..., object], client: Client
) -> None:
    case: Case = world["case"]
    lawyer = world["lawyer1"]
    services.record_procedure_event(lawyer, case, "report_filed", dt.date(2026, 5, 6))
    services.record_procedure_event(lawyer, _fresh(case), "report_decided", dt.date(2026, 5, 8))
    login(client, lawyer)
    url = reverse("cases:case_procedure_remove", args=[case.code])
    stale = client.post(url, {"index": "0", "event": "report_decided", "on": "2026-05-08"})
    assert stale.status_code == 302
    assert len(_fresh(case).procedure) == 2  # index 0 is the report, not the decision: nothing removed
    client.post(url, {"index": "1", "event": "report_decided", "on": "2026-05-08"})
    assert _fresh(case).procedure == [{"code": "report_filed", "on": "2026-05-06"}]


def test_the_audit_log_names_the_change_never_the_dates(world: dict[str, object]) -> None:
    case: Case = world["case"]
    services.record_procedure_event(world["lawyer1"], case, "detained", dt.date(2026, 4, 3))
    event = AuditEvent.objects.filter(object_id=case.code).order_by("-id").first()
    assert event is not None and "procedure" in str(event.fields)
    assert "2026-04-03" not in str(AuditEvent.objects.values_list()) and "03.04.2026" not in str(
        AuditEvent.objects.values_list()
    )


def test_the_events_are_sealed(world: dict[str, object], db_contains: Callable[[str], bool]) -> None:
    services.record_procedure_event(world["lawyer1"], world["case"], "case_suspended", dt.date(2026, 7, 14))
    assert not db_contains("case_suspended") and not db_contains("2026-07-14")


def test_a_return_to_the_unit_calls_for_the_complaint_without_a_term(
    world: dict[str, object], login: Callable[..., object], client: Client
) -> None:
    case: Case = world["case"]
    services.record_procedure_event(world["lawyer1"], case, "returned_to_unit", dt.date(2026, 6, 2))
    login(client, world["lawyer1"])
    page = client.get(reverse("cases:case_detail", args=[case.code])).content.decode()
    assert reverse("drafts:preview", args=[case.code, "complaint_prosecutor_returned_to_unit"]) in page


def test_others_cannot_record_events(world: dict[str, object], login: Callable[..., object], client: Client) -> None:
    case: Case = world["case"]
    login(client, world["lawyer2"])  # not this case's lawyer: the case is not theirs to see
    assert _post_event(client, case, event="report_filed", on="06.05.2026").status_code == 404
    client.logout()
    login(client, world["intake1"])
    assert _post_event(client, case, event="report_filed", on="06.05.2026").status_code in (403, 404)
    assert _fresh(case).procedure == []


def test_an_unreadable_stored_event_never_takes_the_pages_down(
    world: dict[str, object], login: Callable[..., object], client: Client
) -> None:
    case: Case = world["case"]
    case.procedure = [{"code": "report_filed", "on": "not a day"}]  # as a faulty restore could leave it
    case.save()
    login(client, world["lawyer1"])
    page = client.get(reverse("cases:case_detail", args=[case.code]))
    assert page.status_code == 200
    assert "(ProcedureDataError)" in page.content.decode()  # the notice names the case and the error, not the value
    forget()
    assert client.get(reverse("cases:dashboard")).status_code == 200


def test_custody_counts_until_a_release_for_the_court_s_term(world: dict[str, object]) -> None:
    """The judge has 14 days for a defendant in custody and 30 otherwise (УПК ст. 227 ч. 3); a release ends custody."""
    case: Case = world["case"]
    lawyer = world["lawyer1"]
    for code, day in [("custody_ordered", dt.date(2026, 3, 2)), ("sent_to_court", dt.date(2026, 4, 1))]:
        services.record_procedure_event(lawyer, _fresh(case), code, day)
    msk = dt.timezone(dt.timedelta(hours=3))
    ends = {d.code: d.at.astimezone(msk).date() for d in case_deadlines(_fresh(case), None)}
    assert ends["court_must_decide"] == dt.date(2026, 4, 15)  # 14 days
    services.record_procedure_event(lawyer, _fresh(case), "released", dt.date(2026, 4, 2))
    ends = {d.code: d.at.astimezone(msk).date() for d in case_deadlines(_fresh(case), None)}
    assert ends["court_must_decide"] == dt.date(2026, 5, 1 + 3)  # 30 days: 1 May, a holiday, moves to Monday 4 May
    assert "court_custody_ends" not in ends


def test_one_verdict_date_whichever_door_it_came_through(world: dict[str, object]) -> None:
    case: Case = world["case"]
    lawyer = world["lawyer1"]
    services.change_stage(lawyer, case, Stage.VERDICT)
    services.record_procedure_event(lawyer, _fresh(case), "verdict", dt.date(2026, 2, 20))
    services.update_case(lawyer, _fresh(case), {"verdict_date": dt.date(2026, 2, 24)})  # mended in the facts form
    assert _fresh(case).procedure == [{"code": "verdict", "on": "2026-02-24"}]
    services.remove_procedure_event(lawyer, _fresh(case), 0, "verdict", dt.date(2026, 2, 24))
    case = _fresh(case)
    assert case.verdict_date is None and "appeal_window_ends" not in _codes(case)  # it does not come back


def test_a_closed_case_shows_its_events_but_no_term_to_watch(
    world: dict[str, object], login: Callable[..., object], client: Client
) -> None:
    case: Case = world["case"]
    services.record_procedure_event(world["lawyer1"], case, "report_filed", dt.date(2026, 5, 6))
    services.change_stage(world["lawyer1"], _fresh(case), Stage.ACQUITTED)
    login(client, world["lawyer1"])
    page = client.get(reverse("cases:case_detail", args=[case.code])).content.decode()
    section = page[page.index('id="procedure"') :]
    assert "06.05.2026" in section and 'class="overdue"' not in section


def test_deadlines_kept_under_other_law_data_are_worked_out_again(world: dict[str, object]) -> None:
    """After an upgrade of the law data (a calendar mended, a term changed) the dashboard's kept deadlines are not
    shown: the sealed index names the law data version they were worked out under."""
    from courtpath.web.cases import derived

    case: Case = world["case"]
    lawyer = world["lawyer1"]
    services.record_procedure_event(lawyer, case, "report_filed", dt.date(2026, 5, 6))
    upcoming_deadlines(selectors.open_cases(lawyer))
    index = derived.read(derived.DEADLINES)
    entry = index.entries()[str(case.pk)]
    at = entry.index("report_decision_due") + 1
    entry[3], entry[at] = "an-older-version", "2026-05-09T20:59:00+00:00"  # as an older engine kept it, unmoved
    assert derived.write(index, [], Case.objects.values_list("pk", flat=True))
    forget()
    ends = {d.code: d.at for d in upcoming_deadlines(selectors.open_cases(lawyer)) if d.case_code == case.code}
    assert ends["report_decision_due"].astimezone(dt.timezone(dt.timedelta(hours=3))).date() == dt.date(2026, 5, 12)


def test_a_broken_organisation_folder_leaves_the_built_in_drafts(
    world: dict[str, object], login: Callable[..., object], client: Client, tmp_path, monkeypatch
) -> None:
    case: Case = world["case"]
    (tmp_path / "voluntary_appearance.j2").write_text("---\nstatute: x\nchecks: [y]\n---\n[plain]\nx\n", "utf-8")
    monkeypatch.setenv("COURTPATH_DRAFT_TEMPLATES_DIR", str(tmp_path))  # a clash with a built-in id
    login(client, world["lawyer1"])
    page = client.get(reverse("drafts:list", args=[case.code]))
    assert page.status_code == 200
    text = page.content.decode()
    assert (
        "voluntary_appearance.j2" in text
        and reverse("drafts:preview", args=[case.code, "voluntary_appearance"]) in text
    )
    preview = client.get(reverse("drafts:preview", args=[case.code, "voluntary_appearance"]))
    assert preview.status_code == 200 and "ЗАЯВЛЕНИЕ" in preview.content.decode()


@settings(max_examples=200, deadline=None)
@given(
    day=st.dates(dt.date(2024, 1, 1), dt.date(2027, 12, 31)),
    code=st.sampled_from(["report_filed", "case_opened", "sent_to_court", "verdict", "detained", "custody_ordered"]),
)
def test_every_term_is_due_at_the_end_of_its_last_day_in_moscow(day: dt.date, code: str) -> None:
    """The dashboard's moment of a term is 23:59 Moscow time of the engine's last day (UTC+3 all year since 2014), so
    a term turns red at 23:59 Moscow time of its last day, whatever zone the server runs in."""
    from courtpath.law.moments import MOSCOW
    from courtpath.law.procedure import Event, EventCode, running_deadlines
    from courtpath.web.assessments.deadlines import _worked_out

    events = [Event(EventCode(code), day)]
    terms = {term.code: term.end.day for term in running_deadlines(events)}
    shown = _worked_out("C-TEST", Stage.INVESTIGATION, True, events, [])
    assert {deadline.code for deadline in shown} == set(terms)
    for deadline in shown:
        moscow = deadline.at.astimezone(MOSCOW)
        assert moscow.date() == terms[deadline.code] and (moscow.hour, moscow.minute) == (23, 59)
        assert deadline.at.utcoffset() == dt.timedelta(0) and deadline.at.hour == 20
