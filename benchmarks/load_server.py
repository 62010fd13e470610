"""A throwaway courtpath installation served by `courtpath web serve` on the loopback (bench_load.py, bench_memory.py).

    installation = Installation.create(cases=500, staff=30)   # temp data folder, keyring, accounts, cases
    server = start_server(installation, ["--workers", "3"])   # the real server, its options passed through
    ...
    stop_server(server); installation.remove()

The vault is unlocked without a terminal, as deployment.md documents: `web init --no-admin --passphrase-file PF
--recovery-out REC`, then `web serve --passphrase-file PF`. The server's options are passed through as they are, so
that a changed `web serve` (worker class, a separate public port) needs a change here only.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent / "src"


def _environment(folder: Path, database_url: str | None) -> dict[str, str]:
    environment = {
        **os.environ,
        "COURTPATH_DATA_DIR": str(folder),
        "COURTPATH_HTTPS": "0",
        "COURTPATH_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SETTINGS_MODULE": "courtpath.web.settings",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(SOURCE), os.environ.get("PYTHONPATH", "")])),
    }
    environment.pop("COURTPATH_PASSPHRASE_FILE", None)
    if database_url:
        environment["DATABASE_URL"] = database_url
    else:
        environment.pop("DATABASE_URL", None)
    return environment


def _run(command: list[str], environment: dict[str, str]) -> None:
    done = subprocess.run(command, check=False, env=environment, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[:4])}… failed ({done.returncode}): {done.stderr.strip()[-2000:]}")


@dataclass
class Installation:
    folder: Path
    passphrase_file: Path
    environment: dict[str, str]
    manifest: dict
    populate_seconds: float

    @classmethod
    def create(cls, cases: int, staff: int, database_url: str | None = None) -> Installation:
        """A new data folder with its keyring, migrated database, `staff`-client accounts and `cases` cases."""
        folder = Path(tempfile.mkdtemp(prefix="courtpath-bench-load-"))
        secrets_folder = Path(tempfile.mkdtemp(prefix="courtpath-bench-secrets-"))
        passphrase_file = secrets_folder / "passphrase"
        passphrase_file.write_text("a throwaway benchmark passphrase, 2026\n")
        passphrase_file.chmod(0o600)
        environment = _environment(folder, database_url)
        try:
            python = [sys.executable, "-m", "courtpath.cli.main"]
            _run(
                [*python, "web", "init", "--no-admin", "--passphrase-file", str(passphrase_file), "--recovery-out",
                 str(secrets_folder / "recovery")],
                environment,
            )  # fmt: skip
            manifest_path = secrets_folder / "manifest.json"
            began = time.monotonic()
            _run(
                [sys.executable, str(HERE / "load_populate.py"), "--passphrase-file", str(passphrase_file), "--cases",
                 str(cases), "--staff", str(staff), "--out", str(manifest_path)],
                environment,
            )  # fmt: skip
            manifest = json.loads(manifest_path.read_text())
        except BaseException:  # a failed set-up leaves no data folder behind
            shutil.rmtree(folder, ignore_errors=True)
            shutil.rmtree(secrets_folder, ignore_errors=True)
            raise
        return cls(folder, passphrase_file, environment, manifest, time.monotonic() - began)

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        shutil.rmtree(self.passphrase_file.parent, ignore_errors=True)


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base_url: str  # the staff pool (the whole app)
    log: Path
    public_url: str = ""  # the public pool (the interview only), as nginx routes /help/; base_url without one


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(installation: Installation, options: list[str], timeout: float = 120.0) -> Server:
    """`courtpath web serve` on free loopback ports (the staff pool, and the public pool unless `options` says
    `--public-workers 0`) with `options` passed through; waits until the staff pool answers."""
    port, public_port = free_port(), free_port()
    public = "--public-workers" not in options or options[options.index("--public-workers") + 1] != "0"
    log = installation.passphrase_file.parent / "server.log"
    command = [
        sys.executable, "-m", "courtpath.cli.main", "web", "serve", "--bind", f"127.0.0.1:{port}",
        "--public-bind", f"127.0.0.1:{public_port}", "--passphrase-file", str(installation.passphrase_file), *options,
    ]  # fmt: skip
    with log.open("wb") as output:
        process = subprocess.Popen(command, env=installation.environment, stdout=output, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}: {log.read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                base_url = f"http://127.0.0.1:{port}"
                return Server(process, base_url, log, f"http://127.0.0.1:{public_port}" if public else base_url)
        except OSError:
            time.sleep(0.2)
    stop_server(Server(process, "", log))
    raise SystemExit("the server did not start in time")


def stop_server(server: Server) -> None:
    """SIGTERM to the gunicorn master (the `web serve` process itself), which stops its workers."""
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


def _children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def worker_pids(server: Server) -> list[int]:
    """The gunicorn workers of every pool: `web serve` supervises one gunicorn master per pool, whose children are
    the workers."""
    return [worker for master in _children(server.process.pid) for worker in _children(master)]
