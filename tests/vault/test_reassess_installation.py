"""`courtpath reassess` in a real installation (production settings, a keyring with a passphrase): it needs the
vault unlocked like the other commands, says so when it is not, and runs by hand with the passphrase file."""

from __future__ import annotations

from pathlib import Path

from test_installation import Installation, _postgres_url


def test_reassess_needs_the_passphrase_and_runs_with_it(tmp_path: Path) -> None:
    import uuid

    installation = Installation(tmp_path / "a", _postgres_url(f"reassess_{uuid.uuid4().hex[:8]}"))
    installation.init()
    printed = installation.run("reassess")
    assert "open cases: 0; absence going on: 0; reassessed: 0; qualification changed: 0; unreadable: 0" in printed

    passphrase = installation.env.pop("COURTPATH_PASSPHRASE_FILE")
    installation.run("reassess", check=False)
    assert installation.returncode == 2
    error = installation.output[-1]
    assert error.startswith("courtpath: error: the vault is locked") and "Traceback" not in error

    installation.run("reassess", "--passphrase-file", passphrase)
    assert installation.returncode == 0
