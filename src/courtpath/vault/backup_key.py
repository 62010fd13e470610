"""The backup key: it authenticates backups and key exports, so that `restore` accepts only this installation's.

Backups are age-encrypted to a public recipient, and anyone who knows it can make a file that decrypts. So every
backup and key export starts, inside its encryption, with one line that names its kind and carries an HMAC-SHA256
tag under the backup key:

    courtpath-envelope/1 <kind> hmac-sha256 <64 hex digits>\\n<body>

The backup key is derived (HKDF-SHA256) from the offline recovery identity, not from the master key:

* whoever restores holds it, on any machine and without a keyring: `restore` needs that identity to decrypt anyway;
* it does not change with master-key rotation, so backups made before a rotation still verify;
* the server keeps a copy (`backup-key.json` beside the keyring, mode 0600), written when the keyring is made, by
  `restore`, or by `courtpath keys backup-key`, because backups run unattended with the vault locked. The copy
  decrypts nothing and reveals nothing of the identity; whoever steals it can forge files that `restore` accepts
  (threat model, §10).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from courtpath.vault.errors import BackupError, BackupNotAuthentic, UnauthenticatedBackup
from courtpath.vault.files import write_private
from courtpath.vault.keyring import parse_identity

FORMAT = "courtpath-backup-key/1"
FILE_NAME = "backup-key.json"
ENVELOPE = "courtpath-envelope/1"
ENVELOPE_FAMILY = b"courtpath-envelope/"
HKDF_INFO = b"courtpath backup authentication key/1"
KINDS = {"backup": "backup", "keys": "key export"}
_HEADER_LIMIT = 200


@dataclass(frozen=True)
class BackupKey:
    """The key and the recovery recipient (public) of the identity it was derived from."""

    key: bytes = field(repr=False)
    recipient: str

    def tag(self, kind: str, body: bytes) -> str:
        mac = hmac.new(self.key, f"{ENVELOPE} {kind}\n".encode(), hashlib.sha256)
        mac.update(body)
        return mac.hexdigest()


def derive_backup_key(identity_text: str) -> BackupKey:
    """The backup key of the installation whose recovery identity this is (the same identity, the same key)."""
    identity = parse_identity(identity_text)
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO).derive(str(identity).encode("ascii"))
    return BackupKey(key, str(identity.to_public()))


def backup_key_path(keyring_path: Path) -> Path:
    return keyring_path.with_name(FILE_NAME)


def write_backup_key(path: Path, backup_key: BackupKey) -> None:
    document = {
        "format": FORMAT,
        "recovery_recipient": backup_key.recipient,
        "key": base64.b64encode(backup_key.key).decode("ascii"),
    }
    write_private(path, (json.dumps(document, indent=2) + "\n").encode("utf-8"))


def read_backup_key(path: Path) -> BackupKey:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        if document.get("format") != FORMAT:
            raise BackupError(f"{path} is not a courtpath backup key (format {document.get('format')!r})")
        key = base64.b64decode(str(document["key"]), validate=True)
        if len(key) != 32:
            raise BackupError(f"the backup key {path} is malformed")
        return BackupKey(key, str(document["recovery_recipient"]))
    except FileNotFoundError:
        raise BackupError(
            f"this installation has no backup key ({path}); it was set up before backups were authenticated: run "
            "`courtpath keys backup-key --identity FILE` once with the offline recovery identity"
        ) from None
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        if isinstance(error, BackupError):
            raise
        raise BackupError(f"the backup key {path} is malformed ({error.__class__.__name__})") from None


def envelope(backup_key: BackupKey, kind: str, body: bytes) -> bytes:
    """`body` with the line that authenticates it in front."""
    return f"{ENVELOPE} {kind} hmac-sha256 {backup_key.tag(kind, body)}\n".encode("ascii") + body


def is_enveloped(payload: bytes) -> bool:
    return payload.startswith(ENVELOPE_FAMILY)


def open_envelope(backup_key: BackupKey, kind: str, payload: bytes, source: str) -> bytes:
    """The body of an authenticated file, checked before anything reads it.

    Raises UnauthenticatedBackup for a file without the line (made before backups were authenticated, or by anyone
    with the public recipient) and BackupNotAuthentic for a tag that does not verify (another installation's file,
    or a changed one)."""
    what = KINDS[kind]
    if not is_enveloped(payload):
        raise UnauthenticatedBackup(
            f"{source} is not authenticated: it was made before courtpath authenticated its {what}s, or by someone "
            f"else with the public recipient. Restore it only if you know it is one of your own older {what}s, "
            "with --accept-unauthenticated (the restore is then recorded in the audit log)"
        )
    header, newline, body = payload.partition(b"\n")
    parts = header.decode("ascii", errors="replace").split(" ") if newline and len(header) < _HEADER_LIMIT else []
    if not parts or parts[0] != ENVELOPE:
        raise BackupError(f"{source} was made by a newer courtpath (or is damaged): restore it with that version")
    if len(parts) != 4 or parts[2] != "hmac-sha256":
        raise BackupNotAuthentic(f"{source} has a malformed authentication line: it is damaged or forged")
    if parts[1] != kind:
        found = KINDS.get(parts[1], parts[1][:20])
        raise BackupError(f"{source} is a {found}, not a {what}")
    if not hmac.compare_digest(parts[3].encode("ascii", errors="replace"), backup_key.tag(kind, body).encode()):
        raise BackupNotAuthentic(
            f"{source} was not made by this installation: its authentication does not verify with the backup key of "
            "this recovery identity (another installation's file, or a changed one). Nothing was restored"
        )
    return body
