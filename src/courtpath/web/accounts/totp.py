"""The second factor: TOTP (RFC 6238: 30-second steps, 6 digits, one step of clock drift either way).

The shared secret is stored encrypted with Fernet (AES-128-CBC + HMAC-SHA256, authenticated), so a database dump or
backup alone does not yield anyone's second factor. The key ("field key") comes from

* the environment variable COURTPATH_FIELD_KEY, or else
* the file settings.COURTPATH_FIELD_KEY_FILE, created with mode 0600 on first use.

Several keys may be given (comma-separated in the variable, one per line in the file): the first encrypts, all of
them decrypt, which allows a key rotation. A key that is malformed, empty or not the one a secret was encrypted with
raises FieldKeyError: never a silent fallback, never a half-working login.

A code is accepted once: its time counter must be greater than user.totp_last_counter, and the counter is consumed
with a conditional UPDATE, so two concurrent requests with the same code cannot both succeed.
"""

from __future__ import annotations

import contextlib
import hmac
import os
import tempfile
import time
from pathlib import Path

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

from courtpath.web.accounts.models import User

STEP_SECONDS = 30
DIGITS = 6
WINDOW_STEPS = 1
ENV_VARIABLE = "COURTPATH_FIELD_KEY"


class FieldKeyError(RuntimeError):
    """The field key is missing, malformed, or is not the key the stored TOTP secrets were encrypted with."""


# -- the key --------------------------------------------------------------------------------------------------------


def _key_file() -> Path:
    return Path(settings.COURTPATH_FIELD_KEY_FILE)


def _read_or_create_key_file(path: Path) -> str:
    try:
        return path.read_text(encoding="ascii")
    except FileNotFoundError:
        pass
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Write a complete key to a private temporary file, then link it into place: the link fails if another process
    # created the key meanwhile, and nobody ever reads a half-written key.
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".field_key-")  # mode 0600
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(Fernet.generate_key().decode("ascii") + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):  # created by another process meanwhile: use theirs
            os.link(temporary, path)
    finally:
        os.unlink(temporary)
    return path.read_text(encoding="ascii")


def _cipher() -> MultiFernet:
    from_environment = os.environ.get(ENV_VARIABLE, "").strip()
    if from_environment:
        source, text = f"the environment variable {ENV_VARIABLE}", from_environment
    else:
        path = _key_file()
        try:
            source, text = f"the key file {path}", _read_or_create_key_file(path)
        except (OSError, UnicodeDecodeError) as error:
            reason = error.__class__.__name__
            raise FieldKeyError(f"cannot read or create the field key file {path}: {reason}") from None
    keys = [key.strip() for key in text.replace(",", "\n").splitlines() if key.strip()]
    if not keys:
        raise FieldKeyError(f"no field key in {source}")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError:
        # The message never contains the key itself.
        raise FieldKeyError(
            f"{source} holds a value that is not a Fernet key (32 url-safe base64-encoded bytes)"
        ) from None


def encrypt_secret(secret: str) -> bytes:
    return _cipher().encrypt(secret.encode("ascii"))


def decrypt_secret(token: bytes | memoryview) -> str:
    try:
        return _cipher().decrypt(bytes(token)).decode("ascii")
    except InvalidToken:
        raise FieldKeyError(
            "a stored TOTP secret cannot be decrypted: the configured field key is not the key it was encrypted "
            f"with (check {ENV_VARIABLE} or {_key_file()}); nobody can log in until the right key is restored"
        ) from None


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
