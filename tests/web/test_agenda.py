"""Manual deadlines and events on a case (web/agenda): adding, editing, marking done and deleting through the case
page's forms; who may do it; what is sealed and audited; the dashboard and the 14-day page."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courtpath.law.moments import MOSCOW
from courtpath.web.agenda import selectors, services
from courtpath.web.agenda.models import AgendaItem
from courtpath.web.audit.models import AuditEvent
from courtpath.web.cases import services as case_services

pytestmark = pytest.mark.django_db
NOTE = "Канарейка: зал 7, судья Выдумкина"  # a canary: must never leave the case page


def _client(login: Callable[..., object], user: object) -> Client:
    client = Client()
    login(client, user)
    return client


def _add(client: Client, code: str, when: str, kind: str = "hearing", note: str = NOTE) -> object:
    return client.post(reverse("agenda:item_add", args=[code]), {"when": when, "kind": kind, "note": note})


def _moscow(days: int, hour: int = 10) -> dt.datetime:
    today = timezone.now().astimezone(MOSCOW).date()
    return dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour), tzinfo=MOSCOW)


def test_a_lawyer_adds_a_hearing_typed_the_russian_way(world: dict, login: Callable, db_contains: Callable) -> None:
    case = world["case"]
    client = _client(login, world["lawyer1"])
    response = _add(client, case.code, "05.11.2099 10:30")
    assert response.status_code == 302 and response["Location"].endswith("#agenda")
    item = AgendaItem.objects.get()
    assert item.at == dt.datetime(2099, 11, 5, 10, 30, tzinfo=MOSCOW)  # 5 November, never 11 May
    assert (item.kind, item.all_day, item.note, item.created_by) == ("hearing", False, NOTE, world["lawyer1"])
    page = client.get(reverse("cases:case_detail", args=[case.code])).content.decode()
    assert "05.11.2099 10:30" in page and "Зал 7".lower() in page.lower()
    assert not db_contains("Выдумкина") and not db_contains("2099-11-05")  # the note and the moment are sealed


def test_a_date_without_a_time_is_a_whole_day(world: dict, login: Callable) -> None:
    client = _client(login, world["lawyer1"])
    _add(client, world["case"].code, "17.12.2099", kind="summons", note="")
    item = AgendaItem.objects.get()
    assert item.all_day and item.at == dt.datetime(2099, 12, 17, tzinfo=MOSCOW)


@pytest.mark.parametrize("typed", ["", "12/17/2099", "31.02.2099", "17.12.2099 25:00", "17.12.3000", "x" * 41])
def test_a_bad_date_is_refused_on_its_field_keeping_what_was_typed(world: dict, login: Callable, typed: str) -> None:
    client = _client(login, world["lawyer1"])
    response = _add(client, world["case"].code, typed, note="Заметка остаётся")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="errorlist' in page and "Заметка остаётся" in page
    assert not AgendaItem.objects.exists()


def test_an_unknown_kind_is_refused(world: dict, login: Callable) -> None:
    response = _add(_client(login, world["lawyer1"]), world["case"].code, "17.12.2099", kind="party")
    assert response.status_code == 400 and not AgendaItem.objects.exists()


def test_edit_done_and_delete_through_the_forms_are_audited_with_codes_and_kinds_only(
    world: dict, login: Callable
) -> None:
    case = world["case"]
    client = _client(login, world["lawyer1"])
    _add(client, case.code, "17.12.2099 10:00")
    item = AgendaItem.objects.get()
    edit = reverse("agenda:item_edit", args=[case.code, item.pk])
    form = client.get(edit)
    assert form.status_code == 200 and "17.12.2099 10:00" in form.content.decode()
    response = client.post(edit, {"when": "18.12.2099", "kind": "investigator", "note": NOTE})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.kind, item.all_day, item.at.astimezone(MOSCOW).date()) == ("investigator", True, dt.date(2099, 12, 18))
    client.post(reverse("agenda:item_done", args=[case.code, item.pk]), {"done": "on"})
    item.refresh_from_db()
    assert item.done
    client.post(reverse("agenda:item_done", args=[case.code, item.pk]), {})
    item.refresh_from_db()
    assert not item.done
    client.post(reverse("agenda:item_delete", args=[case.code, item.pk]))
    assert not AgendaItem.objects.exists()
    rows = list(
        AuditEvent.objects.filter(object_type="agenda_item").order_by("id").values_list("action", "object_id", "fields")
    )
    target = f"{case.code}/{item.pk}"
    assert rows == [
        ("create", target, "hearing"),
        ("view", target, "hearing"),
        ("change", target, "investigator,kind,when"),
        ("change", target, "done,investigator"),
        ("change", target, "done,investigator"),
        ("delete", target, "investigator"),
    ]
    dumped = " ".join(str(v) for row in AuditEvent.objects.values_list() for v in row)
    assert "Выдумкина" not in dumped and "2099" not in dumped


def test_another_lawyer_can_neither_see_nor_change_the_items(world: dict, login: Callable) -> None:
    case = world["case"]
    item = services.add_item(world["lawyer1"], case, kind="hearing", at=_moscow(3), all_day=False, note=NOTE)
    other = _client(login, world["lawyer2"])
    assert _add(other, case.code, "17.12.2099").status_code == 404
    assert other.get(reverse("agenda:item_edit", args=[case.code, item.pk])).status_code == 404
    for name in ("agenda:item_done", "agenda:item_delete"):
        assert other.post(reverse(name, args=[case.code, item.pk]), {"done": "on"}).status_code == 404
    assert NOTE not in other.get(reverse("agenda:upcoming")).content.decode()
    assert case.code not in other.get(reverse("cases:dashboard")).content.decode()
    item.refresh_from_db()
    assert not item.done and AgendaItem.objects.count() == 1


def test_an_item_is_reached_only_under_its_own_case(world: dict, login: Callable) -> None:
    item = services.add_item(world["lawyer1"], world["case"], kind="hearing", at=_moscow(3), all_day=False)
    own = case_services.convert_request(
        world["coordinator"],
        case_services.create_request(world["coordinator"], channel="phone", relation="self", summary=""),
        world["lawyer2"],
    )
    other = _client(login, world["lawyer2"])
    assert other.get(reverse("agenda:item_edit", args=[own.code, item.pk])).status_code == 404
    assert other.post(reverse("agenda:item_delete", args=[own.code, item.pk])).status_code == 404
    assert AgendaItem.objects.filter(pk=item.pk).exists()


@pytest.mark.parametrize("role", ["admin", "intake1"])
def test_administrators_and_intake_see_no_dates(world: dict, login: Callable, role: str) -> None:
    case = world["case"]
    item = services.add_item(world["lawyer1"], case, kind="hearing", at=_moscow(2), all_day=False, note=NOTE)
    client = _client(login, world[role])
    assert client.get(reverse("agenda:upcoming")).status_code == 403
    assert client.get(reverse("agenda:settings")).status_code == 403
    assert _add(client, case.code, "17.12.2099").status_code == 404
    assert client.get(reverse("agenda:item_edit", args=[case.code, item.pk])).status_code == 404
    dashboard = client.get(reverse("cases:dashboard"), follow=True).content.decode()
    assert case.code not in dashboard and NOTE not in dashboard


def test_the_services_refuse_who_may_not_see_the_case(world: dict) -> None:
    from django.core.exceptions import PermissionDenied

    for role in ("lawyer2", "admin", "intake1"):
        with pytest.raises(PermissionDenied):
            services.add_item(world[role], world["case"], kind="hearing", at=_moscow(1), all_day=False)


def test_the_dashboard_lists_manual_dates_beside_computed_ones_by_date(world: dict, login: Callable) -> None:
    case = world["case"]
    lawyer = world["lawyer1"]
    services.add_item(lawyer, case, kind="hearing", at=_moscow(-2), all_day=False)  # past due, not done
    services.add_item(lawyer, case, kind="summons", at=_moscow(400, 0), all_day=True)
    done = services.add_item(lawyer, case, kind="investigator", at=_moscow(5), all_day=False)
    services.set_done(lawyer, done, True)
    page = _client(login, lawyer).get(reverse("cases:dashboard")).content.decode()
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    rows = body.split("<tr")[1:]
    hearing = next(i for i, row in enumerate(rows) if "Судебное заседание" in row)
    summons = next(i for i, row in enumerate(rows) if "повестке" in row)
    assert "Допрос у следователя" not in body  # done
    assert "overdue" in rows[hearing] and "overdue" not in rows[summons]
    assert hearing < summons
    computed = [i for i, row in enumerate(rows) if "повестке" not in row and "Судебное" not in row]
    assert computed, "the computed deadlines are still listed"
    days = [_first_day(row) for row in rows]
    assert days == sorted(days)  # one list, by date


def _first_day(row: str) -> dt.date:
    """The date in a dashboard row's first cell, shown the Russian way (17.12.2026)."""
    found = re.search(r"<td[^>]*>(\d{2})\.(\d{2})\.(\d{4})", row)
    assert found, row
    day, month, year = (int(part) for part in found.groups())
    return dt.date(year, month, day)


def test_the_next_14_days(world: dict, login: Callable) -> None:
    case, lawyer = world["case"], world["lawyer1"]
    services.add_item(lawyer, case, kind="hearing", at=_moscow(14, 23), all_day=False)  # the 14th day: in
    services.add_item(lawyer, case, kind="summons", at=_moscow(15, 0), all_day=True)  # the 15th: out
    services.add_item(lawyer, case, kind="other", at=_moscow(-30), all_day=False)  # past, not done: in
    dues = selectors.next_days(lawyer)
    manual = [(d.code, d.overdue) for d in dues if d.manual]
    assert manual == [("other", True), ("hearing", False)]
    assert all(d.manual or not d.overdue for d in dues)
    page = _client(login, lawyer).get(reverse("agenda:upcoming")).content.decode()
    assert "Судебное заседание" in page and "повестке" not in page and NOTE not in page
    assert selectors.next_days(world["lawyer2"]) == []


def test_a_closed_case_leaves_the_lists(world: dict) -> None:
    case, lawyer = world["case"], world["lawyer1"]
    services.add_item(lawyer, case, kind="hearing", at=_moscow(3), all_day=False)
    assert [d.code for d in selectors.manual_due(lawyer)] == ["hearing"]
    case_services.change_stage(lawyer, case, "acquitted")
    assert selectors.manual_due(lawyer) == []


def test_deleting_the_case_deletes_its_dates(world: dict) -> None:
    case = world["case"]
    services.add_item(world["lawyer1"], case, kind="hearing", at=_moscow(3), all_day=False, note=NOTE)
    case_services.delete_case(world["coordinator"], case)
    assert not AgendaItem.objects.exists()


def test_forms_post_with_csrf_only(world: dict, login: Callable) -> None:
    client = _client(login, world["lawyer1"])
    client.handler.enforce_csrf_checks = True
    response = client.post(
        reverse("agenda:item_add", args=[world["case"].code]), {"when": "17.12.2099", "kind": "hearing"}
    )
    assert response.status_code == 403 and not AgendaItem.objects.exists()


def test_an_item_that_cannot_be_read_does_not_take_the_pages_down(world: dict, login: Callable) -> None:
    case = world["case"]
    item = services.add_item(world["lawyer1"], case, kind="hearing", at=_moscow(3), all_day=False, note=NOTE)
    AgendaItem.objects.filter(pk=item.pk).update(when_sealed=b"\x00" * 40)
    client = _client(login, world["lawyer1"])
    page = client.get(reverse("cases:case_detail", args=[case.code]))
    assert page.status_code == 200
    assert client.get(reverse("cases:dashboard")).status_code == 200
    assert client.get(reverse("agenda:upcoming")).status_code == 200
    edit = reverse("agenda:item_edit", args=[case.code, item.pk])
    assert client.get(edit).status_code == 409
    assert client.post(edit, {"when": "17.12.2099", "kind": "hearing", "note": ""}).status_code == 409
    assert client.post(reverse("agenda:item_delete", args=[case.code, item.pk])).status_code == 302
    assert not AgendaItem.objects.exists()


def test_the_kept_moments_follow_every_change(world: dict) -> None:
    lawyer, case = world["lawyer1"], world["case"]
    item = services.add_item(lawyer, case, kind="hearing", at=_moscow(3), all_day=False)
    assert [d.at for d in selectors.manual_due(lawyer)] == [_moscow(3)]  # opened and kept
    services.update_item(lawyer, item, kind="summons", at=_moscow(4, 0), all_day=True, note="")
    moved = [(d.code, d.at, d.all_day) for d in selectors.manual_due(lawyer)]
    assert moved == [("summons", _moscow(4, 0), True)]
    services.set_done(lawyer, item, True)
    assert selectors.manual_due(lawyer) == []
