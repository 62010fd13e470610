#!/usr/bin/env python3
"""Run a command against a throwaway PostgreSQL cluster, started from Debian's postgresql packages.

    python scripts/with_postgres.py -- python -m pytest tests/web

The cluster lives in a temporary folder, listens only on a Unix socket there, and is stopped and deleted at the
end, whatever the command's outcome. DATABASE_URL points the command at it, COURTPATH_PG_DATA names its data
folder. Run as root, the server runs as the
`postgres` system user (PostgreSQL refuses to run as root). Exit status: the command's. The cluster code is in
scripts/pgcluster.py, shared with the crash tests.
"""

from __future__ import annotations

import os
import subprocess
import sys

from pgcluster import find_binaries, throwaway_cluster


def main() -> int:
    if "--" not in sys.argv:
        sys.exit("usage: with_postgres.py -- COMMAND [ARGS...]")
    command = sys.argv[sys.argv.index("--") + 1 :]
    binaries = find_binaries()
    if binaries is None:
        sys.exit("with_postgres: no PostgreSQL server found (install Debian's postgresql package)")
    with throwaway_cluster(binaries) as cluster:
        cluster.createdb("courtpath")
        # COURTPATH_PG_DATA: the cluster's data folder, which the canary test searches (tests/vault).
        environment = {**os.environ, "DATABASE_URL": cluster.url("courtpath"), "COURTPATH_PG_DATA": str(cluster.data)}
        return subprocess.run(command, env=environment, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
