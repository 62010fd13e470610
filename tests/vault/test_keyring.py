"""The keyring file: the master key opens only with the passphrase or the recovery identity."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from courtpath.vault.errors import KeyringError
from courtpath.vault.keyring import (
    KdfParams,
    build_keyring,
    new_master_key,
    new_recovery_identity,
    parse_keyring,
    read_keyring,
    write_keyring,
)
from courtpath.vault.unlock import create_keyring, open_keyring

FAST = KdfParams(memory_kib=8192, iterations=1, lanes=1)  # the real parameters cost 0.7 s per unlock
PASSPHRASE = "a long enough test passphrase"


@pytest.fixture
def made(tmp_path: Path) -> tuple[Path, str, object]:
    identity, recipient = new_recovery_identity()
    master = new_master_key()
    path = tmp_path / "keyring.json"
    write_keyring(path, build_keyring(master, PASSPHRASE, recipient, kdf=FAST))
    return path, identity, master


def test_unlock_with_the_passphrase(made: tuple) -> None:
    path, _, master = made
    assert read_keyring(path).unlock(PASSPHRASE) == master
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_file_holds_no_key_in_clear(made: tuple) -> None:
    path, _, master = made
    text = path.read_bytes()
    assert master.key not in text and master.key.hex().encode() not in text
    assert PASSPHRASE.encode() not in text


def test_wrong_passphrase_is_refused(made: tuple) -> None:
    path, _, _ = made
    with pytest.raises(KeyringError, match="wrong passphrase"):
        read_keyring(path).unlock(PASSPHRASE + "!")


def test_recovery_identity_opens_it_and_another_does_not(made: tuple) -> None:
    path, identity, master = made
    assert read_keyring(path).unlock_with_recovery(identity) == master
    other, _ = new_recovery_identity()
    with pytest.raises(KeyringError, match="does not open"):
        read_keyring(path).unlock_with_recovery(other)
    with pytest.raises(KeyringError, match="not an age identity"):
        read_keyring(path).unlock_with_recovery("not a key")


def test_short_passphrase_is_refused() -> None:
    _, recipient = new_recovery_identity()
    with pytest.raises(KeyringError, match="at least 12"):
        build_keyring(new_master_key(), "short", recipient, kdf=FAST)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="other/9"), "unknown format"),
        (lambda d: d.pop("recovery"), "malformed"),
        (lambda d: d["passphrase"].update(salt="***"), "not valid base64"),
        (lambda d: d.update(key_id="0000000000000000"), "inconsistent"),
    ],
)
def test_damaged_keyring_gives_a_clear_error(made: tuple, change: object, message: str) -> None:
    path, _, _ = made
    document = json.loads(path.read_text())
    change(document)  # type: ignore[operator]
    with pytest.raises(KeyringError, match=message):
        parse_keyring(json.dumps(document)).unlock(PASSPHRASE)


def test_missing_keyring_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(KeyringError, match="courtpath web init"):
        read_keyring(tmp_path / "none.json")


def test_create_with_a_passphrase_file_and_a_recovery_file(tmp_path: Path) -> None:
    (tmp_path / "pass").write_text(PASSPHRASE + "\n")
    created = create_keyring(tmp_path / "k.json", tmp_path / "pass", tmp_path / "recovery.txt", kdf=FAST)
    assert created.generated_passphrase is None and created.recovery_identity is None
    assert stat.S_IMODE((tmp_path / "recovery.txt").stat().st_mode) == 0o600
    assert open_keyring(tmp_path / "k.json", tmp_path / "pass") == created.master
    assert open_keyring(tmp_path / "k.json", recovery_file=tmp_path / "recovery.txt") == created.master
    with pytest.raises(KeyringError, match="already exists"):
        create_keyring(tmp_path / "k.json", tmp_path / "pass", kdf=FAST)


def test_without_a_terminal_or_file_a_passphrase_is_generated_and_shown_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COURTPATH_PASSPHRASE_FILE", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    created = create_keyring(tmp_path / "k.json", kdf=FAST)
    assert created.generated_passphrase and created.recovery_identity.startswith("AGE-SECRET-KEY-1")
    assert read_keyring(tmp_path / "k.json").unlock(created.generated_passphrase) == created.master
    with pytest.raises(KeyringError, match="the vault is locked"):
        open_keyring(tmp_path / "k.json")


def test_empty_passphrase_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "pass").write_text("\n")
    with pytest.raises(KeyringError, match="is empty"):
        create_keyring(tmp_path / "k.json", tmp_path / "pass", kdf=FAST)
