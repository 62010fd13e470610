"""The second factor: TOTP (RFC 6238: 30-second steps, 6 digits, one step of clock drift either way).

The shared secret is stored encrypted with Fernet (AES-128-CBC + HMAC-SHA256, authenticated) under a subkey of the
vault's master key (courtpath.vault), which exists only in the memory of an unlocked process: neither a database
copy nor the server's disk yields anyone's second factor. A secret that does not open with the unlocked key raises
FieldKeyError: never a silent fallback, never a half-working login. `courtpath keys rotate` re-encrypts the secrets.

A code is accepted once: its time counter must be greater than user.totp_last_counter, and the counter is consumed
with a conditional UPDATE, so two concurrent requests with the same code cannot both succeed.
"""

from __future__ import annotations

import base64
import hmac
import time

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

from courtpath.vault import state
from courtpath.vault.keyring import MasterKey
from courtpath.web.accounts.models import User

STEP_SECONDS = 30
DIGITS = 6
WINDOW_STEPS = 1
PURPOSE = "totp secrets"


class FieldKeyError(RuntimeError):
    """A stored TOTP secret does not open with the unlocked master key."""


# -- the key --------------------------------------------------------------------------------------------------------


def _cipher(master: MasterKey | None = None) -> Fernet:
    return Fernet(base64.urlsafe_b64encode((master or state.master()).derive(PURPOSE)))


def encrypt_secret(secret: str, master: MasterKey | None = None) -> bytes:
    return _cipher(master).encrypt(secret.encode("ascii"))


def decrypt_secret(token: bytes | memoryview, master: MasterKey | None = None) -> str:
    try:
        return _cipher(master).decrypt(bytes(token)).decode("ascii")
    except InvalidToken:
        raise FieldKeyError(
            "a stored TOTP secret does not open with the unlocked master key: was the keyring replaced or rotated "
            "without `courtpath keys rotate`? Nobody can log in until the right keyring is restored"
        ) from None


def reencrypt_all(old: MasterKey, new: MasterKey) -> int:
    """Move every stored TOTP secret from the old master key to the new one (inside the caller's transaction)."""
    count = 0
    for user in User.objects.exclude(totp_secret_encrypted=None).select_for_update():
        user.totp_secret_encrypted = encrypt_secret(decrypt_secret(user.totp_secret_encrypted, old), new)
        user.save(update_fields=["totp_secret_encrypted"])
        count += 1
    return count


# -- codes ----------------------------------------------------------------------------------------------------------


def new_secret() -> str:
    """A fresh base32 secret of 160 bits (the size RFC 4226 recommends)."""
    return pyotp.random_base32(length=32)


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)


def normalise_code(code: str) -> str:
    """What the user typed, without the spaces or hyphens some apps show in the middle of a code."""
    return "".join(code.split()).replace("-", "")


def is_well_formed(code: str) -> bool:
    code = normalise_code(code)
    return len(code) == DIGITS and code.isascii() and code.isdigit()


def counter_at(moment: float) -> int:
    return int(moment // STEP_SECONDS)


def code_at(secret: str, counter: int) -> str:
    return _totp(secret).generate_otp(counter)


def matching_counter(secret: str, code: str, *, after: int, at: float | None = None) -> int | None:
    """The time counter, within the allowed drift of `at`, whose code is `code` and which is greater than `after`.

    None when the code is malformed, wrong, outside the window, or belongs to a counter already used (a replay).
    """
    code = normalise_code(code)
    if not is_well_formed(code):
        return None
    current = counter_at(time.time() if at is None else at)
    found = None
    for counter in range(current - WINDOW_STEPS, current + WINDOW_STEPS + 1):
        # Compare every candidate (constant time, no early exit) and keep the newest match.
        if hmac.compare_digest(code_at(secret, counter), code) and counter > after:
            found = counter
    return found


def verify(user: User, code: str, *, at: float | None = None) -> bool:
    """Check `code` against the user's stored secret (confirmed or pending) and consume its counter.

    Raises FieldKeyError when the secret cannot be decrypted.
    """
    if not user.totp_secret_encrypted:
        return False
    secret = decrypt_secret(user.totp_secret_encrypted)
    counter = matching_counter(secret, code, after=user.totp_last_counter, at=at)
    if counter is None:
        return False
    consumed = User.objects.filter(pk=user.pk, totp_last_counter__lt=counter).update(totp_last_counter=counter)
    if not consumed:
        return False  # a concurrent request used this code (or a later one) first
    user.totp_last_counter = counter
    return True


# -- enrolment ------------------------------------------------------------------------------------------------------


def provisioning_uri(secret: str, username: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code.

    The label stays in the authenticator app on the phone; settings.COURTPATH_TOTP_ISSUER (default "courtpath")
    lets an organisation choose a name that does not point at it if a phone is searched.
    """
    issuer = getattr(settings, "COURTPATH_TOTP_ISSUER", "courtpath")
    return _totp(secret).provisioning_uri(name=username, issuer_name=issuer)


def qr_svg(uri: str) -> str:
    """The QR code of `uri` as an inline <svg> element: made on the server, no script, no style, no request."""
    return segno.make(uri, error="m").svg_inline(scale=5, svgclass="qr-code", lineclass="qr-line")


def grouped(secret: str) -> str:
    """The secret in groups of four characters, easier to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
