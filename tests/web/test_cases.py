"""Requests and cases: services, selectors, the request and case pages, and the role × URL access matrix of every
named URL of the app (the assessments, drafts and statistics apps' included)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courtpath.law.facts import FactsError
from courtpath.web.accounts.models import Role, User
from courtpath.web.audit.models import AuditEvent
from courtpath.web.cases import selectors, services
from courtpath.web.cases.models import Case, HelpRequest

MSK = dt.timezone(dt.timedelta(hours=3))


# -- services and selectors ------------------------------------------------------------------------------------


def test_roles_are_enforced_in_services(world: dict[str, object]) -> None:
    with pytest.raises(PermissionDenied):
        services.create_request(world["lawyer1"], channel="phone", relation="self", summary="")
    with pytest.raises(PermissionDenied):
        services.convert_request(world["intake1"], world["request"])
    with pytest.raises(PermissionDenied):
        services.add_note(world["admin"], world["case"], "text")
    with pytest.raises(PermissionDenied):
        services.assign_lawyer(world["lawyer1"], world["case"], world["lawyer2"])


def test_selectors_filter_by_role(world: dict[str, object]) -> None:
    assert list(selectors.visible_cases(world["lawyer1"])) == [world["case"]]
    assert list(selectors.visible_cases(world["lawyer2"])) == []
    assert list(selectors.visible_cases(world["coordinator"])) == [world["case"]]
    assert list(selectors.visible_cases(world["admin"])) == []
    assert list(selectors.visible_cases(world["intake1"])) == []
    assert list(selectors.visible_requests(world["intake1"])) == [world["request"]]
    assert list(selectors.visible_requests(world["intake2"])) == []
    assert list(selectors.visible_requests(world["lawyer1"])) == [world["request"]]  # the request of his case
    assert list(selectors.visible_requests(world["lawyer2"])) == []
    assert list(selectors.visible_requests(world["admin"])) == []


def test_changing_facts_saves_an_assessment_with_versions(world: dict[str, object]) -> None:
    case = world["case"]
    first = selectors.latest_assessment(case)
    assert first is not None and first.engine_version and len(first.law_version) == 16
    assert first.result_en["qualifications"][0]["article"] == "337"
    services.update_case(
        world["lawyer1"], case, {"returned": dt.datetime(2026, 11, 25, 8, 0, tzinfo=MSK), "surrendered": True}
    )
    latest = selectors.latest_assessment(case)
    assert latest.pk != first.pk
    assert latest.result_en["qualifications"][0]["part"] == "3.1"  # 15 days during the mobilization
    assert first.result_en["qualifications"][0]["part"] == "3.1" or first.result_en != latest.result_en
    assert case.assessments.count() == 2  # the earlier advice is kept as it was given


def test_inconsistent_facts_are_refused_before_saving(world: dict[str, object]) -> None:
    case = world["case"]
    with pytest.raises(FactsError):
        services.update_case(world["lawyer1"], case, {"returned": dt.datetime(2026, 11, 1, tzinfo=MSK)})
    case.refresh_from_db()
    assert case.returned is None


def test_audit_log_has_events_and_no_personal_data(world: dict[str, object]) -> None:
    events = list(AuditEvent.objects.values_list("action", "object_type", "fields"))
    assert ("create", "request", "") in events and ("create", "case", "") in events
    assert any(action == "change" and "left" in fields for action, _, fields in events)
    dumped = " ".join(str(value) for row in AuditEvent.objects.values_list() for value in row)
    assert "Канарейкин" not in dumped and "2026-11-10" not in dumped


# -- the access matrix ----------------------------------------------------------------------------------------

ROLES = ["anonymous", "intake1", "intake2", "lawyer1", "lawyer2", "coordinator", "admin"]


def expect(default: int, **exceptions: int) -> dict[str, int]:
    """GET statuses per role: `default` for every staff role unless named; anonymous is sent to login (302)."""
    return {"anonymous": 302, **dict.fromkeys(ROLES[1:], default), **exceptions}


WORKS_ON_THE_CASE = expect(404, lawyer1=200, coordinator=200)  # the case's lawyer and coordinators; others: 404
POST_ONLY = expect(405)
# URL name -> expected GET status per role (302 = sent to the login page, 404 = "no such case" for the invisible).
MATRIX: dict[str, dict[str, int]] = {
    "cases:dashboard": expect(200),
    "cases:request_list": expect(200),
    "cases:request_create": expect(200, lawyer1=403, lawyer2=403, admin=403),
    "cases:request_detail": expect(404, intake1=200, lawyer1=200, coordinator=200),  # lawyer1: his case's request
    "cases:request_decline": POST_ONLY,
    "cases:request_status": POST_ONLY,
    "cases:request_assign": POST_ONLY,
    "cases:request_delete": POST_ONLY,
    "cases:request_bulk_delete": expect(403, coordinator=200),
    "cases:request_bulk": POST_ONLY,
    "cases:case_list": expect(200),
    "cases:case_export": expect(403, coordinator=200),
    "cases:case_detail": WORKS_ON_THE_CASE,
    "cases:case_edit": WORKS_ON_THE_CASE,
    "cases:case_print": WORKS_ON_THE_CASE,
    "cases:case_stage": POST_ONLY,
    "cases:case_note": POST_ONLY,
    "cases:case_procedure": POST_ONLY,
    "cases:case_procedure_remove": POST_ONLY,
    "cases:case_assign": POST_ONLY,
    "cases:case_delete": POST_ONLY,
    "cases:document_upload": POST_ONLY,
    "cases:document_download": WORKS_ON_THE_CASE,
    "assessments:detail": WORKS_ON_THE_CASE,
    "assessments:what_if": expect(403, lawyer1=200, lawyer2=200, coordinator=200),
    "drafts:list": WORKS_ON_THE_CASE,
    "drafts:preview": WORKS_ON_THE_CASE,
    "drafts:download": WORKS_ON_THE_CASE,
    "statistics:page": expect(403, coordinator=200, admin=200),
    "statistics:export": expect(403, coordinator=200, admin=200),
    "audit:list": expect(403, admin=200),
    "audit:export": expect(403, admin=200),
    "accounts:user_list": expect(403, admin=200),
    "accounts:user_create": expect(403, admin=200),
    "accounts:user_edit": expect(403, admin=200),
    "accounts:profile": expect(200),  # every account, its own profile only (test_profile.py)
    "organisation:identity": expect(403, admin=200),
    "api:tokens": expect(403, lawyer1=200, lawyer2=200, coordinator=200),  # api/permissions.py
    "api:token_revoke": POST_ONLY,
    "agenda:upcoming": expect(403, lawyer1=200, lawyer2=200, coordinator=200),
    "agenda:settings": expect(403, lawyer1=200, lawyer2=200, coordinator=200),
    "agenda:digest": POST_ONLY,
    "agenda:feed_create": POST_ONLY,
    "agenda:feed_revoke": POST_ONLY,
    "agenda:item_add": WORKS_ON_THE_CASE,
}
# Named URLs whose access rules other modules test, each with its own matrix.
TESTED_ELSEWHERE = {
    "accounts:login": "test_accounts.py (login, lockout, second factor)",
    "accounts:logout": "test_accounts.py",
    "accounts:second_factor": "test_accounts.py, test_accounts_totp.py",
    "accounts:enrol": "test_accounts.py, test_accounts_admin.py",
    "accounts:password_change": "test_accounts.py, test_accounts_admin.py",
    "set_language": "test_translations.py",
    "api:assess": "test_api.py (bearer tokens only, never cookies)",
    "api:openapi": "test_api.py",
    "interview:start": "test_public_interview.py (public, no cookie)",
    "interview:start_en": "test_public_interview.py",
    "interview:step": "test_public_interview.py",
    "interview:step_en": "test_public_interview.py",
    "interview:pdf": "test_public_interview.py",
    "interview:pdf_en": "test_public_interview.py",
    "interview:ask": "test_public_ask.py",
    "interview:ask_en": "test_public_ask.py",
    "interview:privacy": "test_organisation.py (public, GET only)",
    "interview:privacy_en": "test_organisation.py",
    "agenda:feed": "test_agenda_feed.py (the token in the address, never cookies)",
    "agenda:item_edit": "test_agenda.py (its own matrix: needs an item)",
    "agenda:item_done": "test_agenda.py",
    "agenda:item_delete": "test_agenda.py",
}


def _url_names() -> set[str]:
    from django.urls import URLResolver, get_resolver

    def walk(patterns: list, namespace: str = "") -> Iterator[str]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(
                    pattern.url_patterns, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                )
            elif pattern.name:
                yield namespace + pattern.name

    return set(walk(get_resolver().url_patterns))


def test_every_named_url_is_in_the_access_matrix() -> None:
    names = _url_names()
    assert not names - MATRIX.keys() - TESTED_ELSEWHERE.keys(), "add the new URLs to MATRIX"
    assert not (MATRIX.keys() | TESTED_ELSEWHERE.keys()) - names, "the matrix names URLs that no longer exist"


POSTS = {  # URL name -> data; expected: 302 back to the case when allowed, 404 when the case is invisible
    "cases:case_stage": {"stage": "agreement"},
    "cases:case_note": {"text": "Встреча назначена"},
}


def _url(name: str, world: dict[str, object]) -> str:
    case, request = world["case"], world["request"]
    arguments: dict[str, list[object]] = {
        "cases:request_detail": [request.code],
        "cases:request_decline": [request.code],
        "cases:request_status": [request.code],
        "cases:request_assign": [request.code],
        "cases:request_delete": [request.code],
        "assessments:detail": [case.code, selectors.latest_assessment(case).pk],
        "cases:document_download": [case.code, world["document"].pk],
        "drafts:preview": [case.code, "voluntary_appearance"],
        "drafts:download": [case.code, "voluntary_appearance", "docx"],
        "accounts:user_edit": [world["lawyer2"].pk],
        "api:token_revoke": [1],
        "agenda:item_add": [case.code],
    }
    if name in arguments:
        return reverse(name, args=arguments[name])
    if (name.startswith("cases:case_") and name not in ("cases:case_list", "cases:case_export")) or name in (
        "drafts:list",
        "cases:document_upload",
    ):
        return reverse(name, args=[case.code])
    return reverse(name)


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(role: str, world: dict[str, object], login: Callable[..., object]) -> None:
    client = Client()
    if role != "anonymous":
        login(client, world[role])
    for name, expected in MATRIX.items():
        response = client.get(_url(name, world))
        assert response.status_code == expected[role], f"{role} GET {name}: {response.status_code}"


@pytest.mark.parametrize("role", ["intake1", "lawyer1", "lawyer2", "coordinator", "admin"])
def test_posts_follow_the_same_rules(role: str, world: dict[str, object], login: Callable[..., object]) -> None:
    client = Client()
    login(client, world[role])
    can_work = role in ("lawyer1", "coordinator")
    for name, data in POSTS.items():
        response = client.post(_url(name, world), data)
        assert response.status_code == (302 if can_work else 404), f"{role} POST {name}"
    response = client.post(_url("cases:case_assign", world), {"lawyer": world["lawyer2"].pk})
    assert response.status_code == {"coordinator": 302, "lawyer1": 403}.get(role, 404)


# -- pages ------------------------------------------------------------------------------------------------------


def test_case_page_shows_assessment_trace_and_deadlines(
    world: dict[str, object], login: Callable[..., object], client: Client
) -> None:
    login(client, world["lawyer1"])
    page = client.get(reverse("cases:case_detail", args=[world["case"].code]), HTTP_ACCEPT_LANGUAGE="ru")
    html = page.content.decode()
    assert "337" in html and "УК РФ ст. 337" in html  # a citation in the trace
    assert AuditEvent.objects.filter(action="view", object_type="case", object_id=world["case"].code).exists()
    csp = page.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "default-src 'none'" in csp
    assert page.headers["Cache-Control"] == "no-store"
    assert not re.search(r'(src|href|action)="(https?:)?//', html), "a reference to another host"


def test_bad_form_input_gives_form_errors_not_500(
    world: dict[str, object], login: Callable[..., object], client: Client
) -> None:
    login(client, world["lawyer1"])
    url = reverse("cases:case_edit", args=[world["case"].code])
    bad = {
        "status": "admiral",
        "left": "yesterday",
        "absence_kind": "left-unit",
        "context": "auto",
        "first_offence": "on",
    }
    response = client.post(url, bad)
    assert response.status_code == 400
    assert b"errorlist" in response.content
    contradictory = {
        "status": "contract",
        "left": "2026-11-10T08:00",
        "returned": "2026-11-01T08:00",
        "absence_kind": "left-unit",
        "context": "auto",
        "first_offence": "on",
    }
    response = client.post(url, contradictory)
    assert response.status_code == 400
    page = response.content.decode()
    assert "--returned" not in page  # the command line's words stay in the command line
    assert "Отсутствие должно закончиться позже, чем началось (10.11.2026 08:00 МСК)." in page
    assert client.post(reverse("cases:request_create"), {}).status_code in (403, 400)


def test_coordinator_takes_a_request_to_a_case(
    world: dict[str, object], login: Callable[..., object], client: Client
) -> None:
    login(client, world["intake2"])
    response = client.post(
        reverse("cases:request_create"), {"channel": "messenger", "relation": "spouse", "summary": ""}
    )
    assert response.status_code == 302
    created = HelpRequest.objects.get(created_by=world["intake2"])
    coordinator_client = Client()
    login(coordinator_client, world["coordinator"])
    response = coordinator_client.post(
        reverse("cases:request_detail", args=[created.code]), {"lawyer": world["lawyer2"].pk}
    )
    assert response.status_code == 302
    case = Case.objects.get(request=created)
    assert case.lawyer == world["lawyer2"] and re.fullmatch(r"C-[A-Z2-9]{6}", case.code)


def test_audit_rows_cannot_be_changed_even_with_raw_sql(world: dict[str, object]) -> None:
    from django.db import DatabaseError, connection, transaction

    event = AuditEvent.objects.first()
    for statement in ("UPDATE audit_auditevent SET action = 'view'", "DELETE FROM audit_auditevent"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert AuditEvent.objects.filter(pk=event.pk, action=event.action).exists()


def test_the_suite_runs_on_the_configured_database(db: None) -> None:
    """`make test` runs the web suite twice: on SQLite, then on PostgreSQL (scripts/with_postgres.py)."""
    import os

    from django.db import connection

    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected


def test_a_coordinator_declines_or_deletes_a_request_that_has_no_case(
    make_user: Callable[..., User], login: Callable[..., object]
) -> None:
    intake, coordinator = make_user(Role.INTAKE), make_user(Role.COORDINATOR)
    request = services.create_request(intake, channel="phone", relation="self", summary="Просит совета")
    client = Client()
    login(client, intake)
    decline = reverse("cases:request_decline", args=[request.code])
    assert client.post(decline, {"reason": "junk"}).status_code == 403
    login(client, coordinator)
    page = client.get(reverse("cases:request_detail", args=[request.code])).content.decode()
    assert decline in page
    assert client.post(decline).status_code == 400  # a reason is required: the page comes back with the error
    assert not HelpRequest.objects.get(pk=request.pk).declined
    assert client.post(decline, {"reason": "junk"}).status_code == 302
    request.refresh_from_db()
    assert request.declined and request.decline_reason == "junk"
    assert AuditEvent.objects.filter(object_id=request.code, action="change", fields="decline_reason,status").exists()
    delete = reverse("cases:request_delete", args=[request.code])
    client.post(delete, {"confirm_code": "R-WRONG1"})
    assert HelpRequest.objects.filter(pk=request.pk).exists()
    client.post(delete, {"confirm_code": request.code})
    assert not HelpRequest.objects.filter(pk=request.pk).exists()


def test_requests_that_never_became_a_case_are_purged_after_the_retention_period(
    make_user: Callable[..., User],
) -> None:
    intake, coordinator = make_user(Role.INTAKE), make_user(Role.COORDINATOR)
    untouched = services.create_request(intake, channel="web", relation="parent", summary="")
    declined = services.create_request(intake, channel="phone", relation="self", summary="")
    services.decline_request(coordinator, declined)
    taken_up = services.create_request(intake, channel="phone", relation="self", summary="")
    services.convert_request(coordinator, taken_up)
    assert services.purge_closed_cases(365) == []
    later = timezone.now() + dt.timedelta(days=366)
    assert sorted(services.purge_closed_cases(365, now=later)) == sorted([untouched.code, declined.code])
    assert HelpRequest.objects.filter(pk=taken_up.pk).exists()
