"""From a family's request to a lawyer's case (issue 14): the public request keeps the structured answers (sealed);
opening a case copies them into its facts through the intake (an answer that no longer passes is left out with a
note, never a 500), the contact and who it is into the client's contact, and saves an assessment at once; the request
page assesses the answers on the fly; the case's lawyer opens the originating request, others get 404. Requests have
a status (new, in review, declined with a reason, made a case) and an assignee; ticked requests are declined or
deleted in bulk with one confirmation, audited per request, CSRF-protected; no personal data in audit rows or logs."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

import pytest
from _interview_pages import post, walk
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from courtpath.web.accounts.models import User
from courtpath.web.audit.models import AuditEvent
from courtpath.web.cases import handover, selectors, services
from courtpath.web.cases.models import Assessment, Case, HelpRequest, Note, RequestStatus
from courtpath.web.vault.models import DataKey

MSK = dt.timezone(dt.timedelta(hours=3))
CONTACT = "Signal: teapot-on-the-hob-5512"  # fictional
MESSAGE = "Сын Выдумкин Тихон не вернулся из отпуска"  # fictional
NOTE = "Дубль обращения Небывалова"  # fictional


def public_request_with_answers(client: Client, send_answers: bool = True) -> HelpRequest:
    """The public interview walked through its pages (tests/web/_interview_pages.py), then "ask for help"."""
    result = walk(client)
    ask = post(client, "/help/ask/", result, None, {}).content.decode()
    typed = {"relation": "parent", "contact": CONTACT, "message": MESSAGE, "consent": "on"}
    if send_answers:
        typed["send_answers"] = "on"
    response = post(client, "/help/ask/", ask, None, typed)
    assert response.status_code == 200, response.content.decode()[:2000]
    return HelpRequest.objects.get()


def staff(login: Callable[..., object], user: User, csrf: bool = False) -> Client:
    client = Client()
    login(client, user)
    client.handler.enforce_csrf_checks = csrf  # from here on, as a browser
    return client


def with_token(client: Client, data: dict[str, object]) -> dict[str, object]:
    return {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value}


def answers(**facts: object) -> dict[str, object]:
    base: dict[str, object] = {"status": "mobilized", "left": "2026-11-10T08:00:00+03:00", "weapon": False}
    return {**base, **facts}


def request_with(answers_: dict[str, object], contact: str = CONTACT) -> HelpRequest:
    return services.create_public_request(
        relation="spouse", contact=contact, message=MESSAGE, facts_summary="", answers=answers_
    )


# -- the answers, from the interview to the case -----------------------------------------------------------------


@pytest.mark.django_db
def test_the_public_request_keeps_the_answers_and_the_case_starts_from_them(
    db_contains: Callable[[str], bool],
    make_coordinator: Callable[..., User],
    make_lawyer: Callable[..., User],
    login: Callable[..., object],
) -> None:
    request = public_request_with_answers(Client(enforce_csrf_checks=True))
    record = request.answers
    assert record["status"] == "contract" and record["absence_kind"] == "leave"
    assert record["left"] == "2025-04-03T07:15:00+03:00" and record["returned"] == "2025-04-20T09:00:00+03:00"
    assert record["indicators"] == ["job"] and record["surrendered"] is True
    assert set(record) <= set(services.FACT_FIELDS) and "as_of" not in record
    assert not db_contains("2025-04-03") and not db_contains('"indicators"')  # sealed, never in clear
    coordinator, lawyer = make_coordinator(), make_lawyer()
    client = staff(login, coordinator)
    before = Assessment.objects.count()
    page = client.get(reverse("cases:request_detail", args=[request.code]))
    assert page.status_code == 200 and "337" in page.content.decode()  # assessed on the fly from the answers
    assert Assessment.objects.count() == before  # and not stored
    response = client.post(reverse("cases:request_detail", args=[request.code]), {"lawyer": lawyer.pk})
    assert response.status_code == 302
    case = Case.objects.get(request=request)
    for name, value in record.items():  # every answer, as the intake reads it
        stored = getattr(case, name)
        expected = dt.datetime.fromisoformat(value) if name in ("left", "returned") else value
        assert stored == expected, name
    assert (case.client_contact, case.contact_relation) == (CONTACT, "parent")
    assert case.lawyer == lawyer and case.assessments.count() == 1  # assessed at once
    assert case.assessments.get().result_en["qualifications"][0]["article"] == "337"
    request.refresh_from_db()
    assert request.status == RequestStatus.CONVERTED and request.case == case
    assert not Note.objects.filter(case=case).exists()  # nothing was left out


@pytest.mark.django_db
def test_without_the_tick_no_answers_are_kept(make_coordinator: Callable[..., User]) -> None:
    request = public_request_with_answers(Client(), send_answers=False)
    assert request.answers == {}
    case = services.convert_request(make_coordinator(), request)
    assert case.left is None and case.status == "contract" and case.client_contact == CONTACT
    assert not case.assessments.exists()


@pytest.mark.django_db
def test_an_answer_that_does_not_pass_is_left_out_with_a_note_not_a_500(
    make_coordinator: Callable[..., User], login: Callable[..., object], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    # An older or damaged record: a value of the wrong type, a rule broken (art. 80.2 is for contract or mobilized
    # servicemen only), a field no version knows.
    request = request_with(answers(status="conscript", weapon="yes", released_80_2=True, shoe_size=44))
    client = staff(login, make_coordinator())
    response = client.post(reverse("cases:request_detail", args=[request.code]), {"lawyer": ""})
    assert response.status_code == 302
    case = Case.objects.get(request=request)
    assert case.status == "conscript" and case.left == dt.datetime(2026, 11, 10, 5, 0, tzinfo=dt.UTC)
    assert case.weapon is False and case.released_80_2 is False  # left out: the case's defaults
    assert case.assessments.count() == 1
    note = Note.objects.get(case=case).text
    assert request.code in note and "shoe_size" in note
    assert "С оружием" in note and "Ожидалось «да» или «нет»" in note
    assert "Освобождён по ст. 80.2" in note
    page = client.get(reverse("cases:case_detail", args=[case.code])).content.decode()
    assert "shoe_size" in page  # the note is on the case page
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert CONTACT not in logged and "conscript" not in logged


def test_case_facts_leave_out_an_end_without_a_start(db: None) -> None:
    defaults = {"status": "contract", "left": None, "returned": None, "weapon": False}
    values, dropped = handover.case_facts({"returned": "2026-11-10T08:00:00+03:00", "group": True}, defaults)
    assert values == {"group": True} and [item.field for item in dropped] == ["returned"]
    values, dropped = handover.case_facts({"status": "admiral", "left": "2026-11-10T08:00:00+03:00"}, defaults)
    assert values == {"left": dt.datetime(2026, 11, 10, 8, 0, tzinfo=values["left"].tzinfo)}
    assert [item.field for item in dropped] == ["status"] and "admiral" in dropped[0].reason
    assert handover.case_facts({}, defaults) == ({}, [])


@pytest.mark.django_db
def test_the_request_page_says_when_the_answers_cannot_be_assessed(
    make_coordinator: Callable[..., User], login: Callable[..., object]
) -> None:
    request = request_with({"status": "mobilized", "left": "not a date"})
    page = staff(login, make_coordinator()).get(reverse("cases:request_detail", args=[request.code]))
    assert page.status_code == 200 and "«not a date» — не дата" in page.content.decode()


# -- who may open the request -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_cases_lawyer_opens_the_originating_request_and_no_one_else(
    make_coordinator: Callable[..., User],
    make_lawyer: Callable[..., User],
    make_intake: Callable[..., User],
    make_administrator: Callable[..., User],
    login: Callable[..., object],
) -> None:
    coordinator, lawyer, other = make_coordinator(), make_lawyer(), make_lawyer()
    request = request_with(answers())
    url = reverse("cases:request_detail", args=[request.code])
    assert staff(login, lawyer).get(url).status_code == 404  # no case yet
    case = services.convert_request(coordinator, request, lawyer)
    client = staff(login, lawyer)
    page = client.get(reverse("cases:case_detail", args=[case.code])).content.decode()
    assert f'href="{url}"' in page and CONTACT in page
    opened = client.get(url)
    assert opened.status_code == 200 and MESSAGE in opened.content.decode()
    assert AuditEvent.objects.filter(actor_id=lawyer.pk, action="view", object_id=request.code).exists()
    for user in (other, make_intake(), make_administrator()):
        assert staff(login, user).get(url).status_code == 404, user.role
    services.assign_lawyer(coordinator, case, other)  # reassigned: the first lawyer loses it with the case
    assert client.get(url).status_code == 404
    assert staff(login, other).get(url).status_code == 200


# -- status, assignee -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_status_transitions_are_audited_without_personal_data(
    make_coordinator: Callable[..., User],
    make_intake: Callable[..., User],
    db_contains: Callable[[str], bool],
    login: Callable[..., object],
) -> None:
    coordinator, intake = make_coordinator(), make_intake()
    request = request_with(answers())
    code = request.code
    assert request.status == RequestStatus.NEW
    assert staff(login, intake).get(reverse("cases:request_detail", args=[code])).status_code == 404
    client = staff(login, coordinator, csrf=True)
    status_url = reverse("cases:request_status", args=[code])
    assert client.post(status_url, {"status": "in_review"}).status_code == 403  # CSRF
    client.get(reverse("cases:request_detail", args=[code]))  # the page sets the CSRF cookie
    assert client.post(status_url, with_token(client, {"status": "in_review"})).status_code == 302
    assert client.post(status_url, with_token(client, {"status": "converted"})).status_code == 400  # not by hand
    assign = reverse("cases:request_assign", args=[code])
    assert client.post(assign, with_token(client, {"assignee": intake.pk})).status_code == 302
    request.refresh_from_db()
    assert (request.status, request.assignee) == (RequestStatus.IN_REVIEW, intake)
    # The intake worker assigned to it sees it, may put it back to new, but not decline it.
    triage = staff(login, intake)
    assert triage.get(reverse("cases:request_detail", args=[code])).status_code == 200
    assert request in selectors.listed_requests(intake, "in_review")
    assert triage.post(status_url, {"status": "new"}).status_code == 302
    assert triage.post(reverse("cases:request_decline", args=[code]), {"reason": "junk"}).status_code == 403
    decline = reverse("cases:request_decline", args=[code])
    response = client.post(decline, with_token(client, {"reason": "duplicate", "note": NOTE}))
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.DECLINED and request.decline_reason == "duplicate"
    assert request.decline_note == NOTE and not db_contains(NOTE)
    # A declined request is not made a case until it is taken back into review (which clears the reason).
    response = client.post(reverse("cases:request_detail", args=[code]), with_token(client, {"lawyer": ""}))
    assert response.status_code == 400 and not Case.objects.exists()
    assert client.post(status_url, with_token(client, {"status": "in_review"})).status_code == 302
    request.refresh_from_db()
    assert (request.status, request.decline_reason, request.decline_note) == ("in_review", "", "")
    services.convert_request(coordinator, request)
    with pytest.raises(services.RequestStateError):
        services.set_request_status(coordinator, request, RequestStatus.NEW)
    events = list(AuditEvent.objects.filter(object_id=code).order_by("id").values_list("action", "fields"))
    assert events == [
        ("create", ""),
        ("view", ""),
        ("change", "status"),
        ("change", "assignee"),
        ("view", ""),
        ("change", "status"),
        ("change", "decline_note,decline_reason,status"),
        ("view", ""),
        ("change", "decline_note,decline_reason,status"),
        ("change", "status"),
    ]
    dumped = " ".join(str(value) for row in AuditEvent.objects.values_list() for value in row)
    assert NOTE not in dumped and "duplicate" not in dumped and CONTACT not in dumped


@pytest.mark.django_db
def test_only_coordinators_and_intake_workers_triage(
    make_coordinator: Callable[..., User], make_lawyer: Callable[..., User]
) -> None:
    coordinator, lawyer = make_coordinator(), make_lawyer()
    request = request_with(answers())
    with pytest.raises(ValueError):
        services.assign_request(coordinator, request, lawyer)
    with pytest.raises(PermissionDenied):
        services.assign_request(lawyer, request, coordinator)
    with pytest.raises(PermissionDenied):
        services.set_request_status(lawyer, request, RequestStatus.IN_REVIEW)


# -- the list and the bulk actions ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_list_shows_status_assignee_age_and_a_preview_for_coordinators_and_keeps_the_filter(
    make_coordinator: Callable[..., User], make_intake: Callable[..., User], login: Callable[..., object]
) -> None:
    coordinator, intake = make_coordinator(), make_intake()
    long_message = "Очень длинное сообщение о сыне " * 10
    for number in range(51):
        services.create_request(intake, channel="phone", relation="parent", summary=f"{number:02d} {long_message}")
    declined = services.create_request(intake, channel="phone", relation="self", summary="спам")
    services.decline_request(coordinator, declined, "junk")
    client = staff(login, coordinator)
    page = client.get(reverse("cases:request_list"), {"status": "new"}).content.decode()
    assert declined.code not in page and "?status=new&amp;page=2" in page
    preview = selectors.request_preview(HelpRequest.objects.filter(status="new").first())
    assert len(preview) == selectors.PREVIEW_CHARACTERS and preview in page and long_message not in page
    assert 'name="selected"' in page and "назад" in page  # checkboxes, the age
    second = client.get(reverse("cases:request_list"), {"status": "new", "page": "2"}).content.decode()
    assert "?status=new&amp;page=1" in second and declined.code not in second
    only_declined = client.get(reverse("cases:request_list"), {"status": "declined"}).content.decode()
    assert declined.code in only_declined and "Спам или проверка" in only_declined
    mine = staff(login, intake).get(reverse("cases:request_list")).content.decode()
    assert "Очень длинное" not in mine and 'name="selected"' not in mine  # no previews, no bulk for intake


@pytest.mark.django_db
def test_ticked_requests_are_declined_with_one_confirmation(
    make_coordinator: Callable[..., User], make_lawyer: Callable[..., User], login: Callable[..., object]
) -> None:
    coordinator = make_coordinator()
    first, second, third = (request_with(answers(), contact=f"junk {n}") for n in range(3))
    with_case = request_with(answers())
    services.convert_request(coordinator, with_case)
    client = staff(login, coordinator, csrf=True)
    client.get(reverse("cases:request_list"))
    url = reverse("cases:request_bulk")
    ticked = {"action": "decline", "selected": [first.code, second.code, with_case.code]}
    assert client.post(url, ticked).status_code == 403  # CSRF
    confirm = client.post(url, with_token(client, ticked))
    page = confirm.content.decode()
    assert confirm.status_code == 200 and first.code in page and second.code in page
    assert with_case.code not in page and third.code not in page
    assert 'name="confirm"' in page and HelpRequest.objects.filter(status="declined").count() == 0
    no_reason = client.post(url, with_token(client, {**ticked, "confirm": "on"}))
    assert no_reason.status_code == 400 and HelpRequest.objects.filter(status="declined").count() == 0
    before = AuditEvent.objects.count()
    done = client.post(url, with_token(client, {**ticked, "confirm": "on", "reason": "junk", "note": NOTE}))
    assert done.status_code == 302 and done["Location"] == reverse("cases:request_list")
    assert set(HelpRequest.objects.filter(status="declined").values_list("code", flat=True)) == {
        first.code,
        second.code,
    }
    assert HelpRequest.objects.get(pk=first.pk).decline_note == NOTE
    events = AuditEvent.objects.order_by("id")[before:]
    assert sorted((e.object_id, e.fields) for e in events) == sorted(
        (r.code, "bulk,decline_note,decline_reason,status") for r in (first, second)
    )
    nothing = client.post(url, with_token(client, {"action": "decline"}))
    assert nothing.status_code == 302  # nothing ticked: back to the list with a message


@pytest.mark.django_db
def test_ticked_requests_are_deleted_with_one_confirmation(
    make_coordinator: Callable[..., User], make_intake: Callable[..., User], login: Callable[..., object]
) -> None:
    coordinator = make_coordinator()
    first, second, kept = (request_with(answers(), contact=f"junk {n}") for n in range(3))
    with_case = request_with(answers())
    services.convert_request(coordinator, with_case)
    client = staff(login, coordinator)
    url = reverse("cases:request_bulk")
    ticked = {"action": "delete", "selected": [first.code, second.code, with_case.code, "R-NOSUCH"]}
    page = client.post(url, ticked).content.decode()
    assert first.code in page and with_case.code not in page and HelpRequest.objects.count() == 4
    before = AuditEvent.objects.count()
    done = client.post(url, {**ticked, "confirm": "on"})
    assert done.status_code == 302
    assert set(HelpRequest.objects.values_list("code", flat=True)) == {kept.code, with_case.code}
    assert not DataKey.objects.filter(pk__in=[first.data_key_id, second.data_key_id]).exists()  # shredded
    events = AuditEvent.objects.order_by("id")[before:]
    assert sorted((e.action, e.object_id, e.fields) for e in events) == sorted(
        ("delete", r.code, "bulk") for r in (first, second)
    )
    intake = staff(login, make_intake())
    assert intake.post(url, {**ticked, "selected": [kept.code], "confirm": "on"}).status_code == 403
    assert intake.get(url).status_code == 405
    assert HelpRequest.objects.filter(pk=kept.pk).exists()
