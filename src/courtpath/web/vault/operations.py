"""Operator actions on the vault that touch the database: unlock at start-up, rotate the master key.

A rotation re-wraps every data key and re-encrypts every TOTP secret under a fresh master key in one database
transaction. The new keyring is written beside the old one (`keyring.json.next`) before the commit and renamed over
it after; if the process dies in between, the next unlock sees which key the committed data keys name and keeps
that keyring, so a crash can never leave data keys wrapped by a key that is nowhere.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from courtpath.vault import state
from courtpath.vault.errors import KeyringError
from courtpath.vault.keyring import KdfParams, MasterKey, build_keyring, new_master_key, read_keyring, write_keyring
from courtpath.vault.unlock import open_keyring
from courtpath.web.vault import keys
from courtpath.web.vault.models import DataKey


def keyring_path() -> Path:
    return Path(settings.COURTPATH_KEYRING_FILE)


def _serve_lock_path() -> Path:
    return Path(settings.DATA_DIR) / "serve.lock"


def hold_serving_lock() -> int:
    """Mark this installation as served, for as long as this process (and the workers it forks) lives: a shared
    lock on DATA_DIR/serve.lock, which the kernel drops when the process ends, however it ends."""
    path = _serve_lock_path()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(descriptor, fcntl.LOCK_SH)
    return descriptor


def refuse_while_serving(what: str) -> None:
    """Operator actions that replace keys or data under a running server (whose workers hold the old master key or
    the old rows in memory) refuse while `courtpath web serve` runs on this data folder."""
    path = _serve_lock_path()
    if not path.exists():
        return
    descriptor = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise KeyringError(f"the server is running on {settings.DATA_DIR}: stop it before the {what}") from None
    finally:
        os.close(descriptor)  # closing also releases the lock taken just now


def _next_path(path: Path) -> Path:
    return path.with_name(path.name + ".next")


def _wrapping_key_ids() -> set[str]:
    if DataKey._meta.db_table not in connection.introspection.table_names():
        return set()  # not migrated yet
    return set(DataKey.objects.values_list("master_key_id", flat=True).distinct())


def finish_interrupted_rotation(path: Path) -> str | None:
    """Keep whichever keyring the committed data keys were wrapped by; returns what was done, if anything."""
    staged = _next_path(path)
    if not staged.exists():
        return None
    used = _wrapping_key_ids()
    if read_keyring(staged).key_id in used:
        staged.replace(path)
        return "an interrupted key rotation had committed: its new keyring is now in place"
    staged.unlink()
    return "an interrupted key rotation had not committed: its staged keyring was discarded"


def check_master_matches_data(master: MasterKey) -> None:
    others = _wrapping_key_ids() - {master.key_id}
    if others:
        raise KeyringError(
            f"the keyring's master key {master.key_id} does not wrap the stored data keys (they name "
            f"{', '.join(sorted(others))}): this keyring belongs to another database or an older rotation"
        )


def unlock_process(passphrase_file: Path | None = None, recovery_file: Path | None = None) -> MasterKey:
    path = keyring_path()
    finish_interrupted_rotation(path)
    master = open_keyring(path, passphrase_file, recovery_file)
    check_master_matches_data(master)
    state.unlock(master)
    return master


def rotate_master_key(old: MasterKey, passphrase: str, kdf: KdfParams | None = None) -> tuple[MasterKey, int]:
    """Replace the master key: the data keys and TOTP secrets are re-wrapped and the name index rebuilt under the new
    key, so the database no longer opens with the old one (old keyring copies and key exports still do). Returns the
    new key and the data key count."""
    from courtpath.web.accounts import totp
    from courtpath.web.cases import name_index

    refuse_while_serving("key rotation")
    path = keyring_path()
    current = read_keyring(path)
    if current.key_id != old.key_id:
        raise KeyringError("the unlocked key is not the keyring's key")
    if not DataKey.objects.exists():  # at least one wrapped key records which master key committed
        keys.create_data_key()
    new = new_master_key()
    staged = build_keyring(new, passphrase, current.recovery_recipient, current.backup_recipient, kdf or current.kdf)
    with transaction.atomic():
        state.unlock(old)  # the names are opened with the old key (the command line has not unlocked the process)
        name_index.rebuild_all(new)  # and indexed under the new one
        count = keys.rewrap_all(old, new)
        totp.reencrypt_all(old, new)
        write_keyring(_next_path(path), staged)
    _next_path(path).replace(path)
    state.unlock(new)
    return new, count
