"""The sealing primitive: round trips over arbitrary values, and every way opening must fail."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from courtpath.vault.cipher import MAGIC, OVERHEAD, SealError, new_key, open_sealed, seal

KEY = new_key()


@given(st.binary(max_size=4096), st.binary(max_size=64))
def test_round_trip_of_any_bytes(plaintext: bytes, associated: bytes) -> None:
    sealed = seal(KEY, plaintext, associated)
    assert len(sealed) == len(plaintext) + OVERHEAD
    assert open_sealed(KEY, sealed, associated) == plaintext


@given(st.text())
def test_round_trip_of_any_text(text: str) -> None:
    assert open_sealed(KEY, seal(KEY, text.encode(), b"t"), b"t").decode() == text


@settings(max_examples=5, deadline=None)
@given(st.integers(min_value=1 << 20, max_value=8 << 20))
def test_round_trip_of_large_values(size: int) -> None:
    plaintext = bytes(range(256)) * (size // 256)
    assert open_sealed(KEY, seal(KEY, plaintext, b"big"), b"big") == plaintext


def test_empty_value_is_sealed_not_dropped() -> None:
    sealed = seal(KEY, b"", b"x")
    assert sealed.startswith(MAGIC) and len(sealed) == OVERHEAD
    assert open_sealed(KEY, sealed, b"x") == b""


def test_same_plaintext_seals_differently_each_time() -> None:
    assert seal(KEY, b"Ivanov", b"a") != seal(KEY, b"Ivanov", b"a")


@given(st.binary(min_size=1, max_size=256))
def test_wrong_key_fails(plaintext: bytes) -> None:
    sealed = seal(KEY, plaintext, b"a")
    with pytest.raises(SealError, match="wrong key"):
        open_sealed(new_key(), sealed, b"a")


@given(st.binary(max_size=256), st.data())
def test_any_altered_byte_fails(plaintext: bytes, data: st.DataObject) -> None:
    sealed = bytearray(seal(KEY, plaintext, b"a"))
    position = data.draw(st.integers(min_value=len(MAGIC), max_value=len(sealed) - 1))
    sealed[position] ^= data.draw(st.integers(min_value=1, max_value=255))
    with pytest.raises(SealError):
        open_sealed(KEY, bytes(sealed), b"a")


def test_other_associated_data_fails() -> None:
    with pytest.raises(SealError):
        open_sealed(KEY, seal(KEY, b"note", b"cases.Note.text|1"), b"cases.Note.text|2")


@pytest.mark.parametrize("stored", [None, b"", b"plain text, never sealed", MAGIC + b"short"])
def test_values_that_were_never_sealed_fail(stored: bytes | None) -> None:
    with pytest.raises(SealError):
        open_sealed(KEY, stored, b"a")
