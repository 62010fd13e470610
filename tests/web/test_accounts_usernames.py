"""Issue 17, item 6: canonical usernames (`ａｄｍｉｎ` is `admin`), no look-alikes, existing accounts left working,
and the role of each account on the coordinators' list of account changes."""

from __future__ import annotations

import importlib
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from courtpath.web.accounts import services, usernames
from courtpath.web.accounts.models import Role, User
from courtpath.web.privacy import throttle_name

LOGIN = reverse("accounts:login")


def test_canonical_and_skeleton() -> None:
    assert (
        usernames.canonical("ａｄｍｉｎ") == usernames.canonical("ADMIN") == usernames.canonical(" Admin ") == "admin"
    )
    assert usernames.skeleton("аdmin") == usernames.skeleton("admin")  # Cyrillic а
    assert usernames.skeleton("асе") == usernames.skeleton("ace")  # all Cyrillic
    assert usernames.skeleton("adm1n") == usernames.skeleton("admin") == usernames.skeleton("admln")
    assert usernames.skeleton("rnaria") == usernames.skeleton("maria")
    assert usernames.skeleton("river") != usernames.skeleton("rover")


@pytest.mark.parametrize(
    ("candidate", "code"),
    [
        ("admin", "duplicate"),
        ("ADMIN", "duplicate"),
        ("ａｄｍｉｎ", "duplicate"),  # full-width
        ("Admin", "duplicate"),
        ("аdmin", "username_characters"),  # Cyrillic а + Latin: mixed alphabets
        ("аdмin", "username_characters"),
        ("adm1n", "lookalike"),
        ("admln", "lookalike"),
        ("αdmin", "username_characters"),  # Greek alpha
        ("ad min", "username_characters"),
        ("admin\u200b", "username_characters"),  # zero-width space
    ],
)
def test_look_alikes_of_an_existing_name_are_refused(
    make_administrator: Callable[..., User], candidate: str, code: str
) -> None:
    administrator = make_administrator(username="admin")
    with pytest.raises(ValidationError) as raised:
        services.create_user(administrator, candidate, Role.COORDINATOR)
    assert raised.value.code == code
    assert User.objects.count() == 1


def test_whole_script_look_alikes_are_refused(make_administrator: Callable[..., User]) -> None:
    administrator = make_administrator(username="ace.admin")
    services.create_user(administrator, "ace", Role.LAWYER)
    with pytest.raises(ValidationError) as raised:
        services.create_user(administrator, "асе", Role.COORDINATOR)  # Cyrillic, looks like "ace"
    assert raised.value.code == "lookalike"


def test_new_names_are_stored_canonical_and_log_in_however_typed(
    make_administrator: Callable[..., User], totp_code: Callable[..., str]
) -> None:
    administrator = make_administrator(username="first.admin")
    user, password = services.create_user(administrator, "River.Nine", Role.LAWYER)
    assert user.username == "river.nine"
    cyrillic, _ = services.create_user(administrator, "Лесник-2", Role.LAWYER)
    assert cyrillic.username == "лесник-2"
    for typed in ("RIVER.NINE", "ｒｉｖｅｒ.ｎｉｎｅ", "river.nine"):
        response = Client().post(LOGIN, {"username": typed, "password": password})
        assert (response.status_code, response["Location"]) == (302, reverse("accounts:enrol")), typed
    assert throttle_name("RIVER.NINE") == throttle_name("ｒｉｖｅｒ.ｎｉｎｅ") == throttle_name("river.nine")


def test_the_form_shows_the_refusal(make_administrator: Callable[..., User], login: Callable) -> None:
    administrator = make_administrator(username="admin")
    client = Client(headers={"accept-language": "en"})
    login(client, administrator)
    response = client.post(reverse("accounts:user_create"), {"username": "ａｄｍｉｎ", "role": Role.COORDINATOR})
    assert response.status_code == 200
    assert "An account with this username already exists." in response.content.decode()
    response = client.post(reverse("accounts:user_create"), {"username": "adm1n", "role": Role.COORDINATOR})
    assert "looks like an existing one" in response.content.decode()
    assert User.objects.count() == 1


# -- existing accounts ----------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_canonicalises_names_but_never_merges_accounts(_audit_log_flushable: None) -> None:
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate([("accounts", "0002_device_cookies_and_one_time_password_expiry")])
    old = executor.loader.project_state([("accounts", "0002_device_cookies_and_one_time_password_expiry")]).apps
    try:
        OldUser = old.get_model("accounts", "User")
        for name in ("Heron", "Ann", "ann", "ａｎｎ", "plain", "Pending"):
            OldUser.objects.create(username=name, password="!", must_change_password=name == "Pending")
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)
    names = set(User.objects.values_list("username", flat=True))
    assert names == {"heron", "Ann", "ann", "ａｎｎ", "plain", "pending"}  # the three colliding ones stay apart
    assert User.objects.get(username="pending").one_time_password_expires_at is not None
    # Each keeps logging in: the canonical one by any spelling, the colliding ones by their own.
    assert User.objects.find("HERON").username == "heron"
    assert User.objects.find("Ann").username == "Ann"
    assert User.objects.find("ａｎｎ").username == "ａｎｎ"
    assert User.objects.find("ANN").username == "ann"
    module = importlib.import_module("courtpath.web.accounts.migrations.0003_canonical_usernames")
    assert module.Migration.dependencies


def test_a_legacy_name_that_is_not_canonical_still_logs_in(make_lawyer: Callable[..., User]) -> None:
    make_lawyer(username="ann")
    legacy = make_lawyer(username="Ann", password="another long passphrase 9")  # left by the migration beside "ann"
    response = Client().post(LOGIN, {"username": "Ann", "password": legacy.raw_password})
    assert (response.status_code, response["Location"]) == (302, reverse("accounts:second_factor"))
    assert Client().post(LOGIN, {"username": "ANN", "password": legacy.raw_password}).status_code == 200


# -- the coordinators' list of account changes ----------------------------------------------------------------------


def test_coordinators_see_the_role_of_new_accounts(
    make_administrator: Callable[..., User], make_coordinator: Callable[..., User], login: Callable[..., object]
) -> None:
    administrator, coordinator = make_administrator(), make_coordinator()
    services.create_user(administrator, "new-coordinator", Role.COORDINATOR)
    services.create_user(administrator, "new-intake", Role.INTAKE)
    client = Client(headers={"accept-language": "en"})
    login(client, coordinator)
    page = client.get(reverse("cases:dashboard")).content.decode()
    rows = {row.split("</tr>", 1)[0] for row in page.split("<tr>")}
    coordinator_row = next(row for row in rows if "new-coordinator" in row)
    intake_row = next(row for row in rows if "new-intake" in row)
    assert '<td data-label="Role now">Coordinator</td>' in coordinator_row
    assert '<td data-label="Role now">Intake</td>' in intake_row
    assert "<th>Role now</th>" in page
