"""Throughput of POST /api/assess against a bare Django view, on the same application, in one run.

    python benchmarks/bench_api.py [--requests 200] [--rounds 30]

Method. The production settings (courtpath.web.settings: every middleware, SQLite in WAL mode with full sync, in a
throwaway data folder) serve the production URLs plus, in this script's own URLconf only, two views that exist for
the benchmark:
  * GET /api/ping: the bare view; it returns a fixed JSON body and does nothing else;
  * GET /api/ping-token: the same behind the API's token authentication, to split the cost of a token from the cost
    of the assessment.
The middleware lets views through by name (accounts.middleware.TOKEN_VIEWS); the script adds the two benchmark views
to that set in its own process, as it would otherwise redirect them to the login page.

Requests are WSGI calls made in process, one after the other, on one thread: a PEP 3333 environ (with a fresh body
stream) is passed to Django's WSGIHandler and the response is read to the end. That is the work one gunicorn sync
worker does per request, less the HTTP parsing and the socket, which cost the same for every endpoint: leaving them
out makes the ratio lower than a load test over HTTP would show, never higher. The figures are requests per second
of this process's CPU time (time.process_time), so that other work on the machine does not count; the endpoints take
turns in short rounds and each figure is the median round, so that a slow moment of the machine hits all alike.

The assessment requests cycle through 64 different sets of facts (statuses, durations, contexts, open and ended
absences), sent once each before timing: a running server has the engine's decision caches warm, as here.
"""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import io
import json
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
import types
from collections.abc import Iterable

# bench_api_http.py serves this module's application from gunicorn workers, on the database it prepared.
DATA_DIR = os.environ.get("COURTPATH_BENCH_DATA_DIR", "")
if not DATA_DIR:
    DATA_DIR = tempfile.mkdtemp(prefix="courtpath-bench-api-")
    atexit.register(shutil.rmtree, DATA_DIR, ignore_errors=True)
    os.makedirs(os.path.join(DATA_DIR, "static"))  # WhiteNoise warns about a missing folder
os.environ["COURTPATH_DATA_DIR"] = DATA_DIR
os.environ["DJANGO_SETTINGS_MODULE"] = "courtpath.web.settings"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.urls import include, path  # noqa: E402

from courtpath.law.answer import answer_json  # noqa: E402
from courtpath.law.engine import assess  # noqa: E402
from courtpath.web.accounts import middleware  # noqa: E402
from courtpath.web.accounts.models import Role, User  # noqa: E402
from courtpath.web.api import services  # noqa: E402
from courtpath.web.api.schemas import parse_request  # noqa: E402
from courtpath.web.api.views import token_view  # noqa: E402
from courtpath.web.urls import urlpatterns as production_urls  # noqa: E402

PING_BODY = b'{"ok": true}'


def ping(request: HttpRequest) -> HttpResponse:
    return HttpResponse(PING_BODY, content_type="application/json")


token_ping = token_view("GET")(ping)

URLCONF = types.ModuleType("bench_api_urls")
URLCONF.urlpatterns = [
    path(
        "api/", include(([path("ping", ping, name="ping"), path("ping-token", token_ping, name="ping_token")], "bench"))
    ),
    *production_urls,
]
sys.modules[URLCONF.__name__] = URLCONF
settings.ROOT_URLCONF = URLCONF.__name__
middleware.TOKEN_VIEWS = middleware.TOKEN_VIEWS | {"bench:ping", "bench:ping_token"}


def fact_bodies(count: int, seed: int = 7) -> list[bytes]:
    chance = random.Random(seed)
    bodies = []
    for number in range(count):
        status = ("conscript", "contract", "mobilized", "reservist", "dmu")[number % 5]
        year = chance.randint(2023, 2025) if status == "mobilized" else chance.randint(2000, 2025)  # all in the past
        left = dt.datetime(year, chance.randint(1, 12), chance.randint(1, 28), chance.randint(0, 23))
        end = left + dt.timedelta(hours=chance.choice([6, 30, 60, 100, 300, 800, 2000]))
        body: dict[str, object] = {"status": status, "left": f"{left:%Y-%m-%dT%H:%M}", "lang": ("ru", "en")[number % 2]}
        body["returned" if number % 3 else "as_of"] = f"{end:%Y-%m-%dT%H:%M}"
        body["context"] = chance.choice(["auto", "auto", "none", "mobilization"])
        if chance.random() < 0.3:
            body["indicators"] = ["job"]
        if "returned" in body and chance.random() < 0.5:
            body["surrendered"] = True
        bodies.append(json.dumps(body).encode())
    return bodies


def environ(method: str, route: str, token: str | None = None, body: bytes = b"") -> dict[str, object]:
    env: dict[str, object] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": route,
        "QUERY_STRING": "",
        "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "HTTP_X_FORWARDED_PROTO": "https",  # as the TLS reverse proxy says (production settings trust it)
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "CONTENT_LENGTH": str(len(body)),
    }
    if body:
        env["CONTENT_TYPE"] = "application/json"
    if token:
        env["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return env


def call(app: WSGIHandler, env: dict[str, object], body: bytes) -> str:
    status_line: list[str] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: object = None) -> None:
        status_line.append(status)

    request = dict(env)
    request["wsgi.input"] = io.BytesIO(body)
    result: Iterable[bytes] = app(request, start_response)
    try:
        for _chunk in result:
            pass
    finally:
        close = getattr(result, "close", None)
        if close:
            close()
    return status_line[0]


def timed(app: WSGIHandler, requests: list[tuple[dict[str, object], bytes]], count: int, start: int) -> float:
    """Requests per CPU second of this process for `count` requests, cycling through `requests`."""
    started = time.process_time()
    for index in range(start, start + count):
        env, body = requests[index % len(requests)]
        call(app, env, body)
    return count / (time.process_time() - started)


def check(app: WSGIHandler, requests: list[tuple[dict[str, object], bytes]], expected: str) -> None:
    for env, body in requests:
        status = call(app, env, body)
        if status != expected:
            raise SystemExit(f"{env['REQUEST_METHOD']} {env['PATH_INFO']}: {status}, expected {expected}")


def engine_alone(bodies: list[bytes], count: int) -> dict[str, float]:
    """CPU microseconds per request for each step of the assessment without HTTP or Django."""
    steps = {"validate": 0.0, "assess": 0.0, "answer": 0.0}
    for index in range(count):
        clock = time.process_time()
        facts, lang = parse_request(bodies[index % len(bodies)])
        steps["validate"] -= clock - (clock := time.process_time())
        result = assess(facts)
        steps["assess"] -= clock - (clock := time.process_time())
        answer_json(result, lang)
        steps["answer"] -= clock - (clock := time.process_time())
    return {step: total / count * 1e6 for step, total in steps.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per endpoint per round")
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    user = User.objects.create(username="bench", role=Role.LAWYER)
    _token, raw = services.create_token(user, "benchmark", None)
    app = WSGIHandler()
    bodies = fact_bodies(64)
    endpoints: dict[str, tuple[str, list[tuple[dict[str, object], bytes]]]] = {
        "bare view      GET  /api/ping": ("200 OK", [(environ("GET", "/api/ping"), b"")]),
        "token only     GET  /api/ping-token": ("200 OK", [(environ("GET", "/api/ping-token", raw), b"")]),
        "assessment     POST /api/assess": ("200 OK", [(environ("POST", "/api/assess", raw, b), b) for b in bodies]),
    }
    for expected, requests in endpoints.values():
        check(app, requests, expected)  # also warms the engine's caches and the database connection

    rates: dict[str, list[float]] = {label: [] for label in endpoints}
    for number in range(args.rounds):
        for label, (_expected, requests) in endpoints.items():
            rates[label].append(timed(app, requests, args.requests, number * args.requests))

    print(
        f"courtpath API benchmark — Python {platform.python_version()}, Django {django.get_version()}, "
        f"{platform.machine()}, in-process WSGI, one thread, CPU time, {args.rounds} rounds × {args.requests} requests"
    )
    median = {label: statistics.median(values) for label, values in rates.items()}
    for label, rate in median.items():
        print(f"{label:<38} {rate:9,.0f} requests/s   {1e6 / rate:7.1f} µs/request")
    bare, token_only, assessment = median.values()
    ratio = assessment / bare
    print(f"assessment / bare view: {ratio:.1%} (target ≥ 70%: {'met' if ratio >= 0.70 else 'NOT met'})")
    print(f"assessment / token only: {assessment / token_only:.1%}")
    steps = engine_alone(bodies, args.requests * 5)
    parts = ", ".join(f"{step} {micro:.0f}" for step, micro in steps.items())
    print(f"the assessment's own steps, without HTTP (µs/request): {parts}; total {sum(steps.values()):.0f}")


_handler: list[WSGIHandler] = []


def application(environ: dict[str, object], start_response: object) -> Iterable[bytes]:
    """The production application with the benchmark's URLs, for gunicorn (bench_api_http.py)."""
    if not _handler:
        _handler.append(WSGIHandler())
    return _handler[0](environ, start_response)


if __name__ == "__main__":
    main()
