"""Authenticated encryption of one value: AES-256-GCM with a random 96-bit nonce and associated data.

A sealed value is ``MAGIC | nonce (12 bytes) | ciphertext | tag (16 bytes)``. The associated data names what the
value is and which key seals it (e.g. ``cases.Note.text|<data key id>``), so a ciphertext copied into another column
or another case does not open. Opening never returns ciphertext and never guesses: a wrong key, altered bytes or a
value that was never sealed raise SealError.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"cp1\x00"
NONCE_BYTES = 12
TAG_BYTES = 16
KEY_BYTES = 32
OVERHEAD = len(MAGIC) + NONCE_BYTES + TAG_BYTES


class SealError(Exception):
    """A sealed value could not be opened: wrong key, altered data, or not a sealed value at all."""


def new_key() -> bytes:
    return os.urandom(KEY_BYTES)


def seal(key: bytes, plaintext: bytes, associated: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return MAGIC + nonce + AESGCM(key).encrypt(nonce, plaintext, associated)


def open_sealed(key: bytes, sealed: bytes | memoryview | None, associated: bytes) -> bytes:
    if sealed is None:
        raise SealError("no sealed value stored (NULL)")
    sealed = bytes(sealed)
    if len(sealed) < OVERHEAD or not sealed.startswith(MAGIC):
        raise SealError("the stored value is not a sealed value")
    nonce = sealed[len(MAGIC) : len(MAGIC) + NONCE_BYTES]
    try:
        return AESGCM(key).decrypt(nonce, sealed[len(MAGIC) + NONCE_BYTES :], associated)
    except InvalidTag:
        raise SealError("the value does not open with this key (wrong key, or the data was altered)") from None
