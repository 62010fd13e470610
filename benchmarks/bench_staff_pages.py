"""The staff pages at 10,000 cases (issue 14, "Measured"): dashboard, case list with a name search, statistics, for a
coordinator and for a lawyer, through the whole Django stack; and the two ways of searching a sealed name.

    python benchmarks/bench_staff_pages.py [--cases 10000] [--assessments 3] [--times 30]

A throwaway SQLite database (WAL, production settings apart from plain-HTTP cookies) in a temporary folder is
filled with `--cases` cases, each sealed under a data key of its own as the app makes them: a fictional name (one of
400 surnames, 60 given names, 60 patronymics), its name index rows, facts, `--assessments` saved assessments made
by the engine (the latest one is what the pages read), a timeline of one or two stage events, and for a fifth of them
a recorded verdict (an appeal-window deadline); 80 % are open. Seven lawyers share the cases. A coordinator and a
lawyer log in through the real pages; the Django test client (in process, one thread, wall-clock) requests each page
`--times` times after a warm-up.

Each page is measured three ways. "rebuilt": nothing kept anywhere, as the first view after a case was deleted
(the per-process memos of deadlines, list summaries and statistics emptied, the data-key cache emptied, and the
sealed indexes of deadlines and records emptied, as a deletion empties them: courtpath.web.cases.derived).
"computed": the first view in a period of a process (memos and data-key cache emptied), with the sealed indexes as
the view before left them. "kept": the later views within the memos' lifetimes (60 s for deadlines and summaries, 5
minutes for statistics). Printed per page: queries of one request, p50 and p95 wall-clock ms, and the median CPU ms
of the process per request (SQLite runs in the same process). The app is frozen out of the garbage collector's
walks once loaded, as a server worker freezes it (courtpath.web.server.heap); `--no-freeze` leaves it there.

Then the name search itself, without the page: the blind index (one SQL query) against opening every visible
case's name in memory and comparing (the alternative name_index's docstring weighs), each with the key cache warm
and cold.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import statistics
import time
from collections.abc import Callable

import web_installation

FOLDER = web_installation.setup("courtpath-bench-staff-")

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from courtpath.law.engine import assess  # noqa: E402
from courtpath.vault import state  # noqa: E402
from courtpath.vault.keyring import new_master_key  # noqa: E402
from courtpath.web.accounts.models import Role, User  # noqa: E402
from courtpath.web.assessments import deadlines  # noqa: E402
from courtpath.web.cases import derived, listing, name_index, selectors, services  # noqa: E402
from courtpath.web.cases.models import OPEN_STAGES, Assessment, Case, CaseEvent, CaseNameToken, Stage  # noqa: E402
from courtpath.web.server import heap  # noqa: E402
from courtpath.web.statistics import memo  # noqa: E402
from courtpath.web.vault import keys  # noqa: E402
from courtpath.web.vault.models import DataKey  # noqa: E402

state.unlock(new_master_key())  # as `courtpath web serve` does after the passphrase

MOSCOW = dt.timezone(dt.timedelta(hours=3))
BATCH = 500
TARGET_MS = 150.0
ROOTS = ["Выдум", "Придум", "Небыль", "Сказоч", "Вымысл", "Фантаз", "Небывал", "Загад", "Мечтат", "Сочин"]
ENDINGS = ["кин", "ов", "ев", "цев", "ин", "ский", "енко", "ович", "ук", "ых"]
SURNAMES = [f"{root}{ending}{suffix}" for root in ROOTS for ending in ENDINGS for suffix in ("", "ер", "ин", "ан")]
GIVEN = [f"{root}{end}" for root in ("Арк", "Бор", "Вит", "Глеб", "Дан", "Ег") for end in "аеиоуяюэыё"]
PATRONYMICS = [f"{name}ович" for name in GIVEN]


def enrolled(username: str, role: str) -> User:
    """A user with web_installation.PASSWORD and a confirmed TOTP secret (kept as `.secret` for log_in)."""
    import pyotp

    from courtpath.web.accounts import totp

    user = User.objects.filter(username=username).first() or User(username=username, role=role)
    user.set_password(web_installation.PASSWORD)
    user.secret = pyotp.random_base32(length=32)  # type: ignore[attr-defined]
    user.totp_secret_encrypted = totp.encrypt_secret(user.secret)  # type: ignore[attr-defined]
    user.totp_confirmed = True
    user.save()
    return user


def populate(count: int, assessments_per_case: int) -> None:
    """`count` cases with names, index rows, facts and assessments, in bulk (the service layer would take minutes)."""
    lawyers = [User.objects.create(username=f"lawyer{i}", role=Role.LAWYER) for i in range(7)]
    rng = random.Random(14)
    for start in range(0, count, BATCH):
        data_keys = [web_installation.bulk_data_key() for _ in range(min(BATCH, count - start))]
        DataKey.objects.bulk_create(data_keys)
        cases = []
        for number, data_key in enumerate(data_keys, start):
            case = web_installation.random_case(rng, number, data_key, lawyers)
            if rng.random() < 0.2:
                case.verdict_date = dt.date(2026, 12, 7) - dt.timedelta(days=rng.randint(0, 20))
            case.client_surname = rng.choice(SURNAMES)
            case.client_given_name = rng.choice(GIVEN)
            case.client_patronymic = rng.choice(PATRONYMICS)
            cases.append(case)
        Case.objects.bulk_create(cases)
        saved = list(Case.objects.filter(code__in=[c.code for c in cases]).select_related("data_key"))
        CaseNameToken.objects.bulk_create([row for case in saved for row in name_index.rows_for(case)], 5000)
        assessments, events = [], []
        for case in saved:
            result = assess(services.facts_of(case))
            assessments += [web_installation.assessment_row(case, result) for _copy in range(assessments_per_case)]
            # its timeline: opened at first contact, then moved on to its stage, for the median days per stage
            for stage in dict.fromkeys([Stage.FIRST_CONTACT, case.stage]):
                event = CaseEvent(case=case, data_key=case.data_key, stage=stage)
                web_installation.seal_empty(event)
                events.append(event)
        Assessment.objects.bulk_create(assessments)
        events = CaseEvent.objects.bulk_create(events)
        for number, event in enumerate(events):  # a day or more apart
            event.at = dt.datetime(2026, 1, 1, 9, 0, tzinfo=MOSCOW) + dt.timedelta(hours=number * 7 % 8000)
        CaseEvent.objects.bulk_update(events, ["at"], batch_size=1000)


def forget_kept() -> None:
    deadlines.forget()
    listing.forget()
    memo.forget()


def forget_in_process() -> None:
    """What a process keeps for a minute, and its data keys: its first view in a period."""
    forget_kept()
    keys.forget_cached_keys()


def forget_everything() -> None:
    """And the sealed indexes, as a case deletion leaves them."""
    forget_in_process()
    with transaction.atomic():
        derived.empty_all()


MODES = {"rebuilt": forget_everything, "computed": forget_in_process, "kept": forget_kept}


def timed(work: Callable[[], object], times: int, cold: bool) -> tuple[float, float, object]:
    """(p50 ms, p95 ms, last result) of `work`; `cold`: the data-key cache emptied before each run."""
    timings, result = [], None
    for _ in range(times):
        if cold:
            keys.forget_cached_keys()
        began = time.perf_counter()
        result = work()
        timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings), web_installation.percentile(timings, 0.95), result


def search_by_decrypting(user: User, query: str) -> list[int]:
    """The alternative to the index: open the name of every visible case and compare normalised words."""
    wanted = name_index.normalise(query)
    found = []
    visible = Case.objects.filter(pk__in=selectors.visible_cases(user).values("pk"))
    for case in visible.select_related("data_key").only(
        "pk", "data_key", "client_surname_sealed", "client_given_name_sealed", "client_patronymic_sealed"
    ):
        words = name_index.normalise(name_index.case_name(case))
        if all(any(word.startswith(w) if len(w) >= 3 else word == w for word in words) for w in wanted):
            found.append(case.pk)
    return found


def search_by_index(user: User, query: str) -> list[int]:
    return list(selectors.visible_cases(user).filter(name_index.matching(query)).values_list("pk", flat=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--assessments", type=int, default=3, help="saved assessments per case")
    parser.add_argument("--times", type=int, default=30, help="requests per page and mode")
    parser.add_argument(
        "--no-freeze", action="store_true", help="leave the loaded app in the garbage collector's walks"
    )
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    if not args.no_freeze:
        heap.freeze_loaded_app()  # as a server worker does once it has loaded the app
    started = time.perf_counter()
    populate(args.cases, args.assessments)
    coordinator = enrolled("coordinator", Role.COORDINATOR)
    lawyer = enrolled("lawyer0", Role.LAWYER)
    print(f"staff pages benchmark (SQLite WAL in {FOLDER})")
    print(
        f"# {Case.objects.count():,} cases ({Case.objects.filter(stage__in=OPEN_STAGES).count():,} open), "
        f"{Assessment.objects.count():,} assessments, {CaseNameToken.objects.count():,} name index rows; "
        f"{Case.objects.filter(lawyer=lawyer).count():,} cases of the lawyer "
        f"({time.perf_counter() - started:.0f} s to add)",
        flush=True,
    )
    surname = "Выдумкин"  # one of the 400 surnames: about 25 cases in 10,000
    query = f"{surname[:5]} {GIVEN[0][:3]}"  # two prefixes, as one types
    columns = f"{'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'CPU ms':>8}"
    print(f"{'user':<12} {'page':<30} {columns}  target p95 ≤ {TARGET_MS:.0f}")
    for who in (coordinator, lawyer):
        client = Client()
        web_installation.log_in(client, who.username, who.secret)  # type: ignore[attr-defined]
        pages = {
            "dashboard": reverse("cases:dashboard"),
            f"case list, search «{query}»": reverse("cases:case_list") + f"?q={query}",
            "case list, first page": reverse("cases:case_list"),
            "statistics": reverse("statistics:page"),
        }
        for page, url in pages.items():
            if page == "statistics" and who.role != Role.COORDINATOR:
                continue  # lawyers have no statistics page (403)
            for mode, forget in MODES.items():
                count, p50, p95, cpu = web_installation.measure_page(client, url, args.times, mode != "kept", forget)
                met = "met" if p95 <= TARGET_MS else "MISSED"
                print(
                    f"{who.role:<12} {page + ', ' + mode:<30} {count:>7} {p50:>8.1f} {p95:>8.1f} {cpu:>8.1f}  {met}",
                    flush=True,
                )
    print("# the name search alone, coordinator (every case visible)")
    for name, work in (("blind index", search_by_index), ("decrypt every name", search_by_decrypting)):
        for cold in (False, True):
            p50, p95, found = timed(lambda work=work: work(coordinator, query), max(5, args.times // 3), cold)
            cache = "cold" if cold else "warm"
            print(f"{name:<20} key cache {cache}: p50 {p50:8.1f} ms, p95 {p95:8.1f} ms, {len(found)} found")
    assert sorted(search_by_index(coordinator, query)) == sorted(search_by_decrypting(coordinator, query))
    connection.close()
    shutil.rmtree(FOLDER, ignore_errors=True)


if __name__ == "__main__":
    main()
