"""Bounded load test: 30 staff and 100 public clients against `courtpath web serve` on the loopback for two minutes,
then a durability check of every acknowledged write.

    python benchmarks/bench_load.py [--cases 5000] [--staff 30] [--public 100] [--seconds 120]
    python benchmarks/bench_load.py --quick               # 20 s, 6 staff, 10 public, 200 cases: a smoke test
    python scripts/with_postgres.py -- python benchmarks/bench_load.py --database postgresql
    python benchmarks/bench_load.py --server-option=--workers=4   # passed through to `courtpath web serve`

A throwaway installation in a temporary folder (load_server.py): keyring made with a passphrase file, staff accounts
(lawyers and coordinators, three sessions each, logged in with real TOTP codes, one per time step as replay
protection demands) and the cases made through the service layer (load_populate.py). The server is the real one,
`courtpath web serve`, unlocked from the passphrase file.

Staff clients (one thread each, exponential think time, mean `--think` s) follow the mix of the outside load test
(docs: /work/shared/research/load-test-2026-12.md): dashboard 10, case list 20, case page 28, add note 12, change
stage 8, edit facts 8, upload a 24 KB document 5, what-if 3, statistics 6 (coordinators; lawyers open a case list
instead). Every write is preceded by the case page and followed by its redirect target (counted as case_detail).
Each case is written by one client only, so the final state is known: after the run, every acknowledged write (a
302) is looked for through the app (notes, stage comments and document names on the case page, the last fact edit
in the edit form). Public clients walk the self-help interview: start, the questions, the result, the PDF.

Prints per page n, p50, p95, max, errors and shed requests (a public PDF refused on purpose by its bound: 503 with
Retry-After); the lost acknowledged writes; overall requests per second. Exits 1 when
there was an error or a lost write. The machine's other load counts: the clients share its cores with the server.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pyotp

from load_http import Browser, FormFields, Recorder
from load_server import Installation, Server, start_server, stop_server, worker_pids

STAFF_MIX = {
    "dashboard": 10,
    "case_list": 20,
    "case_detail": 28,
    "note": 12,
    "stage": 8,
    "edit": 8,
    "upload": 5,
    "what_if": 3,
    "statistics": 6,
}
WRITES = ("note", "stage", "edit", "upload")
DOCUMENT = b"%PDF-1.7\n" + bytes(24 * 1024)
INTERVIEW = [  # fictional answers, as tests/web/_interview_pages.py walks it
    ("status", {"q-status": "contract"}),
    ("absence_kind", {"q-absence_kind": "leave"}),
    ("left", {"q-left-date": "03.04.2025", "q-left-time": "07:15"}),
    ("still_absent", {"q-still_absent": "no"}),
    ("returned", {"q-returned-date": "2025-04-20", "q-returned-time": "09:00"}),
    ("surrendered", {"q-surrendered": "yes"}),
    ("indicators", {"q-indicators": ["job"]}),
    ("weapon", {"q-weapon": "no"}),
    ("group", {"q-group": "no"}),
    ("first_offence", {"q-first_offence": "yes"}),
    ("grave_circumstances", {"q-grave_circumstances": "no"}),
    ("released_80_2", {"q-released_80_2": "no"}),
]


@dataclass
class Written:
    """What one case must show after the run: every acknowledged write on it."""

    notes: list[str] = field(default_factory=list)
    stage_comments: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    edit: tuple[str, bool] | None = None  # the last acknowledged edit: client_rank marker, first_offence


@dataclass
class Run:
    base_url: str
    recorder: Recorder
    deadline: float
    written: dict[str, Written] = field(default_factory=lambda: defaultdict(Written))
    acknowledged: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    lock: threading.Lock = field(default_factory=threading.Lock)
    walks: int = 0

    def acknowledge(self, kind: str, code: str, update: object) -> None:
        with self.lock:
            self.acknowledged[kind] += 1
            update(self.written[code])  # type: ignore[operator]


def _think(mean: float, rng: random.Random) -> None:
    if mean > 0:
        time.sleep(rng.expovariate(1 / mean))


# --- staff ---------------------------------------------------------------------------------------------------------


class Logins:
    """TOTP codes for several sessions per account. Each login needs a time counter above the account's last one and
    within one step of now (replay protection): c-1, c, c+1 in that order, but not c-1 late in a step (the check
    could fall into the next one); when none is left, wait for the next step."""

    def __init__(self) -> None:
        self.last: dict[str, int] = {}

    def code(self, username: str, secret: str) -> str:
        while True:
            moment = time.time()
            now = int(moment) // 30
            lowest = now if moment % 30 > 20 else now - 1
            counter = max(self.last.get(username, -1) + 1, lowest)
            if counter <= now + 1:
                self.last[username] = counter
                return pyotp.TOTP(secret).generate_otp(counter)
            time.sleep(1)


def log_in(browser: Browser, username: str, password: str, code: Callable[[], str]) -> None:
    """Password, then a TOTP code made just before it is sent."""
    browser.request("login", "/accounts/login/", expect=200, record=False)
    data = {"csrfmiddlewaretoken": browser.csrf(), "username": username, "password": password}
    first = browser.request("login", "/accounts/login/", data, expect=302, record=False)
    second = browser.request(
        "login", "/accounts/second-factor/", {"csrfmiddlewaretoken": browser.csrf(), "code": code()}, expect=302,
        record=False,
    )  # fmt: skip
    if first.status != 302 or second.status != 302 or "second-factor" in second.location:
        raise SystemExit(f"login of {username} failed: {first.status}, {second.status} {second.location}")


@dataclass
class StaffClient:
    number: int
    browser: Browser
    role: str
    visible: list[str]
    owned: list[str]
    stages: list[str]
    stage_of: dict[str, str]
    rng: random.Random
    sequence: int = 0

    def marker(self, kind: str) -> str:
        self.sequence += 1
        return f"bench-{kind}-{self.number}-{self.sequence}-ok"  # "-ok": no marker is a prefix of another

    def post(self, run: Run, page: str, code: str, path: str, data: dict[str, object], **kw: object) -> bool:
        """A write: its case page first, the POST, then the redirect target; True when acknowledged (302 to it)."""
        self.browser.request("case_detail", f"/cases/{code}/", expect=200)
        data = {"csrfmiddlewaretoken": self.browser.csrf(), **data}
        response = self.browser.request(page, path, data, expect=302, **kw)  # type: ignore[arg-type]
        if response.status != 302:
            return False
        if response.location != f"/cases/{code}/":
            run.recorder.add(page, 0.0, f"302 to {response.location} instead of the case page")
            return False
        self.browser.request("case_detail", response.location, expect=200)
        return True

    def act(self, run: Run, action: str) -> None:
        rng, browser = self.rng, self.browser
        if action == "statistics" and self.role != "coordinator":
            action = "case_list"
        if action == "dashboard":
            browser.request("dashboard", "/", expect=200)
        elif action == "case_list":
            if rng.random() < 0.5:
                browser.request(
                    "case_list", f"/cases/?page={rng.randint(1, max(1, len(self.visible) // 50))}", expect=200
                )
            else:
                browser.request("case_list", f"/cases/?stage={rng.choice(self.stages)}", expect=200)
        elif action == "case_detail":
            browser.request("case_detail", f"/cases/{rng.choice(self.visible)}/", expect=200)
        elif action == "what_if":
            browser.request("what_if", "/what-if/?law_on=2026-01-09", expect=200)
        elif action == "statistics":
            browser.request("statistics", "/statistics/", expect=200)
        elif self.owned:
            self.write(run, action, rng.choice(self.owned))

    def write(self, run: Run, action: str, code: str) -> None:
        if action == "note":
            text = self.marker("note")
            if self.post(run, "note_post", code, f"/cases/{code}/notes/", {"text": text}):
                run.acknowledge("note", code, lambda w: w.notes.append(text))
        elif action == "stage":
            stage = self.rng.choice([s for s in self.stages if s != self.stage_of[code]])
            comment = self.marker("stage")
            if self.post(run, "stage_post", code, f"/cases/{code}/stage/", {"stage": stage, "comment": comment}):
                self.stage_of[code] = stage
                run.acknowledge("stage", code, lambda w: w.stage_comments.append(comment))
        elif action == "upload":
            name = self.marker("document") + ".pdf"
            if self.post(run, "upload_post", code, f"/cases/{code}/documents/", {}, files={"file": (name, DOCUMENT)}):
                run.acknowledge("document", code, lambda w: w.documents.append(name))
        elif action == "edit":
            self.edit(run, code)

    def edit(self, run: Run, code: str) -> None:
        self.browser.request("case_detail", f"/cases/{code}/", expect=200)
        form = self.browser.request("edit_form", f"/cases/{code}/edit/", expect=200)
        if form.status != 200:
            return
        fields = FormFields(_edit_form(form.text))
        first_offence = fields.value("first_offence") is None  # toggled
        rank = self.marker("rank")
        data = [(k, v) for k, v in fields.fields if k not in ("first_offence", "client_rank")]
        data += [("client_rank", rank)] + ([("first_offence", "on")] if first_offence else [])
        response = self.browser.request("edit_post", f"/cases/{code}/edit/", data, expect=302)
        if response.status == 302 and response.location == f"/cases/{code}/":
            self.browser.request("case_detail", response.location, expect=200)
            run.acknowledge("edit", code, lambda w: setattr(w, "edit", (rank, first_offence)))


def _edit_form(html: str) -> str:
    start = html.find('<form method="post" novalidate>')
    return html[start : html.find("</form>", start)]


def staff_loop(client: StaffClient, run: Run, think: float) -> None:
    actions, weights = list(STAFF_MIX), list(STAFF_MIX.values())
    while time.monotonic() < run.deadline:
        client.act(run, client.rng.choices(actions, weights)[0])
        _think(think, client.rng)


# --- public interview ----------------------------------------------------------------------------------------------


def _hidden(html: str) -> list[tuple[str, str]]:
    return [(k, v) for k, v in FormFields(html).fields if k.startswith("a-")]


def walk_once(browser: Browser, run: Run, think: float, rng: random.Random) -> bool:
    """One walk through the interview; False when a page was not the one expected (recorded as an error)."""
    if browser.request("help_start", "/help/", expect=200).status != 200:
        return False
    _think(think, rng)
    page = browser.request("help_step", "/help/step/", {"go": "next"}, expect=200)
    for number, (step, typed) in enumerate(INTERVIEW):
        if f'name="step" value="{step}"' not in page.text:
            run.recorder.add("help_step", 0.0, f"the page of {step!r} was expected")
            return False
        _think(think, rng)
        data = [*_hidden(page.text), ("step", step), ("go", "next")]
        data += [(k, v) for k, values in typed.items() for v in (values if isinstance(values, list) else [values])]
        label = "help_result" if number == len(INTERVIEW) - 1 else "help_step"
        page = browser.request(label, "/help/step/", data, expect=200)
        if page.status != 200:
            return False
    _think(think, rng)
    # A 503 with Retry-After is the PDF's bound at work (COURTPATH_PUBLIC_PDF_SLOTS): counted apart, not an error.
    pdf = browser.request("help_pdf", "/help/pdf/", _hidden(page.text), expect=200, shed=503)
    if pdf.status == 200 and not pdf.body.startswith(b"%PDF-"):
        run.recorder.add("help_pdf", 0.0, f"not a PDF: {pdf.headers.get('content-type')}")
        return False
    return pdf.status == 200


def public_loop(browser: Browser, run: Run, think: float, rng: random.Random) -> None:
    while time.monotonic() < run.deadline:
        if walk_once(browser, run, think, rng):
            with run.lock:
                run.walks += 1


# --- durability ----------------------------------------------------------------------------------------------------


def lost_writes(run: Run, browsers: list[Browser]) -> tuple[int, list[str]]:
    """Acknowledged writes not found through the app, re-read with coordinator sessions (several threads)."""
    items = list(run.written.items())
    lost: list[str] = []
    lock = threading.Lock()

    def check(browser: Browser, share: list[tuple[str, Written]]) -> None:
        for code, written in share:
            page = browser.request("verify", f"/cases/{code}/", expect=200, record=False).text
            missing = [m for m in (*written.notes, *written.stage_comments, *written.documents) if m not in page]
            if written.edit is not None:
                form = FormFields(
                    _edit_form(browser.request("verify", f"/cases/{code}/edit/", expect=200, record=False).text)
                )
                rank, first_offence = written.edit
                if form.value("client_rank") != rank or (form.value("first_offence") is not None) != first_offence:
                    missing.append(f"edit {rank}")
            with lock:
                lost.extend(f"{code}: {m}" for m in missing)

    threads = [
        threading.Thread(target=check, args=(browser, items[n :: len(browsers)])) for n, browser in enumerate(browsers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(lost), lost[:10]


# --- the run -------------------------------------------------------------------------------------------------------


def worker_memory(server: Server) -> str:
    """RSS / PSS / USS of the master and of each worker, from /proc (bench_memory.py steps through the pages)."""
    from bench_memory import memory

    def figures(pid: int) -> str:
        try:
            return "/".join(f"{value:.0f}" for value in memory(pid))
        except OSError:
            return "?"

    workers = ", ".join(figures(pid) for pid in worker_pids(server))
    return f"master {figures(server.process.pid)}; workers {workers}"


PROBLEM = re.compile(r"\[(CRITICAL|ERROR)\]|^[A-Za-z_.]*(Error|Exception|Exit)\b")


def server_problems(server: Server) -> Counter[str]:
    """The server log's error lines (gunicorn's worker timeouts, the last line of each traceback), counted."""
    try:
        lines = server.log.read_text(errors="replace").splitlines()
    except OSError:
        return Counter()
    return Counter(re.sub(r"^\[[^]]*\] \[\d+\] |pid:\d+", "", line)[:160] for line in lines if PROBLEM.search(line))


def start(installation: Installation, options: list[str]) -> Server:
    """The one place that starts the server (adapt here when `web serve` changes)."""
    return start_server(installation, options)


def _staff_clients(installation: Installation, server: Server, recorder: Recorder, seed: int) -> list[StaffClient]:
    manifest = installation.manifest
    secrets = {a["username"]: (a["secret"], a["role"]) for a in manifest["accounts"]}
    every = [c["code"] for c in manifest["cases"]]
    logins, clients = Logins(), []
    for number, username in enumerate(manifest["clients"]):
        secret, role = secrets[username]
        browser = Browser(server.base_url, recorder)
        log_in(browser, username, manifest["password"], lambda u=username, s=secret: logins.code(u, s))
        visible = every if role == "coordinator" else [c["code"] for c in manifest["cases"] if c["lawyer"] == username]
        owned = [c["code"] for c in manifest["cases"] if c["owner"] == number]
        stage_of = {c["code"]: c["stage"] for c in manifest["cases"] if c["owner"] == number}
        rng = random.Random(seed * 1000 + number)
        clients.append(StaffClient(number, browser, role, visible, owned, manifest["stages"], stage_of, rng))
    return clients


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def report(run: Run, seconds: float, lost: int, examples: list[str], title: str) -> None:
    recorder = run.recorder
    total = sum(len(v) for v in recorder.latencies.values())
    errors = sum(recorder.errors.values())
    print(title)
    print(f"{'page':<14}{'n':>7}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}{'errors':>8}{'shed':>7}")
    for page in sorted(recorder.latencies):
        values = [v for v in recorder.latencies[page] if v > 0] or [0.0]
        print(
            f"{page:<14}{len(recorder.latencies[page]):>7}{statistics.median(values):>10.0f}"
            f"{percentile(values, 0.95):>10.0f}{max(values):>10.0f}{recorder.errors.get(page, 0):>8}"
            f"{recorder.shed.get(page, 0):>7}"
        )
    acknowledged = ", ".join(f"{k} {v}" for k, v in sorted(run.acknowledged.items()))
    shed = sum(recorder.shed.values())
    print(f"requests: {total} in {seconds:.0f} s = {total / seconds:.1f} req/s; errors: {errors}; shed: {shed}")
    print("  (shed: refused on purpose with 503 and Retry-After by the bound on public PDFs; not an error)")
    print(f"interview walks completed with a PDF: {run.walks}")
    print(f"acknowledged writes: {sum(run.acknowledged.values())} ({acknowledged}); lost acknowledged writes: {lost}")
    for example in recorder.examples + examples:
        print(f"  {example}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke test: 20 s, 6 staff, 10 public, 200 cases")
    parser.add_argument("--cases", type=int, help="cases made before the run (default 5000; --quick 200)")
    parser.add_argument("--staff", type=int, help="staff clients (default 30; --quick 6)")
    parser.add_argument("--public", type=int, help="public interview clients (default 100; --quick 10)")
    parser.add_argument("--seconds", type=float, help="length of the run (default 120; --quick 20)")
    parser.add_argument("--think", type=float, default=1.0, help="staff think time, mean seconds (exponential)")
    parser.add_argument("--public-think", type=float, default=0.5, help="interview think time, mean seconds")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--server-option", action="append", default=[], help="passed to `courtpath web serve`")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    quick = {"cases": 200, "staff": 6, "public": 10, "seconds": 20.0}
    full = {"cases": 5000, "staff": 30, "public": 100, "seconds": 120.0}
    for name, value in (quick if args.quick else full).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    if args.staff < 1 or args.cases < args.staff or args.seconds <= 0 or args.public < 0:
        parser.error("need at least one staff client, as many cases as staff clients, and a positive --seconds")
    database_url = None
    if args.database == "postgresql":
        database_url = os.environ.get("DATABASE_URL")
        if not database_url:
            parser.error("--database postgresql: run under scripts/with_postgres.py (it sets DATABASE_URL)")

    began = time.monotonic()
    installation = Installation.create(args.cases, args.staff, database_url)
    print(f"installation: {args.cases} cases, {args.staff} staff clients, made in {time.monotonic() - began:.1f} s")
    try:
        server = start(installation, args.server_option)
    except BaseException:  # the server did not start: no data folder left behind
        installation.remove()
        raise
    try:
        recorder = Recorder()
        clients = _staff_clients(installation, server, recorder, args.seed)
        run = Run(server.base_url, recorder, deadline=time.monotonic() + args.seconds)
        threads = [threading.Thread(target=staff_loop, args=(c, run, args.think)) for c in clients]
        for number in range(args.public):
            browser, rng = Browser(server.public_url, recorder), random.Random(args.seed * 7919 + number)
            threads.append(threading.Thread(target=public_loop, args=(browser, run, args.public_think, rng)))
        load_began = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.monotonic() - load_began
        coordinators = [c.browser for c in clients if c.role == "coordinator"] or [clients[0].browser]
        lost, examples = lost_writes(run, coordinators)
        memory = worker_memory(server)
    finally:
        stop_server(server)
        problems = server_problems(server)
        installation.remove()
    title = (
        f"load test: {args.staff} staff + {args.public} public clients, {args.seconds:.0f} s, {args.cases} cases, "
        f"{args.database}, `web serve {' '.join(args.server_option)}`, {os.cpu_count()} cores shared with the clients"
    )
    report(run, seconds, lost, examples, title)
    print(f"server memory after the run, MB (RSS / PSS / USS): {memory}")
    for line, count in problems.most_common(10):
        print(f"  server log, {count}×: {line}")
    if sum(recorder.errors.values()) or lost:
        sys.exit(1)


if __name__ == "__main__":
    main()
