"""The calendar feed (web/agenda/feeds.py, ical.py): a secret address per user, only its hash stored, revocable at
once, read without a login; case codes, dates and kinds only; valid RFC 5545 that a real parser reads."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courtpath.law.moments import MOSCOW
from courtpath.web.accounts import services as account_services
from courtpath.web.agenda import feeds, services
from courtpath.web.agenda.models import CalendarFeed
from courtpath.web.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
NOTE = "Канарейка: зал 7, судья Выдумкина"


def _client(login: Callable, user: object) -> Client:
    client = Client()
    login(client, user)
    return client


def _new_address(client: Client) -> str:
    response = client.post(reverse("agenda:feed_create"))
    assert response.status_code == 200
    match = re.search(r'value="(http://testserver/calendar/[A-Za-z0-9_-]+\.ics)"', response.content.decode())
    assert match, "the new address is shown once"
    return match.group(1).removeprefix("http://testserver")


def _moscow(days: int, hour: int = 10) -> dt.datetime:
    today = timezone.now().astimezone(MOSCOW).date()
    return dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour), tzinfo=MOSCOW)


@pytest.fixture
def with_items(world: dict) -> dict:
    lawyer, case = world["lawyer1"], world["case"]
    services.add_item(lawyer, case, kind="hearing", at=_moscow(3, 10), all_day=False, note=NOTE)
    services.add_item(lawyer, case, kind="summons", at=_moscow(5), all_day=True, note=NOTE)
    return world


def test_the_feed_lists_codes_dates_and_kinds_only(with_items: dict, login: Callable, db_contains: Callable) -> None:
    world = with_items
    case = world["case"]
    address = _new_address(_client(login, world["lawyer1"]))
    token = address.removeprefix("/calendar/").removesuffix(".ics")
    assert len(token) >= 43  # 32 random bytes
    assert not db_contains(token)
    assert CalendarFeed.objects.get().token_hash == hashlib.sha256(token.encode()).hexdigest()

    response = Client().get(address)  # a calendar app: no cookie
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "Set-Cookie" not in response and not response.cookies
    raw = response.content
    text = raw.decode("utf-8")
    for canary in ("Небыльцев", "Аркадий", "Канарейк", "Выдумкина", "99999", "зал 7"):
        assert canary not in text

    calendar = icalendar.Calendar.from_ical(raw)
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    hearing = events[f"{case.code}: Судебное заседание"]
    assert hearing.decoded("DTSTART") == _moscow(3, 10)
    assert hearing["DTSTART"].to_ical().endswith(b"Z")  # UTC
    summons = next(e for s, e in events.items() if "повестке" in s)
    assert summons.decoded("DTSTART") == _moscow(5).date()  # a whole day: VALUE=DATE
    assert summons.decoded("DTEND") == _moscow(6).date()
    assert any(s.startswith(case.code) and "повестке" not in s and "заседание" not in s for s in events), (
        "the computed deadlines are in the feed too"
    )
    assert all("DTSTAMP" in e and "UID" in e for e in events.values())

    lines = raw.split(b"\r\n")
    assert lines[-1] == b"" and b"\n" not in raw.replace(b"\r\n", b"")
    assert max(len(line) for line in lines) <= 75

    again = icalendar.Calendar.from_ical(Client().get(address).content)
    assert {str(e["UID"]) for e in again.walk("VEVENT")} == {str(e["UID"]) for e in events.values()}  # stable


def test_revocation_is_immediate_and_a_new_address_replaces_the_old(with_items: dict, login: Callable) -> None:
    client = _client(login, with_items["lawyer1"])
    first = _new_address(client)
    assert Client().get(first).status_code == 200
    second = _new_address(client)
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200
    assert client.post(reverse("agenda:feed_revoke")).status_code == 302
    assert Client().get(second).status_code == 404
    assert not CalendarFeed.objects.filter(revoked_at__isnull=True).exists()


def test_an_unknown_token_is_404(world: dict) -> None:
    for token in ("x" * 43, "short", "A" * 200):
        assert Client().get(f"/calendar/{token}.ics").status_code == 404


def test_a_change_of_the_account_ends_the_feed(with_items: dict, login: Callable) -> None:
    world = with_items
    address = _new_address(_client(login, world["lawyer1"]))
    account_services.change_role(world["admin"], world["lawyer1"], "intake")
    assert Client().get(address).status_code == 404
    account_services.change_role(world["admin"], world["lawyer1"], "lawyer")
    assert Client().get(address).status_code == 404  # for good


def test_the_feed_lists_only_the_owners_cases(with_items: dict, login: Callable) -> None:
    world = with_items
    address = _new_address(_client(login, world["lawyer2"]))
    text = Client().get(address).content.decode()
    assert world["case"].code not in text and "BEGIN:VCALENDAR" in text and "BEGIN:VEVENT" not in text


def test_the_feed_is_get_only(with_items: dict, login: Callable) -> None:
    address = _new_address(_client(login, with_items["lawyer1"]))
    assert Client().post(address).status_code == 405
    assert Client().get(address).status_code == 200


def test_fetches_are_rate_limited_and_audited_without_the_token(with_items: dict, login: Callable) -> None:
    address = _new_address(_client(login, with_items["lawyer1"]))
    token = address.removeprefix("/calendar/").removesuffix(".ics")
    for _ in range(feeds.FETCHES_PER_HOUR):
        assert Client().get(address).status_code == 200
    limited = Client().get(address)
    assert limited.status_code == 429 and 1 <= int(limited["Retry-After"]) <= 3601
    feed = CalendarFeed.objects.get()
    fetched = AuditEvent.objects.filter(object_type="calendar_feed", action="export")
    assert fetched.count() == feeds.FETCHES_PER_HOUR
    assert set(fetched.values_list("actor", "object_id")) == {(with_items["lawyer1"].pk, str(feed.pk))}
    dumped = " ".join(str(v) for row in AuditEvent.objects.values_list() for v in row)
    assert token not in dumped
    later = timezone.now() + feeds.WINDOW + dt.timedelta(seconds=1)
    assert feeds.fetch(token, now=later).retry_after == 0  # a new hour


@pytest.mark.parametrize("role", ["admin", "intake1"])
def test_who_sees_no_case_gets_no_feed(world: dict, login: Callable, role: str) -> None:
    client = _client(login, world[role])
    assert client.post(reverse("agenda:feed_create")).status_code == 403
    assert not CalendarFeed.objects.exists()


def test_the_feed_address_is_not_in_the_logs() -> None:
    import logging

    from courtpath.logsafe import OneLineFormatter
    from courtpath.web.serverlog import EscapedAtoms

    token = "S3cr3tT0kenS3cr3tT0kenS3cr3tT0kenS3cr3tT0k"
    atoms = EscapedAtoms({"U": f"/calendar/{token}.ics", "m": "GET"})
    assert atoms["U"] == "/calendar/[token].ics"
    record = logging.LogRecord(
        "django.request", logging.ERROR, "", 0, "Internal Server Error: %s", (atoms.get("U"),), None
    )
    record.args = (f"/calendar/{token}.ics",)
    assert token not in OneLineFormatter("%(message)s").format(record)
