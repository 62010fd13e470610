"""Seed a real installation for tests/web/test_serve_*.py (run as a subprocess, production settings).

    python tests/web/_served_seed.py DOCUMENT_BYTES

Creates a coordinator (password + TOTP, logged in through the pages), a case and a document of DOCUMENT_BYTES
random bytes, and prints JSON: the case code, the document's id and SHA-256, and the session's cookies, which the
test sends to the real server (the sessions are rows in the shared database). Fictional people only.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "courtpath.web.settings")
django.setup()

import pyotp  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from courtpath.web.accounts import totp  # noqa: E402
from courtpath.web.accounts.models import Role, User  # noqa: E402
from courtpath.web.cases import services  # noqa: E402
from courtpath.web.vault.operations import unlock_process  # noqa: E402

PASSWORD = "served test password 1234"


def main(document_bytes: int) -> None:
    unlock_process(None)
    secret = pyotp.random_base32(length=32)
    coordinator = User.objects.create(
        username="coordinator-test",
        role=Role.COORDINATOR,
        password=make_password(PASSWORD),
        totp_secret_encrypted=totp.encrypt_secret(secret),
        totp_confirmed=True,
    )
    intake = User.objects.create(username="intake-test", role=Role.INTAKE, password=make_password(PASSWORD))
    request = services.create_request(intake, channel="phone", relation="parent", summary="Fictional test request")
    case = services.convert_request(coordinator, request)
    content = os.urandom(document_bytes)
    document = services.add_document(coordinator, case, "fictional.bin", "application/octet-stream", content)
    client = Client()
    assert client.post(reverse("accounts:login"), {"username": coordinator.username, "password": PASSWORD}).status_code
    assert client.post(reverse("accounts:second_factor"), {"code": pyotp.TOTP(secret).now()}).status_code == 302
    json.dump(
        {
            "case": case.code,
            "document": document.pk,
            "sha256": hashlib.sha256(content).hexdigest(),
            "cookies": {name: morsel.value for name, morsel in client.cookies.items()},
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main(int(sys.argv[1]))
