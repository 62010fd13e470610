"""The public pool (courtpath.web.wsgi_public) serves the /help/ interview only (issue 17, item 13).

The whole-server test is in test_serve_slow_clients.py; here the same rule is checked in-process, quickly, for every
URL the app has, and the command's new options are checked for bad values.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from courtpath.web.server.public_pool import PUBLIC_POOL, PUBLIC_POOL_KEY
from courtpath.web.wsgi_public import application as public_application

PUBLIC = {PUBLIC_POOL_KEY: PUBLIC_POOL}  # what the public pool's WSGI entry adds to every request


@pytest.mark.django_db
def test_the_public_pool_answers_the_interview_and_404_to_everything_else(
    world: dict, login: Callable, client: Client
) -> None:
    case, document = world["case"], world["document"]
    login(client, world["coordinator"])
    for path in ("/help/", "/help/en/"):
        assert client.get(path, **PUBLIC).status_code == 200, path
        assert client.get(path).status_code == 200, path  # the staff pool serves the interview too
    staff_pages = [
        "/",
        reverse("cases:case_list"),
        reverse("cases:case_detail", args=[case.code]),
        reverse("cases:document_download", args=[case.code, document.pk]),
        reverse("accounts:login"),
        reverse("audit:list"),
        reverse("statistics:page"),
        "/api/openapi.json",
        "/i18n/setlang/",
    ]
    for path in staff_pages:
        assert client.get(path, **PUBLIC).status_code == 404, path  # even with a staff session
        assert client.post(path, {}, **PUBLIC).status_code == 404, path
    assert client.get(reverse("cases:case_detail", args=[case.code])).status_code == 200  # the staff pool


@pytest.mark.django_db
def test_a_header_cannot_claim_or_escape_the_public_pool(client: Client) -> None:
    assert client.get("/cases/", HTTP_COURTPATH_POOL="staff", **PUBLIC).status_code == 404
    assert client.get("/accounts/login/", HTTP_COURTPATH_POOL=PUBLIC_POOL).status_code == 200  # a header is no pool


@pytest.mark.django_db
def test_the_public_entry_marks_every_request() -> None:
    seen: dict[str, object] = {}

    def start_response(status: str, headers: list, exc_info: object = None) -> None:
        seen["status"] = status

    environ = {
        **{"REQUEST_METHOD": "GET", "PATH_INFO": "/cases/", "SERVER_NAME": "testserver", "SERVER_PORT": "80"},
        **{"wsgi.input": io.BytesIO(), "wsgi.url_scheme": "http", "HTTP_HOST": "testserver"},
    }
    b"".join(public_application(environ, start_response))
    assert environ[PUBLIC_POOL_KEY] == PUBLIC_POOL and str(seen["status"]).startswith("404")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--public-bind", "0.0.0.0:8001"], "127.0.0.1"),
        (["--bind", "127.0.0.1:8000", "--public-bind", "127.0.0.1:8000"], "address of its own"),
        (["--threads", "0"], "greater than or equal to 1"),
    ],
)
def test_serve_refuses_bad_pool_options_before_touching_anything(
    tmp_path: Path, options: list[str], message: str
) -> None:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("COURTPATH_") and k != "DATABASE_URL"}
    environment.update(
        {"DJANGO_SETTINGS_MODULE": "courtpath.web.settings", "COURTPATH_DATA_DIR": str(tmp_path / "var")}
    )
    courtpath = Path(sys.executable).with_name("courtpath")
    done = subprocess.run(
        [str(courtpath), "web", "serve", *options],
        check=False,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and message in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "var" / "keyring.json").exists()
