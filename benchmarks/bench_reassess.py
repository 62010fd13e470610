"""`courtpath reassess` over 10,000 open cases whose absences go on, half of them stale (issue 14: target ≤ 10 s).

    python benchmarks/bench_reassess.py [--cases 10000] [--stale 0.5]

A throwaway installation (production settings apart from plain-HTTP cookies, SQLite in WAL mode in a temporary
folder, a real keyring with a passphrase file) is filled in bulk with `--cases` open cases, each sealed under a data
key of its own as the app makes them, every absence still going on, each with one saved assessment made by the
engine: the `--stale` share of them as of a moment before a duration boundary that has passed since (so that each
must be reassessed, most of them with a new part), the others as of now. Then, timed:

1. the whole command, `courtpath reassess --passphrase-file …`, in a process of its own as the systemd timer runs it
   (start-up, unlocking the keyring with its Argon2id passphrase, the service): wall-clock seconds, and the service's
   own time as the command prints it, and the CPU seconds of the process (on a shared machine the wall-clock
   figures grow with the other load, the CPU time much less);
2. the same command again at once: nothing is stale any more (idempotent), so it reads every case and writes nothing;
3. the service function in this process, `reassess_open_cases(all_cases=True)`: every case reassessed;
4. the command once more after every summary column was emptied, as after the upgrade that brought the assessments'
   summaries (migration cases/0012): it writes the summary of every latest assessment.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import web_installation

FOLDER = web_installation.setup("courtpath-bench-reassess-")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from courtpath.law.engine import assess  # noqa: E402
from courtpath.vault import state  # noqa: E402
from courtpath.vault.unlock import create_keyring  # noqa: E402
from courtpath.web.accounts.models import Role, User  # noqa: E402
from courtpath.web.assessments.reassess import reassess_open_cases  # noqa: E402
from courtpath.web.cases import services  # noqa: E402
from courtpath.web.cases.models import OPEN_STAGES, Assessment, Case, CaseEvent  # noqa: E402
from courtpath.web.vault.models import DataKey  # noqa: E402
from courtpath.web.vault.operations import keyring_path  # noqa: E402

MOSCOW = dt.timezone(dt.timedelta(hours=3))
BATCH = 1000
COURTPATH = Path(sys.executable).with_name("courtpath")
PASSPHRASE = "a benchmark passphrase, not a secret"


def populate(count: int, stale_share: float, now: dt.datetime) -> int:
    """`count` open cases with an absence going on and one assessment each; returns how many are stale."""
    lawyers = [User.objects.create(username=f"lawyer{i}", role=Role.LAWYER) for i in range(7)]
    rng = random.Random(14)
    stale = 0
    for start in range(0, count, BATCH):
        data_keys = [web_installation.bulk_data_key() for _ in range(min(BATCH, count - start))]
        DataKey.objects.bulk_create(data_keys)
        cases, as_of = [], {}
        for number, data_key in enumerate(data_keys, start):
            case = Case(
                code=f"C-{number:06d}", data_key=data_key, lawyer=rng.choice(lawyers), stage=rng.choice(OPEN_STAGES)
            )
            web_installation.seal_empty(case)
            case.status = rng.choice(["contract", "mobilized", "conscript"])
            # Absent for 3 to 60 days; a stale case was assessed when it was 2 to 20 hours short of its latest
            # boundary passed (2 days, 10 days, 1 month: whichever is the last behind now).
            case.left = (now - dt.timedelta(hours=rng.randint(72, 24 * 60))).replace(second=0, microsecond=0)
            if rng.random() < stale_share:
                passed = max(b for b in _boundaries(case.left) if b < now)
                as_of[case.code] = passed - dt.timedelta(hours=rng.randint(2 + 24, 20 + 24))
                stale += 1
            else:
                as_of[case.code] = now
            case.court_id = ""
            case.client_surname = f"Выдумкин-{number}"
            cases.append(case)
        Case.objects.bulk_create(cases)
        assessments = []
        for case in Case.objects.filter(code__in=[c.code for c in cases]).select_related("data_key"):
            result = assess(services.facts_of(case, as_of[case.code]))
            assessments.append(web_installation.assessment_row(case, result))
        web_installation.seal_empty(*assessments)
        Assessment.objects.bulk_create(assessments)
        for assessment in assessments:  # saved when it was made, as the app saves one (not now, as bulk_create)
            assessment.created_at = as_of[assessment.case.code]
        Assessment.objects.bulk_update(assessments, ["created_at"])
    return stale


def _boundaries(left: dt.datetime) -> list[dt.datetime]:
    from courtpath.law.loader import default_lawbook

    return [threshold.after(left) for threshold in default_lawbook().thresholds]


def run_command(passphrase: Path) -> tuple[float, float, str]:
    """Wall-clock and CPU seconds of `courtpath reassess` in a process of its own, and what it printed."""
    env = {**os.environ, "COURTPATH_DATA_DIR": FOLDER}
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    done = subprocess.run(
        [str(COURTPATH), "reassess", "--passphrase-file", str(passphrase)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    took = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"courtpath reassess failed ({done.returncode}): {done.stderr}")
    cpu_seconds = after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime
    return took, cpu_seconds, done.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--stale", type=float, default=0.5, help="share of the cases with a stale assessment")
    args = parser.parse_args()
    passphrase = Path(FOLDER) / "passphrase"
    passphrase.write_text(PASSPHRASE + "\n")
    made = create_keyring(keyring_path(), passphrase, Path(FOLDER) / "recovery.txt", may_show_secrets=False)
    state.unlock(made.master)  # as `courtpath web serve` does after the passphrase
    call_command("migrate", verbosity=0)
    print(f"reassess benchmark (SQLite WAL in {FOLDER})")
    began = time.perf_counter()
    stale = populate(args.cases, args.stale, timezone.now().astimezone(MOSCOW))
    print(f"{args.cases:,} open cases, absences going on, {stale:,} stale ({time.perf_counter() - began:.1f} s to add)")
    connection.close()  # the command's process writes; this one only waits

    print(f"machine load average (1 min) before the runs: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    took, cpu, printed = run_command(passphrase)
    print(f"1. courtpath reassess:        {took:6.2f} s wall-clock, {cpu:6.2f} s CPU, whole command | {printed}")
    events = CaseEvent.objects.filter(kind="boundary").count()
    print(f"   boundary events written: {events:,}; assessments now: {Assessment.objects.count():,}")
    took, cpu, printed = run_command(passphrase)
    print(f"2. courtpath reassess again:  {took:6.2f} s wall-clock, {cpu:6.2f} s CPU, whole command | {printed}")
    connection.close()

    cpu_began = time.process_time()
    summary = reassess_open_cases(all_cases=True)
    cpu = time.process_time() - cpu_began
    print(
        f"3. reassess_open_cases(all): {summary.seconds:6.2f} s wall-clock, {cpu:6.2f} s CPU, in process | "
        f"reassessed {summary.reassessed:,}, changed {summary.changed:,}"
    )
    Assessment.objects.update(summary_sealed=b"")  # as every assessment saved before summaries existed
    connection.close()
    took, cpu, printed = run_command(passphrase)
    print(f"4. after the upgrade:         {took:6.2f} s wall-clock, {cpu:6.2f} s CPU, whole command | {printed}")
    connection.close()
    shutil.rmtree(FOLDER, ignore_errors=True)


if __name__ == "__main__":
    main()
