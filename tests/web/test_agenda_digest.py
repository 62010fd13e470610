"""The daily digest (web/agenda/digest.py, `courtpath digest`): opted in on the reminders page, one e-mail per user
and day through Django's e-mail backend, case codes, dates and kinds only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courtpath.cli.main import run
from courtpath.law.moments import MOSCOW
from courtpath.web.agenda import digest, services
from courtpath.web.agenda.models import DigestSubscription
from courtpath.web.audit.models import AuditEvent
from courtpath.web.vault.models import DataKey

pytestmark = pytest.mark.django_db
NOTE = "Канарейка: зал 7, судья Выдумкина"
ADDRESS = "advokat.vymyshlennaya@example.org"


@pytest.fixture(autouse=True)
def _locmem(settings: object) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _client(login: Callable, user: object) -> Client:
    client = Client()
    login(client, user)
    return client


def _moscow(days: int, hour: int = 10) -> dt.datetime:
    today = timezone.now().astimezone(MOSCOW).date()
    return dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour), tzinfo=MOSCOW)


def _opt_in(client: Client, address: str = ADDRESS) -> object:
    return client.post(reverse("agenda:digest"), {"enabled": "on", "address": address})


def test_opting_in_seals_the_address(world: dict, login: Callable, db_contains: Callable) -> None:
    client = _client(login, world["lawyer1"])
    assert _opt_in(client).status_code == 302
    subscription = DigestSubscription.objects.get(user=world["lawyer1"])
    assert subscription.address == ADDRESS and subscription.language == "ru"
    assert not db_contains(ADDRESS)
    assert ADDRESS in client.get(reverse("agenda:settings")).content.decode()


def test_a_bad_address_is_refused_on_its_field(world: dict, login: Callable) -> None:
    client = _client(login, world["lawyer1"])
    for typed in ("", "not an address"):
        response = _opt_in(client, typed)
        assert response.status_code == 400 and 'class="errorlist' in response.content.decode()
    assert not DigestSubscription.objects.exists()


def test_opting_out_shreds_the_address(world: dict, login: Callable) -> None:
    client = _client(login, world["lawyer1"])
    _opt_in(client)
    key = DigestSubscription.objects.get().data_key_id
    assert client.post(reverse("agenda:digest"), {"address": ADDRESS}).status_code == 302
    assert not DigestSubscription.objects.exists() and not DataKey.objects.filter(pk=key).exists()


def test_the_digest_carries_codes_dates_and_kinds_only(world: dict, login: Callable) -> None:
    lawyer, case = world["lawyer1"], world["case"]
    services.add_item(lawyer, case, kind="hearing", at=_moscow(3, 10), all_day=False, note=NOTE)
    services.add_item(lawyer, case, kind="summons", at=_moscow(20), all_day=True, note=NOTE)  # after 14 days
    _opt_in(_client(login, lawyer))
    digest.subscribe(world["lawyer2"], "drugoy@example.org", "en")  # nothing due in lawyer2's cases
    run_ = digest.send_digests()
    assert (run_.sent, run_.nothing_due, run_.failed) == (1, 1, [])
    (message,) = mail.outbox
    assert message.to == [ADDRESS]
    text = message.subject + message.body
    assert case.code in message.body and "Судебное заседание" in message.body
    assert f"{_moscow(3, 10):%d.%m.%Y} 10:00" in message.body
    assert "повестке" not in message.body
    for canary in ("Небыльцев", "Аркадий", "Канарейк", "Выдумкина", "99999", "рядовой", "зал 7"):
        assert canary not in text
    assert ("export", "digest", str(lawyer.pk)) in AuditEvent.objects.values_list("action", "object_type", "object_id")


def test_one_digest_a_day(world: dict) -> None:
    lawyer = world["lawyer1"]
    services.add_item(lawyer, world["case"], kind="hearing", at=_moscow(1), all_day=False)
    digest.subscribe(lawyer, ADDRESS, "en")
    assert digest.send_digests().sent == 1
    again = digest.send_digests()
    assert (again.sent, again.already_sent) == (0, 1) and len(mail.outbox) == 1
    assert "Court hearing" in mail.outbox[0].body  # the language chosen when opting in
    tomorrow = timezone.now() + dt.timedelta(days=1)
    assert digest.send_digests(now=tomorrow).sent == 1


def test_a_user_who_may_no_longer_see_cases_gets_none(world: dict) -> None:
    from courtpath.web.accounts import services as account_services

    lawyer = world["lawyer1"]
    services.add_item(lawyer, world["case"], kind="hearing", at=_moscow(1), all_day=False)
    digest.subscribe(lawyer, ADDRESS, "ru")
    account_services.set_active(world["admin"], lawyer, False)
    run_ = digest.send_digests()
    assert (run_.sent, run_.not_allowed) == (0, 1) and not mail.outbox


def test_a_failed_send_is_retried_by_the_next_run(world: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    lawyer = world["lawyer1"]
    services.add_item(lawyer, world["case"], kind="hearing", at=_moscow(1), all_day=False)
    digest.subscribe(lawyer, ADDRESS, "ru")

    def refuse(*_args: object, **_kwargs: object) -> int:
        raise ConnectionRefusedError

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    assert digest.send_digests().failed == [lawyer.pk]
    monkeypatch.undo()
    assert digest.send_digests().sent == 1


def test_the_command(world: dict, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    services.add_item(world["lawyer1"], world["case"], kind="hearing", at=_moscow(1), all_day=False, note=NOTE)
    digest.subscribe(world["lawyer1"], ADDRESS, "ru")
    monkeypatch.setattr("courtpath.web.vault.operations.unlock_process", lambda _file: None)  # unlocked by the tests
    assert run(["digest"]) == 0
    assert "digest: sent 1, nothing due 0, already sent today 0" in capsys.readouterr().out
    assert len(mail.outbox) == 1
    assert run(["digest"]) == 0
    assert "sent 0" in capsys.readouterr().out and len(mail.outbox) == 1


def test_the_command_says_when_the_vault_is_locked(
    world: dict,
    settings: object,
    tmp_path: object,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from courtpath.vault.keyring import KdfParams
    from courtpath.vault.unlock import create_keyring

    (tmp_path / "pass").write_text("a passphrase only for this test\n")
    create_keyring(tmp_path / "k.json", tmp_path / "pass", kdf=KdfParams(memory_kib=1024, iterations=1, lanes=1))
    settings.COURTPATH_KEYRING_FILE = tmp_path / "k.json"
    monkeypatch.delenv("COURTPATH_PASSPHRASE_FILE", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    digest.subscribe(world["lawyer1"], ADDRESS, "ru")
    assert run(["digest"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("courtpath: error: the vault is locked") and "Traceback" not in err
    assert not mail.outbox
