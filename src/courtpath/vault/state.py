"""The process's unlocked master key. It lives only in memory: set once at start-up (before gunicorn forks its
workers, which inherit it), never written anywhere."""

from __future__ import annotations

from typing import TYPE_CHECKING

from courtpath.vault.errors import VaultLocked

if TYPE_CHECKING:
    from courtpath.vault.keyring import MasterKey

__all__ = ["VaultLocked", "is_unlocked", "lock", "master", "unlock"]

_unlocked: dict[str, MasterKey] = {}


def unlock(master: MasterKey) -> None:
    _unlocked["master"] = master


def lock() -> None:
    _unlocked.clear()


def is_unlocked() -> bool:
    return "master" in _unlocked


def master() -> MasterKey:
    try:
        return _unlocked["master"]
    except KeyError:
        raise VaultLocked(
            "the vault is locked: start the app with `courtpath web serve` and give the passphrase"
        ) from None
