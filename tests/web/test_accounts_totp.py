"""TOTP codes and the vault subkey that encrypts the TOTP secrets."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pyotp
import pytest
from django.test import Client
from django.urls import reverse

from courtpath.vault import state
from courtpath.vault.keyring import MasterKey, new_master_key
from courtpath.web.accounts import totp
from courtpath.web.accounts.models import User
from courtpath.web.settings_test import TEST_MASTER_KEY

# -- codes ----------------------------------------------------------------------------------------------------------


def test_codes_follow_rfc_6238() -> None:
    # RFC 6238 appendix B, SHA-1 secret "12345678901234567890", last 6 of the 8 digits at T = 59 s.
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    assert totp.matching_counter(secret, "287082", after=0, at=59) == 1
    assert totp.STEP_SECONDS == 30 and totp.DIGITS == 6


def test_one_step_of_drift_either_way_is_accepted() -> None:
    secret = totp.new_secret()
    now = 1_800_000_000.0
    current = totp.counter_at(now)
    for drift in (-1, 0, 1):
        assert totp.matching_counter(secret, totp.code_at(secret, current + drift), after=0, at=now) == current + drift
    for drift in (-3, -2, 2, 3):
        code = totp.code_at(secret, current + drift)
        if code not in {totp.code_at(secret, current + d) for d in (-1, 0, 1)}:
            assert totp.matching_counter(secret, code, after=0, at=now) is None


def test_a_used_counter_is_refused() -> None:
    secret = totp.new_secret()
    now = 1_800_000_000.0
    current = totp.counter_at(now)
    code = totp.code_at(secret, current)
    assert totp.matching_counter(secret, code, after=current - 1, at=now) == current
    assert totp.matching_counter(secret, code, after=current, at=now) is None
    assert totp.matching_counter(secret, totp.code_at(secret, current - 1), after=current, at=now) is None


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "١٢٣٤٥٦", "12345\n"])
def test_malformed_codes_never_match(code: str) -> None:
    assert totp.matching_counter(totp.new_secret(), code, after=0) is None


def test_spaces_inside_a_code_are_ignored() -> None:
    secret = totp.new_secret()
    code = pyotp.TOTP(secret).now()
    assert totp.matching_counter(secret, f"{code[:3]} {code[3:]}", after=0) is not None


def test_verify_consumes_the_code(lawyer: User, totp_code: Callable[..., str]) -> None:
    code = totp_code(lawyer)
    assert totp.verify(lawyer, code)
    assert not totp.verify(lawyer, code)
    stale = User.objects.get(pk=lawyer.pk)
    stale.totp_last_counter = 0  # an out-of-date copy, as in a concurrent request: the database still refuses
    assert not totp.verify(stale, code)


def test_enrolment_page_draws_the_qr_code_on_the_server() -> None:
    svg = totp.qr_svg(totp.provisioning_uri(totp.new_secret(), "anna"))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "style" not in svg and "<script" not in svg and "href" not in svg


def test_the_provisioning_uri_carries_the_settings(settings: object) -> None:
    settings.COURTPATH_TOTP_ISSUER = "Tea club"
    secret = totp.new_secret()
    parsed = pyotp.parse_uri(totp.provisioning_uri(secret, "anna"))
    assert (parsed.secret, parsed.digits, parsed.interval, parsed.issuer) == (secret, 6, 30, "Tea club")


# -- the key (a subkey of the vault's master key) --------------------------------------------------------------------


@pytest.fixture
def other_master() -> Iterator[MasterKey]:
    """Unlock the process with another master key for one test (the test settings' key is restored after)."""
    previous = state.master()
    other = new_master_key()
    state.unlock(other)
    yield other
    state.unlock(previous)


def test_secret_is_encrypted_under_the_master_key() -> None:
    token = totp.encrypt_secret("JBSWY3DPEHPK3PXP")
    assert b"JBSWY3DPEHPK3PXP" not in token
    assert totp.decrypt_secret(token) == "JBSWY3DPEHPK3PXP"
    assert totp.decrypt_secret(token, state.master()) == "JBSWY3DPEHPK3PXP"


def test_wrong_master_key_raises_a_clear_error(other_master: MasterKey) -> None:
    token = totp.encrypt_secret("JBSWY3DPEHPK3PXP", TEST_MASTER_KEY)
    with pytest.raises(totp.FieldKeyError, match="does not open with the unlocked master key") as raised:
        totp.decrypt_secret(token)
    assert other_master.key.hex() not in str(raised.value)


def test_locked_vault_refuses_to_encrypt() -> None:
    previous = state.master()
    state.lock()
    try:
        with pytest.raises(state.VaultLocked):
            totp.encrypt_secret("JBSWY3DPEHPK3PXP")
    finally:
        state.unlock(previous)


@pytest.mark.django_db
def test_reencrypt_all_moves_secrets_to_the_new_key(lawyer: User) -> None:
    new = new_master_key()
    assert totp.reencrypt_all(TEST_MASTER_KEY, new) >= 1
    lawyer.refresh_from_db()
    secret = totp.decrypt_secret(lawyer.totp_secret_encrypted, new)
    assert len(secret) == 32
    with pytest.raises(totp.FieldKeyError):
        totp.decrypt_secret(lawyer.totp_secret_encrypted, TEST_MASTER_KEY)


def test_login_with_the_wrong_key_fails_loudly(
    lawyer: User, totp_code: Callable[..., str], other_master: MasterKey
) -> None:
    state.unlock(TEST_MASTER_KEY)
    code = totp_code(lawyer)
    state.unlock(other_master)  # not the key of the stored secret
    client = Client()
    client.post(reverse("accounts:login"), {"username": lawyer.username, "password": lawyer.raw_password})
    with pytest.raises(totp.FieldKeyError):
        client.post(reverse("accounts:second_factor"), {"code": code})
    assert not client.session.get("second_factor_ok")


def test_secret_generation() -> None:
    secrets = {totp.new_secret() for _ in range(50)}
    assert len(secrets) == 50
    assert all(len(s) == 32 and set(s) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for s in secrets)
    assert totp.grouped("ABCDEFGHIJ") == "ABCD EFGH IJ"
