"""A throwaway PostgreSQL cluster from Debian's postgresql packages, for tests and scripts/with_postgres.py.

    with throwaway_cluster() as cluster:
        cluster.createdb("courtpath")
        os.environ["DATABASE_URL"] = cluster.url("courtpath")

The cluster lives in a temporary folder, listens only on a Unix socket there, runs with fsync and synchronous
commit on unless told otherwise, and is stopped and deleted when the block ends. Run as root, the server runs as the
`postgres` system user (PostgreSQL refuses to run as root). Import it by path: scripts/ is not a package.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

SUPERUSER = "courtpath"
# Durable by default: the crash tests rely on it, and the test suite should run on what production runs.
DEFAULT_SETTINGS: Mapping[str, str] = {"fsync": "on", "synchronous_commit": "on"}


def find_binaries() -> Path | None:
    """The bin folder of the newest PostgreSQL server installed from Debian's packages, or None."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    return Path(candidates[0]).parent if candidates else None


def as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@dataclass
class Cluster:
    binaries: Path
    folder: Path
    settings: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_SETTINGS))

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def socket(self) -> Path:
        return self.folder / "socket"

    @property
    def log(self) -> Path:
        return self.folder / "server.log"

    def url(self, database: str) -> str:
        return f"postgres://{SUPERUSER}@/{database}?host={self.socket}"

    def _run(self, command: list[str]) -> None:
        subprocess.run(as_server_user(command), check=True, stdout=subprocess.DEVNULL)

    def init(self) -> None:
        self.socket.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
            shutil.chown(self.socket, "postgres")
        initdb = [str(self.binaries / "initdb"), "-D", str(self.data), "-U", SUPERUSER]
        self._run([*initdb, "--auth=trust", "--encoding=UTF8", "--no-instructions"])

    def start(self, **settings: str) -> None:
        """Start the server; `settings` (e.g. synchronous_commit="off") override the defaults for this run only."""
        merged = {**self.settings, **settings}
        options = f"-c listen_addresses='' -k {self.socket} " + " ".join(f"-c {k}={v}" for k, v in merged.items())
        pg_ctl = [str(self.binaries / "pg_ctl"), "-D", str(self.data), "-o", options, "-w", "-l", str(self.log)]
        self._run([*pg_ctl, "start"])

    @property
    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def stop(self) -> None:
        """A clean shutdown (checkpoint first)."""
        self._run([str(self.binaries / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"])

    def crash(self) -> None:
        """An immediate shutdown, as `pg_ctl stop -m immediate` does (SIGQUIT to the postmaster): every server
        process exits at once, with no checkpoint and no flush, so the next start runs crash recovery. The signal is
        sent directly rather than through pg_ctl so that it lands within microseconds of the caller's decision."""
        pid = int((self.data / "postmaster.pid").read_text().split("\n", 1)[0])
        os.kill(pid, signal.SIGQUIT)
        deadline = time.monotonic() + 30
        while self.running and time.monotonic() < deadline:
            time.sleep(0.01)
        if self.running:
            raise RuntimeError("PostgreSQL did not stop after an immediate shutdown")

    def createdb(self, name: str) -> None:
        subprocess.run([str(self.binaries / "createdb"), "-h", str(self.socket), "-U", SUPERUSER, name], check=True)


@contextmanager
def throwaway_cluster(binaries: Path | None = None, **settings: str) -> Iterator[Cluster]:
    """An initialised, started cluster in a temporary folder; stopped and deleted at the end, whatever happens."""
    binaries = binaries or find_binaries()
    if binaries is None:
        raise FileNotFoundError("no PostgreSQL server found (install Debian's postgresql package)")
    cluster = Cluster(binaries, Path(tempfile.mkdtemp(prefix="courtpath-pg-")))
    cluster.settings.update(settings)
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        if cluster.running:
            subprocess.run(
                as_server_user([str(binaries / "pg_ctl"), "-D", str(cluster.data), "-m", "fast", "-w", "stop"]),
                stdout=subprocess.DEVNULL,
                check=False,
            )
        shutil.rmtree(cluster.folder, ignore_errors=True)
