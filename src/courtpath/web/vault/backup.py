"""Encrypted backups and key exports (age, X25519), and restore.

* `write_backup`: one age file, encrypted to the keyring's backup recipient (whose secret identity is kept offline),
  holding, after the line that authenticates it under the backup key (courtpath.vault.backup_key), a tar of
  `manifest.json`, `data.json` (every row of the app's tables, Django's serializer) and `documents/<blob>` (the
  sealed files as stored). **No data keys**: sealed fields and documents in a backup open
  only with the live key store, so a case shredded after the backup is unreadable in it.
* `write_key_export`: the wrapped data keys and the keyring, also age-encrypted and authenticated, for disaster
  recovery. Keep one current export and replace it after deletions: an old export would revive shredded cases (see
  the threat model).
* `restore`: into a freshly migrated, empty database; optionally imports a key export first. Both files must carry
  a tag that verifies under the backup key derived from the recovery identity; files made before backups were
  authenticated only with `accept_unauthenticated`, which the audit log then records.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import tarfile
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyrage
from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

from courtpath.vault.backup_key import (
    BackupKey,
    backup_key_path,
    derive_backup_key,
    envelope,
    open_envelope,
    read_backup_key,
    write_backup_key,
)
from courtpath.vault.errors import BackupError, UnauthenticatedBackup
from courtpath.vault.files import write_private
from courtpath.vault.keyring import Keyring, parse_identity, parse_keyring, parse_recipient, read_keyring, write_keyring
from courtpath.web.cases import documents
from courtpath.web.vault.models import DataKey
from courtpath.web.vault.operations import keyring_path, refuse_while_serving

BACKUP_FORMAT = "courtpath-backup/1"
KEYS_FORMAT = "courtpath-keys/1"
# Tables in a backup, parents first. Sessions, login throttling and data keys are left out on purpose; so is the
# case name index (cases.CaseNameToken), which the first start after a restore rebuilds (name_index.index_missing).
BACKED_UP_MODELS = (
    "accounts.User",
    "organisation.Identity",
    "audit.AuditEvent",
    "api.ApiToken",
    "cases.HelpRequest",
    "cases.Case",
    "cases.CaseEvent",
    "cases.Note",
    "cases.Assessment",
    "cases.Document",
    "agenda.AgendaItem",
    "agenda.CalendarFeed",
    "agenda.DigestSubscription",
)


def _models() -> list[type]:
    return [apps.get_model(label) for label in BACKED_UP_MODELS]


def _add(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = 0
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


def _encrypt_to(recipient_text: str, payload: bytes) -> bytes:
    return pyrage.encrypt(payload, [parse_recipient(recipient_text)])


def installation_backup_key(keyring: Keyring) -> BackupKey:
    """The backup key kept beside the keyring, checked to belong to the keyring's recovery identity."""
    path = backup_key_path(keyring_path())
    backup_key = read_backup_key(path)
    if backup_key.recipient != keyring.recovery_recipient:
        raise BackupError(
            f"the backup key {path} belongs to another recovery identity than the keyring's: run `courtpath keys "
            "backup-key --identity FILE` with this keyring's recovery identity"
        )
    return backup_key


def install_backup_key(identity_text: str) -> BackupKey:
    """Derive the backup key from the recovery identity and keep it beside the keyring (once, on an installation
    set up before backups were authenticated). Refuses an identity that is not the keyring's."""
    keyring = read_keyring(keyring_path())
    backup_key = derive_backup_key(identity_text)
    if backup_key.recipient != keyring.recovery_recipient:
        raise BackupError(
            f"this identity (public key {backup_key.recipient}) is not the recovery identity of the keyring "
            f"({keyring.recovery_recipient})"
        )
    write_backup_key(backup_key_path(keyring_path()), backup_key)
    return backup_key


def _exact(value: object) -> str:
    """JSON for what Django's "python" serializer leaves as objects: full-precision ISO dates and times
    (Django's JSON serializer would cut microseconds)."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    raise TypeError(f"cannot back up a {type(value).__name__}")


def _rows_of(queryset: object) -> list[dict[str, object]]:
    return json.loads(json.dumps(serializers.serialize("python", queryset), default=_exact))


def serialise_rows() -> bytes:
    rows: list[dict[str, object]] = []
    for model in _models():
        rows.extend(_rows_of(model.objects.order_by("pk")))
    return json.dumps(rows, ensure_ascii=False).encode("utf-8")


SCHEMA_APPS = ("accounts", "agenda", "api", "audit", "cases", "vault")


def _schema() -> dict[str, str]:
    """The last migration applied to each of the app's own tables: a backup restores only into the same schema."""
    applied: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        if app in SCHEMA_APPS and name > applied.get(app, ""):
            applied[app] = name
    return applied


@contextmanager
def _snapshot() -> Iterator[None]:
    """Read one consistent state of the database inside this block, while the app goes on writing.

    PostgreSQL: a REPEATABLE READ, READ ONLY transaction (its default, READ COMMITTED, sees each statement's own
    moment). SQLite in WAL mode: a deferred read transaction, which keeps the snapshot of its first read and takes no
    lock, so writers are not held up. (Django's own transactions here are IMMEDIATE, i.e. they would take the write
    lock and make every writer wait for the whole backup.)"""
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield
        return
    if connection.in_atomic_block:
        raise BackupError("a backup cannot run inside another transaction")
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK")  # it only read


def write_backup(out: Path, recipient: str | None = None) -> dict[str, object]:
    """Write an encrypted backup of one consistent state of the database; returns its manifest. The app may go on
    serving meanwhile."""
    keyring = read_keyring(keyring_path())
    backup_key = installation_backup_key(keyring)
    Document = apps.get_model("cases", "Document")
    buffer = io.BytesIO()
    with _snapshot():
        schema = _schema()
        data = serialise_rows()
        rows = {label: apps.get_model(label).objects.count() for label in BACKED_UP_MODELS}
        blobs = list(Document.objects.order_by("pk").values_list("blob", flat=True))
    members: dict[str, str] = {"data.json": hashlib.sha256(data).hexdigest()}
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        _add(archive, "data.json", data)
        for blob in blobs:
            try:
                sealed = documents.blob_path(blob).read_bytes()
            except FileNotFoundError:
                raise BackupError("a document was deleted while the backup ran: run the backup again") from None
            members[f"documents/{blob.hex}"] = hashlib.sha256(sealed).hexdigest()
            _add(archive, f"documents/{blob.hex}", sealed)
        manifest = {
            "format": BACKUP_FORMAT,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "master_key_id": keyring.key_id,
            "schema": schema,
            "rows": rows,
            "members": members,
        }
        _add(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
    payload = envelope(backup_key, "backup", buffer.getvalue())
    write_private(out, _encrypt_to(recipient or keyring.backup_recipient, payload))
    return manifest


def write_key_export(out: Path, recipient: str | None = None) -> int:
    keyring = read_keyring(keyring_path())
    backup_key = installation_backup_key(keyring)
    rows = _rows_of(DataKey.objects.order_by("pk"))
    document = json.dumps({"format": KEYS_FORMAT, "keyring": keyring.to_json(), "data_keys": rows}).encode()
    write_private(out, _encrypt_to(recipient or keyring.backup_recipient, envelope(backup_key, "keys", document)))
    return len(rows)


def _decrypt(path: Path, identity_text: str, what: str) -> bytes:
    try:
        return pyrage.decrypt(path.read_bytes(), [parse_identity(identity_text)])
    except FileNotFoundError:
        raise BackupError(f"no {what} at {path}") from None
    except pyrage.DecryptError:
        raise BackupError(f"the {what} {path} does not open with this identity (or it is damaged)") from None


def _authenticated(
    path: Path, identity_text: str, kind: str, backup_key: BackupKey, accept_unauthenticated: bool
) -> tuple[bytes, bool]:
    """The decrypted body and whether it was authenticated. A file without authentication is refused unless
    `accept_unauthenticated`; a tag that does not verify is refused always."""
    payload = _decrypt(path, identity_text, "backup" if kind == "backup" else "key export")
    try:
        return open_envelope(backup_key, kind, payload, str(path)), True
    except UnauthenticatedBackup:
        if not accept_unauthenticated:
            raise
        return payload, False


def _load(rows: Iterable[dict[str, object]]) -> int:
    count = 0
    for item in serializers.deserialize("python", list(rows)):
        item.save(force_insert=True)  # into empty tables: an UPDATE first would hit the audit log's triggers
        count += 1
    return count


def _reset_sequences() -> None:
    """Rows came with their ids: move PostgreSQL's id sequences past them (SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), _models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def import_key_export(
    path: Path, identity_text: str, backup_key: BackupKey, *, accept_unauthenticated: bool = False
) -> tuple[int, bool]:
    """Import the keyring (if this installation has none) and the data keys not here yet; returns how many keys,
    and whether the export was authenticated."""
    body, authenticated = _authenticated(path, identity_text, "keys", backup_key, accept_unauthenticated)
    try:
        document = json.loads(body)
    except ValueError:
        raise BackupError(f"{path} is not a courtpath key export") from None
    if not isinstance(document, dict) or document.get("format") != KEYS_FORMAT:
        raise BackupError(f"{path} is not a courtpath key export")
    target = keyring_path()
    exported = parse_keyring(document["keyring"], f"the keyring in {path}")
    if target.exists():
        if read_keyring(target).key_id != exported.key_id:
            raise BackupError(
                f"this installation already has a keyring of its own ({target}), not the one of the key export: "
                "restore into a new data folder, without running `courtpath web init` there first"
            )
    else:
        write_keyring(target, exported)
    existing = {str(pk) for pk in DataKey.objects.values_list("pk", flat=True)}
    with transaction.atomic():
        return _load(row for row in document["data_keys"] if row["pk"] not in existing), authenticated


def read_backup(
    path: Path, identity_text: str, backup_key: BackupKey, *, accept_unauthenticated: bool = False
) -> tuple[dict[str, object], bytes, dict[str, bytes], bool]:
    """The manifest, the rows and the sealed documents of a backup, and whether it was authenticated (checked before
    the archive is read), with every member's checksum verified."""
    payload, authenticated = _authenticated(path, identity_text, "backup", backup_key, accept_unauthenticated)
    files: dict[str, bytes] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(payload), mode="r") as archive:
            for member in archive.getmembers():
                extracted = archive.extractfile(member) if member.isfile() else None
                if extracted is None:
                    raise BackupError(f"unexpected member {member.name!r} in the backup")
                files[member.name] = extracted.read()
    except tarfile.TarError:
        raise BackupError(f"{path} is not a courtpath backup (no archive inside)") from None
    try:
        manifest = json.loads(files.pop("manifest.json"))
    except KeyError:
        raise BackupError("the backup has no manifest") from None
    except ValueError:
        raise BackupError(f"{path} is not a courtpath backup (its manifest is not JSON)") from None
    if not isinstance(manifest, dict) or manifest.get("format") != BACKUP_FORMAT:
        raise BackupError(f"{path} is not a courtpath backup")
    if "schema" not in manifest:
        raise BackupError(
            f"{path} was made by an earlier courtpath that did not record its schema: restore it with that"
        )
    if set(files) != set(manifest["members"]):
        raise BackupError("the backup's members do not match its manifest")
    for name, digest in manifest["members"].items():
        if hashlib.sha256(files[name]).hexdigest() != digest:
            raise BackupError(f"the backup member {name} is damaged (checksum mismatch)")
    data = files.pop("data.json")
    blobs = {name.removeprefix("documents/"): content for name, content in files.items()}
    return manifest, data, blobs, authenticated


def _leave_out_unkeyed(rows: list[dict[str, object]], present: set[str]) -> list[dict[str, object]]:
    """The rows without those whose data key is not here (shredded after the backup) and without the rows that hang
    on a left-out row (an assessment of a left-out case)."""
    left_out: set[tuple[str, str]] = set()
    kept: list[dict[str, object]] = []
    for row in rows:  # parents come first (BACKED_UP_MODELS)
        fields = row["fields"]
        model = apps.get_model(str(row["model"]))
        parents = {
            (field.related_model._meta.label_lower, str(fields[field.name]))
            for field in model._meta.concrete_fields
            if field.is_relation and fields.get(field.name) is not None
        }
        if ("data_key" in fields and str(fields["data_key"]) not in present) or parents & left_out:
            left_out.add((str(row["model"]), str(row["pk"])))
        else:
            kept.append(row)
    return kept


def _backup_key_for_restore(identity_text: str) -> BackupKey:
    """The backup key of the recovery identity, which must be this data folder's own if it has one already."""
    backup_key = derive_backup_key(identity_text)
    path = backup_key_path(keyring_path())
    if path.exists() and read_backup_key(path) != backup_key:
        raise BackupError(
            f"this data folder already has the backup key of another recovery identity ({path}): restore into a new "
            "data folder, without running `courtpath web init` there first"
        )
    return backup_key


def _audit_unauthenticated(manifest: dict[str, object], accepted: list[str]) -> None:
    """An audit event for a restore that accepted an unauthenticated file, named by the time the file claims (only
    if it is a time: the file may be anyone's)."""
    from courtpath.web.audit.models import Action, ObjectType
    from courtpath.web.audit.services import record

    try:
        created = dt.datetime.fromisoformat(str(manifest.get("created"))).isoformat(timespec="seconds")
    except ValueError:
        created = "unknown"
    record(None, Action.CREATE, ObjectType.BACKUP, created[:40], ["restored", *accepted])


def restore(
    path: Path,
    identity_text: str,
    key_export: Path | None = None,
    *,
    leave_out_shredded: bool = False,
    accept_unauthenticated: bool = False,
    recovery_identity_text: str | None = None,
) -> dict[str, object]:
    """Restore a backup into this installation's empty database (migrated here first) and document folder.

    The backup and the key export must be authenticated under the backup key of the recovery identity (by default
    `identity_text`, which decrypts them): a file anyone could have made with the public recipient is refused,
    unless `accept_unauthenticated` (for files made before backups were authenticated; the restore is then recorded
    in the audit log and reported under "unauthenticated").

    Rows whose data key is not here cannot be opened by anyone: their case was shredded after the backup was made,
    or the key export is missing. Restore refuses them unless `leave_out_shredded`, when it leaves them out."""
    from django.core.management import call_command

    refuse_while_serving("restore")
    backup_key = _backup_key_for_restore(recovery_identity_text or identity_text)
    call_command("migrate", interactive=False, verbosity=0)
    occupied = [label for label in BACKED_UP_MODELS if apps.get_model(label).objects.exists()]
    if occupied:
        raise BackupError(f"restore needs an empty database; these tables have rows: {', '.join(occupied)}")
    manifest, data, blobs, authenticated = read_backup(  # checked before any key is imported
        path, identity_text, backup_key, accept_unauthenticated=accept_unauthenticated
    )
    unauthenticated = [] if authenticated else ["unauthenticated_backup"]
    if manifest["schema"] != _schema():
        raise BackupError(
            f"the backup was made with the database schema {manifest['schema']}, this courtpath has {_schema()}: "
            "restore it with the courtpath version that made it, then upgrade (docs/deployment.md)"
        )
    if key_export is not None:
        _, authenticated = import_key_export(
            key_export, identity_text, backup_key, accept_unauthenticated=accept_unauthenticated
        )
        unauthenticated += [] if authenticated else ["unauthenticated_keys"]
    rows = json.loads(data)
    wanted_keys = {str(row["fields"]["data_key"]) for row in rows if "data_key" in row["fields"]}
    present = {str(pk) for pk in DataKey.objects.filter(pk__in=wanted_keys).values_list("pk", flat=True)}
    kept = _leave_out_unkeyed(rows, present)
    if len(kept) < len(rows) and not leave_out_shredded:
        raise BackupError(
            f"{len(wanted_keys - present)} data keys of this backup are not here, so {len(rows) - len(kept)} rows "
            "could never be opened: give --keys with the key export, or, if those cases were deleted after the "
            "backup was made, --leave-out-shredded to restore everything else"
        )
    expected = dict(manifest["rows"])
    for row in rows:
        if row not in kept:
            label = apps.get_model(str(row["model"]))._meta.label
            expected[label] -= 1
    kept_blobs = {str(row["fields"]["blob"]).replace("-", "") for row in kept if row["model"] == "cases.document"}
    with transaction.atomic():
        count = _load(kept)
        restored = {label: apps.get_model(label).objects.count() for label in BACKED_UP_MODELS}
        if restored != expected:
            raise BackupError(f"restored row counts {restored} differ from the backup's manifest {expected}")
        _reset_sequences()
        if unauthenticated:
            _audit_unauthenticated(manifest, unauthenticated)
    written = 0
    for name, sealed in blobs.items():
        if name in kept_blobs:
            write_private(documents.blob_path(uuid.UUID(name)), sealed)
            written += 1
    if not backup_key_path(keyring_path()).exists():  # so that this installation's next backups are authenticated
        write_backup_key(backup_key_path(keyring_path()), backup_key)
    return {
        "rows": count,
        "documents": written,
        "left_out_rows": len(rows) - len(kept),
        "keys_missing": len(wanted_keys - present),
        "unauthenticated": [name.removeprefix("unauthenticated_") for name in unauthenticated],
    }
