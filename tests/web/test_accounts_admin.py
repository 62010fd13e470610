"""Account management: administrators only, one-time passwords shown once, changes that end sessions, first admin."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courtpath.web.accounts import selectors, services
from courtpath.web.accounts.models import Role, User
from courtpath.web.audit.models import Action, AuditEvent

USER_LIST = reverse("accounts:user_list")
USER_CREATE = reverse("accounts:user_create")
LOGIN = reverse("accounts:login")


@pytest.fixture
def client() -> Client:
    """English pages, whatever the default language: some assertions below read English texts."""
    return Client(headers={"accept-language": "en"})


@pytest.fixture
def admin_client(client: Client, administrator: User, login: Callable) -> Client:
    login(client, administrator)
    return client


def edit_url(user: User) -> str:
    return reverse("accounts:user_edit", args=[user.pk])


def logged_in_client(user: User, login: Callable) -> Client:
    client = Client()
    login(client, user)
    return client


def still_logged_in(client: Client) -> bool:
    return client.get(reverse("accounts:password_change")).status_code == 200


# -- only administrators --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.INTAKE, Role.LAWYER, Role.COORDINATOR])
def test_account_pages_are_forbidden_to_other_roles(
    role: str, make_user: Callable, administrator: User, login: Callable, lawyer: User
) -> None:
    client = logged_in_client(make_user(role), login)
    before = User.objects.count()
    assert client.get(USER_LIST).status_code == 403
    assert client.get(USER_CREATE).status_code == 403
    assert client.post(USER_CREATE, {"username": "intruder", "role": Role.ADMINISTRATOR}).status_code == 403
    assert client.get(edit_url(lawyer)).status_code == 403
    assert client.get(reverse("accounts:user_edit", args=[999999])).status_code == 403  # no probing for ids
    for data in ({"action": "deactivate"}, {"action": "role", "role": Role.ADMINISTRATOR}, {"action": "reset_totp"}):
        assert client.post(edit_url(lawyer), data).status_code == 403
    response = client.post(edit_url(lawyer), {"action": "one_time_password"})
    assert response.status_code == 403
    lawyer_after = User.objects.get(pk=lawyer.pk)
    assert User.objects.count() == before
    assert (lawyer_after.is_active, lawyer_after.role, lawyer_after.totp_confirmed) == (True, Role.LAWYER, True)
    assert lawyer_after.password == lawyer.password


@pytest.mark.parametrize("role", [Role.INTAKE, Role.LAWYER, Role.COORDINATOR])
def test_services_and_selectors_refuse_other_roles(role: str, make_user: Callable, lawyer: User) -> None:
    actor = make_user(role)
    calls = [
        lambda: selectors.user_list(actor),
        lambda: selectors.get_user(actor, lawyer.pk),
        lambda: services.create_user(actor, "intruder", Role.ADMINISTRATOR),
        lambda: services.change_role(actor, lawyer, Role.ADMINISTRATOR),
        lambda: services.set_active(actor, lawyer, False),
        lambda: services.reset_totp(actor, lawyer),
        lambda: services.issue_one_time_password(actor, lawyer),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()


def test_a_deactivated_administrator_is_refused_by_the_services(make_administrator: Callable, lawyer: User) -> None:
    former = make_administrator(is_active=False)
    with pytest.raises(PermissionDenied):
        services.set_active(former, lawyer, False)


def test_unknown_account_is_404_for_administrators(admin_client: Client) -> None:
    assert admin_client.get(reverse("accounts:user_edit", args=[999999])).status_code == 404


# -- creating accounts ----------------------------------------------------------------------------------------------


def test_new_account_one_time_password_is_shown_once(
    admin_client: Client, administrator: User, db_contains: Callable[[str], bool]
) -> None:
    assert admin_client.get(USER_CREATE).status_code == 200
    response = admin_client.post(USER_CREATE, {"username": "river.9", "role": Role.LAWYER})
    assert response.status_code == 200
    password = response.context["password"]
    assert password in response.content.decode()
    assert response["Cache-Control"] == "no-store"

    user = User.objects.get(username="river.9")
    assert (user.role, user.must_change_password, user.totp_confirmed) == (Role.LAWYER, True, False)
    assert user.check_password(password) and user.password.startswith("argon2$")

    # Shown once: no later page shows it, and it is kept nowhere (not in the session table either).
    for page in (admin_client.get(edit_url(user)), admin_client.get(USER_LIST), admin_client.get(USER_CREATE)):
        assert page.status_code == 200
        assert password not in page.content.decode()
    assert not db_contains(password)
    # Re-sending the form (a reload) creates nothing and shows no password.
    again = admin_client.post(USER_CREATE, {"username": "river.9", "role": Role.LAWYER})
    assert again.status_code == 200 and "password" not in again.context
    assert User.objects.filter(username__iexact="river.9").count() == 1

    event = AuditEvent.objects.get(action=Action.CREATE, object_type="user", object_id=str(user.pk))
    assert (event.actor, event.fields) == (administrator, "role,username")
    assert not AuditEvent.objects.filter(object_id__contains="river").exists()  # ids only, never names

    # The new owner logs in with it, sets up TOTP, and must choose a password.
    owner = Client()
    response = owner.post(LOGIN, {"username": "river.9", "password": password})
    assert response["Location"] == reverse("accounts:enrol")


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"username": "", "role": Role.LAWYER},
        {"username": "has space", "role": Role.LAWYER},
        {"username": "<b>x</b>", "role": Role.LAWYER},
        {"username": "x" * 200, "role": Role.LAWYER},
        {"username": "nul\x00", "role": Role.LAWYER},
        {"username": "fine", "role": "superuser"},
        {"username": "EXISTING", "role": Role.LAWYER},
    ],
)
def test_bad_account_input_gives_form_errors(admin_client: Client, administrator: User, data: dict[str, str]) -> None:
    if data.get("username") == "EXISTING":
        data = {**data, "username": administrator.username.upper()}  # differs from an existing one only in case
    before = User.objects.count()
    response = admin_client.post(USER_CREATE, data)
    assert response.status_code in (200, 400)
    assert response.context["form"].errors
    assert User.objects.count() == before


# -- changing accounts ----------------------------------------------------------------------------------------------


def test_change_role_ends_the_users_sessions(
    admin_client: Client, administrator: User, lawyer: User, login: Callable
) -> None:
    theirs = logged_in_client(lawyer, login)
    response = admin_client.post(edit_url(lawyer), {"action": "role", "role": Role.COORDINATOR})
    assert (response.status_code, response["Location"]) == (302, edit_url(lawyer))
    lawyer.refresh_from_db()
    assert lawyer.role == Role.COORDINATOR
    assert not still_logged_in(theirs)
    assert AuditEvent.objects.filter(actor=administrator, action=Action.CHANGE, fields="role").count() == 1


def test_deactivation_ends_sessions_and_blocks_login(admin_client: Client, lawyer: User, login: Callable) -> None:
    theirs = logged_in_client(lawyer, login)
    assert admin_client.post(edit_url(lawyer), {"action": "deactivate"}).status_code == 302
    assert not still_logged_in(theirs)
    response = Client(headers={"accept-language": "en"}).post(
        LOGIN, {"username": lawyer.username, "password": lawyer.raw_password}
    )
    assert response.status_code == 200
    assert "The username or the password is wrong." in response.content.decode()  # no "deactivated" hint

    # Reactivating does not bring the old session back.
    assert admin_client.post(edit_url(lawyer), {"action": "activate"}).status_code == 302
    assert not still_logged_in(theirs)
    assert logged_in_client(lawyer, login) is not None


def test_reset_totp_forces_a_new_enrolment_with_a_one_time_password(
    admin_client: Client, lawyer: User, login: Callable, db_contains: Callable[[str], bool]
) -> None:
    theirs = logged_in_client(lawyer, login)
    response = admin_client.post(edit_url(lawyer), {"action": "reset_totp"})
    assert response.status_code == 200
    password = response.context["password"]
    assert password in response.content.decode() and "has been reset" in response.content.decode()
    assert not db_contains(password)
    lawyer.refresh_from_db()
    assert not lawyer.totp_confirmed and lawyer.totp_secret_encrypted is None
    assert not still_logged_in(theirs)
    # The old password alone no longer opens the account, so it cannot put a new device on it.
    response = Client(headers={"accept-language": "en"}).post(
        LOGIN, {"username": lawyer.username, "password": lawyer.raw_password}
    )
    assert response.status_code == 200 and "The username or the password is wrong." in response.content.decode()
    # The one-time password does: enrolment, then a new password of the user's own.
    owner = Client()
    response = owner.post(LOGIN, {"username": lawyer.username, "password": password})
    assert response["Location"] == reverse("accounts:enrol")
    assert owner.get(reverse("accounts:enrol")).status_code == 200


def test_enrolment_without_a_one_time_password_is_refused(client: Client, make_lawyer: Callable) -> None:
    # An account whose app was reset before resets issued a one-time password: its own password is not enough.
    user = make_lawyer(enrolled=False, must_change_password=False)
    response = client.post(LOGIN, {"username": user.username, "password": user.raw_password})
    assert response["Location"] == reverse("accounts:enrol")
    page = client.get(reverse("accounts:enrol"))
    assert page.status_code == 403 and "ask an administrator" in page.content.decode()
    assert client.post(reverse("accounts:enrol"), {"code": "123456"}).status_code == 403
    user.refresh_from_db()
    assert user.totp_secret_encrypted is None and not user.totp_confirmed
    with pytest.raises(ValidationError):
        services.begin_enrolment(user)


def test_one_time_passwords_expire_after_24_hours(
    admin_client: Client, administrator: User, make_administrator: Callable
) -> None:
    response = admin_client.post(USER_CREATE, {"username": "late.owner", "role": Role.LAWYER})
    password = response.context["password"]
    user = User.objects.get(username="late.owner")
    left = user.one_time_password_expires_at - timezone.now()
    assert dt.timedelta(hours=23, minutes=59) < left <= dt.timedelta(hours=24)
    assert "valid until" in admin_client.get(edit_url(user)).content.decode()

    User.objects.filter(pk=user.pk).update(one_time_password_expires_at=timezone.now() - dt.timedelta(seconds=1))
    owner = Client(headers={"accept-language": "en"})
    response = owner.post(LOGIN, {"username": "late.owner", "password": password})
    assert response.status_code == 200
    assert "This one-time password has expired" in response.content.decode()
    assert "_auth_user_id" not in owner.session
    assert "expired: issue a new one" in admin_client.get(edit_url(user)).content.decode()

    # The administrator issues a new one, which works.
    response = admin_client.post(edit_url(user), {"action": "one_time_password"})
    fresh = response.context["password"]
    response = owner.post(LOGIN, {"username": "late.owner", "password": fresh})
    assert response["Location"] == reverse("accounts:enrol")


def test_a_chosen_password_does_not_expire(client: Client, lawyer: User) -> None:
    User.objects.filter(pk=lawyer.pk).update(one_time_password_expires_at=timezone.now() - dt.timedelta(days=1))
    response = client.post(LOGIN, {"username": lawyer.username, "password": lawyer.raw_password})
    assert response.status_code == 302  # must_change_password is off: the date is left from an old one-time password


def test_issue_one_time_password(
    admin_client: Client, lawyer: User, login: Callable, db_contains: Callable[[str], bool]
) -> None:
    theirs = logged_in_client(lawyer, login)
    response = admin_client.post(edit_url(lawyer), {"action": "one_time_password"})
    assert response.status_code == 200
    password = response.context["password"]
    lawyer.refresh_from_db()
    assert lawyer.check_password(password) and lawyer.must_change_password and lawyer.totp_confirmed
    assert not still_logged_in(theirs)
    assert password not in admin_client.get(edit_url(lawyer)).content.decode()
    assert not db_contains(password)


def test_administrators_cannot_change_their_own_account_here(admin_client: Client, administrator: User) -> None:
    page = admin_client.get(edit_url(administrator))
    assert page.status_code == 200 and 'value="deactivate"' not in page.content.decode()
    for data in ({"action": "deactivate"}, {"action": "role", "role": Role.LAWYER}, {"action": "reset_totp"}):
        response = admin_client.post(edit_url(administrator), data)
        assert response.status_code == 200
        assert response.context["form"].errors
    administrator.refresh_from_db()
    assert (administrator.is_active, administrator.role, administrator.totp_confirmed) == (
        True,
        Role.ADMINISTRATOR,
        True,
    )
    assert still_logged_in(admin_client)


@pytest.mark.parametrize(
    "data",
    [{}, {"action": "explode"}, {"action": "role"}, {"action": "role", "role": "superuser"}, {"action": "\x00"}],
)
def test_bad_account_change_input_gives_form_errors(admin_client: Client, lawyer: User, data: dict[str, str]) -> None:
    response = admin_client.post(edit_url(lawyer), data)
    assert response.status_code in (200, 400)
    assert response.context["form"].errors
    lawyer.refresh_from_db()
    assert lawyer.role == Role.LAWYER and lawyer.is_active


# -- the first administrator ----------------------------------------------------------------------------------------


def test_create_first_administrator(db: None) -> None:
    user, password = services.create_first_administrator("first.admin")
    assert user.role == Role.ADMINISTRATOR and user.is_active
    assert user.must_change_password and not user.totp_confirmed
    assert user.check_password(password) and len(password) >= 20
    event = AuditEvent.objects.get(action=Action.CREATE, object_id=str(user.pk))
    assert event.actor is None

    client = Client()
    response = client.post(LOGIN, {"username": "first.admin", "password": password})
    assert response["Location"] == reverse("accounts:enrol")

    with pytest.raises(ValidationError):
        services.create_first_administrator("second.admin")
    assert User.objects.count() == 1


@pytest.mark.parametrize("username", ["", "with space", "x" * 151, "semi;colon"])
def test_create_first_administrator_checks_the_username(db: None, username: str) -> None:
    with pytest.raises(ValidationError) as raised:
        services.create_first_administrator(username)
    assert raised.value.messages
    assert not User.objects.exists()


def test_coordinators_see_account_changes_made_by_others(
    make_administrator: Callable[..., User], make_coordinator: Callable[..., User], login: Callable[..., object]
) -> None:
    administrator, coordinator = make_administrator(), make_coordinator()
    services.create_user(administrator, "new-coordinator", Role.COORDINATOR)
    client = Client()
    login(client, coordinator)
    page = client.get(reverse("cases:dashboard")).content.decode()
    assert "new-coordinator" in page and administrator.username in page
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "new-coordinator" not in title  # not in the tab, the history or a bookmark
    login(client, administrator)  # administrators manage accounts: the list is for those who see the cases
    assert "new-coordinator" not in client.get(reverse("cases:dashboard")).content.decode()
