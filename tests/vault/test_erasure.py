"""A deletion leaves no readable trace in the database files at the moment it returns (threat model §9, §11).

Each test makes a real installation (tests/vault/test_installation.py), deletes through the service layer in a
process that still holds its database connection, and copies the database files right after the function returns
(tests/vault/scenario.py `erase`), as a seizure or a file copy at that moment would. Then it searches the copies for
the case's wrapped data key (without it the ciphertext can never be opened) and for every sealed value of the case.
On SQLite the copies are the main file, its -wal and its -shm; on PostgreSQL (under scripts/with_postgres.py) they
are the cluster's table files after a CHECKPOINT (its WAL segments still hold the key: docs/threat-model.md §9).
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from test_installation import Installation, _postgres_url, files_under


@pytest.fixture
def installation(tmp_path: Path) -> Installation:
    made = Installation(tmp_path / "a", _postgres_url(f"erase_{uuid.uuid4().hex[:8]}"))
    made.init()
    return made


def _pieces(hex_value: str) -> list[bytes]:
    """Both ends of a stored value: a long value (a case's facts) may span SQLite pages, its ends do not."""
    value = bytes.fromhex(hex_value)
    return [value] if len(value) <= 48 else [value[:32], value[-32:]]


def _holding(found: dict[str, list[str]], paths: list[Path]) -> dict[str, list[str]]:
    """For each kind of secret, the files that hold any piece of any of its values."""
    contents = {path: path.read_bytes() for path in paths}
    return {
        kind: sorted(
            {str(p) for value in values for piece in _pieces(value) for p, data in contents.items() if piece in data}
        )
        for kind, values in found.items()
    }


@pytest.mark.parametrize("kind", ["case", "request", "bulk", "purge"])
def test_a_deletion_leaves_no_readable_trace_in_the_database_files(installation: Installation, kind: str) -> None:
    # A case made before: the deleted rows then share pages with rows that stay, and are the last written (on
    # PostgreSQL, a plain VACUUM leaves those bytes in the page's free space, and drops wholly emptied last pages).
    kept = installation.run("populate", "KEPT", scenario=True).strip()
    if kind in ("request", "bulk"):
        code = installation.run("new-request", "ERASED-REQUEST-summary", scenario=True).strip()
    else:
        code = installation.run("populate", "ERASED", scenario=True).strip()
    copies = installation.root / "copies"
    found = json.loads(installation.run("erase", kind, code, str(copies), scenario=True))
    assert found["wrapped_key"] and len(found["sealed"]) >= (2 if kind in ("request", "bulk") else 10)
    if "DATABASE_URL" in installation.env:  # the table files; the WAL segments keep it (threat model §9)
        before, after = files_under(copies / "before" / "base"), files_under(copies / "after" / "base")
    else:
        before, after = files_under(copies / "before"), files_under(copies / "after")
        assert {p.name for p in after} >= {"courtpath.sqlite3", "courtpath.sqlite3-wal", "courtpath.sqlite3-shm"}
    # Positive control: before the deletion the same search finds the key and every sealed value.
    assert all(_holding(found, before).values())
    everything_before = b"".join(p.read_bytes() for p in before)
    assert all(any(piece in everything_before for piece in _pieces(v)) for v in found["sealed"])
    if "DATABASE_URL" in installation.env:  # VACUUM leaves ciphertext in the pages' free space: its key is gone
        assert _holding(found, after)["wrapped_key"] == []
    else:
        assert _holding(found, after) == {"wrapped_key": [], "sealed": []}
    assert installation.run("probe", code, scenario=True).strip() == "absent"
    assert installation.run("probe", kept, scenario=True).strip() == "readable: KEPT-surname"


def test_a_deletion_that_cannot_wipe_says_so_without_naming_the_case(installation: Installation) -> None:
    if "DATABASE_URL" in installation.env:
        pytest.skip("SQLite's checkpoint waits for readers; PostgreSQL's VACUUM does not fail on them")
    code = installation.run("populate", "BLOCKED", scenario=True).strip()
    erasure = json.loads(installation.run("erase-blocked", code, scenario=True))
    assert erasure == {
        "complete": False,
        "reason": "the SQLite WAL could not be emptied: another connection held it past the busy timeout",
    }
    logged = installation.output[-1]
    assert "deleted rows may still be readable in the database files" in logged
    assert code not in logged and "BLOCKED" not in logged
    assert installation.run("probe", code, scenario=True).strip() == "absent"  # the deletion itself stands
