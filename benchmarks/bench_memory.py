"""Memory of a `courtpath web serve` worker: RSS, PSS and USS after start-up and after each kind of page.

    python benchmarks/bench_memory.py [--cases 5000] [--server-option=--workers=1]

A throwaway installation (load_server.py: keyring, accounts, `--cases` cases made through the services) served by
the real `courtpath web serve`, with one worker by default so that every request reaches the process measured. After
start-up and after each step (a case page, a public interview PDF, a document draft, what-if, statistics, the
dashboards of a lawyer and of a coordinator; the lawyer has every case), the memory of every worker and of the
master is read from /proc/PID/smaps_rollup: RSS (resident), PSS (resident, pages shared with other processes divided
among them) and USS (private to the process: what one more worker costs). Python keeps much of the memory a large
page allocated, so a step's figure is about the high-water mark of the steps so far.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_load import Logins, Run, log_in, walk_once
from load_http import Browser, Recorder
from load_server import Installation, Server, start_server, stop_server, worker_pids


def memory(pid: int) -> tuple[float, float, float]:
    """(RSS, PSS, USS) of a process in MB."""
    values: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, _, rest = line.partition(":")
        values[name] = int(rest.split()[0])
    uss = values["Private_Clean"] + values["Private_Dirty"]
    return values["Rss"] / 1024, values["Pss"] / 1024, uss / 1024


def _row(step: str, server: Server) -> str:
    workers = [memory(pid) for pid in worker_pids(server)]
    master = memory(server.process.pid)
    cells = "  ".join(f"{r:6.0f} {p:6.0f} {u:6.0f}" for r, p, u in workers)
    return f"{step:<22}{master[0]:7.0f} {master[1]:6.0f} {master[2]:6.0f}   {cells}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--server-option", action="append", help="passed to `courtpath web serve` (--workers=1)")
    args = parser.parse_args()
    options = args.server_option or ["--workers=1"]
    installation = Installation.create(args.cases, staff=6)
    try:
        server = start_server(installation, options)
    except BaseException:  # the server did not start: no data folder left behind
        installation.remove()
        raise
    try:
        time.sleep(3)  # the workers load the application
        recorder = Recorder()
        run = Run(server.base_url, recorder, deadline=0)
        staff: dict[str, Browser] = {}
        lawyer_case = next(c["code"] for c in installation.manifest["cases"] if c["lawyer"] == "lawyer1")
        steps = [  # the libraries first, then the pages that read every case (their heap hides the rest)
            ("login (2 staff)", lambda: _log_in(installation, server, recorder, staff)),
            ("case page", lambda: staff["lawyer1"].request("case_detail", f"/cases/{lawyer_case}/", expect=200)),
            ("public PDF", lambda: walk_once(Browser(server.public_url, recorder), run, 0, random.Random(1))),
            ("draft (declension)", lambda: _draft(staff["lawyer1"], lawyer_case)),
            ("what-if", lambda: staff["coord1"].request("what_if", "/what-if/?law_on=2026-01-09", expect=200)),
            ("statistics", lambda: staff["coord1"].request("statistics", "/statistics/", expect=200)),
            ("lawyer dashboard", lambda: staff["lawyer1"].request("dashboard", "/", expect=200)),
            ("coordinator dashboard", lambda: staff["coord1"].request("dashboard", "/", expect=200)),
        ]
        print(
            f"memory per process, MB — {args.cases} cases, `web serve {' '.join(options)}`; RSS PSS USS of the master, "
            "then of each worker"
        )
        print(f"{'after':<22}{'master RSS PSS USS':>21}   workers (RSS PSS USS)")
        print(_row("start-up", server))
        for step, action in steps:
            action()
            print(_row(step, server))
        if recorder.errors:
            sys.exit(f"errors: {dict(recorder.errors)} {recorder.examples}")
    finally:
        stop_server(server)
        installation.remove()


def _log_in(installation: Installation, server: Server, recorder: Recorder, staff: dict[str, Browser]) -> None:
    """A lawyer and a coordinator, through the login pages (password, TOTP code)."""
    accounts = {a["username"]: a for a in installation.manifest["accounts"]}
    logins = Logins()
    for username in ("lawyer1", "coord1"):
        staff[username] = Browser(server.base_url, recorder)
        secret = accounts[username]["secret"]
        password = installation.manifest["password"]
        log_in(staff[username], username, password, lambda u=username, s=secret: logins.code(u, s))


def _draft(browser: Browser, code: str) -> None:
    """A document draft of the case: its preview declines the client's name (the Russian dictionaries)."""
    browser.request("drafts", f"/cases/{code}/drafts/family_appeal_letter/", expect=200, record=False)


if __name__ == "__main__":
    main()
