"""The gunicorn pools of `courtpath web serve`: staff (the whole app) and public (the interview only).

Each pool is a gunicorn master with its own workers, so a crowd on the public interview cannot take the threads that
staff pages need (load test 2026-12, section 3). With two pools, `serve` forks one child per pool and stays as a
small supervisor: it passes SIGTERM, SIGINT, SIGHUP and SIGQUIT on to both, and if one pool stops, it stops the
other and exits non-zero, so systemd sees the failure. The children inherit the unlocked master key.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from dataclasses import dataclass

WORKER_CLASS = "courtpath.web.server.worker.SlowClientSafeWorker"
PUBLIC_NICENESS = 5  # the public pool yields the CPU to the staff pool when both are busy


@dataclass(frozen=True)
class Timeouts:
    """gunicorn's --timeout, --graceful-timeout and --keep-alive, and the worker's header and I/O timeouts."""

    worker: int = 30
    graceful: int = 30
    keep_alive: int = 5
    header: float = 10.0
    io: float = 30.0


@dataclass(frozen=True)
class Pool:
    name: str
    bind: str
    workers: int
    threads: int
    wsgi: str
    niceness: int = 0


def gunicorn_argv(pool: Pool, timeouts: Timeouts) -> list[str]:
    return [
        "gunicorn",
        "--name",
        f"courtpath-{pool.name}",
        "--bind",
        pool.bind,
        "--workers",
        str(pool.workers),
        "--worker-class",
        WORKER_CLASS,
        "--threads",
        str(pool.threads),
        "--timeout",
        str(timeouts.worker),
        "--graceful-timeout",
        str(timeouts.graceful),
        "--keep-alive",
        str(timeouts.keep_alive),
        "--access-logfile",
        "-",
        "--access-logformat",
        f'{pool.name} %(t)s "%(m)s %(U)s" %(s)s %(L)ss',  # path without the query string
        "--no-control-socket",  # gunicorn's control socket in $HOME is not needed
        "--logger-class",
        "courtpath.web.serverlog.EscapingLogger",  # one line per request: control characters escaped
        pool.wsgi,
    ]


def _run_gunicorn(pool: Pool, timeouts: Timeouts) -> None:
    """Run one gunicorn master in this process (it returns only by SystemExit)."""
    from gunicorn.app.wsgiapp import run as gunicorn_run

    from courtpath.web.server.worker import HEADER_TIMEOUT_ENV, IO_TIMEOUT_ENV

    os.environ[HEADER_TIMEOUT_ENV] = str(timeouts.header)
    os.environ[IO_TIMEOUT_ENV] = str(timeouts.io)
    if pool.niceness:
        os.nice(pool.niceness)
    sys.argv = gunicorn_argv(pool, timeouts)
    gunicorn_run()


def _child(pool: Pool, timeouts: Timeouts) -> None:
    code = 1
    try:
        _run_gunicorn(pool, timeouts)
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    finally:
        os._exit(code)  # never return into the supervisor's code


def serve_pools(pools: list[Pool], timeouts: Timeouts) -> int:
    """Serve every pool until they stop; one pool runs in this process, two under a supervisor."""
    if len(pools) == 1:
        _run_gunicorn(pools[0], timeouts)
        return 0
    children: dict[int, Pool] = {}
    for pool in pools:
        pid = os.fork()
        if pid == 0:
            _child(pool, timeouts)
        children[pid] = pool
    stopping = False

    def forward(signum: int, _frame: object) -> None:
        nonlocal stopping
        if signum != signal.SIGHUP:
            stopping = True
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signum)

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(signum, forward)
    failed = False
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        pool = children.pop(pid)
        if not stopping:
            failed = True
            sys.stderr.write(
                f"the {pool.name} pool stopped (exit status {os.waitstatus_to_exitcode(status)}); stopping the rest\n"
            )
            sys.stderr.flush()
            forward(signal.SIGTERM, None)
    return 1 if failed else 0
