"""Where the passphrase comes from, and setting up or opening the keyring with it.

Sources, in order: a file given on the command line or in COURTPATH_PASSPHRASE_FILE (removable media, a systemd
credential in /run/credentials/…, never the data folder), else a prompt on the terminal. Without a terminal and
without a file the vault stays locked and the command says how to unlock it.
"""

from __future__ import annotations

import getpass
import os
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path

from courtpath.vault.backup_key import backup_key_path, derive_backup_key, write_backup_key
from courtpath.vault.errors import KeyringError
from courtpath.vault.keyring import (
    KdfParams,
    MasterKey,
    build_keyring,
    check_passphrase,
    new_master_key,
    new_recovery_identity,
    read_keyring,
    write_keyring,
)

PASSPHRASE_FILE_ENV = "COURTPATH_PASSPHRASE_FILE"


def read_secret_file(path: Path, what: str) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise KeyringError(f"cannot read the {what} file {path}: {error.strerror}") from None
    value = text.rstrip("\r\n")
    if not value.strip():
        raise KeyringError(f"the {what} file {path} is empty")
    return value


def _passphrase_file(given: Path | None) -> Path | None:
    if given is not None:
        return given
    from_environment = os.environ.get(PASSPHRASE_FILE_ENV, "").strip()
    return Path(from_environment) if from_environment else None


def _interactive() -> bool:
    return sys.stdin.isatty()


def ask_passphrase(given_file: Path | None, *, confirm: bool = False) -> str | None:
    """The passphrase from the file or a terminal prompt; None when there is neither."""
    path = _passphrase_file(given_file)
    if path is not None:
        return read_secret_file(path, "passphrase")
    if not _interactive():
        return None
    passphrase = getpass.getpass("courtpath passphrase: ")
    if confirm:
        check_passphrase(passphrase)
        if getpass.getpass("repeat the passphrase: ") != passphrase:
            raise KeyringError("the two passphrases differ")
    return passphrase


def open_keyring(
    keyring_path: Path, passphrase_file: Path | None = None, recovery_file: Path | None = None
) -> MasterKey:
    keyring = read_keyring(keyring_path)
    if recovery_file is not None:
        return keyring.unlock_with_recovery(read_secret_file(recovery_file, "recovery identity"))
    passphrase = ask_passphrase(passphrase_file)
    if passphrase is None:
        raise KeyringError(
            "the vault is locked: run this on a terminal to type the passphrase, or give --passphrase-file "
            f"(or {PASSPHRASE_FILE_ENV}) pointing at a file on removable media or in systemd credentials"
        )
    return keyring.unlock(passphrase)


@dataclass(frozen=True)
class NewKeyring:
    master: MasterKey
    generated_passphrase: str | None  # set when no passphrase was given: shown once
    recovery_identity: str | None  # set when not written to a file: shown once


def create_keyring(
    keyring_path: Path,
    passphrase_file: Path | None = None,
    recovery_out: Path | None = None,
    kdf: KdfParams | None = None,
    *,
    may_show_secrets: bool = True,
) -> NewKeyring:
    """A new master key and keyring, and the backup key derived from the new recovery identity (beside the
    keyring); the recovery identity goes to `recovery_out` (mode 0600) or is returned.

    Secrets that would be returned to be shown (a generated passphrase, the recovery identity) are refused unless
    `may_show_secrets`: shown on anything but a terminal they would end up in a log or a journal on disk."""
    if keyring_path.exists():
        raise KeyringError(f"a keyring already exists at {keyring_path}")
    if not may_show_secrets and (recovery_out is None or _passphrase_file(passphrase_file) is None):
        raise KeyringError(
            "the first start makes secrets that are shown once, and this output is not a terminal (it may be "
            "logged): run `courtpath web init` in a terminal, or give --passphrase-file and --recovery-out"
        )
    passphrase = ask_passphrase(passphrase_file, confirm=True)
    generated = None
    if passphrase is None:
        generated = passphrase = "-".join(secrets.token_urlsafe(6) for _ in range(4))
    identity, recipient = new_recovery_identity()
    master = new_master_key()
    keyring = build_keyring(master, passphrase, recipient, kdf=kdf)
    if recovery_out is not None:
        descriptor = os.open(recovery_out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(f"# courtpath recovery identity for keyring {master.key_id}: keep offline\n{identity}\n")
    write_backup_key(backup_key_path(keyring_path), derive_backup_key(identity))  # before: no keyring without it
    write_keyring(keyring_path, keyring)
    return NewKeyring(master, generated, None if recovery_out else identity)


def change_passphrase(keyring_path: Path, master: MasterKey, new_passphrase: str, kdf: KdfParams | None = None) -> None:
    keyring = read_keyring(keyring_path)
    write_keyring(
        keyring_path,
        build_keyring(master, new_passphrase, keyring.recovery_recipient, keyring.backup_recipient, kdf or keyring.kdf),
    )
