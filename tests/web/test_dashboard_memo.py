"""The dashboards keep each case's deadlines for keys.CACHE_SECONDS (assessments/deadlines.py) and in the sealed
index (cases/derived.py): a second view opens no answer; a change of the facts, the stage or the assessment makes
them worked out again; a deletion empties the index."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from test_page_queries import add_cases

from courtpath.web import timed_memo
from courtpath.web.assessments import deadlines
from courtpath.web.cases import derived, services
from courtpath.web.cases.models import OPEN_STAGES, Case, DerivedIndex, Stage
from courtpath.web.vault.models import DataKey


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The codes of the cases whose deadlines were worked out from their stored values."""
    deadlines.forget()
    calls: list[str] = []
    real = deadlines._worked_out

    def counted(code: str, *args: Any) -> list[deadlines.Deadline]:
        calls.append(code)
        return real(code, *args)

    monkeypatch.setattr(deadlines, "_worked_out", counted)
    yield calls
    deadlines.forget()


def _dashboard(client: Client) -> str:
    response = client.get(reverse("cases:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def _main(page: str) -> str:
    return page[page.index("<main") : page.index("</main>")]


def test_a_second_view_opens_no_case_and_shows_the_same(
    opened: list[str], world: dict[str, Any], login: Callable[..., object], client: Client
) -> None:
    add_cases(world, 6)
    login(client, world["coordinator"])
    first = _dashboard(client)
    assert opened
    opened.clear()
    second = _dashboard(client)
    assert opened == []
    assert first.count("<tr") == second.count("<tr")


def test_a_change_of_facts_or_stage_is_seen_at_once(
    opened: list[str], world: dict[str, Any], login: Callable[..., object], client: Client
) -> None:
    add_cases(world, 3)
    case = Case.objects.filter(stage=Stage.FIRST_CONTACT).first() or world["case"]
    login(client, world["coordinator"])
    _dashboard(client)
    opened.clear()
    services.update_case(world["coordinator"], case, {"returned": dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)})
    _dashboard(client)
    assert opened == [case.code]
    opened.clear()
    services.change_stage(world["coordinator"], case, Stage.AGREEMENT)
    _dashboard(client)
    assert opened == [case.code]


def test_kept_deadlines_expire_with_the_key_cache(
    opened: list[str],
    monkeypatch: pytest.MonkeyPatch,
    world: dict[str, Any],
    login: Callable[..., object],
    client: Client,
) -> None:
    add_cases(world, 2)
    login(client, world["coordinator"])
    _dashboard(client)
    opened.clear()
    later = timed_memo.time.monotonic() + deadlines.keys.CACHE_SECONDS + 1
    monkeypatch.setattr(timed_memo.time, "monotonic", lambda: later)
    _dashboard(client)
    assert opened == []  # read from the sealed index (cases/derived.py), not from the cases
    assert all(now_kept[0] == later for now_kept in deadlines._memo.entries.values())  # nothing older is left


def _absent_cases(world: dict[str, Any], count: int) -> None:
    """Cases whose absence goes on: each has a band boundary ahead, on the dashboard."""
    for number in range(count):
        request = services.create_request(world["intake1"], channel="phone", relation="self", summary="Выдуманный")
        case = services.convert_request(world["coordinator"], request, world["lawyer1"])
        left = timezone.now().replace(microsecond=0) - dt.timedelta(days=3, hours=number)
        services.update_case(world["coordinator"], case, {"status": "contract", "left": left})


def test_the_sealed_index_serves_a_new_process_and_forgets_a_deleted_case(
    opened: list[str], world: dict[str, Any], login: Callable[..., object], client: Client
) -> None:
    _absent_cases(world, 3)
    login(client, world["coordinator"])
    first = _dashboard(client)
    assert opened
    opened.clear()
    deadlines.forget()  # as a process that has kept nothing
    assert _main(_dashboard(client)) == _main(first) and opened == []
    index = DerivedIndex.objects.get(name=derived.DEADLINES)
    gone = next(case for case in Case.objects.exclude(pk=world["case"].pk) if case.code in _main(first))
    gone_pk = str(gone.pk)
    assert gone_pk in index.entries
    services.delete_case(world["coordinator"], gone)
    after_deletion = DerivedIndex.objects.get(name=derived.DEADLINES)
    assert after_deletion.generation == index.generation + 1 and after_deletion.updated_at > index.updated_at
    assert not DataKey.objects.filter(pk=index.data_key_id).exists()  # its old copies no longer open
    assert set(after_deletion.entries) == set(index.entries) - {gone_pk}
    deadlines.forget()
    after = _dashboard(client)
    assert opened == []  # the other cases' deadlines stayed in the index
    assert gone.code not in _main(after)
    assert all(case.code in _main(after) for case in Case.objects.all() if case.code in _main(first))


def test_a_view_that_read_the_index_before_a_deletion_does_not_write_the_deleted_case_back(
    world: dict[str, Any],
) -> None:
    add_cases(world, 2)
    index = derived.read(derived.DEADLINES)
    doomed = Case.objects.filter(stage__in=OPEN_STAGES).first()
    doomed_pk = doomed.pk
    (state,) = derived.states(Case.objects.filter(pk=doomed_pk))
    services.delete_case(world["coordinator"], doomed)  # between the view's read and its write
    assert not derived.write(index, [(state, [])], [doomed_pk])
    assert str(doomed_pk) not in DerivedIndex.objects.get(name=derived.DEADLINES).entries
