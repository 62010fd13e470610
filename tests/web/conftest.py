"""Shared fixtures for the web tests: users with a working second factor, and a real login.

Users
    make_user(role=Role.LAWYER, *, username=None, password=DEFAULT_PASSWORD, enrolled=True, **fields) -> User
        An active user with a confirmed TOTP device (enrolled=False: none yet, as for a new account, which has a
        one-time password: must_change_password=True unless given, as enrolling needs it). Extra model fields
        (for example must_change_password=True, is_active=False) are passed through. The returned object carries two
        test-only attributes: `raw_password` and `totp_secret` (the base32 secret; None without a device).
    make_intake, make_lawyer, make_coordinator, make_administrator
        The same factory with the role filled in: `make_lawyer(username="l2")`.
    intake, lawyer, coordinator, administrator
        One ready-made user of that role.

Logging in
    login(client, user) -> HttpResponse
        Goes through the real pages: password, then a valid TOTP code. Returns the response of the second step
        (a redirect: home, or the forced password change when user.must_change_password). Use it instead of
        client.force_login(), which the app rejects: a session needs the second factor and the session clock.
    totp_code(user, at=None) -> str
        The user's current code (or the code at epoch seconds `at`).

Cases
    world -> dict
        Users under their usernames ("intake1", "intake2", "lawyer1", "lawyer2", "coordinator", "admin"), a
        "request" by intake1 whose summary names a person (it must never reach the audit log), the "case" it became,
        assigned to lawyer1, with facts (mobilized, absent since 2026-11-10 08:00 Moscow time) and what the
        voluntary-appearance draft needs, and a "document" attached to it. Used by the tests of cases, assessments
        and statistics.

Data at rest
    db_contains(text) -> bool
        Whether any column of any row of any table (sessions, axes and audit tables included) contains `text`, as
        UTF-8 bytes. For checking that a secret or an encrypted field is never stored in clear.

Passwords are hashed with the real Argon2 settings; the factory hashes DEFAULT_PASSWORD once per test session, as
hashing costs about 0.2 s.

    def test_lawyer_sees_cases(client, lawyer, login):
        login(client, lawyer)
        assert client.get(reverse("cases:case_list")).status_code == 200
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import itertools
import time
from collections.abc import Callable, Iterator
from typing import Any

import pyotp
import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from courtpath.web.accounts import totp
from courtpath.web.accounts.models import Role, User
from courtpath.web.cases import services

DEFAULT_PASSWORD = "correct horse battery staple 42"
MOSCOW = dt.timezone(dt.timedelta(hours=3))
_usernames = itertools.count(1)


@functools.cache
def _hash(password: str) -> str:
    return make_password(password)


def code_for(user: User, at: float | None = None) -> str:
    """The TOTP code of `user` (made by make_user) now, or at epoch seconds `at`."""
    assert user.totp_secret, "this user has no TOTP device"
    moment = time.time() if at is None else at
    return pyotp.TOTP(user.totp_secret).at(moment)


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    def make(
        role: str = Role.LAWYER,
        *,
        username: str | None = None,
        password: str = DEFAULT_PASSWORD,
        enrolled: bool = True,
        **fields: object,
    ) -> User:
        if not enrolled:
            fields.setdefault("must_change_password", True)
        user = User(username=username or f"{role}{next(_usernames)}", role=role, password=_hash(password), **fields)
        secret = None
        if enrolled:
            secret = pyotp.random_base32(length=32)
            user.totp_secret_encrypted = totp.encrypt_secret(secret)
            user.totp_confirmed = True
        user.save()
        user.raw_password = password
        user.totp_secret = secret
        return user

    return make


@pytest.fixture
def make_intake(make_user: Callable[..., User]) -> Callable[..., User]:
    return functools.partial(make_user, Role.INTAKE)


@pytest.fixture
def make_lawyer(make_user: Callable[..., User]) -> Callable[..., User]:
    return functools.partial(make_user, Role.LAWYER)


@pytest.fixture
def make_coordinator(make_user: Callable[..., User]) -> Callable[..., User]:
    return functools.partial(make_user, Role.COORDINATOR)


@pytest.fixture
def make_administrator(make_user: Callable[..., User]) -> Callable[..., User]:
    return functools.partial(make_user, Role.ADMINISTRATOR)


@pytest.fixture
def intake(make_intake: Callable[..., User]) -> User:
    return make_intake()


@pytest.fixture
def lawyer(make_lawyer: Callable[..., User]) -> User:
    return make_lawyer()


@pytest.fixture
def coordinator(make_coordinator: Callable[..., User]) -> User:
    return make_coordinator()


@pytest.fixture
def administrator(make_administrator: Callable[..., User]) -> User:
    return make_administrator()


@pytest.fixture
def totp_code() -> Callable[..., str]:
    return code_for


def log_in(client: Client, user: User) -> HttpResponse:
    """Password, then TOTP, through the real views; fails the test with a clear message if a step does not pass.

    A client that is logged in already is logged out first."""
    if "_auth_user_id" in client.session:
        client.post(reverse("accounts:logout"))
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": user.raw_password})
    assert response.status_code == 302, f"password step refused for {user.username} ({response.status_code})"
    assert response["Location"] == reverse("accounts:second_factor"), f"unexpected step: {response['Location']}"
    # A code is accepted once per 30-second step; let the same user log in again (a second client, a second test
    # step) without waiting for the next one.
    User.objects.filter(pk=user.pk).update(totp_last_counter=0)
    response = client.post(reverse("accounts:second_factor"), {"code": code_for(user)})
    assert response.status_code == 302, f"second factor refused for {user.username} ({response.status_code})"
    assert client.session.get("second_factor_ok") is True
    return response


@pytest.fixture
def login() -> Callable[[Client, User], HttpResponse]:
    return log_in


# -- cases ------------------------------------------------------------------------------------------------------


@pytest.fixture
def world(make_user: Callable[..., User]) -> dict[str, object]:
    """Two of each working role, a request by intake 1 and a case assigned to lawyer 1."""
    users = {
        name: make_user(role, username=name)
        for name, role in [
            ("intake1", Role.INTAKE),
            ("intake2", Role.INTAKE),
            ("lawyer1", Role.LAWYER),
            ("lawyer2", Role.LAWYER),
            ("coordinator", Role.COORDINATOR),
            ("admin", Role.ADMINISTRATOR),
        ]
    }
    summary = "Сын ушёл из части 3 марта; зовут Канарейкин Пётр"  # must never reach the audit log
    request = services.create_request(users["intake1"], channel="phone", relation="parent", summary=summary)
    case = services.convert_request(users["coordinator"], request, users["lawyer1"])
    services.update_case(
        users["lawyer1"],
        case,
        {"status": "mobilized", "left": dt.datetime(2026, 11, 10, 8, 0, tzinfo=MOSCOW), "returned": None},
    )
    services.update_case(  # what the voluntary-appearance draft needs
        users["lawyer1"],
        case,
        {
            "client_surname": "Небыльцев",
            "client_given_name": "Аркадий",
            "client_rank": "рядовой",
            "military_unit": "войсковая часть 99999",
            "investigator": "Военный следственный отдел по Энскому гарнизону",
        },
    )
    document = services.add_document(users["lawyer1"], case, "справка.pdf", "application/pdf", b"%PDF-1.4 test")
    return {**users, "request": request, "case": case, "document": document}


# -- data at rest -----------------------------------------------------------------------------------------------


def every_stored_value() -> list[bytes]:
    """Every non-null value of every row of every table of the test database, as bytes."""
    values = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        values.append(bytes(value))
                    elif value is not None:
                        values.append(str(value).encode())
    return values


@pytest.fixture
def db_contains(db: None) -> Callable[[str], bool]:
    def contains(text: str) -> bool:
        needle = text.encode()
        return any(needle in value for value in every_stored_value())

    return contains


# -- the append-only audit log and the transactional database ---------------------------------------------------

RESTORE_AUDIT_TRIGGERS = pytest.StashKey[Callable[[], None]]()


def _audit_trigger_sql(vendor: str) -> tuple[list[str], list[str]]:
    """The statements that drop the audit log's append-only triggers, and the migration's own that create them."""
    migration = importlib.import_module("courtpath.web.audit.migrations.0002_append_only")
    if vendor == "sqlite":
        drop = ["DROP TRIGGER IF EXISTS audit_append_only_update", "DROP TRIGGER IF EXISTS audit_append_only_delete"]
        return drop, list(migration.SQLITE)
    if vendor == "postgresql":  # the trigger function stays
        drop = ["DROP TRIGGER IF EXISTS audit_append_only ON audit_auditevent"]
        return drop, [sql for sql in migration.POSTGRESQL if sql.startswith("CREATE TRIGGER")]
    raise NotImplementedError(f"no audit triggers known for {vendor}")


@pytest.fixture
def _audit_log_flushable(
    request: pytest.FixtureRequest, transactional_db: None, django_db_blocker: Any
) -> Iterator[None]:
    """Let pytest-django empty the database after a transactional test (live server, migrations), and keep the
    audit log append-only.

    A transactional test ends with a flush (DELETE or TRUNCATE of every table), which the audit log's triggers
    refuse. This drops them just before the flush; pytest_runtest_teardown below creates them again after it."""
    yield
    drop, create = _audit_trigger_sql(connection.vendor)
    with connection.cursor() as cursor:
        for statement in drop:
            cursor.execute(statement)

    def restore() -> None:
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            for statement in create:
                cursor.execute(statement)

    request.node.stash[RESTORE_AUDIT_TRIGGERS] = restore


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    result = yield  # the fixtures' teardown, pytest-django's flush included
    restore = item.stash.get(RESTORE_AUDIT_TRIGGERS, None)
    if restore is not None and nextitem is not None:  # after the last test the test database is gone
        restore()
    return result
