"""Whole installations driven through the command line: canaries, backup and restore, crypto-shredding.

Each test sets up real installations in temporary folders (production settings, SQLite, or PostgreSQL when the
suite runs under scripts/with_postgres.py) and drives them with `courtpath` and tests/vault/scenario.py.
"""

from __future__ import annotations

import hashlib
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
        self.returncode = 0

    def run(self, *args: str, scenario: bool = False, check: bool = True) -> str:
        command = [sys.executable, str(SCENARIO), *args] if scenario else [str(COURTPATH), *args]
        done = subprocess.run(command, env=self.env, capture_output=True, text=True, check=False, timeout=180)
        self.output += [done.stdout, done.stderr]
        self.returncode = done.returncode
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
    """The rows in a decrypted backup payload (the authentication line, then a tar holding data.json)."""
    return json.loads(_members(payload)["data.json"])


def _body(payload: bytes) -> bytes:
    """A decrypted backup or key export without its authentication line (if it has one)."""
    return payload.partition(b"\n")[2] if payload.startswith(b"courtpath-envelope/") else payload


def _members(payload: bytes) -> dict[str, bytes]:
    import io
    import tarfile

    members = {}
    with tarfile.open(fileobj=io.BytesIO(_body(payload))) as archive:
        for member in archive.getmembers():
            members[member.name] = archive.extractfile(member).read()  # type: ignore[union-attr]
    return members


def _tar(members: dict[str, bytes]) -> bytes:
    import io
    import tarfile

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _decrypted(path: Path, identity_file: Path) -> bytes:
    import pyrage

    from courtpath.vault.keyring import parse_identity

    return pyrage.decrypt(path.read_bytes(), [parse_identity(identity_file.read_text())])


def _encrypted_to(recipient: str, payload: bytes) -> bytes:
    import pyrage
    from pyrage import x25519

    return pyrage.encrypt(payload, [x25519.Recipient.from_str(recipient)])


def _recipient(installation: Installation) -> str:
    """The public backup recipient, as `courtpath keys status` shows it to anyone who may run it."""
    return installation.run("keys", "status").split("backup recipient: ")[1].split()[0]


def files_under(*roots: Path) -> list[Path]:
    return [
        path
        for root in roots
        if root.exists()
        for path in ([root] if root.is_file() else root.rglob("*"))
        if path.is_file()
    ]


def containing(canary: bytes, paths: list[Path]) -> list[str]:
    found = []
    for path in paths:
        try:
            content = path.read_bytes()
        except FileNotFoundError:  # removed since it was listed (a running PostgreSQL drops pg_internal.init)
            continue
        if canary in content or canary.lower() in content:
            found.append(str(path))
    return found


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
    # The new server got the backup key of the identity, so its own backups are authenticated like the old one's.
    assert (fresh.data / "backup-key.json").read_text() == (installation.data / "backup-key.json").read_text()
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
    opened = _decrypted(old_backup, installation.identity)
    assert b"GONE-" not in opened and b"KEPT-" not in opened
    exported = json.loads(_body(_decrypted(key_export, installation.identity)))
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


def test_rotation_through_the_command_line(installation: Installation, tmp_path: Path) -> None:
    code = installation.run("populate", "ROT", scenario=True).strip()
    status = installation.run("keys", "status")
    old_id = status.split("master key: ")[1].split()[0]
    before = tmp_path / "before.age"
    installation.run("backup", "--out", str(before))
    printed = installation.run("keys", "rotate")
    assert f"master key {old_id} -> " in printed
    assert installation.run("probe", code, scenario=True).strip() == "readable: ROT-surname"
    assert old_id not in installation.run("keys", "status").split("data keys:")[1]
    # A backup made before the rotation still verifies (its key comes from the recovery identity) and restores
    # with a key export made after it.
    key_export = tmp_path / "keys.age"
    installation.run("keys", "export", "--out", str(key_export))
    fresh = Installation(tmp_path / "b", _postgres_url(f"rotated_{uuid.uuid4().hex[:8]}"))
    fresh.run("restore", str(before), "--identity", str(installation.identity), "--keys", str(key_export))
    assert fresh.run("probe", code, scenario=True).strip() == "readable: ROT-surname"


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
    from courtpath.vault.backup_key import derive_backup_key, envelope

    installation.run("populate", "SCHEMA", scenario=True)
    backup, key_export = tmp_path / "backup.age", tmp_path / "keys.age"
    installation.run("backup", "--out", str(backup))
    installation.run("keys", "export", "--out", str(key_export))
    members = _members(_decrypted(backup, installation.identity))
    manifest = json.loads(members["manifest.json"])
    if change == "older":
        manifest["schema"]["cases"] = "0005_sealed_fields"  # as if made before the facts were sealed
    else:
        del manifest["schema"]  # as the first backups were made
    members["manifest.json"] = json.dumps(manifest).encode()
    backup_key = derive_backup_key(installation.identity.read_text())  # as the installation would have made it
    older = tmp_path / "older.age"
    older.write_bytes(_encrypted_to(backup_key.recipient, envelope(backup_key, "backup", _tar(members))))
    fresh = Installation(tmp_path / "b", _postgres_url(f"schema_{uuid.uuid4().hex[:8]}"))
    fresh.run("restore", str(older), "--identity", str(installation.identity), "--keys", str(key_export), check=False)
    assert message in fresh.output[-1]
    assert "Traceback" not in fresh.output[-1]
    assert not (fresh.data / "keyring.json").exists()  # refused before any key was imported


def _refused(fresh: Installation, message: str) -> None:
    """The last command failed with one clear line, and imported nothing."""
    assert fresh.returncode != 0, f"accepted:\n{fresh.output[-2]}"
    assert message in fresh.output[-1], fresh.output[-1]
    assert "Traceback" not in fresh.output[-1]
    assert not (fresh.data / "keyring.json").exists()


def test_a_backup_made_with_only_the_public_recipient_is_refused(installation: Installation, tmp_path: Path) -> None:
    installation.run("populate", "REAL", scenario=True)
    backup, key_export = tmp_path / "backup.age", tmp_path / "keys.age"
    installation.run("backup", "--out", str(backup))
    installation.run("keys", "export", "--out", str(key_export))
    # The forger knows the public recipient and courtpath's (public) schema, as their own installation of the same
    # version shows it; here the schema is read from the genuine backup for brevity. They plant an administrator.
    genuine = _members(_decrypted(backup, installation.identity))
    schema = json.loads(genuine["manifest.json"])["schema"]
    user = next(row for row in json.loads(genuine["data.json"]) if row["model"] == "accounts.user")
    user["fields"].update(username="mallory-forger", role="administrator", password="!planted")
    data = json.dumps([user]).encode()
    rows = dict.fromkeys(json.loads(genuine["manifest.json"])["rows"], 0) | {"accounts.User": 1}
    manifest = {
        "format": "courtpath-backup/1",
        "created": "2026-12-01T02:30:00+00:00",
        "master_key_id": "0" * 16,
        "schema": schema,
        "rows": rows,
        "members": {"data.json": hashlib.sha256(data).hexdigest()},
    }
    forged = tmp_path / "forged.age"
    forged.write_bytes(
        _encrypted_to(
            _recipient(installation), _tar({"data.json": data, "manifest.json": json.dumps(manifest).encode()})
        )
    )
    fresh = Installation(tmp_path / "b", _postgres_url(f"forged_{uuid.uuid4().hex[:8]}"))
    args = ["restore", str(forged), "--identity", str(installation.identity), "--keys", str(key_export)]
    fresh.run(*args, check=False)
    _refused(fresh, "is not authenticated")
    assert "--accept-unauthenticated" in fresh.output[-1]
    # The flag for backups made before this change: restored, said so, and recorded in the audit log.
    printed = fresh.run(*args, "--accept-unauthenticated")
    assert "WARNING: restored without authentication (backup;" in printed
    restored = json.loads(fresh.run("snapshot", scenario=True))
    assert [row["username"] for row in restored["accounts.User"]] == ["mallory-forger"]
    (event,) = restored["audit.AuditEvent"]
    assert event["object_id"] == "2026-12-01T02:30:00+00:00"  # the time the file claims, only if it is a time
    assert (event["object_type"], event["fields"], event["actor_id"]) == (
        "backup",
        "restored,unauthenticated_backup",
        "None",
    )


def test_a_changed_backup_is_refused(installation: Installation, tmp_path: Path) -> None:
    installation.run("populate", "CHANGED", scenario=True)
    backup, key_export = tmp_path / "backup.age", tmp_path / "keys.age"
    installation.run("backup", "--out", str(backup))
    installation.run("keys", "export", "--out", str(key_export))
    # One byte of the file flipped: age's own authentication refuses it.
    flipped = bytearray(backup.read_bytes())
    flipped[len(flipped) // 2] ^= 0x01
    (tmp_path / "flipped.age").write_bytes(bytes(flipped))
    fresh = Installation(tmp_path / "b", _postgres_url(f"changed_{uuid.uuid4().hex[:8]}"))
    keys = ["--identity", str(installation.identity), "--keys", str(key_export)]
    fresh.run("restore", str(tmp_path / "flipped.age"), *keys, check=False)
    _refused(fresh, "does not open with this identity (or it is damaged)")
    # Opened, changed and encrypted again to the public recipient, checksums made to match: refused by the tag.
    payload = _decrypted(backup, installation.identity)
    body = _body(payload)
    header = payload[: len(payload) - len(body)]
    members = _members(payload)
    members["data.json"] = members["data.json"].replace(b'"intake0"', b'"intakX0"')
    manifest = json.loads(members["manifest.json"])
    manifest["members"]["data.json"] = hashlib.sha256(members["data.json"]).hexdigest()
    members["manifest.json"] = json.dumps(manifest).encode()
    recipient = _recipient(installation)
    (tmp_path / "edited.age").write_bytes(_encrypted_to(recipient, header + _tar(members)))
    fresh.run("restore", str(tmp_path / "edited.age"), *keys, check=False)
    _refused(fresh, "was not made by this installation")
    # One byte of the body flipped under the original tag: refused before the archive is read.
    changed = bytearray(body)
    changed[len(changed) // 3] ^= 0x01
    (tmp_path / "byte.age").write_bytes(_encrypted_to(recipient, header + bytes(changed)))
    fresh.run("restore", str(tmp_path / "byte.age"), *keys, check=False)
    _refused(fresh, "was not made by this installation")


def test_a_backup_or_key_export_of_another_installation_is_refused(installation: Installation, tmp_path: Path) -> None:
    installation.run("populate", "OURS", scenario=True)
    ours, our_keys = tmp_path / "backup.age", tmp_path / "keys.age"
    installation.run("backup", "--out", str(ours))
    installation.run("keys", "export", "--out", str(our_keys))
    # Another installation (its own master key and recovery identity) writes genuine files to our public recipient.
    other = Installation(tmp_path / "other", _postgres_url(f"other_{uuid.uuid4().hex[:8]}"))
    other.init()
    theirs, their_keys = tmp_path / "theirs.age", tmp_path / "their-keys.age"
    other.run("backup", "--out", str(theirs), "--recipient", _recipient(installation))
    other.run("keys", "export", "--out", str(their_keys), "--recipient", _recipient(installation))
    fresh = Installation(tmp_path / "b", _postgres_url(f"another_{uuid.uuid4().hex[:8]}"))
    fresh.run("restore", str(theirs), "--identity", str(installation.identity), check=False)
    _refused(fresh, f"{theirs} was not made by this installation")
    fresh.run("restore", str(ours), "--identity", str(installation.identity), "--keys", str(their_keys), check=False)
    _refused(fresh, f"{their_keys} was not made by this installation")
    # --accept-unauthenticated does not help: the file is authenticated, by another installation.
    fresh.run("restore", str(theirs), "--identity", str(installation.identity), "--accept-unauthenticated", check=False)
    _refused(fresh, "was not made by this installation")


def test_an_installation_without_a_backup_key_gets_one_from_its_recovery_identity(
    installation: Installation, tmp_path: Path
) -> None:
    (installation.data / "backup-key.json").unlink()  # as on an installation set up before backups were authenticated
    backup = tmp_path / "backup.age"
    installation.run("backup", "--out", str(backup), check=False)
    assert installation.returncode != 0 and not backup.exists()
    assert "run `courtpath keys backup-key --identity FILE` once" in installation.output[-1]
    assert "backup key: missing" in installation.run("keys", "status")
    stranger = tmp_path / "stranger.txt"
    from pyrage import x25519

    stranger.write_text(str(x25519.Identity.generate()))
    installation.run("keys", "backup-key", "--identity", str(stranger), check=False)
    assert "is not the recovery identity of the keyring" in installation.output[-1]
    installation.run("keys", "backup-key", "--identity", str(installation.identity))
    installation.run("backup", "--out", str(backup))
    assert _decrypted(backup, installation.identity).startswith(b"courtpath-envelope/1 backup hmac-sha256 ")


def test_a_backup_written_to_another_recipient_restores_with_the_recovery_identity(
    installation: Installation, tmp_path: Path
) -> None:
    from pyrage import x25519

    auditor = x25519.Identity.generate()
    (tmp_path / "auditor.txt").write_text(str(auditor))
    backup = tmp_path / "backup.age"
    installation.run("backup", "--out", str(backup), "--recipient", str(auditor.to_public()))
    fresh = Installation(tmp_path / "b", _postgres_url(f"auditor_{uuid.uuid4().hex[:8]}"))
    fresh.run("restore", str(backup), "--identity", str(tmp_path / "auditor.txt"), check=False)
    _refused(fresh, "was not made by this installation")  # tagged under the installation's key, not the auditor's
    printed = fresh.run(
        "restore",
        str(backup),
        "--identity",
        str(tmp_path / "auditor.txt"),
        "--recovery-identity",
        str(installation.identity),
    )
    assert "restored 0 rows" in printed and "WARNING" not in printed
