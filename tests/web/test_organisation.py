"""The organisation's identity (issue 14): administrators set it on a staff page (audited by field names); every public
page and the PDF of a result show it with a quick-exit link; the privacy page explains what the quick exit does not
do; the "ask for help" step keeps what was typed and shows the other contacts whenever it cannot accept a request."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser

import pytest
from _interview_pages import Form, post, walk
from django.core.exceptions import PermissionDenied
from django.db import OperationalError, connection
from django.test import Client

from courtpath.pdf import PdfError
from courtpath.vault import state
from courtpath.web.accounts.models import User
from courtpath.web.audit.models import AuditEvent
from courtpath.web.cases.models import HelpRequest
from courtpath.web.interview.ask import token_is_valid
from courtpath.web.organisation import selectors, services
from courtpath.web.organisation.models import DEFAULT_QUICK_EXIT_URL, Identity
from courtpath.web.server.public_pool import PUBLIC_POOL, PUBLIC_POOL_KEY

NAME_RU = "Правозащитная группа «Тестовая гавань»"  # fictional
NAME_EN = "Test Harbour Rights Group"
PHONE = "+7 900 000-00-00"
MESSENGER = "@test_harbour_help"
EMAIL = "help@test-harbour.example"
HOURS_RU = "по будням с 10:00 до 19:00"
HOURS_EN = "weekdays 10:00–19:00"
NOTICE_RU = "Мы храним обращения зашифрованными (тест)."
NOTICE_EN = "We keep requests encrypted (test)."
EXIT_URL = "https://weather.test/"
CONTACT = "Signal: tea-kettle-7341"  # fictional
MESSAGE = "Прошу перезвонить вечером"

IDENTITY = {
    "name_ru": NAME_RU,
    "name_en": NAME_EN,
    "phone": PHONE,
    "messenger": MESSENGER,
    "email": EMAIL,
    "address_ru": "",
    "address_en": "",
    "hours_ru": HOURS_RU,
    "hours_en": HOURS_EN,
    "privacy_ru": NOTICE_RU,
    "privacy_en": NOTICE_EN,
    "quick_exit_url": EXIT_URL,
}


@pytest.fixture
def identity(make_administrator: Callable[..., User]) -> dict[str, str]:
    services.update_identity(make_administrator(), IDENTITY)
    return IDENTITY


class Focusable(HTMLParser):
    """The page's links and controls in document (= tab) order, each as (tag, attributes)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.items: list[tuple[str, dict[str, str | None]]] = []
        self.loads: list[str] = []  # what the page itself would fetch
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("tabindex") == "-1" or values.get("type") == "hidden":
            return
        if tag in ("a", "button", "input", "select", "textarea", "summary"):
            self.items.append((tag, values))
        if tag in ("img", "script", "iframe", "audio", "video", "source") and values.get("src"):
            self.loads.append(str(values["src"]))
        if tag == "link" and values.get("href"):
            self.loads.append(str(values["href"]))


def assert_identity_shown(html: str, lang: str, exit_url: str = EXIT_URL, name: str | None = None) -> None:
    name = name or (NAME_RU if lang == "ru" else NAME_EN)
    assert name in html, "organisation name missing"
    focusable = Focusable(html)
    first, second = focusable.items[0], focusable.items[1]
    assert first[0] == "a" and first[1]["href"] == "#main"  # the skip link
    assert second[0] == "a" and second[1]["href"] == exit_url and second[1]["rel"] == "noreferrer"
    assert "target" not in second[1]  # the same tab
    assert ("Быстрый выход" if lang == "ru" else "Quick exit") in html
    assert all(url.startswith(("/", "data:")) for url in focusable.loads), focusable.loads  # nothing external


def public_pages(lang: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str]]:
    """(label, HTML) of every public page: start, a question, an error, the result, ask, its refusal, sent, PDF
    busy, PDF unavailable, privacy."""
    base = "/help/" if lang == "ru" else "/help/en/"
    client = Client()
    yield "start", client.get(base).content.decode()
    first = client.post(f"{base}step/", {"go": "next"}).content.decode()
    yield "question", first
    yield "error", post(client, f"{base}step/", first, "status", {}, go="next").content.decode()
    result = walk(client, lang)
    yield "result", result
    ask = post(client, f"{base}ask/", result, None, {}).content.decode()
    yield "ask", ask
    bad = post(client, f"{base}ask/", ask, None, {"relation": "parent"})
    assert bad.status_code == 400
    yield "ask error", bad.content.decode()
    sent = post(client, f"{base}ask/", ask, None, {"relation": "parent", "contact": CONTACT, "consent": "on"})
    assert sent.status_code == 200
    yield "sent", sent.content.decode()

    @contextlib.contextmanager
    def no_slot(*args: object) -> Iterator[None]:
        raise pages_slots.NoFreeSlot
        yield

    from courtpath.web.interview import slots as pages_slots

    with monkeypatch.context() as patch:
        patch.setattr("courtpath.web.interview.views.slots.slot", no_slot)
        busy = post(client, f"{base}pdf/", result, None, {})
        assert busy.status_code == 503
        yield "pdf busy", busy.content.decode()

    def broken(html: str) -> bytes:
        raise PdfError("test")

    with monkeypatch.context() as patch:
        patch.setattr("courtpath.web.interview.views.html_to_pdf", broken)
        unavailable = post(client, f"{base}pdf/", result, None, {})
        assert unavailable.status_code == 503
        yield "pdf unavailable", unavailable.content.decode()
    yield "privacy", client.get(f"{base}privacy/").content.decode()


# -- the staff page -------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_administrator_sets_the_identity_and_the_audit_log_names_the_fields_not_the_values(
    client: Client, administrator: User, login: Callable, db_contains: Callable[[str], bool]
) -> None:
    login(client, administrator)
    assert client.get("/organisation/").status_code == 200
    response = client.post("/organisation/", IDENTITY)
    assert response.status_code == 302 and response["Location"] == "/organisation/"
    stored = Identity.objects.get()
    assert (stored.name_ru, stored.phone, stored.quick_exit_url) == (NAME_RU, PHONE, EXIT_URL)
    event = AuditEvent.objects.filter(object_type="organisation").get()
    assert (event.actor_id, event.action) == (administrator.pk, "create")
    changed = {name for name, value in IDENTITY.items() if value}
    assert set(event.fields.split(",")) == changed
    assert NAME_RU not in event.fields and PHONE not in event.fields
    client.post("/organisation/", {**IDENTITY, "phone": "+7 900 111-11-11"})
    latest = AuditEvent.objects.filter(object_type="organisation").first()
    assert (latest.action, latest.fields) == ("change", "phone")
    client.post("/organisation/", {**IDENTITY, "phone": "+7 900 111-11-11"})  # nothing changed: no event
    assert AuditEvent.objects.filter(object_type="organisation").count() == 2
    assert Identity.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["intake", "lawyer", "coordinator"])
def test_other_roles_get_403_and_change_nothing(
    client: Client, make_user: Callable[..., User], login: Callable, role: str
) -> None:
    login(client, make_user(role))
    assert client.get("/organisation/").status_code == 403
    assert client.post("/organisation/", IDENTITY).status_code == 403
    assert not Identity.objects.exists()
    assert not AuditEvent.objects.filter(object_type="organisation").exists()
    with pytest.raises(PermissionDenied):
        services.update_identity(User.objects.get(role=role), IDENTITY)
    assert not Identity.objects.exists()


@pytest.mark.django_db
def test_anonymous_visitors_and_the_public_pool_do_not_reach_the_staff_page(client: Client) -> None:
    response = client.get("/organisation/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/organisation/", **{PUBLIC_POOL_KEY: PUBLIC_POOL}).status_code == 404
    for path in ("/help/privacy/", "/help/en/privacy/"):
        assert client.get(path, **{PUBLIC_POOL_KEY: PUBLIC_POOL}).status_code == 200, path


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("quick_exit_url", "javascript:alert(1)", "Enter a web address starting with https://."),
        ("quick_exit_url", "ftp://weather.test/", "Enter a web address starting with https://."),
        ("phone", "call me maybe", "Use digits, spaces, brackets, hyphens and a leading plus only."),
        ("email", "not-an-address", "Enter a valid email address."),
        ("name_ru", "x" * 201, "Ensure this value has at most 200 characters"),
    ],
)
def test_bad_input_is_a_form_error_and_saves_nothing(
    client: Client, administrator: User, login: Callable, field: str, value: str, error: str
) -> None:
    login(client, administrator)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.post("/organisation/", {**IDENTITY, field: value})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Identity.objects.exists()


@pytest.mark.django_db
def test_the_administrators_home_reminds_until_a_name_is_set(
    client: Client, administrator: User, coordinator: User, login: Callable
) -> None:
    login(client, administrator)
    reminder = 'href="/organisation/"'
    home = client.get("/accounts/users/").content.decode().replace("\u00a0", " ")
    assert "Укажите название и контакты организации" in home or "Fill in the organisation" in home
    assert home.count(reminder) == 2  # the menu's link and the reminder's
    services.update_identity(administrator, {"name_ru": NAME_RU})
    assert client.get("/accounts/users/").content.decode().count(reminder) == 1  # the menu only
    other = Client()
    services.update_identity(administrator, {"name_ru": ""})
    login(other, coordinator)
    assert reminder not in other.get("/").content.decode()  # not an administrator: neither menu nor reminder


# -- the public pages -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_every_public_page_names_the_organisation_and_starts_with_the_quick_exit(
    identity: dict[str, str], lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = []
    for label, html in public_pages(lang, monkeypatch):
        assert_identity_shown(html, lang)
        assert PHONE in html and MESSENGER in html and EMAIL in html, label  # the footer's contacts
        assert (HOURS_RU if lang == "ru" else HOURS_EN) in html, label
        assert f'href="{"/help/privacy/" if lang == "ru" else "/help/en/privacy/"}"' in html, label
        seen.append(label)
    assert len(seen) == 10


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_until_it_is_set_the_public_pages_show_a_neutral_name_and_exit(
    lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = "Правовая помощь" if lang == "ru" else "Legal help"
    for _label, html in public_pages(lang, monkeypatch):
        assert_identity_shown(html, lang, exit_url=DEFAULT_QUICK_EXIT_URL, name=name)
        assert ">courtpath<" not in html and "— courtpath</title>" not in html  # the software is no organisation


@pytest.mark.django_db
def test_a_text_missing_in_one_language_is_taken_from_the_other(make_administrator: Callable[..., User]) -> None:
    services.update_identity(make_administrator(), {"name_ru": NAME_RU, "hours_en": HOURS_EN})
    english = selectors.public_identity("en")
    assert (english.name, english.hours, english.is_set) == (NAME_RU, HOURS_EN, True)
    assert selectors.public_identity("ru").hours == HOURS_EN


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_pdf_of_a_result_carries_the_organisation_block(
    identity: dict[str, str], lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[str] = []

    def capture(html: str) -> bytes:
        made.append(html)
        return b"%PDF-1.7 test"

    monkeypatch.setattr("courtpath.web.interview.views.html_to_pdf", capture)
    client = Client()
    base = "/help/" if lang == "ru" else "/help/en/"
    assert post(client, f"{base}pdf/", walk(client, lang), None, {}).status_code == 200
    (html,) = made
    block = html.split('class="organisation"', 1)[1].split("</div>", 1)[0]
    assert (NAME_RU if lang == "ru" else NAME_EN) in block
    assert PHONE in block and EMAIL in block and MESSENGER in block
    assert html.index('class="organisation"') < html.index("<h1>")  # a header, before the result


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "texts"),
    [
        ("ru", [NOTICE_RU, "не стирает историю браузера", "приватном окне", "weather.test"]),
        ("en", [NOTICE_EN, "does not erase your browser's history", "private window", "weather.test"]),
    ],
)
def test_the_privacy_page_in_both_languages(identity: dict[str, str], lang: str, texts: list[str]) -> None:
    response = Client().get("/help/privacy/" if lang == "ru" else "/help/en/privacy/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in texts:
        assert text in html.replace("\u00a0", " ").replace("&#x27;", "'"), text
    assert f'<html lang="{lang}">' in html
    assert Client().post("/help/privacy/").status_code == 405  # GET only


@pytest.mark.django_db
def test_the_result_says_who_can_help_and_leads_to_the_ask_step(identity: dict[str, str]) -> None:
    html = walk(Client(), "en")
    block = html.split('class="who-can-help"', 1)[1].split("</section>", 1)[0]
    assert f"Who can help: {NAME_EN}." in block and PHONE in block
    assert 'formaction="/help/en/ask/"' in block


# -- the ask step never dead-ends -----------------------------------------------------------------------------------


def ask_page(client: Client, lang: str) -> str:
    base = "/help/" if lang == "ru" else "/help/en/"
    return post(client, f"{base}ask/", walk(client, lang), None, {}).content.decode()


def send(client: Client, page: str, lang: str):
    base = "/help/" if lang == "ru" else "/help/en/"
    typed = {"relation": "parent", "contact": CONTACT, "message": MESSAGE, "consent": "on"}
    return post(client, f"{base}ask/", page, None, typed)


def assert_refused_kindly(response, status: int, retry_after: str, lang: str) -> None:
    assert response.status_code == status
    assert response["Retry-After"] == retry_after
    html = response.content.decode()
    assert f'value="{CONTACT}"' in html and f">{MESSAGE}</textarea>" in html  # nothing typed is lost
    assert 'name="consent" id="id_consent" checked' in html
    assert token_is_valid(Form(html).hidden["token"])  # can be sent again
    problem = html.split('id="error-problem"', 1)[1].split("</div>", 1)[0]
    assert PHONE in problem and MESSENGER in problem and EMAIL in problem  # the other ways, right there
    assert (HOURS_RU if lang == "ru" else HOURS_EN) in problem
    assert not HelpRequest.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_past_the_hourly_maximum_429_keeps_the_text_and_shows_the_contacts(
    identity: dict[str, str], lang: str, settings: object
) -> None:
    settings.COURTPATH_PUBLIC_REQUESTS_MAX_PER_HOUR = 0
    client = Client()
    assert_refused_kindly(send(client, ask_page(client, lang), lang), 429, "3600", lang)


@pytest.mark.django_db
def test_a_locked_vault_503_keeps_the_text_and_shows_the_contacts(identity: dict[str, str]) -> None:
    client = Client()
    page = ask_page(client, "ru")
    previous = state.master()
    state.lock()
    try:
        response = send(client, page, "ru")
    finally:
        state.unlock(previous)
    assert_refused_kindly(response, 503, "600", "ru")


def raise_operational_error(**fields: object) -> None:
    raise OperationalError("disk I/O error")


def run_failing_sql(**fields: object) -> None:
    """A statement the database itself refuses, inside the request's transaction (PostgreSQL then aborts it)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM courtpath_no_such_table")


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("failing", [raise_operational_error, run_failing_sql])
def test_a_database_error_503_keeps_the_text_and_shows_the_contacts(
    identity: dict[str, str],
    lang: str,
    failing: Callable[..., None],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr("courtpath.web.cases.services.create_public_request", failing)
    client = Client()
    response = send(client, ask_page(client, lang), lang)
    assert_refused_kindly(response, 503, "300", lang)
    assert ("технического сбоя" if lang == "ru" else "A technical fault") in response.content.decode()
    assert CONTACT not in caplog.text and MESSAGE not in caplog.text
    assert "Error" in caplog.text.split("public request not saved:", 1)[1].split("\n", 1)[0]  # its class only


@pytest.mark.django_db
def test_the_contacts_survive_a_database_that_cannot_be_read(
    identity: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert selectors.public_identity("ru").phone == PHONE  # read once: remembered by the process

    def unreadable(*args: object, **kwargs: object) -> None:
        raise OperationalError("database is locked")

    monkeypatch.setattr(Identity.objects, "filter", unreadable)
    assert selectors.public_identity("ru").phone == PHONE


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_held_request_is_accepted_and_the_sent_page_names_the_organisation_and_its_phone(
    identity: dict[str, str], lang: str, settings: object
) -> None:
    settings.COURTPATH_PUBLIC_REQUESTS_PER_HOUR = 0  # every request is held apart as part of a flood
    client = Client()
    response = send(client, ask_page(client, lang), lang)
    assert response.status_code == 200
    request = HelpRequest.objects.get()
    assert request.held
    html = response.content.decode().replace("\u00a0", " ")
    assert request.code in html
    name = NAME_RU if lang == "ru" else NAME_EN
    sentence = (
        f"Если будете звонить сами ({name}, тел. {PHONE}), назовите этот номер обращения."
        if lang == "ru"
        else f"If you call {name} yourself at {PHONE}, give this reference."
    )
    assert sentence in html
    assert MESSENGER in html.split("<main", 1)[1].split("</main>", 1)[0]  # the other contacts, not only the footer


@pytest.mark.django_db
def test_the_ask_form_names_the_organisation(identity: dict[str, str]) -> None:
    html = ask_page(Client(), "en")
    assert f"A lawyer of {NAME_EN} reads your request" in html
    assert re.search(r"<title>[^<]*— Test Harbour Rights Group</title>", html)
