"""What dates entered by hand cost the pages that list every deadline of a coordinator (web/agenda).

    python benchmarks/bench_agenda.py [--cases 10000] [--items 2] [--times 7]

A throwaway SQLite database (WAL, production settings apart from plain-HTTP cookies) gets `--cases` open cases, each
sealed under a data key of its own, with facts of an absence still going on and one assessment made by the engine;
then `--items` dates entered by hand per case (their moment and note sealed like the app seals them). A coordinator
logs in through the real pages; the Django test client requests the dashboard, the 14-day page and the calendar feed
(the whole stack, in process, one thread), `--times` times each after a warm-up, first with no dates entered by hand,
then with them. Nothing a process keeps between views is kept (the 60 s memos of computed deadlines and of opened
manual moments are emptied before each request), except on "dashboard, kept": the later views within those 60 s.
Printed per page: p50 and p95 wall-clock and median CPU time, in milliseconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import time

import web_installation

FOLDER = web_installation.setup("courtpath-bench-agenda-")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from courtpath.law.engine import assess  # noqa: E402
from courtpath.vault import state  # noqa: E402
from courtpath.vault.keyring import new_master_key  # noqa: E402
from courtpath.web.accounts.models import Role, User  # noqa: E402
from courtpath.web.agenda import feeds, memo  # noqa: E402
from courtpath.web.agenda.models import AgendaItem, Kind  # noqa: E402
from courtpath.web.assessments import deadlines  # noqa: E402
from courtpath.web.cases import services  # noqa: E402
from courtpath.web.cases.models import Assessment, Case, Stage  # noqa: E402
from courtpath.web.vault.models import DataKey  # noqa: E402

state.unlock(new_master_key())
MOSCOW = dt.timezone(dt.timedelta(hours=3))
BATCH = 1000


def populate(count: int) -> None:
    lawyers = [User.objects.create(username=f"lawyer{i}", role=Role.LAWYER) for i in range(7)]
    rng = random.Random(7)
    now = dt.datetime.now(MOSCOW)
    for start in range(0, count, BATCH):
        keys = [web_installation.bulk_data_key() for _ in range(min(BATCH, count - start))]
        DataKey.objects.bulk_create(keys)
        cases = []
        for number, key in enumerate(keys, start):
            case = Case(code=f"C-{number:06d}", data_key=key, lawyer=rng.choice(lawyers), stage=Stage.FIRST_CONTACT)
            web_installation.seal_empty(case)
            case.status = rng.choice(["contract", "mobilized"])
            case.left = now - dt.timedelta(hours=rng.randint(2, 2000))
            case.client_surname = f"Выдумкин-{number}"
            cases.append(case)
        Case.objects.bulk_create(cases)
        assessments = []
        for case in Case.objects.filter(code__in=[c.code for c in cases]).select_related("data_key"):
            result = assess(services.facts_of(case))
            assessments.append(web_installation.assessment_row(case, result))
        Assessment.objects.bulk_create(assessments)


def add_items(per_case: int) -> None:
    rng = random.Random(11)
    now = dt.datetime.now(MOSCOW).replace(second=0, microsecond=0)
    for start in range(0, Case.objects.count(), BATCH):
        items = []
        for case in Case.objects.order_by("pk").select_related("data_key")[start : start + BATCH]:
            for _ in range(per_case):
                item = AgendaItem(case=case, data_key=case.data_key, kind=rng.choice(Kind.values))
                item.at = now + dt.timedelta(hours=rng.randint(-72, 24 * 60))
                item.all_day = rng.random() < 0.3
                item.note = "Зал 7, судья Выдумкина"
                web_installation.seal_empty(item)
                items.append(item)
        AgendaItem.objects.bulk_create(items)


def _forget_kept() -> None:
    """What a serving process keeps for 60 s between views: the computed deadlines and the opened manual moments."""
    deadlines.forget()
    memo.forget()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10000)
    parser.add_argument("--items", type=int, default=2, help="dates entered by hand per case")
    parser.add_argument("--times", type=int, default=7)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    coordinator = web_installation.enrolled_coordinator()
    client = Client()
    web_installation.log_in(client, coordinator.username, coordinator.secret)  # type: ignore[attr-defined]
    feed_client = Client()
    feeds.FETCHES_PER_HOUR = 10**6  # the limit is not what is measured
    _feed, token = feeds.create_feed(coordinator, "ru")
    started = time.perf_counter()
    populate(args.cases)
    print(
        f"agenda benchmark (SQLite WAL in {FOLDER}): {args.cases:,} open cases ({time.perf_counter() - started:.1f} s)"
    )
    print(f"{'dates by hand':>13}  {'page':<16} {'p50 ms':>9} {'p95 ms':>9} {'CPU ms':>9}")
    pages = {
        "dashboard": (client, reverse("cases:dashboard"), True),
        "dashboard, kept": (client, reverse("cases:dashboard"), False),
        "14 days": (client, reverse("agenda:upcoming"), True),
        "feed (.ics)": (feed_client, reverse("agenda:feed", args=[token]), True),
    }
    for per_case in (0, args.items):
        if per_case:
            add_items(per_case)
        count = AgendaItem.objects.count()
        for name, (who, url, computed) in pages.items():
            _queries, p50, p95, cpu = web_installation.measure_page(who, url, args.times, computed, _forget_kept)
            print(f"{count:>13,}  {name:<16} {p50:>9.1f} {p95:>9.1f} {cpu:>9.1f}", flush=True)
    connection.close()
    shutil.rmtree(FOLDER, ignore_errors=True)


if __name__ == "__main__":
    main()
