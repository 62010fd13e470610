"""The keyring file: the master key, encrypted twice (to the operator's passphrase and to the offline recovery
identity), and the age recipient that backups are encrypted to.

The file holds no usable key by itself: a seized, powered-off server yields only these two ciphertexts. The
passphrase path uses Argon2id (256 MiB, 3 passes: about 0.7 s on a 2-core machine, once per start-up); the recovery
path uses age (X25519), whose secret identity is printed once at set-up and kept offline by the organisation.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyrage
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from pyrage import x25519

from courtpath.vault.cipher import SealError, new_key, open_sealed, seal
from courtpath.vault.errors import KeyringError
from courtpath.vault.files import write_private

FORMAT = "courtpath-keyring/1"
MIN_PASSPHRASE = 12
ASSOCIATED = b"courtpath master key"


@dataclass(frozen=True)
class KdfParams:
    memory_kib: int = 262144
    iterations: int = 3
    lanes: int = 4


@dataclass(frozen=True)
class MasterKey:
    key: bytes = field(repr=False)

    @cached_property  # asked for at every sealed value opened or written (web/vault/keys.py)
    def key_id(self) -> str:
        """A public fingerprint: tells keys apart without revealing them."""
        return hmac.new(self.key, b"courtpath key id", hashlib.sha256).hexdigest()[:16]

    def derive(self, purpose: str) -> bytes:
        """A subkey for one purpose (e.g. TOTP secrets), so the master key itself encrypts only data keys."""
        return hmac.new(self.key, b"courtpath subkey|" + purpose.encode(), hashlib.sha256).digest()


def new_master_key() -> MasterKey:
    return MasterKey(new_key())


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object, what: str) -> bytes:
    try:
        return base64.b64decode(str(text), validate=True)
    except ValueError:
        raise KeyringError(f"the keyring field {what} is not valid base64") from None


def _passphrase_key(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    kdf = Argon2id(
        salt=salt, length=32, iterations=params.iterations, lanes=params.lanes, memory_cost=params.memory_kib
    )
    return kdf.derive(passphrase.encode("utf-8"))


def check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise KeyringError(f"the passphrase must have at least {MIN_PASSPHRASE} characters")


def parse_recipient(text: str) -> x25519.Recipient:
    try:
        return x25519.Recipient.from_str(text.strip())
    except (ValueError, pyrage.RecipientError):
        raise KeyringError("not an age recipient (a public key starting with age1…)") from None


def parse_identity(text: str) -> x25519.Identity:
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    try:
        return x25519.Identity.from_str(lines[0])
    except (IndexError, ValueError, pyrage.IdentityError):
        raise KeyringError("not an age identity (a secret key starting with AGE-SECRET-KEY-1…)") from None


@dataclass(frozen=True)
class Keyring:
    """The parsed keyring file."""

    key_id: str
    salt: bytes
    kdf: KdfParams
    sealed_by_passphrase: bytes
    recovery_recipient: str
    sealed_for_recovery: bytes
    backup_recipient: str

    def unlock(self, passphrase: str) -> MasterKey:
        try:
            key = open_sealed(_passphrase_key(passphrase, self.salt, self.kdf), self.sealed_by_passphrase, ASSOCIATED)
        except SealError:
            raise KeyringError("wrong passphrase: the keyring does not open with it") from None
        return self._checked(MasterKey(key))

    def unlock_with_recovery(self, identity_text: str) -> MasterKey:
        try:
            key = pyrage.decrypt(self.sealed_for_recovery, [parse_identity(identity_text)])
        except pyrage.DecryptError:
            raise KeyringError("this recovery identity does not open the keyring") from None
        return self._checked(MasterKey(key))

    def _checked(self, master: MasterKey) -> MasterKey:
        if master.key_id != self.key_id:
            raise KeyringError("the keyring is inconsistent: the opened key is not the one it names")
        return master

    def to_json(self) -> str:
        document = {
            "format": FORMAT,
            "key_id": self.key_id,
            "passphrase": {
                "kdf": "argon2id",
                "salt": _b64(self.salt),
                "memory_kib": self.kdf.memory_kib,
                "iterations": self.kdf.iterations,
                "lanes": self.kdf.lanes,
                "sealed": _b64(self.sealed_by_passphrase),
            },
            "recovery": {"recipient": self.recovery_recipient, "encrypted": _b64(self.sealed_for_recovery)},
            "backup_recipient": self.backup_recipient,
        }
        return json.dumps(document, indent=2) + "\n"


def build_keyring(
    master: MasterKey,
    passphrase: str,
    recovery_recipient: str,
    backup_recipient: str | None = None,
    kdf: KdfParams | None = None,
) -> Keyring:
    check_passphrase(passphrase)
    kdf = kdf or KdfParams()
    salt = os.urandom(16)
    recipient = parse_recipient(recovery_recipient)
    backup = backup_recipient or recovery_recipient
    parse_recipient(backup)
    return Keyring(
        key_id=master.key_id,
        salt=salt,
        kdf=kdf,
        sealed_by_passphrase=seal(_passphrase_key(passphrase, salt, kdf), master.key, ASSOCIATED),
        recovery_recipient=recovery_recipient.strip(),
        sealed_for_recovery=pyrage.encrypt(master.key, [recipient]),
        backup_recipient=backup.strip(),
    )


def parse_keyring(text: str, source: str = "the keyring") -> Keyring:
    try:
        document = json.loads(text)
        if document.get("format") != FORMAT:
            raise KeyringError(f"{source}: unknown format {document.get('format')!r} (expected {FORMAT})")
        phrase, recovery = document["passphrase"], document["recovery"]
        return Keyring(
            key_id=str(document["key_id"]),
            salt=_unb64(phrase["salt"], "passphrase.salt"),
            kdf=KdfParams(int(phrase["memory_kib"]), int(phrase["iterations"]), int(phrase["lanes"])),
            sealed_by_passphrase=_unb64(phrase["sealed"], "passphrase.sealed"),
            recovery_recipient=str(recovery["recipient"]),
            sealed_for_recovery=_unb64(recovery["encrypted"], "recovery.encrypted"),
            backup_recipient=str(document["backup_recipient"]),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        if isinstance(error, KeyringError):
            raise
        raise KeyringError(f"{source} is malformed ({error.__class__.__name__}: {error})") from None


def read_keyring(path: Path) -> Keyring:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KeyringError(f"no keyring at {path}: run `courtpath web init` first") from None
    except OSError as error:
        raise KeyringError(f"cannot read the keyring {path}: {error.strerror}") from None
    return parse_keyring(text, str(path))


def write_keyring(path: Path, keyring: Keyring) -> None:
    """Replace the keyring atomically (a crash leaves the old or the new file, never half of one), mode 0600."""
    write_private(path, keyring.to_json().encode("utf-8"))


def new_recovery_identity() -> tuple[str, str]:
    """(secret identity, public recipient) of a fresh age X25519 key pair."""
    identity = x25519.Identity.generate()
    return str(identity), str(identity.to_public())
