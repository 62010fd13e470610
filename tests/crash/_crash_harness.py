"""The crash harness shared by the SQLite and PostgreSQL crash tests.

run_round(environment, acks_wanted, crash, ...) -> Acks
    Starts tests/crash/writer.py, waits until it has acknowledged `acks_wanted` writes, then calls `crash(writer)`
    (which kills it, and on PostgreSQL the server too) and reads what the writer had acknowledged up to its death.
snapshot(connection) -> DbState
    What a fresh DB-API connection sees after the restart: codes and keys only, never encrypted content.
lost(acks, state) and inconsistencies(state)
    The two detectors. The tests assert both are empty; the PostgreSQL negative control asserts `lost` is not.

Table and column names come from the Django models, so a renamed table breaks loudly rather than silently.

Limit: killing processes tests process crashes only; the operating system's page cache survives them. Losing power
(an fsync that lied, a write-back cache) needs a virtual machine and is not tested here.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from courtpath.web.audit.models import Action, AuditEvent
from courtpath.web.cases.models import Case, CaseEvent, HelpRequest, Note

WRITER = Path(__file__).with_name("writer.py")
ROUND_TIMEOUT = 60.0  # seconds for the writer to start and reach the wanted number of acknowledgements


@dataclass
class Acks:
    """What one writer acknowledged: each entry was printed after its service call had returned."""

    ready: list[str] = field(default_factory=list)
    requests: set[str] = field(default_factory=set)
    cases: dict[str, str] = field(default_factory=dict)  # case code -> request code
    notes: dict[int, str] = field(default_factory=dict)  # note id -> case code

    @property
    def count(self) -> int:
        return len(self.requests) + len(self.cases) + len(self.notes)

    def take(self, line: str) -> None:
        kind, *words = line.split()
        if kind == "READY":
            self.ready = words
        elif kind == "R":
            self.requests.add(words[0])
        elif kind == "C":
            self.cases[words[0]] = words[1]
        elif kind == "N":
            self.notes[int(words[1])] = words[0]
        else:
            raise ValueError(f"unexpected line from the writer: {line!r}")

    def update(self, other: Acks) -> None:
        self.requests |= other.requests
        self.cases.update(other.cases)
        self.notes.update(other.notes)


@dataclass
class DbState:
    requests: set[str]
    cases: dict[str, str | None]  # case code -> its request's code (None: the request row is missing)
    events: Counter[str]  # case code -> number of timeline events
    notes: dict[int, str | None]  # note id -> its case's code
    audited: set[tuple[str, str]]  # (object type, object id) of every "create" audit event


def writer_environment(data_dir: Path, database_url: str | None = None) -> dict[str, str]:
    """The environment of the writer and of `migrate`: this process's, with our data folder and database."""
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    environment["COURTPATH_DATA_DIR"] = str(data_dir)
    environment["DJANGO_SETTINGS_MODULE"] = "courtpath.web.settings_test"
    if database_url is not None:
        environment["DATABASE_URL"] = database_url
    return environment


def migrate(environment: Mapping[str, str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--noinput", "-v0"],
        env=dict(environment),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"migrate failed:\n{result.stderr[-3000:]}"


def _pump(stream: Any, lines: queue.Queue[str | None]) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


def run_round(
    environment: Mapping[str, str],
    acks_wanted: int,
    crash: Callable[[subprocess.Popen[str]], None],
    delay: float = 0.0,
    log: Path | None = None,
) -> Acks:
    """One round: write until `acks_wanted` acknowledgements, wait `delay` seconds (so the crash lands at various
    points of the next write), crash, and return every acknowledgement the writer printed before it died, including
    those still in the pipe when `crash` was called. The writer's stderr goes to `log`. A writer that dies early or
    is too slow is killed, and the caller sees fewer acknowledgements than it wanted."""
    stderr = log.open("w") if log else subprocess.DEVNULL  # this round only
    writer = subprocess.Popen(
        [sys.executable, str(WRITER)], env=dict(environment), stdout=subprocess.PIPE, stderr=stderr, text=True
    )
    lines: queue.Queue[str | None] = queue.Queue()
    reader = threading.Thread(target=_pump, args=(writer.stdout, lines), daemon=True)
    reader.start()
    acks = Acks()
    deadline = time.monotonic() + ROUND_TIMEOUT
    crashed = False
    try:
        while acks.count < acks_wanted:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            if line is None:
                break  # the writer died on its own: the caller sees too few acknowledgements
            acks.take(line)
        if delay:
            time.sleep(delay)
        crash(writer)
        crashed = True
    except queue.Empty:
        pass  # too slow: reported by the caller through acks.count
    finally:
        if not crashed:
            writer.kill()
        writer.wait(timeout=30)
        reader.join(timeout=30)
        if log:
            stderr.close()  # type: ignore[union-attr]
    while not lines.empty() and (line := lines.get_nowait()) is not None:
        acks.take(line)
    return acks


def kill_writer(writer: subprocess.Popen[str]) -> None:
    """kill -9: no exception handler, no atexit, no closing of the database connection runs."""
    os.kill(writer.pid, signal.SIGKILL)


def snapshot(connection: Any) -> DbState:
    """Read the state through a DB-API connection (sqlite3 or psycopg), with portable parameterless SQL."""
    request, case, event, note, audit = (m._meta.db_table for m in (HelpRequest, Case, CaseEvent, Note, AuditEvent))
    case_request = Case._meta.get_field("request").column
    event_case, note_case = CaseEvent._meta.get_field("case").column, Note._meta.get_field("case").column
    events_join = f"LEFT JOIN {event} e ON e.{event_case} = c.id"

    def rows(sql: str) -> list[tuple[Any, ...]]:
        cursor = connection.cursor()
        try:
            cursor.execute(sql)
            return list(cursor.fetchall())
        finally:
            cursor.close()

    return DbState(
        requests={code for (code,) in rows(f"SELECT code FROM {request}")},
        cases=dict(rows(f"SELECT c.code, r.code FROM {case} c LEFT JOIN {request} r ON r.id = c.{case_request}")),
        events=Counter(dict(rows(f"SELECT c.code, COUNT(e.id) FROM {case} c {events_join} GROUP BY c.code"))),
        notes=dict(rows(f"SELECT n.id, c.code FROM {note} n LEFT JOIN {case} c ON c.id = n.{note_case}")),
        audited=set(rows(f"SELECT object_type, object_id FROM {audit} WHERE action = '{Action.CREATE.value}'")),
    )


def lost(acks: Acks, state: DbState) -> list[str]:
    """Acknowledged writes missing after the restart, or not as they were acknowledged."""
    missing = [f"request {code}" for code in sorted(acks.requests - state.requests)]
    for code, request_code in sorted(acks.cases.items()):
        if code not in state.cases:
            missing.append(f"case {code}")
        elif state.cases[code] != request_code:
            missing.append(f"case {code}: request {state.cases[code]} instead of {request_code}")
    for note_id, case_code in sorted(acks.notes.items()):
        if note_id not in state.notes:
            missing.append(f"note {note_id} of {case_code}")
        elif state.notes[note_id] != case_code:
            missing.append(f"note {note_id}: case {state.notes[note_id]} instead of {case_code}")
    return missing


def inconsistencies(state: DbState) -> list[str]:
    """Torn transactions: each service call writes its row, its audit event and (for a case) its first timeline event
    in one transaction, so after any crash either all of them are there or none."""
    found = []
    for code, request_code in sorted(state.cases.items()):
        if request_code is None:
            found.append(f"case {code} has no request")
        if state.events[code] != 1:
            found.append(f"case {code} has {state.events[code]} timeline events, expected 1")
        if ("case", code) not in state.audited:
            found.append(f"case {code} has no audit event")
    found += [f"request {c} has no audit event" for c in sorted(state.requests) if ("request", c) not in state.audited]
    for note_id, case_code in sorted(state.notes.items()):
        if case_code is None:
            found.append(f"note {note_id} has no case")
        elif ("note", f"{case_code}/{note_id}") not in state.audited:
            found.append(f"note {note_id} has no audit event")
    rows = {("request", c) for c in state.requests} | {("case", c) for c in state.cases}
    rows |= {("note", f"{c}/{n}") for n, c in state.notes.items()}
    orphans = sorted((t, i) for t, i in state.audited if t in {"request", "case", "note"} and (t, i) not in rows)
    found += [f"audit event for a missing {t} {i}" for t, i in orphans]
    return found
