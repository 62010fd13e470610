"""Throughput of POST /api/assess against a bare Django view, served by gunicorn over HTTP, in one run.

    python benchmarks/bench_api_http.py [--seconds 3] [--rounds 5]

bench_api.py measures the application alone, in process. This one measures the same three endpoints (bare view,
token only, assessment) the way the issue states the target: on the same server, the production one. gunicorn serves
the production settings and middleware, plus bench_api.py's two benchmark views, with one sync worker (as `courtpath
web serve` runs it, but with one worker, so that the server has one core and the load generator the other). Each
request says X-Forwarded-Proto: https, as the TLS reverse proxy would.
The load generator is wrk (Debian's package `wrk`; `make bench` installs it when missing, if root). The assessment
requests cycle through the same 64 fact sets as bench_api.py. The endpoints take turns in rounds of `--seconds`; each
figure is the median round's requests per second.

Over HTTP every request also costs its connection, parsing and logging, the same for every endpoint, so the ratio
here is higher than bench_api.py's in-process one. The README quotes both.

A server process remembers a valid token for COURTPATH_API_TOKEN_RECHECK_SECONDS (1 s by default; see
courtpath/web/api/services.py), so with the default the database is read about once a second. A second server, the
same in every other way, runs with 0 (the token read from the database on every request); its assessment figure
takes its turn in the same rounds and is printed too.
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
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from django.core.management import call_command  # noqa: E402

import bench_api  # noqa: E402  (sets up Django on a throwaway data folder)

LUA = """
local bodies = {%(bodies)s}
local index = 0
request = function()
  index = index %% #bodies + 1
  return wrk.format("POST", "/api/assess", {["Authorization"] = "Bearer %(token)s",
    ["Content-Type"] = "application/json", ["Host"] = "127.0.0.1", ["X-Forwarded-Proto"] = "https"},
    bodies[index])
end
"""
GET_LUA = """
request = function()
  return wrk.format("GET", "%(path)s", {%(auth)s["Host"] = "127.0.0.1", ["X-Forwarded-Proto"] = "https"}, nil)
end
"""


def _lua_string(data: bytes) -> str:
    return "'" + data.decode().replace("\\", "\\\\").replace("'", "\\'") + "'"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int, server: subprocess.Popen[bytes]) -> None:
    for _ in range(200):
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("gunicorn did not start")


def _wrk(url: str, script: Path, seconds: int) -> tuple[float, int]:
    """(requests per second, non-2xx responses) of one wrk run."""
    done = subprocess.run(
        ["wrk", "-t1", "-c4", f"-d{seconds}s", "-s", str(script), url],
        capture_output=True,
        text=True,
        check=True,
    )
    rate = float(re.search(r"Requests/sec:\s+([0-9.]+)", done.stdout).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", done.stdout)
    return rate, int(bad.group(1)) if bad else 0


ASSESSMENT = "assessment     POST /api/assess"
EVERY_REQUEST = "  the same, token read every request"


def _serve(environment: dict[str, str], access_log: Path) -> tuple[subprocess.Popen[bytes], int]:
    """gunicorn with one sync worker on a free port, as `courtpath web serve` runs it but with one worker."""
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--access-logfile",
            str(access_log),
            "--access-logformat",
            '%(t)s "%(m)s %(U)s" %(s)s %(L)ss',  # as `courtpath web serve`
            "--logger-class",
            "courtpath.web.serverlog.EscapingLogger",
            "bench_api:application",
        ],
        env=environment,
        stderr=subprocess.DEVNULL,
    )
    return server, port


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=3, help="length of one round per endpoint")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")

    call_command("migrate", verbosity=0)
    user = bench_api.User.objects.create(username="bench-http", role=bench_api.Role.LAWYER)
    _token, raw = bench_api.services.create_token(user, "benchmark over HTTP", None)
    work = Path(tempfile.mkdtemp(prefix="courtpath-bench-http-"))
    scripts = {
        "bare view      GET  /api/ping": GET_LUA % {"path": "/api/ping", "auth": ""},
        "token only     GET  /api/ping-token": GET_LUA
        % {"path": "/api/ping-token", "auth": f'["Authorization"] = "Bearer {raw}", '},
        ASSESSMENT: LUA % {"bodies": ", ".join(_lua_string(b) for b in bench_api.fact_bodies(64)), "token": raw},
    }
    paths = {}
    for number, (label, text) in enumerate(scripts.items()):
        paths[label] = work / f"{number}.lua"
        paths[label].write_text(text)

    environment = {
        **os.environ,
        "COURTPATH_BENCH_DATA_DIR": bench_api.DATA_DIR,
        "COURTPATH_DATA_DIR": bench_api.DATA_DIR,
        "DJANGO_SETTINGS_MODULE": "courtpath.web.settings",
        "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]),
    }
    servers = {
        "default": _serve(environment, work / "access.log"),
        "recheck 0": _serve({**environment, "COURTPATH_API_TOKEN_RECHECK_SECONDS": "0"}, work / "access-0.log"),
    }
    runs = {label: ("default", script) for label, script in paths.items()}
    runs[EVERY_REQUEST] = ("recheck 0", paths[ASSESSMENT])
    try:
        urls = {}
        for name, (server, port) in servers.items():
            _wait_for(port, server)
            urls[name] = f"http://127.0.0.1:{port}"
        for label, (name, script) in runs.items():  # warm each worker: imports, caches, the database connection
            _rate, bad = _wrk(urls[name], script, 1)
            if bad:
                raise SystemExit(f"{label}: {bad} responses were not 2xx")
        rates: dict[str, list[float]] = {label: [] for label in runs}
        for _round in range(args.rounds):
            for label, (name, script) in runs.items():
                rate, bad = _wrk(urls[name], script, args.seconds)
                if bad:
                    raise SystemExit(f"{label}: {bad} responses were not 2xx")
                rates[label].append(rate)
    finally:
        for server, _port in servers.values():
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)

    import django

    print(
        f"courtpath API benchmark over HTTP — gunicorn, 1 sync worker, Django {django.get_version()}, wrk -t1 -c4, "
        f"{args.rounds} rounds × {args.seconds} s per endpoint"
    )
    median = {label: statistics.median(values) for label, values in rates.items()}
    for label, rate in median.items():
        print(f"{label:<38} {rate:9,.0f} requests/s")
    bare, token_only, assessment, every_request = median.values()
    ratio = assessment / bare
    print(f"assessment / bare view: {ratio:.1%} (target ≥ 70%: {'met' if ratio >= 0.70 else 'NOT met'})")
    print(f"assessment / token only: {assessment / token_only:.1%}")
    print(f"assessment with the token read on every request / bare view: {every_request / bare:.1%}")


if __name__ == "__main__":
    main()
