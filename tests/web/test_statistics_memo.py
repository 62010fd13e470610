"""The statistics page's figures are kept per process for a few minutes (statistics/memo.py), one set per view."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator

import pytest
from django.test import Client
from django.urls import reverse

from courtpath.web.statistics import memo, stats


@pytest.fixture
def kept(settings: object) -> Iterator[None]:
    settings.COURTPATH_STATISTICS_CACHE_SECONDS = 300  # type: ignore[attr-defined]
    memo.forget()
    yield
    memo.forget()


@pytest.fixture
def computations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the exact charts' computations."""
    calls: list[int] = []
    real = stats.organisation_charts

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(stats, "organisation_charts", counted)
    return calls


def test_a_second_view_within_the_period_computes_nothing(
    kept: None, computations: list[int], world: dict[str, object], login: Callable[..., object], client: Client
) -> None:
    login(client, world["coordinator"])
    first = client.get(reverse("statistics:page")).content.decode()
    second = client.get(reverse("statistics:page")).content.decode()
    assert len(computations) == 1
    assert re.search(r"(Figures as of|Данные на) \d\d:\d\d", second)
    assert first.count("<svg") == second.count("<svg") == 8


def test_without_a_period_every_view_computes(
    computations: list[int], world: dict[str, object], login: Callable[..., object], client: Client
) -> None:
    login(client, world["coordinator"])
    client.get(reverse("statistics:page"))
    client.get(reverse("statistics:page"))
    assert len(computations) == 2


def test_an_administrator_never_gets_the_coordinators_exact_figures(
    kept: None, world: dict[str, object], login: Callable[..., object], client: Client
) -> None:
    login(client, world["coordinator"])
    assert client.get(reverse("statistics:page")).content.decode().count("<svg") == 8
    administrator = Client()
    login(administrator, world["admin"])
    page = administrator.get(reverse("statistics:page")).content.decode()
    assert "<svg" not in page and "&lt;5" in page


def test_concurrent_views_compute_once(kept: None) -> None:
    calls: list[int] = []
    started = threading.Event()

    def slow() -> dict[str, object]:
        calls.append(1)
        started.wait(1)
        return {"n": len(calls)}

    results: list[object] = []
    threads = [threading.Thread(target=lambda: results.append(memo.figures("k", slow).context)) for _ in range(4)]
    for thread in threads:
        thread.start()
    started.set()
    for thread in threads:
        thread.join()
    assert len(calls) == 1 and results == [{"n": 1}] * 4
