"""The SQLite connection settings a deletion relies on, and what a coordinator is told when the old copies of a
deleted case could not be wiped at once (web/vault/erasure.py; the files themselves: tests/vault/test_erasure.py)."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from courtpath.web.accounts.models import Role
from courtpath.web.cases import services
from courtpath.web.vault.erasure import Erasure, erase_deleted, sealed_tables


@pytest.mark.django_db
def test_sqlite_waits_20_seconds_for_a_lock_and_zeroes_what_it_deletes() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite settings")
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] == 20000
        assert cursor.execute("PRAGMA secure_delete").fetchone()[0] == 1


def test_the_wiped_tables_are_the_key_table_and_every_sealed_one() -> None:
    tables = sealed_tables()
    assert tables[0] == "vault_datakey"
    assert {"cases_case", "cases_helprequest", "cases_note", "cases_caseevent", "cases_document"} <= set(tables)


@pytest.mark.django_db
def test_inside_a_transaction_the_wiping_waits_for_the_commit_and_is_not_reported_done() -> None:
    assert erase_deleted() == Erasure(False, "deferred until the enclosing transaction commits")


@pytest.mark.parametrize("complete", [True, False])
def test_the_coordinator_is_told_when_the_old_copies_are_not_yet_wiped(
    complete: bool, make_user: Callable, login: Callable, monkeypatch: pytest.MonkeyPatch
) -> None:
    coordinator = make_user(Role.COORDINATOR)
    request = services.create_request(make_user(Role.INTAKE), channel="phone", relation="self", summary="")
    case = services.convert_request(coordinator, request)
    monkeypatch.setattr(services, "erase_deleted", lambda: Erasure(complete, "" if complete else "busy"))
    client = Client()
    login(client, coordinator)
    page = client.post(
        reverse("cases:case_delete", args=[case.code]),
        {"confirm_code": case.code},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    text = page.content.decode()
    assert f"{case.code}" in text  # the usual confirmation
    assert ("old copies of the deleted data" in text) is not complete
    other = services.create_request(make_user(Role.INTAKE), channel="phone", relation="self", summary="")
    page = client.post(
        reverse("cases:request_delete", args=[other.code]), {"confirm_code": other.code}, follow=True
    )  # in Russian
    assert ("старые копии удалённых данных" in page.content.decode()) is not complete


@pytest.mark.django_db
@pytest.mark.parametrize("complete", [True, False])
def test_purge_fails_with_a_message_when_the_old_copies_are_not_wiped(
    complete: bool, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from courtpath.cli.main import run

    monkeypatch.setattr(services, "erase_deleted", lambda: Erasure(complete, "" if complete else "busy"))
    umask = os.umask(0o077)  # the command sets it for its process; this one is the test's
    try:
        status = run(["purge"])
    finally:
        os.umask(umask)
    printed = capsys.readouterr()
    assert "purged 0 closed cases" in printed.out
    assert status == (0 if complete else 1)
    assert ("not yet wiped from the database files (busy); run `courtpath purge` again" in printed.err) is not complete
