"""The pages a coordinator opens over every case: queries and time per page at two sizes (issue 17, item 11).

    python benchmarks/bench_coordinator_pages.py [--sizes 100 5000] [--heavy 7] [--light 30]

For each size, a throwaway SQLite database (WAL, production settings apart from plain-HTTP cookies) in a temporary
folder is filled with that many cases, each sealed under a data key of its own as the app makes them, with facts and
one saved assessment made by the engine (30 % of them two, as after an edit); most cases are open, at a random
stage. A coordinator logs in through the real pages; then the Django test client requests the dashboard, the
statistics page, the first case list page and a case page (the whole Django stack, in process, one thread,
wall-clock), `--heavy` times each of the first two and `--light` times each of the others, after one warm-up
request each. The process's cache of data keys is left as a serving process has it (warm, 60 s). Printed per page:
the number of SQL queries of one request, wall-clock p50 and p95, and the median CPU time of the process per request
(time.process_time: on a shared machine the wall-clock figures grow with the other load, the CPU time much less; the
database is SQLite in the same process, so its work is counted too), all in milliseconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import time

import web_installation

FOLDER = web_installation.setup("courtpath-bench-coord-")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from courtpath.law.engine import assess  # noqa: E402
from courtpath.vault import state  # noqa: E402
from courtpath.vault.keyring import new_master_key  # noqa: E402
from courtpath.web.accounts.models import Role, User  # noqa: E402
from courtpath.web.assessments import deadlines  # noqa: E402
from courtpath.web.cases import services  # noqa: E402
from courtpath.web.cases.models import Assessment, Case  # noqa: E402
from courtpath.web.statistics import memo  # noqa: E402
from courtpath.web.vault.models import DataKey  # noqa: E402

state.unlock(new_master_key())  # as `courtpath web serve` does after the passphrase

PASSWORD = web_installation.PASSWORD
MOSCOW = dt.timezone(dt.timedelta(hours=3))
BATCH = 1000


def populate(count: int, start_number: int) -> None:
    """`count` more cases with facts and assessments (bulk: the service layer would take minutes at 5,000)."""
    lawyers = list(User.objects.filter(role=Role.LAWYER)) or [
        User.objects.create(username=f"lawyer{i}", role=Role.LAWYER) for i in range(7)
    ]
    rng = random.Random(start_number + 7)
    for start in range(0, count, BATCH):
        data_keys = [web_installation.bulk_data_key() for _ in range(min(BATCH, count - start))]
        DataKey.objects.bulk_create(data_keys)
        cases = []
        for number, data_key in enumerate(data_keys, start_number + start):
            case = web_installation.random_case(rng, number, data_key, lawyers)
            case.court_id = ""
            case.client_surname = f"Выдумкин-{number}"
            cases.append(case)
        Case.objects.bulk_create(cases)
        assessments = []
        for case in Case.objects.filter(code__in=[c.code for c in cases]).select_related("data_key"):
            result = assess(services.facts_of(case))
            for _copy in range(2 if rng.random() < 0.3 else 1):
                assessments.append(web_installation.assessment_row(case, result))
        web_installation.seal_empty(*assessments)
        Assessment.objects.bulk_create(assessments)


def _forget_kept() -> None:
    """Drop what a serving process keeps between views: the dashboards' deadlines (60 s) and the statistics' figures
    (5 minutes), so that a request computes them as the first view of a period does."""
    deadlines.forget()
    memo.forget()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 5000])
    parser.add_argument("--heavy", type=int, default=7, help="requests per page for the dashboard and statistics")
    parser.add_argument("--light", type=int, default=30, help="requests per page for the case list and case page")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    coordinator = web_installation.enrolled_coordinator()
    client = Client()
    web_installation.log_in(client, coordinator.username, coordinator.secret)  # type: ignore[attr-defined]
    made = 0
    print(f"coordinator pages benchmark (SQLite WAL in {FOLDER})")
    print(f"{'cases':>6}  {'page':<17} {'queries':>7} {'p50 ms':>9} {'p95 ms':>9} {'CPU ms':>9}")
    print('  (a page without "kept" computes everything; "kept": the later views within the 60 s / 5 minutes a')
    print("   process keeps the dashboards' deadlines and the statistics' figures)")
    for size in sorted(args.sizes):
        started = time.perf_counter()
        populate(size - made, made)
        made = size
        took = time.perf_counter() - started
        print(f"# {size:,} cases, {Assessment.objects.count():,} assessments ({took:.1f} s to add)", flush=True)
        case = Case.objects.order_by("code").first()
        pages = {
            "dashboard": (reverse("cases:dashboard"), args.heavy, True),
            "dashboard, kept": (reverse("cases:dashboard"), args.light, False),
            "statistics": (reverse("statistics:page"), args.heavy, True),
            "statistics, kept": (reverse("statistics:page"), args.light, False),
            "case list": (reverse("cases:case_list"), args.light, True),
            "case page": (reverse("cases:case_detail", args=[case.code]), args.light, True),
        }
        for name, (url, times, computed) in pages.items():
            count, p50, p95, cpu = web_installation.measure_page(client, url, times, computed, _forget_kept)
            print(f"{size:>6}  {name:<17} {count:>7} {p50:>9.1f} {p95:>9.1f} {cpu:>9.1f}", flush=True)
    connection.close()
    shutil.rmtree(FOLDER, ignore_errors=True)


if __name__ == "__main__":
    main()
