"""Crash safety on PostgreSQL: kill -9 the writer and crash the server in the middle of writing cases.

A throwaway cluster (scripts/pgcluster.py, the code behind scripts/with_postgres.py) runs with fsync and synchronous
commit on, as production should. Each round crashes it with an immediate shutdown (what `pg_ctl stop -m immediate`
does: no checkpoint, no flush), the writer with SIGKILL, in alternating order, after a different number of
acknowledged writes; restarts it (the log must show crash recovery); then checks with pg_amcheck (heap and every
B-tree index, heapallindexed) that the database is intact, that every acknowledged write is there and that no
transaction is torn.

The negative control runs the same rounds with `synchronous_commit=off`, where PostgreSQL acknowledges a commit
before its WAL reaches the disk (https://www.postgresql.org/docs/current/wal-async-commit.html), and asserts that the
harness reports lost acknowledged writes: a harness that cannot see loss would pass the real test vacuously.

Without PostgreSQL these tests fail and say how to install it; COURTPATH_SKIP_POSTGRES=1 skips them on purpose.
COURTPATH_CRASH_SEED=N replays a run.
"""

from __future__ import annotations

import importlib.util
import os
import random
import subprocess
import sys
from collections.abc import Callable, Generator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import psycopg
import pytest
from _crash_harness import Acks, inconsistencies, kill_writer, lost, migrate, run_round, snapshot, writer_environment

pytestmark = pytest.mark.crash

ROUNDS = 5
CONTROL_ROUNDS = 3
DATABASE = "courtpath"
SEED = int(os.environ.get("COURTPATH_CRASH_SEED", random.SystemRandom().randrange(1 << 32)))
RECOVERY = "database system was not properly shut down; automatic recovery in progress"
# The WAL writer otherwise flushes asynchronous commits within 200 ms; at its maximum delay only a full WAL page
# triggers a flush, so the last commits before a crash are reliably still in memory (the control is not flaky).
UNSAFE = {"synchronous_commit": "off", "wal_writer_delay": "10000ms"}


def _load_pgcluster() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "scripts" / "pgcluster.py"
    spec = importlib.util.spec_from_file_location("courtpath_scripts_pgcluster", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is being made
    spec.loader.exec_module(module)
    return module


pgcluster = _load_pgcluster()


@dataclass
class Target:
    server: Any  # pgcluster.Cluster, stopped between tests
    data_dir: Path  # the writer's COURTPATH_DATA_DIR

    @property
    def environment(self) -> dict[str, str]:
        return writer_environment(self.data_dir, self.server.url(DATABASE))


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Generator[Target, None, None]:
    """A migrated throwaway cluster, stopped between tests; each test starts it with the settings it needs."""
    binaries = pgcluster.find_binaries()
    if binaries is None:
        if os.environ.get("COURTPATH_SKIP_POSTGRES") == "1":
            pytest.skip("no PostgreSQL server installed and COURTPATH_SKIP_POSTGRES=1")
        pytest.fail(
            "the crash tests need Debian's postgresql package (apt-get install postgresql), or set "
            "COURTPATH_SKIP_POSTGRES=1 to skip them on purpose"
        )
    with pgcluster.throwaway_cluster(binaries, lc_messages="C") as server:  # the log is read for RECOVERY
        server.createdb(DATABASE)
        found = Target(server, tmp_path_factory.mktemp("crash-pg"))
        migrate(found.environment)
        server.stop()
        yield found


def _crash_both(server: Any, server_first: bool) -> Callable[[subprocess.Popen[str]], None]:
    def crash(writer: subprocess.Popen[str]) -> None:
        if server_first:
            server.crash()
            kill_writer(writer)
        else:
            kill_writer(writer)
            server.crash()

    return crash


def _crash_rounds(
    target: Target, rounds: int, chance: random.Random, **settings: str
) -> Generator[tuple[str, Acks, Any], None, None]:
    """Start the server with `settings`, then run the rounds: write, crash both, restart (crash recovery), and yield
    (where, what the writer acknowledged, the state read by a fresh connection). The server is stopped at the end."""
    server, log = target.server, target.data_dir / "writer.log"
    server.start(**settings)
    try:
        for round_number in range(1, rounds + 1):
            wanted, server_first = chance.randint(20, 300), round_number % 2 == 1
            where = (
                f"round {round_number} (seed {SEED}, {wanted} acknowledgements wanted, server first: {server_first})"
            )
            recoveries = server.log.read_text().count(RECOVERY)
            crash = _crash_both(server, server_first)
            acks = run_round(target.environment, wanted, crash, chance.uniform(0, 0.004), log)
            assert acks.count >= wanted, f"{where}: the writer stopped early:\n{log.read_text()[-3000:]}"
            assert acks.ready[:1] == ["postgresql"], where
            server.start(**settings)
            assert server.log.read_text().count(RECOVERY) == recoveries + 1, f"{where}: the server did not recover"
            with psycopg.connect(server.url(DATABASE)) as connection:
                state = snapshot(connection)
            yield where, acks, state
    finally:
        if server.running:
            server.stop()


def _amcheck(server: Any) -> subprocess.CompletedProcess[str]:
    command = [str(server.binaries / "pg_amcheck"), "-h", str(server.socket), "-U", pgcluster.SUPERUSER]
    options = ["--install-missing", "--heapallindexed", "--parent-check", DATABASE]
    return subprocess.run([*command, *options], capture_output=True, text=True, check=False)


def test_acknowledged_writes_survive_a_server_crash(target: Target) -> None:
    acknowledged = Acks()
    with closing(_crash_rounds(target, ROUNDS, random.Random(SEED))) as rounds:  # closing stops the server
        for where, acks, state in rounds:
            acknowledged.update(acks)
            check = _amcheck(target.server)
            assert check.returncode == 0, f"{where}: pg_amcheck found corruption:\n{check.stdout}{check.stderr}"
            assert lost(acknowledged, state) == [], f"{where}: acknowledged writes lost"
            assert inconsistencies(state) == [], f"{where}: torn transactions"


def test_the_harness_detects_loss_with_synchronous_commit_off(target: Target) -> None:
    losses = []
    with closing(_crash_rounds(target, CONTROL_ROUNDS, random.Random(SEED + 1), **UNSAFE)) as rounds:
        for where, acks, state in rounds:
            losses.append(len(lost(acks, state)))
            assert inconsistencies(state) == [], f"{where}: asynchronous commit loses whole transactions, not parts"
    assert any(losses), f"synchronous_commit=off lost nothing the harness could see in {CONTROL_ROUNDS} rounds"
