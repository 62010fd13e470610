"""Whole installations driven through the command line: canaries, backup and restore, crypto-shredding.

Each test sets up real installations in temporary folders (production settings, SQLite, or PostgreSQL when the
suite runs under scripts/with_postgres.py) and drives them with `courtpath` and tests/vault/scenario.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from canary_facts import clear_forms

SCENARIO = Path(__file__).with_name("scenario.py")
COURTPATH = Path(sys.executable).with_name("courtpath")
PASSPHRASE = "installation test passphrase"


class Installation:
    def __init__(self, root: Path, database_url: str | None = None) -> None:
        self.root = root
        self.data = root / "var"
        root.mkdir(parents=True)
        (root / "passphrase").write_text(PASSPHRASE + "\n")
        self.identity = root / "recovery.txt"
        self.env = {
            **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
            "COURTPATH_DATA_DIR": str(self.data),
            "COURTPATH_PASSPHRASE_FILE": str(root / "passphrase"),
            "DJANGO_SETTINGS_MODULE": "courtpath.web.settings",
            "COURTPATH_HTTPS": "0",
            "COURTPATH_ALLOWED_HOSTS": "testserver",
        }
        if database_url:
            self.env["DATABASE_URL"] = database_url
        self.output: list[str] = []

    def run(self, *args: str, scenario: bool = False, check: bool = True) -> str:
        command = [sys.executable, str(SCENARIO), *args] if scenario else [str(COURTPATH), *args]
        done = subprocess.run(command, env=self.env, capture_output=True, text=True, check=False, timeout=180)
        self.output += [done.stdout, done.stderr]
        if check:
            assert done.returncode == 0, f"{args} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
        return done.stdout

    def init(self, recovery: bool = True) -> None:
        extra = ["--recovery-out", str(self.identity)] if recovery else []
        self.run("web", "init", "--no-admin", *extra)


def _postgres_url(name: str) -> str | None:
    """A new database on the suite's PostgreSQL server, or None when the suite runs on SQLite."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return None
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(url)  # the database is the path; the socket folder may be in the query (?host=/tmp/…)
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture
def installation(tmp_path: Path) -> Installation:
    made = Installation(tmp_path / "a", _postgres_url(f"canary_{uuid.uuid4().hex[:8]}"))
    made.init()
    return made


def _backup_rows(payload: bytes) -> list[dict]:
    """The rows in a decrypted backup payload (a tar holding data.json)."""
    import io
    import tarfile

    with tarfile.open(fileobj=io.BytesIO(payload)) as archive:
        member = archive.extractfile("data.json")
        assert member is not None
        return json.loads(member.read())


def files_under(*roots: Path) -> list[Path]:
    return [
        path
        for root in roots
        if root.exists()
        for path in ([root] if root.is_file() else root.rglob("*"))
        if path.is_file()
    ]


def containing(canary: bytes, paths: list[Path]) -> list[str]:
    return [str(path) for path in paths if canary in path.read_bytes() or canary.lower() in path.read_bytes()]


def test_canaries_are_nowhere_at_rest(installation: Installation, tmp_path: Path) -> None:
    canary = f"CANARY{uuid.uuid4().hex[:12].upper()}"
    installation.run("populate", canary, scenario=True)
    backup, key_export = tmp_path / "backup.age", tmp_path / "keys.age"
    installation.run("backup", "--out", str(backup))
    installation.run("keys", "export", "--out", str(key_export))
    # Positive control: the values are there, and the search finds them where they are in clear.
    snapshot = installation.run("snapshot", scenario=True)
    for field in (
        "summary",
        "contact",
        "surname",
        "given",
        "patronymic",
        "rank",
        "clientcontact",
        "unit",
        "investigator",
        "stage",
        "note",
        "filename",
    ):
        assert f"{canary}-{field}" in snapshot, field
    (tmp_path / "control.txt").write_text(snapshot)
    assert containing(canary.encode(), [tmp_path / "control.txt"])
    # The search: database files (with WAL), documents, logs, keyring, backup, key export, and what commands printed.
    searched = files_under(installation.data, backup, key_export)
    if "DATABASE_URL" in installation.env:
        pg_data = os.environ.get("COURTPATH_PG_DATA")
        assert pg_data, "scripts/with_postgres.py exports COURTPATH_PG_DATA for this test"
        import psycopg

        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as connection:
            connection.execute("CHECKPOINT")  # the heap files, not only the WAL, hold the rows
        searched += files_under(Path(pg_data))
    else:
        assert (installation.data / "courtpath.sqlite3").exists()
    assert (installation.data / "scenario.log").stat().st_size > 0  # DEBUG logging did run
    assert len(searched) > 5
    assert containing(canary.encode(), searched) == []
    # The facts and the procedure, and the assessments that repeat them, are sealed as well.
    for fact in clear_forms(canary):
        assert fact in snapshot, fact  # positive control
        assert containing(fact.encode(), searched) == [], fact
    assert canary not in "".join(installation.output[:-2])  # every command's output but the snapshot's


def test_backup_restores_every_record_and_document(installation: Installation, tmp_path: Path) -> None:
    installation.run("populate", "FIRST", scenario=True)
    installation.run("populate", "SECOND", scenario=True)
    before = json.loads(installation.run("snapshot", scenario=True))
    backup, key_export = tmp_path / "backup.age", tmp_path / "keys.age"
    installation.run("backup", "--out", str(backup))
    installation.run("keys", "export", "--out", str(key_export))
    # A new server: nothing but the backup, the key export, the offline identity and the passphrase.
    fresh = Installation(tmp_path / "b", _postgres_url(f"restore_{uuid.uuid4().hex[:8]}"))
    printed = fresh.run("restore", str(backup), "--identity", str(installation.identity), "--keys", str(key_export))
    assert "2 documents" in printed
    after = json.loads(fresh.run("snapshot", scenario=True))
    assert after == before
    assert sum(len(rows) for rows in after.values()) > 10
    # Restoring twice is refused rather than merged.
    again = fresh.run("restore", str(backup), "--identity", str(installation.identity), check=False)
    assert "needs an empty database" in again + "".join(fresh.output[-1:])


def test_a_backup_does_not_open_without_the_offline_identity(installation: Installation, tmp_path: Path) -> None:
    installation.run("populate", "X", scenario=True)
    backup = tmp_path / "backup.age"
    installation.run("backup", "--out", str(backup))
    stranger = tmp_path / "stranger.txt"
    from pyrage import x25519

    stranger.write_text(str(x25519.Identity.generate()))
    fresh = Installation(tmp_path / "b")
    fresh.run("restore", str(backup), "--identity", str(stranger), check=False)
    assert "does not open with this identity" in fresh.output[-1]


def test_a_shredded_case_is_unreadable_in_a_backup_taken_before(installation: Installation, tmp_path: Path) -> None:
    kept = installation.run("populate", "KEPT", scenario=True).strip()
    shredded = installation.run("populate", "GONE", scenario=True).strip()
    old_backup = tmp_path / "before.age"
    installation.run("backup", "--out", str(old_backup))
    installation.run("delete", shredded, scenario=True)
    assert installation.run("probe", shredded, scenario=True).strip() == "absent"
    key_export = tmp_path / "keys.age"
    installation.run("keys", "export", "--out", str(key_export))  # the current keys: the deleted key is not in it
    fresh = Installation(tmp_path / "b", _postgres_url(f"shred_{uuid.uuid4().hex[:8]}"))
    args = ["restore", str(old_backup), "--identity", str(installation.identity), "--keys", str(key_export)]
    fresh.run(*args, check=False)  # refused: the shredded case's rows could never be opened
    assert "1 data keys of this backup are not here" in fresh.output[-1]
    assert "--leave-out-shredded" in fresh.output[-1]
    printed = fresh.run(*args, "--leave-out-shredded")
    assert "rows of 1 cases or requests deleted after this backup was made" in printed
    assert fresh.run("probe", kept, scenario=True).strip() == "readable: KEPT-surname"
    assert fresh.run("probe", shredded, scenario=True).strip() == "absent"
    # The old backup, opened with the offline identity, holds the shredded case only as ciphertext, and the key that
    # sealed it is in no key export made after the deletion.
    import pyrage

    from courtpath.vault.keyring import parse_identity

    identity = [parse_identity(installation.identity.read_text())]
    opened = pyrage.decrypt(old_backup.read_bytes(), identity)
    assert b"GONE-" not in opened and b"KEPT-" not in opened
    exported = json.loads(pyrage.decrypt(key_export.read_bytes(), identity))
    exported_ids = {row["pk"] for row in exported["data_keys"]}
    backed_up = _backup_rows(opened)
    gone_key = next(
        r["fields"]["data_key"] for r in backed_up if r["model"] == "cases.case" and r["fields"]["code"] == shredded
    )
    kept_key = next(
        r["fields"]["data_key"] for r in backed_up if r["model"] == "cases.case" and r["fields"]["code"] == kept
    )
    assert gone_key not in exported_ids and kept_key in exported_ids


def test_wrong_passphrase_is_refused_and_nothing_opens(installation: Installation) -> None:
    (installation.root / "passphrase").write_text("not the passphrase at all\n")
    installation.run("keys", "rotate", check=False)
    assert "wrong passphrase" in installation.output[-1]


def test_rotation_through_the_command_line(installation: Installation) -> None:
    code = installation.run("populate", "ROT", scenario=True).strip()
    status = installation.run("keys", "status")
    old_id = status.split("master key: ")[1].split()[0]
    printed = installation.run("keys", "rotate")
    assert f"master key {old_id} -> " in printed
    assert installation.run("probe", code, scenario=True).strip() == "readable: ROT-surname"
    assert old_id not in installation.run("keys", "status").split("data keys:")[1]


def test_a_backup_taken_while_the_app_writes_is_consistent_and_restores(
    installation: Installation, tmp_path: Path
) -> None:
    installation.run("populate", "RACE", scenario=True)
    backup, key_export = tmp_path / "racing.age", tmp_path / "keys.age"
    counted = json.loads(installation.run("backup-racing", str(backup), scenario=True))
    source = json.loads(installation.run("snapshot", scenario=True))
    assert any(row["object_id"] == "C-RACING" for row in source["audit.AuditEvent"])  # the writer did write
    installation.run("keys", "export", "--out", str(key_export))
    fresh = Installation(tmp_path / "b", _postgres_url(f"race_{uuid.uuid4().hex[:8]}"))
    fresh.run("restore", str(backup), "--identity", str(installation.identity), "--keys", str(key_export))
    restored = json.loads(fresh.run("snapshot", scenario=True))
    assert {label: len(rows) for label, rows in restored.items()} == counted
    assert not any(row["object_id"] == "C-RACING" for row in restored["audit.AuditEvent"])  # written after


def test_the_first_start_shows_no_secret_to_anything_but_a_terminal(tmp_path: Path) -> None:
    made = Installation(tmp_path / "a")
    made.run("web", "init", "--no-admin", check=False)  # no --recovery-out, and stdout is a pipe here
    assert "not a terminal" in made.output[-1]
    assert not (made.data / "keyring.json").exists()
    made.init()  # with --recovery-out and the passphrase file: nothing secret is printed
    printed = made.output[-2]
    assert "AGE-SECRET-KEY" not in printed and "recovery identity written to" in printed
    assert "AGE-SECRET-KEY-1" in made.identity.read_text()
    made.run("web", "init")  # an administrator would get a one-time password: not printed to a pipe
    assert "no account yet: run `courtpath web init` in a terminal" in made.output[-2]


def test_the_installation_files_are_private(installation: Installation) -> None:
    import stat

    def mode(path: Path) -> int:
        return stat.S_IMODE(path.stat().st_mode)

    assert mode(installation.data) == 0o700
    for name in ("keyring.json", "secret_key", *([] if "DATABASE_URL" in installation.env else ["courtpath.sqlite3"])):
        assert mode(installation.data / name) == 0o600, name


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("older", "restore it with the courtpath version that made it"),
        ("unrecorded", "did not record its schema"),
    ],
)
def test_a_backup_of_another_schema_is_refused_with_a_clear_error(
    installation: Installation, tmp_path: Path, change: str, message: str
) -> None:
    import io
    import tarfile

    import pyrage

    from courtpath.vault.keyring import parse_identity

    installation.run("populate", "SCHEMA", scenario=True)
    backup, key_export = tmp_path / "backup.age", tmp_path / "keys.age"
    installation.run("backup", "--out", str(backup))
    installation.run("keys", "export", "--out", str(key_export))
    identity = parse_identity(installation.identity.read_text())
    members = {}
    with tarfile.open(fileobj=io.BytesIO(pyrage.decrypt(backup.read_bytes(), [identity]))) as archive:
        for member in archive.getmembers():
            members[member.name] = archive.extractfile(member).read()  # type: ignore[union-attr]
    manifest = json.loads(members["manifest.json"])
    if change == "older":
        manifest["schema"]["cases"] = "0005_sealed_fields"  # as if made before the facts were sealed
    else:
        del manifest["schema"]  # as the first backups were made
    members["manifest.json"] = json.dumps(manifest).encode()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    older = tmp_path / "older.age"
    older.write_bytes(pyrage.encrypt(buffer.getvalue(), [identity.to_public()]))
    fresh = Installation(tmp_path / "b", _postgres_url(f"schema_{uuid.uuid4().hex[:8]}"))
    fresh.run("restore", str(older), "--identity", str(installation.identity), "--keys", str(key_export), check=False)
    assert message in fresh.output[-1]
    assert "Traceback" not in fresh.output[-1]
    assert not (fresh.data / "keyring.json").exists()  # refused before any key was imported
