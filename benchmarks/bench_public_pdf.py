"""What the public PDF costs, and what its bound (COURTPATH_PUBLIC_PDF_SLOTS) does for staff, in one run.

    python benchmarks/bench_public_pdf.py [--clients 3] [--seconds 15]

First the CPU time of one PDF, in process (WeasyPrint, the interview's result page). Then gunicorn serves the test
settings (production ones with a fixed test master key) with 3 sync workers, as `courtpath web serve` does, three
times: with the default bound (1 slot, no wait for it), with 1 slot and a 0.5 s wait (a waiting request holds a
worker), and with the bound lifted (64 slots: more than the workers, so never reached). For each, `--clients`
anonymous clients post /help/en/pdf/ in a loop with no pause while one staff member logs in (the password step: GET
the login page, POST the password, a 302 to the second factor) one login after the other; the figures are the
login's latency and the PDF answers (200 made, 503 "try again"). A first phase without PDF clients gives the
baseline.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import web_installation  # noqa: E402

FOLDER = web_installation.setup("courtpath-bench-pdf-")

import requests  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from courtpath.pdf import html_to_pdf  # noqa: E402
from courtpath.web.accounts.models import Role, User  # noqa: E402

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HIDDEN = re.compile(r'<input type="hidden" name="(a-[^"]+)" value="([^"]*)"')


def answers() -> dict[str, str]:
    """The hidden answers of a completed interview (the tests' walk), from the in-process app."""
    sys.path.insert(0, str(HERE.parent / "tests" / "web"))
    from _interview_pages import walk

    return dict(HIDDEN.findall(walk(Client(), "en")))


def pdf_cpu_seconds(rounds: int) -> list[float]:
    from django.utils import translation

    from courtpath.interview.definition import default_interview
    from courtpath.interview.result import outcome
    from courtpath.web.interview import pages
    from courtpath.web.interview.views import _carried, _now

    interview = default_interview()
    with translation.override("en"):
        given = _carried(type("R", (), {"POST": {**answers()}})(), interview)  # type: ignore[arg-type]
        _, explanation = outcome(interview, given, _now(), "en")
        html = pages.pdf_html(explanation, "en")
    html_to_pdf(html)  # warm: fonts, imports
    spent = []
    for _ in range(rounds):
        start = time.process_time()
        html_to_pdf(html)
        spent.append(time.process_time() - start)
    return spent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(slots: int, wait: float) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    environment = {
        **os.environ,
        "COURTPATH_DATA_DIR": FOLDER,
        "COURTPATH_ALLOWED_HOSTS": "127.0.0.1",
        "COURTPATH_PUBLIC_PDF_SLOTS": str(slots),
        "COURTPATH_PUBLIC_PDF_WAIT_SECONDS": str(wait),
        # The test settings: production apart from a fixed, test-only master key that unlocks the vault in every
        # worker (the login hashes the username with a subkey of it) and static files without a manifest.
        "DJANGO_SETTINGS_MODULE": "courtpath.web.settings_test",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "3", "courtpath.web.wsgi"],
        env=environment,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            requests.get(f"{url}/help/en/", timeout=30)
            return server, url
        except requests.RequestException:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def login_once(url: str, username: str) -> float:
    session = requests.Session()
    start = time.perf_counter()
    page = session.get(f"{url}/accounts/login/", timeout=60)
    token = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
    done = session.post(
        f"{url}/accounts/login/",
        {"username": username, "password": web_installation.PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{url}/accounts/login/"},
        allow_redirects=False,
        timeout=60,
    )
    if done.status_code != 302:
        raise SystemExit(f"login refused: {done.status_code}")
    return time.perf_counter() - start


def phase(url: str, clients: int, seconds: float, form: dict[str, str], username: str) -> dict[str, object]:
    stop = threading.Event()
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def pdf_client() -> None:
        with requests.Session() as session:
            while not stop.is_set():
                status = session.post(f"{url}/help/en/pdf/", form, timeout=60).status_code
                with lock:
                    statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=pdf_client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    time.sleep(1 if clients else 0)  # let the load settle
    latencies = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        latencies.append(login_once(url, username))
    stop.set()
    for thread in threads:
        thread.join()
    return {"latencies": latencies, "statuses": statuses}


def _ms(values: list[float], q: float) -> str:
    ordered = sorted(values)
    return f"{1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]:,.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=3, help="PDF clients posting with no pause")
    parser.add_argument("--seconds", type=float, default=15, help="length of each measured phase")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    User.objects.create(username="bench-staff", role=Role.LAWYER, password=make_password(web_installation.PASSWORD))
    cpu = pdf_cpu_seconds(10)
    median = statistics.median(cpu)
    print(f"PDF CPU time in process (10 PDFs): median {median:.3f} s, min {min(cpu):.3f}, max {max(cpu):.3f}")
    form = answers()
    header = f"{'server':<24} {'PDF clients':>11} {'logins':>6} {'login p50 ms':>12} {'p95 ms':>8} {'max ms':>8}"
    print(f"{header}  PDF answers")
    try:
        servers = (("1 slot, no wait", 1, 0.0), ("1 slot, wait 0.5 s", 1, 0.5), ("unbounded (64 slots)", 64, 0.0))
        for label, slots, wait in servers:
            server, url = serve(slots, wait)
            try:
                login_once(url, "bench-staff")  # warm the workers
                for clients in (0, args.clients):
                    result = phase(url, clients, args.seconds, form, "bench-staff")
                    latencies = result["latencies"]
                    print(
                        f"{label:<24} {clients:>11} {len(latencies):>6} {_ms(latencies, 0.5):>12} "
                        f"{_ms(latencies, 0.95):>8} {_ms(latencies, 1.0):>8}  {result['statuses']}"
                    )
            finally:
                server.terminate()
                server.wait(timeout=20)
    finally:
        shutil.rmtree(FOLDER, ignore_errors=True)


if __name__ == "__main__":
    main()
