"""The staff profile (issue 15): every account edits its own name, position and bar details on «My profile»; the drafts
read them, with the organisation's Russian name and address, through selectors.draft_profile; changes are audited by
field names only."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import NoReverseMatch, reverse

from courtpath.web.accounts import selectors, services
from courtpath.web.accounts.models import StaffProfile, User
from courtpath.web.audit.models import AuditEvent
from courtpath.web.navigation import main_menu
from courtpath.web.organisation import services as organisation_services
from courtpath.web.server.public_pool import PUBLIC_POOL, PUBLIC_POOL_KEY

# Fictional throughout.
PROFILE = {
    "full_name": "Выдумский Игнат Павлович",
    "position": "адвокат",
    "bar_number": "77/00000",
    "bar": "Адвокатская палата Энской области, коллегия адвокатов «Энский защитник»",
}
DRAFT_KEYS = {
    "lawyer_name",
    "lawyer_position",
    "lawyer_bar_number",
    "lawyer_bar",
    "organisation_name",
    "organisation_address",
}
PROFILE_URL = "/accounts/profile/"


@pytest.fixture
def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# -- the selector ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_drafts_get_exactly_their_field_names_all_empty_when_nothing_is_known(lawyer: User) -> None:
    assert selectors.draft_profile(lawyer) == dict.fromkeys(DRAFT_KEYS, "")
    assert selectors.draft_profile(None) == dict.fromkeys(DRAFT_KEYS, "")
    assert not StaffProfile.objects.exists()  # reading makes no row


@pytest.mark.django_db
def test_the_profile_and_the_organisations_russian_name_and_address(
    make_lawyer: Callable[..., User], administrator: User
) -> None:
    lawyer = make_lawyer(last_name="Ложкин", first_name="Ефим")
    services.save_profile(lawyer, **PROFILE)
    organisation_services.update_identity(
        administrator,
        {
            "name_ru": "Правозащитная группа «Энская гавань»",
            "name_en": "Ensk Harbour Rights Group",
            "address_ru": "г. Энск, ул. Вымышленная, д. 1",
            "address_en": "1 Fictional St, Ensk",
        },
    )
    assert selectors.draft_profile(lawyer) == {
        "lawyer_name": "Выдумский Игнат Павлович",  # the profile's, not the account's name
        "lawyer_position": "адвокат",
        "lawyer_bar_number": "77/00000",
        "lawyer_bar": PROFILE["bar"],
        "organisation_name": "Правозащитная группа «Энская гавань»",
        "organisation_address": "г. Энск, ул. Вымышленная, д. 1",
    }


@pytest.mark.django_db
def test_without_a_full_name_the_accounts_surname_and_first_name_stand_in(
    make_lawyer: Callable[..., User], administrator: User
) -> None:
    lawyer = make_lawyer(last_name="Ложкин", first_name="Ефим")
    assert selectors.draft_profile(lawyer)["lawyer_name"] == "Ложкин Ефим"
    services.save_profile(lawyer, position="адвокат")
    assert selectors.draft_profile(lawyer)["lawyer_name"] == "Ложкин Ефим"
    only_surname = make_lawyer(last_name="Ложкин")
    assert selectors.draft_profile(only_surname)["lawyer_name"] == "Ложкин"
    # The English name and address are not printed in a Russian draft.
    organisation_services.update_identity(administrator, {"name_en": "Ensk Harbour", "address_en": "Ensk"})
    draft = selectors.draft_profile(lawyer)
    assert (draft["organisation_name"], draft["organisation_address"]) == ("", "")


# -- the service ----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_saving_tidies_the_texts_audits_the_field_names_and_skips_what_did_not_change(
    lawyer: User, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    changed = services.save_profile(lawyer, full_name="  Выдумский \n Игнат\tПавлович ", bar_number=" 77/00000 ")
    assert changed == ["full_name", "bar_number"]
    stored = StaffProfile.objects.get(user=lawyer)
    assert (stored.full_name, stored.bar_number, stored.position) == ("Выдумский Игнат Павлович", "77/00000", "")
    event = AuditEvent.objects.get(object_type="user", object_id=str(lawyer.pk))
    assert (event.actor_id, event.action, event.fields) == (lawyer.pk, "change", "profile_bar_number,profile_full_name")
    assert services.save_profile(lawyer, full_name="Выдумский Игнат Павлович") == []
    assert AuditEvent.objects.filter(object_type="user").count() == 1  # nothing changed: no event
    assert services.save_profile(lawyer, position="адвокат") == ["position"]
    assert AuditEvent.objects.filter(object_type="user").first().fields == "profile_position"
    assert StaffProfile.objects.get(user=lawyer).full_name == "Выдумский Игнат Павлович"  # a key left out is kept
    for value in ("Выдумский", "77/00000", "адвокат"):
        assert value not in caplog.text
        assert not AuditEvent.objects.filter(fields__contains=value).exists()


@pytest.mark.django_db
def test_the_service_refuses_bad_values_unknown_fields_and_inactive_accounts(
    make_lawyer: Callable[..., User],
) -> None:
    lawyer = make_lawyer()
    with pytest.raises(ValidationError) as error:
        services.save_profile(lawyer, full_name="Выдумский", bar_number="77/00000")
    assert "full_name" in error.value.message_dict
    with pytest.raises(TypeError):
        services.save_profile(lawyer, username="someone")
    with pytest.raises(PermissionDenied):
        services.save_profile(make_lawyer(is_active=False), **PROFILE)
    assert not StaffProfile.objects.exists()
    assert not AuditEvent.objects.filter(object_type="user").exists()


@pytest.mark.parametrize(
    "name",
    ["Выдумский Игнат Павлович", "Выдумский И. П.", "Мамин-Сибиряк Ефим", "d'Ensk Jean", "Ёлкин Йозеф", ""],
)
@pytest.mark.django_db
def test_names_as_documents_print_them_are_accepted(lawyer: User, name: str) -> None:
    services.save_profile(lawyer, full_name=name, position="адвокат")
    assert StaffProfile.objects.get(user=lawyer).full_name == name


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("full_name", "Выдумский"),
        ("full_name", "Выдумский 007"),
        ("full_name", "Выдумский <b>Игнат</b>"),
        ("full_name", "Выдумский \u202eИгнат"),  # a right-to-left override would reorder the printed name
        ("full_name", "Выд" * 60),
        ("position", "адвокат\u200b"),
        ("bar_number", "77/00000; DROP"),
        ("bar_number", "7" * 31),
        ("bar", "палата\u0000"),
        ("bar", "п" * 301),
    ],
)
@pytest.mark.django_db
def test_bad_values_are_refused_and_nothing_is_stored(lawyer: User, field: str, value: str) -> None:
    with pytest.raises(ValidationError) as error:
        services.save_profile(lawyer, **{**PROFILE, field: value})
    assert field in error.value.message_dict
    assert not StaffProfile.objects.exists()


# -- the page -------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["intake", "lawyer", "coordinator", "administrator"])
def test_every_account_edits_its_own_profile(
    english: Client, make_user: Callable[..., User], login: Callable, role: str
) -> None:
    user = make_user(role)
    login(english, user)
    page = english.get(PROFILE_URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>My profile</h1>" in html and 'name="csrfmiddlewaretoken"' in html
    assert f'href="{PROFILE_URL}" aria-current="page">My profile</a>' in html  # in the menu, marked current
    response = english.post(PROFILE_URL, PROFILE, follow=True)
    assert response.redirect_chain == [(PROFILE_URL, 302)]
    assert "Your profile has been saved." in response.content.decode()
    assert PROFILE["bar_number"] in response.content.decode()  # «what the drafts print»
    stored = StaffProfile.objects.get(user=user)
    assert {name: getattr(stored, name) for name in PROFILE} == PROFILE
    again = english.post(PROFILE_URL, PROFILE, follow=True)
    assert "Nothing was changed." in again.content.decode()


@pytest.mark.django_db
def test_the_csrf_token_is_required(lawyer: User, login: Callable) -> None:
    client = Client()
    login(client, lawyer)
    client.handler.enforce_csrf_checks = True  # from here on, as a browser's cross-site post would be
    assert client.post(PROFILE_URL, PROFILE).status_code == 403
    assert not StaffProfile.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("full_name", "Выдумский", "Enter at least a surname and a first name."),
        ("full_name", "Выдумский 3-й", "Use letters, spaces, hyphens, apostrophes and full stops only."),
        ("bar_number", "77/00000 <script>", "Use letters, digits, spaces and / - . № only."),
        ("position", "адвокат\u202e", "Remove the invisible or control characters from this text."),
        ("bar", "п" * 301, "Ensure this value has at most 300 characters"),
    ],
)
def test_bad_input_is_a_400_with_the_error_and_saves_nothing(
    english: Client, lawyer: User, login: Callable, field: str, value: str, error: str
) -> None:
    login(english, lawyer)
    response = english.post(PROFILE_URL, {**PROFILE, field: value})
    assert response.status_code == 400
    html = response.content.decode()
    assert error in html and "Please correct the errors below." in html
    assert "<title>Error: My profile" in html
    assert not StaffProfile.objects.exists()
    assert not AuditEvent.objects.filter(object_type="user", fields__startswith="profile").exists()


@pytest.mark.django_db
def test_no_one_edits_someone_elses_profile_here(
    client: Client, make_lawyer: Callable[..., User], administrator: User, coordinator: User, login: Callable
) -> None:
    """The page has no account id and ignores one in the form: an administrator or a coordinator saves only their
    own profile."""
    lawyer = make_lawyer()
    services.save_profile(lawyer, **PROFILE)
    for actor in (administrator, coordinator):
        login(client, actor)
        response = client.post(PROFILE_URL, {**PROFILE, "full_name": "Подменов Пётр", "user": lawyer.pk})
        assert response.status_code == 302
        assert StaffProfile.objects.get(user=actor).full_name == "Подменов Пётр"
        assert client.get(f"{PROFILE_URL}?user={lawyer.pk}").content.decode().count(PROFILE["full_name"]) == 0
    assert StaffProfile.objects.get(user=lawyer).full_name == PROFILE["full_name"]
    events = AuditEvent.objects.filter(object_type="user", object_id=str(lawyer.pk))
    assert list(events.values_list("actor_id", flat=True)) == [lawyer.pk]
    with pytest.raises(NoReverseMatch):  # the URL takes no account
        reverse("accounts:profile", args=[lawyer.pk])


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login_and_the_public_pool_does_not_serve_it(client: Client) -> None:
    response = client.get(PROFILE_URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    response = client.post(PROFILE_URL, PROFILE)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get(PROFILE_URL, **{PUBLIC_POOL_KEY: PUBLIC_POOL}).status_code == 404
    assert not StaffProfile.objects.exists()


@pytest.mark.django_db
def test_the_password_step_alone_does_not_reach_the_page(client: Client, lawyer: User) -> None:
    client.post(reverse("accounts:login"), {"username": lawyer.username, "password": lawyer.raw_password})
    assert client.get(PROFILE_URL)["Location"] == reverse("accounts:second_factor")
    assert client.post(PROFILE_URL, PROFILE)["Location"] == reverse("accounts:second_factor")
    assert not StaffProfile.objects.exists()


@pytest.mark.django_db
def test_the_menu_links_the_profile_and_marks_it_current(lawyer: User) -> None:
    """(The page frame shows the menu only after the second factor; test_every_account_edits_its_own_profile.)"""
    assert PROFILE_URL in [link.url for link in main_menu(lawyer, "/")]
    links = {link.url: link for link in main_menu(lawyer, PROFILE_URL)}
    assert links[PROFILE_URL].current and str(links[PROFILE_URL].text) in ("My profile", "Мой профиль")


@pytest.mark.django_db
def test_the_migration_is_there() -> None:
    call_command("makemigrations", "accounts", check=True, dry_run=True, verbosity=0)  # exits non-zero if one is due
