"""Crash safety on SQLite: kill -9 the writer in the middle of writing cases, then check what survived.

The writer runs with the production database settings (settings_test imports them: WAL, synchronous=FULL) on a file
in a temporary folder. Each round kills it after a different number of acknowledged writes and a different short
delay, reopens the file with a fresh connection, and checks: SQLite's integrity and foreign-key checks pass, every
write acknowledged in any round so far is there, and no transaction is torn. COURTPATH_CRASH_SEED=N replays a run.
"""

from __future__ import annotations

import os
import random
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from _crash_harness import Acks, inconsistencies, kill_writer, lost, migrate, run_round, snapshot, writer_environment

from courtpath.web.cases.models import Case, CaseEvent, Note

pytestmark = pytest.mark.crash

ROUNDS = 8
SEED = int(os.environ.get("COURTPATH_CRASH_SEED", random.SystemRandom().randrange(1 << 32)))


def test_acknowledged_writes_survive_kill_9(tmp_path: Path) -> None:
    chance = random.Random(SEED)
    environment = writer_environment(tmp_path)
    migrate(environment)
    database = tmp_path / "courtpath.sqlite3"
    acknowledged = Acks()
    for round_number in range(1, ROUNDS + 1):
        wanted = chance.randint(20, 400)
        where = f"round {round_number} (seed {SEED}, {wanted} acknowledgements wanted)"
        log = tmp_path / "writer.log"
        acks = run_round(environment, wanted, kill_writer, delay=chance.uniform(0, 0.004), log=log)
        assert acks.count >= wanted, f"{where}: the writer stopped early:\n{log.read_text()[-3000:]}"
        assert acks.ready[:3] == ["sqlite", "wal", "2"], f"{where}: not WAL with synchronous=FULL: {acks.ready}"
        acknowledged.update(acks)
        with closing(sqlite3.connect(database)) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)], where
            assert connection.execute("PRAGMA foreign_key_check").fetchall() == [], where
            state = snapshot(connection)
        assert lost(acknowledged, state) == [], f"{where}: acknowledged writes lost"
        assert inconsistencies(state) == [], f"{where}: torn transactions"
        assert len(state.requests) >= len(acknowledged.requests) > 0


def test_the_detectors_see_a_lost_write_and_a_torn_transaction(tmp_path: Path) -> None:
    """The harness is only as good as its detectors: delete one acknowledged note and one case's timeline event
    from a crashed database behind the application's back, and both must be reported, and nothing else."""
    environment = writer_environment(tmp_path)
    migrate(environment)
    acks = run_round(environment, 30, kill_writer)
    note_id, case_code = next(iter(acks.notes.items()))
    torn = next(code for code in acks.cases if code != case_code)
    with closing(sqlite3.connect(tmp_path / "courtpath.sqlite3")) as connection:
        assert lost(acks, snapshot(connection)) == []
        note, case, event = (m._meta.db_table for m in (Note, Case, CaseEvent))
        event_case = CaseEvent._meta.get_field("case").column
        connection.execute(f"DELETE FROM {note} WHERE id = ?", (note_id,))
        connection.execute(f"DELETE FROM {event} WHERE {event_case} = (SELECT id FROM {case} WHERE code = ?)", (torn,))
        connection.commit()
        state = snapshot(connection)
    assert lost(acks, state) == [f"note {note_id} of {case_code}"]
    assert inconsistencies(state) == [
        f"case {torn} has 0 timeline events, expected 1",
        f"audit event for a missing note {case_code}/{note_id}",
    ]
