"""Clearing a flood of junk requests in one action: coordinators only, through the service, audited per request,
CSRF-protected; it never takes a request that became a case, that someone opened, or that arrived after the list
was shown. Held requests stay off the dashboard's list and are counted apart."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courtpath.web.accounts.models import User
from courtpath.web.audit.models import AuditEvent
from courtpath.web.cases import selectors, services
from courtpath.web.cases.models import HelpRequest
from courtpath.web.vault.models import DataKey

URL = "/requests/delete/"


def public(number: int) -> HelpRequest:
    return services.create_public_request(relation="other", contact=f"junk {number}", message="junk", facts_summary="")


@pytest.fixture
def flood(settings: object) -> list[HelpRequest]:
    settings.COURTPATH_PUBLIC_REQUESTS_PER_HOUR = 2
    return [public(number) for number in range(7)]  # the first 2 not held, the next 5 held


def period(**extra: str) -> dict[str, str]:
    now = timezone.localtime()
    since, until = now - dt.timedelta(hours=1), now + dt.timedelta(minutes=1)
    return {"received_from": since.strftime("%d.%m.%Y %H:%M"), "received_to": until.strftime("%Y-%m-%d %H:%M"), **extra}


def test_the_url_is_what_the_tests_use() -> None:
    assert reverse("cases:request_bulk_delete") == URL


@pytest.mark.django_db
def test_held_requests_are_counted_apart_on_the_dashboard(
    flood: list[HelpRequest], coordinator: User, login: Callable[..., object]
) -> None:
    assert [r.held for r in flood] == [False, False, True, True, True, True, True]
    assert set(selectors.waiting_requests(coordinator)) == set(flood[:2])
    client = Client()
    login(client, coordinator)
    page = client.get(reverse("cases:dashboard")).content.decode()
    assert f'href="{reverse("cases:request_list")}?held=1"' in page and ": 5</a>" in page
    assert flood[2].code not in page and flood[0].code in page
    held = client.get(reverse("cases:request_list") + "?held=1").content.decode()
    assert all(r.code in held for r in flood[2:]) and flood[0].code not in held


@pytest.mark.django_db
def test_a_coordinator_deletes_the_flood_in_one_action(
    flood: list[HelpRequest], coordinator: User, lawyer: User, login: Callable[..., object]
) -> None:
    opened, converted = flood[2], flood[3]
    services.opened(coordinator, "request", opened.code)  # someone looked at it: maybe the real one
    services.convert_request(coordinator, converted, lawyer)
    client = Client()
    login(client, coordinator)
    client.handler.enforce_csrf_checks = True  # from here on, as a browser
    preview = client.get(URL, period(held_only="on"))
    assert preview.status_code == 200
    text = preview.content.decode()
    junk = flood[4:]
    assert all(r.code in text for r in junk) and opened.code not in text and converted.code not in text
    assert flood[0].code not in text  # not held
    form = {**period(held_only="on"), "up_to": str(max(r.pk for r in junk)), "confirm_count": "3"}
    late = public(99)  # arrives after the list was shown: it was not in the count, so it stays
    without_token = client.post(URL, form)
    assert without_token.status_code == 403  # CSRF
    assert HelpRequest.objects.count() == 8
    form["csrfmiddlewaretoken"] = client.cookies["csrftoken"].value
    before = AuditEvent.objects.count()
    response = client.post(URL, form)
    assert response.status_code == 302 and response["Location"] == reverse("cases:request_list")
    left = set(HelpRequest.objects.values_list("code", flat=True))
    assert left == {flood[0].code, flood[1].code, opened.code, converted.code, late.code}
    assert not DataKey.objects.filter(pk__in=[r.data_key_id for r in junk]).exists()  # shredded
    events = AuditEvent.objects.order_by("id")[before:]
    deletions = [(e.actor_id, e.action, e.object_type, e.object_id, e.fields) for e in events if e.action == "delete"]
    assert sorted(deletions) == sorted((coordinator.pk, "delete", "request", r.code, "bulk") for r in junk)


@pytest.mark.django_db
def test_a_wrong_count_deletes_nothing(
    flood: list[HelpRequest], coordinator: User, login: Callable[..., object]
) -> None:
    client = Client()
    login(client, coordinator)
    response = client.post(URL, {**period(), "up_to": str(flood[-1].pk), "confirm_count": "6"})
    assert response.status_code == 400 and "id_confirm_count" in response.content.decode()
    assert HelpRequest.objects.count() == 7
    response = client.post(URL, {**period(), "up_to": str(flood[-1].pk), "confirm_count": "7"})  # not held only
    assert response.status_code == 302 and not HelpRequest.objects.exists()


@pytest.mark.django_db
def test_bad_dates_are_a_form_error(coordinator: User, login: Callable[..., object]) -> None:
    client = Client()
    login(client, coordinator)
    assert client.get(URL, {"received_from": "yesterday", "received_to": "now"}).status_code == 400
    assert client.get(URL, period(received_from="07.12.2030 05:00")).status_code == 400  # start after end
    assert client.get(URL).status_code == 200


@pytest.mark.django_db
def test_only_coordinators_may_delete_in_bulk(
    flood: list[HelpRequest],
    make_lawyer: Callable[..., User],
    make_intake: Callable[..., User],
    make_administrator: Callable[..., User],
    login: Callable[..., object],
) -> None:
    for user in (make_lawyer(), make_intake(), make_administrator()):
        with pytest.raises(PermissionDenied):
            services.delete_requests(user, HelpRequest.objects.all())
        client = Client()
        login(client, user)
        assert client.get(URL, period()).status_code == 403
        assert client.post(URL, {**period(), "up_to": str(flood[-1].pk), "confirm_count": "7"}).status_code == 403
    assert HelpRequest.objects.count() == 7
