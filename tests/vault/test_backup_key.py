"""The backup key and the envelope that authenticates backups and key exports (courtpath.vault.backup_key)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from courtpath.vault.backup_key import (
    backup_key_path,
    derive_backup_key,
    envelope,
    open_envelope,
    read_backup_key,
    write_backup_key,
)
from courtpath.vault.errors import BackupError, BackupNotAuthentic, UnauthenticatedBackup
from courtpath.vault.keyring import KdfParams, new_recovery_identity
from courtpath.vault.unlock import create_keyring

BODY = b"an archive of fictional rows\n\x00\xff"


def test_the_key_is_the_identity_s_and_no_other_s() -> None:
    identity, recipient = new_recovery_identity()
    first, again = derive_backup_key(identity), derive_backup_key(f"# a comment line\n{identity.lower()}\n")
    assert first == again and first.recipient == recipient  # the same identity however the file spells it
    other, _ = new_recovery_identity()
    assert derive_backup_key(other).key != first.key
    assert first.key not in identity.encode() and first.key.hex() not in identity.lower()


def test_an_enveloped_body_opens_with_its_key() -> None:
    key = derive_backup_key(new_recovery_identity()[0])
    assert open_envelope(key, "backup", envelope(key, "backup", BODY), "file") == BODY


@pytest.mark.parametrize("position", [0, 5, len(BODY) - 1])
def test_a_changed_byte_is_refused(position: int) -> None:
    key = derive_backup_key(new_recovery_identity()[0])
    sealed = bytearray(envelope(key, "backup", BODY))
    sealed[len(sealed) - len(BODY) + position] ^= 0x01
    with pytest.raises(BackupNotAuthentic, match="not made by this installation"):
        open_envelope(key, "backup", bytes(sealed), "file")


def test_another_installation_s_key_is_refused() -> None:
    ours, theirs = (derive_backup_key(new_recovery_identity()[0]) for _ in range(2))
    with pytest.raises(BackupNotAuthentic):
        open_envelope(ours, "backup", envelope(theirs, "backup", BODY), "file")


def test_a_file_without_authentication_is_its_own_error() -> None:
    key = derive_backup_key(new_recovery_identity()[0])
    with pytest.raises(UnauthenticatedBackup, match="--accept-unauthenticated"):
        open_envelope(key, "backup", BODY, "file")


def test_a_key_export_is_not_a_backup_and_a_newer_format_is_named() -> None:
    key = derive_backup_key(new_recovery_identity()[0])
    with pytest.raises(BackupError, match="is a key export, not a backup"):
        open_envelope(key, "backup", envelope(key, "keys", BODY), "file")
    with pytest.raises(BackupError, match="newer courtpath"):
        open_envelope(key, "backup", b"courtpath-envelope/2 backup ed25519 00\n" + BODY, "file")
    with pytest.raises(BackupNotAuthentic, match="malformed"):
        open_envelope(key, "backup", b"courtpath-envelope/1 backup\n" + BODY, "file")


def test_the_key_file_is_private_and_read_back(tmp_path: Path) -> None:
    key = derive_backup_key(new_recovery_identity()[0])
    path = tmp_path / "backup-key.json"
    write_backup_key(path, key)
    assert read_backup_key(path) == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with pytest.raises(BackupError, match="keys backup-key --identity"):
        read_backup_key(tmp_path / "missing.json")
    path.write_text("{not json")
    with pytest.raises(BackupError, match="malformed"):
        read_backup_key(path)


def test_a_new_keyring_comes_with_the_backup_key_of_its_identity(tmp_path: Path) -> None:
    passphrase = tmp_path / "passphrase"
    passphrase.write_text("a long enough test passphrase\n")
    keyring = tmp_path / "keyring.json"
    created = create_keyring(keyring, passphrase, kdf=KdfParams(memory_kib=8192, iterations=1, lanes=1))
    assert created.recovery_identity is not None
    assert read_backup_key(backup_key_path(keyring)) == derive_backup_key(created.recovery_identity)
