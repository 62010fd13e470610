#!/usr/bin/env python3
"""Run a command against a throwaway PostgreSQL cluster, started from Debian's postgresql packages.

    python scripts/with_postgres.py -- python -m pytest tests/web

The cluster lives in a temporary folder, listens only on a Unix socket there, and is stopped and deleted at the
end, whatever the command's outcome. DATABASE_URL points the command at it. Run as root, the server runs as the
`postgres` system user (PostgreSQL refuses to run as root). Exit status: the command's.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def find_binaries() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if not candidates:
        sys.exit("with_postgres: no PostgreSQL server found (install Debian's postgresql package)")
    return Path(candidates[0]).parent


def as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def main() -> int:
    if "--" not in sys.argv:
        sys.exit("usage: with_postgres.py -- COMMAND [ARGS...]")
    command = sys.argv[sys.argv.index("--") + 1 :]
    binaries = find_binaries()
    folder = Path(tempfile.mkdtemp(prefix="courtpath-pg-"))
    data, socket = folder / "data", folder / "socket"
    socket.mkdir()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        shutil.chown(socket, "postgres")
    run = subprocess.run
    try:
        run(
            as_server_user(
                [
                    str(binaries / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    "courtpath",
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--no-instructions",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        options = f"-c listen_addresses='' -k {socket} -c fsync=on -c synchronous_commit=on"
        run(
            as_server_user(
                [
                    str(binaries / "pg_ctl"),
                    "-D",
                    str(data),
                    "-o",
                    options,
                    "-w",
                    "-l",
                    str(folder / "server.log"),
                    "start",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        run([str(binaries / "createdb"), "-h", str(socket), "-U", "courtpath", "courtpath"], check=True)
        environment = {**os.environ, "DATABASE_URL": f"postgres://courtpath@/courtpath?host={socket}"}
        return subprocess.run(command, env=environment, check=False).returncode
    finally:
        if (data / "postmaster.pid").exists():
            run(
                as_server_user([str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
                stdout=subprocess.DEVNULL,
            )
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
