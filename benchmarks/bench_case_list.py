"""The case list with 100,000 generated cases: page times through the whole Django stack (issue 3: p95 ≤ 100 ms).

    python benchmarks/bench_case_list.py [--cases 100000] [--requests 200]

A throwaway SQLite database (WAL, production settings apart from plain-HTTP cookies) in a temporary folder, with
every case sealed under a data key of its own as the app makes them; a coordinator, who sees every case, logs in
with password and TOTP through the real pages; then the Django test
client requests list pages (first, last, random, and filtered by stage) and the dashboard is left out (it scans
every case's deadlines by design). Times are wall-clock per request, in process, one thread.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time

import web_installation

FOLDER = web_installation.setup("courtpath-bench-")

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from courtpath.vault import state  # noqa: E402
from courtpath.vault.keyring import new_master_key  # noqa: E402
from courtpath.web.accounts.models import Role, User  # noqa: E402
from courtpath.web.cases.models import Case, Stage  # noqa: E402
from courtpath.web.vault.models import DataKey  # noqa: E402

state.unlock(new_master_key())  # as `courtpath web serve` does after the passphrase

PASSWORD = web_installation.PASSWORD


def populate(count: int) -> User:
    coordinator = web_installation.enrolled_coordinator()
    lawyers = [User.objects.create(username=f"lawyer{i}", role=Role.LAWYER) for i in range(20)]
    rng = random.Random(7)
    stages = list(Stage.values)
    moscow = dt.timezone(dt.timedelta(hours=3))
    for start in range(0, count, 5000):
        data_keys = [web_installation.bulk_data_key() for _ in range(min(5000, count - start))]
        DataKey.objects.bulk_create(data_keys)
        cases = []
        for number, data_key in enumerate(data_keys, start):
            case = Case(code=f"C-{number:06d}", data_key=data_key, lawyer=rng.choice(lawyers), stage=rng.choice(stages))
            web_installation.seal_empty(case)
            case.status = rng.choice(["contract", "mobilized", "conscript"])
            case.left = dt.datetime(2025, 1, 1, 8, 0, tzinfo=moscow) + dt.timedelta(hours=rng.randint(0, 15000))
            case.client_surname = f"Выдумкин-{number}"
            cases.append(case)
        Case.objects.bulk_create(cases)
    return coordinator


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    started = time.perf_counter()
    coordinator = populate(args.cases)
    print(
        f"case list benchmark — {args.cases:,} cases created in {time.perf_counter() - started:.1f} s "
        f"(SQLite WAL in {FOLDER})"
    )
    client = Client()
    web_installation.log_in(client, coordinator.username, coordinator.secret)  # type: ignore[attr-defined]
    pages = (args.cases + 49) // 50
    rng = random.Random(11)
    urls = [reverse("cases:case_list") + f"?page={rng.randint(1, pages)}" for _ in range(args.requests)]
    urls += [reverse("cases:case_list"), reverse("cases:case_list") + f"?page={pages}"]
    urls += [reverse("cases:case_list") + f"?stage={stage}" for stage in list(Stage.values)[:6]]
    client.get(urls[0])  # warm-up: templates compiled, connection open
    timings = []
    for url in urls:
        began = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - began) * 1000)
        if response.status_code != 200:
            sys.exit(f"{url}: {response.status_code}")
    first = []
    for _ in range(20):
        began = time.perf_counter()
        client.get(reverse("cases:case_list"))
        first.append((time.perf_counter() - began) * 1000)
    print(f"first page alone: median {statistics.median(first):.1f} ms")
    timings.sort()
    p95 = timings[int(len(timings) * 0.95)]
    print(
        f"case list pages: n={len(timings)}, median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, "
        f"max {timings[-1]:.1f} ms (target p95 ≤ 100 ms)"
    )


if __name__ == "__main__":
    main()
