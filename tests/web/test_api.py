"""The JSON API: token authentication, the token page, validation of the facts, the engine's answer, the OpenAPI
document. The schemathesis run over the same API is in test_api_schemathesis.py."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courtpath.law.answer import answer_data
from courtpath.law.facts import FACT_RULES, AbsenceKind, Context, Indicator, Status
from courtpath.law.intake import FIELD_LIST, facts_from_mapping
from courtpath.web.accounts import services as account_services
from courtpath.web.accounts.models import Role, User
from courtpath.web.accounts.session_state import LAST_SEEN_AT
from courtpath.web.api import services
from courtpath.web.api.models import ApiToken
from courtpath.web.api.openapi import document
from courtpath.web.api.schemas import MAX_BODY_BYTES
from courtpath.web.audit.models import AuditEvent

ASSESS = "/api/assess"
OPENAPI = "/api/openapi.json"
# The mission's figures: a mobilized serviceman absent more than 2 and at most 10 days (here 4 days 2 hours).
MOBILIZED_FOUR_DAYS = {"status": "mobilized", "left": "2025-06-01T08:00", "returned": "2025-06-05T10:00"}


@pytest.fixture
def token(lawyer: User) -> str:
    _token, raw = services.create_token(lawyer, "tests", None)
    return raw


@pytest.fixture(autouse=True)
def _no_remembered_tokens() -> Iterator[None]:
    services.forget_valid_tokens()
    yield
    services.forget_valid_tokens()


def post(client: Client, body: object, raw: str | None, **extra: Any) -> Any:
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"} if raw else {}
    return client.post(
        ASSESS, data=data, content_type=extra.pop("content_type", "application/json"), **headers, **extra
    )


def errors(response: Any) -> dict[str | None, str]:
    """field -> code of every error of the response."""
    assert response["Content-Type"] == "application/json"
    return {error["field"]: error["code"] for error in response.json()["errors"]}


def validator(name: str) -> Any:
    """A JSON Schema validator for one of the document's component schemas."""
    root = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": f"#/components/schemas/{name}",
        "components": document()["components"],
    }
    return jsonschema_rs.Draft202012Validator(root)


# -- authentication ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "Token cpt_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "Bearer cpt_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",  # well formed, unknown
        "Bearer not-a-token",
        "Bearer " + "x" * 5000,
    ],
)
def test_api_requires_a_valid_token(client: Client, db: None, authorization: str | None) -> None:
    headers = {} if authorization is None else {"HTTP_AUTHORIZATION": authorization}
    response = client.post(ASSESS, data=json.dumps(MOBILIZED_FOUR_DAYS), content_type="application/json", **headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="courtpath"'
    assert list(errors(response)) == [None]
    assert client.get(OPENAPI, **headers).status_code == 401


def test_a_token_with_the_right_prefix_but_wrong_secret_is_refused(client: Client, token: str) -> None:
    filler = "A" if token[-1] != "A" else "B"
    forged = token[: services.PREFIX_LENGTH] + filler * (len(token) - services.PREFIX_LENGTH)
    assert post(client, MOBILIZED_FOUR_DAYS, forged).status_code == 401
    assert post(client, MOBILIZED_FOUR_DAYS, token).status_code == 200


def test_the_scheme_is_case_insensitive(client: Client, token: str) -> None:
    response = client.post(
        ASSESS, data=MOBILIZED_FOUR_DAYS, content_type="application/json", HTTP_AUTHORIZATION=f"bearer {token}"
    )
    assert response.status_code == 200


def test_session_login_is_not_accepted(client: Client, lawyer: User, login: Callable[..., Any]) -> None:
    login(client, lawyer)
    assert client.get(reverse("cases:dashboard")).status_code == 200  # the session works for pages
    assert post(client, MOBILIZED_FOUR_DAYS, None).status_code == 401
    assert client.get(OPENAPI).status_code == 401


def test_api_requests_neither_refresh_nor_end_a_session(
    client: Client, lawyer: User, token: str, login: Callable[..., Any]
) -> None:
    login(client, lawyer)
    session = client.session
    session[LAST_SEEN_AT] = seen = time.time() - 600
    session.save()
    assert post(client, MOBILIZED_FOUR_DAYS, token).status_code == 200
    assert client.session[LAST_SEEN_AT] == seen  # a tool sharing a browser's cookies does not keep the session alive
    session = client.session
    session[LAST_SEEN_AT] = time.time() - settings.SESSION_IDLE_SECONDS - 1
    session.save()
    response = post(client, MOBILIZED_FOUR_DAYS, None)
    assert response.status_code == 401 and response["Content-Type"] == "application/json"  # not the login page
    assert post(client, MOBILIZED_FOUR_DAYS, token).status_code == 200
    assert client.get(reverse("cases:dashboard")).status_code == 302  # the idle session itself still ends


def test_token_requests_need_no_csrf_token(lawyer: User, token: str) -> None:
    client = Client(enforce_csrf_checks=True)
    assert post(client, MOBILIZED_FOUR_DAYS, token).status_code == 200


def test_api_is_not_redirected_to_the_login_but_the_token_page_is(client: Client, db: None) -> None:
    assert post(client, MOBILIZED_FOUR_DAYS, None).status_code == 401
    response = client.get(reverse("api:tokens"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_token_page_needs_the_second_factor(client: Client, lawyer: User) -> None:
    client.post(reverse("accounts:login"), {"username": lawyer.username, "password": lawyer.raw_password})
    response = client.get(reverse("api:tokens"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:second_factor")


def test_half_logged_in_session_does_not_block_a_token(client: Client, lawyer: User, token: str) -> None:
    client.post(reverse("accounts:login"), {"username": lawyer.username, "password": lawyer.raw_password})
    assert post(client, MOBILIZED_FOUR_DAYS, token).status_code == 200


def test_revoked_token_stops_working(client: Client, lawyer: User, token: str) -> None:
    assert post(client, MOBILIZED_FOUR_DAYS, token).status_code == 200
    services.revoke_token(lawyer, ApiToken.objects.get(user=lawyer).pk)
    assert post(client, MOBILIZED_FOUR_DAYS, token).status_code == 401


def test_expired_token_stops_working(client: Client, lawyer: User) -> None:
    created, raw = services.create_token(lawyer, "week", 7)
    assert created.expires_at is not None
    assert abs(created.expires_at - (timezone.now() + dt.timedelta(days=7))) < dt.timedelta(minutes=1)
    assert post(client, MOBILIZED_FOUR_DAYS, raw).status_code == 200
    ApiToken.objects.filter(pk=created.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    services.forget_valid_tokens()  # as after the recheck time: an edit behind the application's back
    assert post(client, MOBILIZED_FOUR_DAYS, raw).status_code == 401


class _Clock:
    """A stand-in for the api services' `time` module: monotonic() is what the test sets (no sleeping, so a slow
    machine cannot push a request past a fraction-of-a-second window)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> _Clock:
    fake = _Clock()
    monkeypatch.setattr(services, "time", fake)
    return fake


def test_a_token_expiring_within_the_recheck_time_is_not_remembered(
    client: Client, lawyer: User, settings: Any, clock: _Clock
) -> None:
    settings.COURTPATH_API_TOKEN_RECHECK_SECONDS = 60
    created, raw = services.create_token(lawyer, "soon", None)
    expiring = ApiToken.objects.filter(pk=created.pk)
    expiring.update(expires_at=timezone.now() + dt.timedelta(seconds=30))  # within the recheck time
    assert post(client, MOBILIZED_FOUR_DAYS, raw).status_code == 200
    expiring.update(expires_at=timezone.now() - dt.timedelta(seconds=1))  # no signal: as time passing would
    clock.now += 1  # still within the recheck time of the first request
    assert post(client, MOBILIZED_FOUR_DAYS, raw).status_code == 401


def test_a_change_behind_the_applications_back_counts_after_the_recheck_time(
    client: Client, lawyer: User, token: str, settings: Any, clock: _Clock
) -> None:
    """Another server process, or an edit of the database, is seen within COURTPATH_API_TOKEN_RECHECK_SECONDS."""
    settings.COURTPATH_API_TOKEN_RECHECK_SECONDS = 5
    assert post(client, MOBILIZED_FOUR_DAYS, token).status_code == 200
    ApiToken.objects.filter(user=lawyer).update(revoked_at=timezone.now())  # no signal: as another process would
    clock.now += 4.9
    assert post(client, MOBILIZED_FOUR_DAYS, token).status_code == 200  # remembered
    clock.now += 0.2
    assert post(client, MOBILIZED_FOUR_DAYS, token).status_code == 401


def test_with_no_recheck_time_every_request_reads_the_database(
    client: Client, lawyer: User, token: str, settings: Any
) -> None:
    settings.COURTPATH_API_TOKEN_RECHECK_SECONDS = 0
    assert post(client, MOBILIZED_FOUR_DAYS, token).status_code == 200
    ApiToken.objects.filter(user=lawyer).update(revoked_at=timezone.now())
    assert post(client, MOBILIZED_FOUR_DAYS, token).status_code == 401


def test_a_refused_token_is_not_remembered(client: Client, lawyer: User, token: str) -> None:
    stored = ApiToken.objects.get(user=lawyer)
    ApiToken.objects.filter(pk=stored.pk).update(revoked_at=timezone.now())
    assert post(client, MOBILIZED_FOUR_DAYS, token).status_code == 401
    ApiToken.objects.filter(pk=stored.pk).update(revoked_at=None)
    assert post(client, MOBILIZED_FOUR_DAYS, token).status_code == 200  # read again, not a remembered refusal


def test_a_change_of_the_account_in_this_process_counts_at_once(
    client: Client, lawyer: User, administrator: User, token: str
) -> None:
    assert post(client, MOBILIZED_FOUR_DAYS, token).status_code == 200
    assert post(client, MOBILIZED_FOUR_DAYS, token).status_code == 200  # remembered by now
    lawyer.refresh_from_db()
    account_services.change_role(administrator, lawyer, Role.INTAKE)
    assert post(client, MOBILIZED_FOUR_DAYS, token).status_code == 401


def test_deactivated_users_tokens_stop_working_for_good(
    client: Client, lawyer: User, administrator: User, token: str
) -> None:
    assert post(client, MOBILIZED_FOUR_DAYS, token).status_code == 200
    account_services.set_active(administrator, lawyer, False)
    assert post(client, MOBILIZED_FOUR_DAYS, token).status_code == 401
    account_services.set_active(administrator, lawyer, True)  # reactivation does not revive the token
    assert post(client, MOBILIZED_FOUR_DAYS, token).status_code == 401


@pytest.mark.parametrize(
    "change",
    [
        account_services.reset_totp,
        account_services.issue_one_time_password,
        lambda admin, user: account_services.change_role(admin, user, Role.INTAKE),
    ],
    ids=["totp_reset", "one_time_password", "role_change"],
)
def test_administrators_changes_end_the_users_tokens(
    client: Client, lawyer: User, administrator: User, token: str, change: Callable[[User, User], object]
) -> None:
    change(administrator, lawyer)
    assert post(client, MOBILIZED_FOUR_DAYS, token).status_code == 401


def test_an_inactive_user_cannot_create_a_token(make_lawyer: Callable[..., User]) -> None:
    with pytest.raises(PermissionDenied):
        services.create_token(make_lawyer(is_active=False), "x", None)


def test_last_use_is_recorded_at_most_once_a_minute(client: Client, lawyer: User, token: str) -> None:
    stored = ApiToken.objects.get(user=lawyer)
    assert stored.last_used_at is None
    post(client, MOBILIZED_FOUR_DAYS, token)
    first = ApiToken.objects.get(pk=stored.pk).last_used_at
    assert first is not None
    post(client, MOBILIZED_FOUR_DAYS, token)
    assert ApiToken.objects.get(pk=stored.pk).last_used_at == first
    ApiToken.objects.filter(pk=stored.pk).update(last_used_at=first - services.LAST_USED_RESOLUTION)
    services.forget_valid_tokens()  # as after the recheck time: a remembered token is not read, nor written
    post(client, MOBILIZED_FOUR_DAYS, token)
    assert ApiToken.objects.get(pk=stored.pk).last_used_at > first


# -- the token page ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.LAWYER, Role.COORDINATOR])
def test_lawyers_and_coordinators_create_a_token_shown_once_and_stored_hashed(
    client: Client,
    make_user: Callable[..., User],
    login: Callable[..., Any],
    db_contains: Callable[[str], bool],
    role: Role,
) -> None:
    user = make_user(role)
    login(client, user)
    assert client.get(reverse("api:tokens")).status_code == 200
    response = client.post(reverse("api:tokens"), {"name": "Spreadsheet macro", "expires": "never"})
    assert response.status_code == 200
    page = response.content.decode()
    stored = ApiToken.objects.get(user=user)
    raw = page.split('id="api-token">', 1)[1].split("<", 1)[0]
    assert raw.startswith(stored.prefix) and len(raw) == services.TOKEN_LENGTH
    assert stored.token_hash == services.token_hash(raw) and stored.expires_at is None
    assert not db_contains(raw) and not db_contains(raw[services.PREFIX_LENGTH :])
    assert raw not in client.get(reverse("api:tokens")).content.decode()  # shown once
    event = AuditEvent.objects.get(object_type="api_token", action="create")
    assert (event.actor_id, event.object_id, event.fields) == (user.pk, str(stored.pk), "expires_at,name")
    assert post(client, MOBILIZED_FOUR_DAYS, raw).status_code == 200


@pytest.mark.parametrize("role", [Role.INTAKE, Role.ADMINISTRATOR])
def test_roles_without_use_for_the_engine_get_no_token(
    client: Client, make_user: Callable[..., User], login: Callable[..., Any], role: Role
) -> None:
    """Least privilege (api/permissions.py): intake staff and administrators assess nothing, so they get no token, and
    the menu shows them no «API tokens» link."""
    user = make_user(role)
    login(client, user)
    assert client.get(reverse("api:tokens")).status_code == 403
    assert client.post(reverse("api:tokens"), {"name": "x", "expires": "never"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.create_token(user, "x", None)
    assert not ApiToken.objects.exists()
    assert reverse("api:tokens") not in client.get(reverse("cases:dashboard")).content.decode()


def test_a_token_stops_working_when_its_owner_has_a_role_without_the_api(
    make_lawyer: Callable[..., User], settings: Any
) -> None:
    settings.COURTPATH_API_TOKEN_RECHECK_SECONDS = 0
    lawyer = make_lawyer()
    _token, raw = services.create_token(lawyer, "mine", None)
    assert services.authenticate(raw) is not None
    # Only the role, not the account's generation: the lookup itself must refuse it.
    User.objects.filter(pk=lawyer.pk).update(role=Role.INTAKE)
    assert services.authenticate(raw) is None
    User.objects.filter(pk=lawyer.pk).update(role=Role.COORDINATOR)
    assert services.authenticate(raw) is not None


def test_page_lists_and_revokes_own_tokens_only(
    client: Client, make_lawyer: Callable[..., User], login: Callable[..., Any]
) -> None:
    owner, other = make_lawyer(), make_lawyer()
    mine, raw = services.create_token(owner, "mine", 30)
    theirs, their_raw = services.create_token(other, "theirs", None)
    login(client, owner)
    page = client.get(reverse("api:tokens")).content.decode()
    assert "mine" in page and mine.prefix in page and "theirs" not in page and theirs.prefix not in page
    assert client.post(reverse("api:token_revoke", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("api:token_revoke", args=[mine.pk])).status_code == 405
    assert post(client, MOBILIZED_FOUR_DAYS, their_raw).status_code == 200
    response = client.post(reverse("api:token_revoke", args=[mine.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("api:tokens")
    assert post(client, MOBILIZED_FOUR_DAYS, raw).status_code == 401
    event = AuditEvent.objects.get(object_type="api_token", action="change")
    assert (event.actor_id, event.object_id, event.fields) == (owner.pk, str(mine.pk), "revoked_at")
    client.post(reverse("api:token_revoke", args=[mine.pk]))  # again: nothing changes, nothing is audited
    assert AuditEvent.objects.filter(object_type="api_token", action="change").count() == 1
    page = client.get(reverse("api:tokens")).content.decode()
    assert mine.prefix in page and reverse("api:token_revoke", args=[mine.pk]) not in page  # listed, not revocable


def test_page_refuses_bad_input_and_too_many_tokens(client: Client, lawyer: User, login: Callable[..., Any]) -> None:
    login(client, lawyer)
    for data in ({"name": "  ", "expires": "30"}, {"name": "x", "expires": "3"}, {"name": "x" * 101, "expires": "30"}):
        response = client.post(reverse("api:tokens"), data)
        assert response.status_code == 200 and 'id="api-token"' not in response.content.decode()
    assert not ApiToken.objects.exists()
    for number in range(services.MAX_ACTIVE_TOKENS):
        services.create_token(lawyer, f"t{number}", 30)
    response = client.post(reverse("api:tokens"), {"name": "one more", "expires": "30"})
    assert 'id="api-token"' not in response.content.decode()
    assert ApiToken.objects.count() == services.MAX_ACTIVE_TOKENS
    services.revoke_token(lawyer, ApiToken.objects.first().pk)  # a revoked token frees a place
    response = client.post(reverse("api:tokens"), {"name": "one more", "expires": "30"})
    assert 'id="api-token"' in response.content.decode()


# -- the assessment ---------------------------------------------------------------------------------------------


def test_mobilized_two_to_ten_days_is_art_337_part_2_1_up_to_60_months(client: Client, token: str) -> None:
    response = post(client, {**MOBILIZED_FOUR_DAYS, "lang": "en"}, token)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json" and response["Content-Language"] == "en"
    assert response["Cache-Control"] == "no-store"
    result = response.json()
    primary = next(q for q in result["qualifications"] if q["primary"])
    assert (primary["article"], primary["part"], primary["kind"]) == ("337", "2.1", "awol")
    assert primary["penalties"][-1] == {
        "type": "imprisonment",
        "min_months": 2,
        "max_months": 60,
        "min_from_general_part": True,
        "available": "yes",
        "reason": None,
    }
    assert result["absence"] == {
        "open": False,
        "end": "2025-06-05T10:00:00+03:00",
        "duration_hours": 98.0,
        "band": "A",
        "special_context": True,
        "context_basis": "auto",
    }
    assert set(result) == {
        "engine_version",
        "law_data_version",
        "facts",
        "absence",
        "qualifications",
        "key_dates",
        "flags",
        "trace",
        "outcome",
    }
    assert all(step["citations"] for step in result["trace"] if step["step"] == "duration")
    validator("AssessmentAnswer").validate(result)


def test_answer_is_the_engines_answer(client: Client, token: str) -> None:
    body = {
        "status": "contract",
        "left": "20.11.2026 08:00",
        "as_of": "2026-11-25T12:00+03:00",
        "absence_kind": "leave",
        "context": "none",
        "indicators": ["job", "border"],
        "weapon": True,
        "first_offence": False,
        "aggravating": True,
        "law_on": "2026-02-01",
        "lang": "ru",
    }
    response = post(client, body, token)
    assert response.status_code == 200 and response["Content-Language"] == "ru"
    from courtpath.law.engine import assess

    facts = facts_from_mapping({name: value for name, value in body.items() if name != "lang"})
    assert response.json() == answer_data(assess(facts), "ru")
    validator("AssessmentAnswer").validate(response.json())
    text = response.content.decode()
    assert "\\u04" not in text and re.search("[А-Яа-я]", text)  # UTF-8, not \\u escapes


def test_defaults_are_the_clis(client: Client, token: str) -> None:
    result = post(client, {"status": "conscript", "left": "2025-03-01", "returned": "2025-03-20"}, token).json()
    facts = result["facts"]
    assert facts["absence_kind"] == "left-unit" and facts["context"] == "auto" and facts["first_offence"] is True
    assert facts["left"] == "2025-03-01T00:00:00+03:00"  # a date alone is 00:00 Moscow time
    assert result["qualifications"][0]["title"].startswith("Самовольное")  # Russian by default


def test_open_absence_defaults_to_now(client: Client, token: str) -> None:
    left = (timezone.now() - dt.timedelta(days=3)).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%MZ")
    result = post(client, {"status": "contract", "left": left}, token).json()
    assert result["absence"]["open"] is True
    as_of = dt.datetime.fromisoformat(result["facts"]["as_of"])
    assert abs(as_of - timezone.now()) < dt.timedelta(minutes=1)


# -- bad input ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"left": "2025-06-01"}, {"status": "required"}),
        ({"status": "general", "left": "2025-06-01"}, {"status": "unknown_value"}),
        ({"status": 1, "left": "2025-06-01"}, {"status": "not_text"}),
        ({"status": "contract", "left": "yesterday"}, {"left": "moment_format"}),
        ({"status": "contract", "left": "2025-02-30"}, {"left": "moment_value"}),
        ({"status": "contract", "left": "31.02.2025 08:00"}, {"left": "moment_value"}),
        ({"status": "contract", "left": "2025-06-01\n"}, {"left": "moment_format"}),
        ({"status": "contract", "left": "20250601"}, {"left": "moment_format"}),  # fromisoformat would take it
        ({"status": "contract", "left": "01/06/2025"}, {"left": "moment_format"}),  # 1 June or 6 January?
        ({"status": "contract", "left": "2025-06-01T08:00+0300"}, {"left": "moment_format"}),
        ({"status": "contract", "left": "٢٠٢٥-06-01"}, {"left": "moment_format"}),  # Arabic-Indic digits
        ({"status": "contract", "left": "2101-06-01"}, {"left": "year_range"}),  # years 1900 to 2099
        ({"status": "contract", "left": "9985-06-01"}, {"left": "year_range"}),
        ({"status": "contract", "left": "0001-01-01T00:00+14:00"}, {"left": "year_range"}),
        ({"status": "contract", "left": "2025-06-01T08:00+24:00"}, {"left": "moment_value"}),
        ({"status": "contract", "left": "2025-06-01T24:00"}, {"left": "moment_value"}),
        ({"status": "contract", "left": "2099-06-01"}, {"left": "in_future"}),
        ({"status": "contract", "left": "2025-06-01", "returned": "2098-06-01"}, {"returned": "in_future"}),
        ({"status": "contract", "left": 20250601}, {"left": "not_text"}),
        ({"status": "contract", "left": None}, {"left": "required"}),
        ({"status": "contract", "left": "x" * 10000}, {"left": "moment_format"}),
        (
            {"status": "contract", "left": "2025-06-01", "returned": "2025-06-03", "as_of": "2025-06-02"},
            {"as_of": "as_of_before_end"},
        ),
        ({"status": "contract", "left": "2025-06-01", "returned": "2025-05-01"}, {"returned": "end_before_start"}),
        ({"status": "contract", "left": "2025-06-01", "as_of": "2025-06-01"}, {"as_of": "as_of_before_start"}),
        ({"status": "contract", "left": "2025-06-01", "surrendered": True}, {"surrendered": "surrender_needs_end"}),
        (
            {"status": "conscript", "left": "2025-06-01", "returned": "2025-06-03", "released_80_2": True},
            {"released_80_2": "released_80_2_status"},
        ),
        ({"status": "mobilized", "left": "2022-09-20", "returned": "2022-09-30"}, {"left": "mobilized_too_early"}),
        ({"status": "contract", "left": "1996-12-31", "returned": "1997-01-10"}, {"left": "before_code"}),
        ({"status": "contract", "left": "2025-06-01", "absence_kind": "vacation"}, {"absence_kind": "unknown_value"}),
        ({"status": "contract", "left": "2025-06-01", "kind": "leave"}, {"kind": "unknown_field"}),  # renamed
        ({"status": "contract", "left": "2025-06-01", "context": "war"}, {"context": "unknown_value"}),
        ({"status": "contract", "left": "2025-06-01", "indicators": "job"}, {"indicators": "not_list"}),
        ({"status": "contract", "left": "2025-06-01", "indicators": ["job", "dog"]}, {"indicators": "unknown_value"}),
        ({"status": "contract", "left": "2025-06-01", "indicators": ["job", "job"]}, {"indicators": "duplicate"}),
        ({"status": "contract", "left": "2025-06-01", "weapon": "yes"}, {"weapon": "not_boolean"}),
        ({"status": "contract", "left": "2025-06-01", "weapon": 1}, {"weapon": "not_boolean"}),
        ({"status": "contract", "left": "2025-06-01", "law_on": "2025-06-01T08:00"}, {"law_on": "day_format"}),
        ({"status": "contract", "left": "2025-06-01", "law_on": "1990-06-01"}, {"law_on": "before_code"}),
        ({"status": "contract", "left": "2025-06-01", "lang": "de"}, {"lang": "unknown_value"}),
        ({"status": "contract", "left": "2025-06-01", "colour": "red"}, {"colour": "unknown_field"}),
        ([MOBILIZED_FOUR_DAYS], {None: "not_object"}),
        ("null", {None: "not_object"}),
        ('{"status": "contract",', {None: "not_json"}),
        (" ", {None: "not_json"}),
        ('{"status": "contract", "left": "2025-06-01"} {}', {None: "not_json"}),
        ("[" * 5000 + "]" * 5000, {None: "not_json"}),
        (b'{"status": "contract", "left": "2025-06-01\xff"}', {None: "not_json"}),
        ('{"status": "contract", "left": "2025-06-01", "weapon": NaN}', {None: "not_json"}),
    ],
)
def test_bad_input_gets_400_with_the_field_and_code(
    client: Client, token: str, body: object, expected: dict[str | None, str]
) -> None:
    response = post(client, body, token)
    assert response.status_code == 400, response.content
    found = errors(response)
    for field, code in expected.items():
        assert found.get(field) == code, found
    validator("Errors").validate(response.json())


def test_a_lone_surrogate_is_refused_or_shown_safely(client: Client, token: str) -> None:
    response = post(client, '{"status": "contract", "left": "2025-06-01\\ud800"}', token)
    assert response.status_code == 400
    assert errors(response) in ({"left": "moment_format"}, {None: "not_json"})
    response.content.decode("utf-8")  # whatever it says, it says it in valid UTF-8


def test_error_messages_are_in_the_language_asked_for(client: Client, token: str) -> None:
    body = {"status": "contract", "left": "2025-06-01", "returned": "2025-05-01"}
    russian = post(client, {**body, "lang": "ru"}, token).json()["errors"][0]["message"]
    english = post(client, {**body, "lang": "en"}, token).json()["errors"][0]["message"]
    assert russian.startswith("Отсутствие должно закончиться позже") and english.startswith("The absence must end")


def test_every_error_is_reported_at_once(client: Client, token: str) -> None:
    body = {"status": "x", "left": "y", "weapon": "z", "lang": "de", "colour": 1}
    assert set(errors(post(client, body, token))) == {"status", "left", "weapon", "lang", "colour"}
    many = {f"extra{number}": 1 for number in range(100)}
    assert len(post(client, many, token).json()["errors"]) == 20


@pytest.mark.parametrize("rule", FACT_RULES, ids=[f"{r.field}:{r.code}" for r in FACT_RULES])
def test_every_rule_of_the_facts_is_reported_on_its_field(client: Client, token: str, rule: Any) -> None:
    """One body per rule of the facts as a whole: the API names the rule's field and code."""
    response = post(client, RULE_EXAMPLES[(rule.field, rule.code)], token)
    assert response.status_code == 400
    assert errors(response) == {rule.field: rule.code}


RULE_EXAMPLES = {  # (field, code) -> a body that breaks that rule only
    ("left", "year_range"): {"status": "contract", "left": "1899-12-31"},
    ("returned", "year_range"): {"status": "contract", "left": "2025-06-01", "returned": "2101-01-01"},
    ("as_of", "year_range"): {"status": "contract", "left": "2025-06-01", "as_of": "2100-01-01"},
    ("law_on", "year_range"): {"status": "contract", "left": "2025-06-01", "law_on": "2100-01-01"},
    ("left", "before_code"): {"status": "contract", "left": "1996-06-01", "returned": "1996-06-30"},
    ("law_on", "before_code"): {"status": "contract", "left": "2025-06-01", "law_on": "1996-06-01"},
    ("returned", "end_before_start"): {"status": "contract", "left": "2025-06-02", "returned": "2025-06-01"},
    ("as_of", "as_of_before_start"): {"status": "contract", "left": "2025-06-02", "as_of": "2025-06-01"},
    ("as_of", "as_of_before_end"): {
        "status": "contract",
        "left": "2025-06-01",
        "returned": "2025-06-10",
        "as_of": "2025-06-05",
    },
    ("surrendered", "surrender_needs_end"): {"status": "contract", "left": "2025-06-02", "surrendered": True},
    ("released_80_2", "released_80_2_status"): {"status": "conscript", "left": "2025-06-02", "released_80_2": True},
    ("left", "mobilized_too_early"): {"status": "mobilized", "left": "2022-09-01", "returned": "2022-09-30"},
    ("first_offence", "first_offence_with_conviction"): {
        "status": "contract",
        "left": "2025-06-02",
        "first_offence": True,
        "prior_conviction": "grave",
    },
    ("prior_imprisonment", "imprisonment_without_conviction"): {
        "status": "contract",
        "left": "2025-06-02",
        "prior_imprisonment": True,
    },
}


def test_body_size_and_media_type(client: Client, token: str) -> None:
    big = {**MOBILIZED_FOUR_DAYS, "padding": "x" * MAX_BODY_BYTES}
    response = post(client, big, token)
    assert response.status_code == 413 and None in errors(response)
    response = post(client, MOBILIZED_FOUR_DAYS, token, content_type="text/plain")
    assert response.status_code == 415
    response = client.post(ASSESS, MOBILIZED_FOUR_DAYS, HTTP_AUTHORIZATION=f"Bearer {token}")  # a form
    assert response.status_code == 415
    response = post(client, MOBILIZED_FOUR_DAYS, token, content_type="application/json; charset=utf-8")
    assert response.status_code == 200


def test_other_methods_get_405(client: Client, token: str) -> None:
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    for response in (client.get(ASSESS, **auth), client.put(ASSESS, **auth), client.delete(ASSESS)):
        assert response.status_code == 405 and response["Allow"] == "POST" and None in errors(response)
    response = client.post(OPENAPI, **auth)
    assert response.status_code == 405 and response["Allow"] == "GET"


# -- the OpenAPI document ---------------------------------------------------------------------------------------


def test_openapi_document_is_served_with_a_token(client: Client, token: str) -> None:
    response = client.get(OPENAPI, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    served = response.json()
    assert served == json.loads(json.dumps(document()))
    assert served["openapi"] == "3.1.0"
    assert served["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "cpt_ followed by 43 characters",
    }
    assert set(served["paths"]) == {ASSESS, OPENAPI}
    validator("Errors")  # a valid schema, its references resolved


def test_request_schema_is_the_intakes() -> None:
    schema = document()["components"]["schemas"]["AssessRequest"]
    properties = schema["properties"]
    assert list(properties) == [spec.name for spec in FIELD_LIST] + ["lang"]
    assert schema["required"] == ["status", "left"]
    for spec in FIELD_LIST:
        if not spec.required:
            default = spec.default.value if hasattr(spec.default, "value") else spec.default
            assert properties[spec.name]["default"] == (list(default) if isinstance(default, tuple) else default)
    assert properties["status"]["enum"] == [s.value for s in Status]
    assert properties["absence_kind"]["enum"] == [*(k.value for k in AbsenceKind), None]
    assert properties["context"]["enum"] == [*(c.value for c in Context), None]
    assert properties["indicators"]["items"]["enum"] == [i.value for i in Indicator]
    assert properties["lang"]["enum"] == ["ru", "en"]
    validate = validator("AssessRequest")
    assert validate.is_valid({**MOBILIZED_FOUR_DAYS, "law_on": "01.02.2026", "indicators": ["job"]})
    assert validate.is_valid({"status": "contract", "left": "01.06.2025 8:00", "returned": "2025-06-09T10:00:00Z"})
    for bad in ("20250601", "2025-06-01T08:00+0300", "2025-06-01 ", "yesterday", "01/06/2025", "2100-01-01"):
        assert not validate.is_valid({"status": "contract", "left": bad}), bad


@pytest.mark.parametrize("value", ["abc", "-1", "61", "nan"])
def test_a_bad_recheck_time_is_one_line_and_exit_code_2(value: str, tmp_path: Path) -> None:
    environment = {**os.environ, "COURTPATH_API_TOKEN_RECHECK_SECONDS": value, "COURTPATH_DATA_DIR": str(tmp_path)}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [str(Path(sys.executable).with_name("courtpath")), "web", "manage", "check"],
        check=False,
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"courtpath: error: COURTPATH_API_TOKEN_RECHECK_SECONDS must be 0 to 60 seconds, not {value!r}"
    ]
