"""TOTP codes and the field key that encrypts the TOTP secrets."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

import pyotp
import pytest
from cryptography.fernet import Fernet
from django.test import Client
from django.urls import reverse

from courtpath.web.accounts import totp
from courtpath.web.accounts.models import User


@pytest.fixture
def key_file(settings: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, not yet existing key file, and no key in the environment."""
    monkeypatch.delenv(totp.ENV_VARIABLE, raising=False)
    path = tmp_path / "data" / "field_key"
    settings.COURTPATH_FIELD_KEY_FILE = path
    return path


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


# -- the field key --------------------------------------------------------------------------------------------------


def test_key_file_is_created_private_on_first_use(key_file: Path) -> None:
    token = totp.encrypt_secret("JBSWY3DPEHPK3PXP")
    assert key_file.exists()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert b"JBSWY3DPEHPK3PXP" not in token
    assert totp.decrypt_secret(token) == "JBSWY3DPEHPK3PXP"  # the same key is read back
    Fernet(key_file.read_text().strip())  # a valid Fernet key


def test_environment_key_wins_over_the_file(key_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(totp.ENV_VARIABLE, Fernet.generate_key().decode())
    token = totp.encrypt_secret("JBSWY3DPEHPK3PXP")
    assert not key_file.exists()
    assert totp.decrypt_secret(token) == "JBSWY3DPEHPK3PXP"


def test_wrong_key_raises_a_clear_error(key_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    right, wrong = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv(totp.ENV_VARIABLE, right)
    token = totp.encrypt_secret("JBSWY3DPEHPK3PXP")
    monkeypatch.setenv(totp.ENV_VARIABLE, wrong)
    with pytest.raises(totp.FieldKeyError, match="not the key it was encrypted with") as raised:
        totp.decrypt_secret(token)
    assert right not in str(raised.value) and wrong not in str(raised.value)


@pytest.mark.parametrize("value", ["not-a-key", "c2hvcnQ=", "x" * 44])
def test_malformed_key_raises_a_clear_error(key_file: Path, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(totp.ENV_VARIABLE, value)
    with pytest.raises(totp.FieldKeyError, match="not a Fernet key") as raised:
        totp.encrypt_secret("JBSWY3DPEHPK3PXP")
    assert value not in str(raised.value)


def test_empty_key_file_raises_a_clear_error(key_file: Path) -> None:
    key_file.parent.mkdir(parents=True)
    key_file.write_text("\n")
    with pytest.raises(totp.FieldKeyError, match="no field key"):
        totp.encrypt_secret("JBSWY3DPEHPK3PXP")


def test_key_rotation_first_key_encrypts_all_decrypt(key_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv(totp.ENV_VARIABLE, old)
    old_token = totp.encrypt_secret("JBSWY3DPEHPK3PXP")
    monkeypatch.setenv(totp.ENV_VARIABLE, f"{new},{old}")
    assert totp.decrypt_secret(old_token) == "JBSWY3DPEHPK3PXP"
    new_token = totp.encrypt_secret("JBSWY3DPEHPK3PXP")
    monkeypatch.setenv(totp.ENV_VARIABLE, new)
    assert totp.decrypt_secret(new_token) == "JBSWY3DPEHPK3PXP"


def test_login_with_the_wrong_key_fails_loudly(
    lawyer: User, totp_code: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(totp.ENV_VARIABLE, Fernet.generate_key().decode())  # not the key of the stored secret
    client = Client()
    client.post(reverse("accounts:login"), {"username": lawyer.username, "password": lawyer.raw_password})
    with pytest.raises(totp.FieldKeyError):
        client.post(reverse("accounts:second_factor"), {"code": totp_code(lawyer)})
    assert not client.session.get("second_factor_ok")


def test_secret_generation() -> None:
    secrets = {totp.new_secret() for _ in range(50)}
    assert len(secrets) == 50
    assert all(len(s) == 32 and set(s) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for s in secrets)
    assert totp.grouped("ABCDEFGHIJ") == "ABCD EFGH IJ"
