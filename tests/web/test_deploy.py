"""The production settings: `check --deploy` passes with no warning, HTTPS behind the proxy is enforced, and nothing
about a visitor (address, browser string) is kept, not even for a failed login."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from courtpath.web.accounts.models import User
from courtpath.web.privacy import throttle_name


def _production(tmp_path: Path, **extra: str) -> dict[str, str]:
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("COURTPATH_") and k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    environment.update(
        {"DJANGO_SETTINGS_MODULE": "courtpath.web.settings", "COURTPATH_DATA_DIR": str(tmp_path / "var"), **extra}
    )
    return environment


def _check_deploy(environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_passes_with_no_warning(tmp_path: Path) -> None:
    done = _check_deploy(_production(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "WARNING" not in done.stderr and "issues" not in done.stderr
    assert "System check identified no issues (1 silenced)" in done.stdout  # axes.W006, see settings.py


@pytest.mark.parametrize(
    ("extra", "warning"),
    [({"COURTPATH_HTTPS": "0"}, "security.W012"), ({"COURTPATH_DEBUG": "1"}, "security.W018")],
)
def test_check_deploy_fails_when_production_is_weakened(tmp_path: Path, extra: dict[str, str], warning: str) -> None:
    done = _check_deploy(_production(tmp_path, **extra))
    assert done.returncode != 0 and warning in done.stderr


PROBE = """
import django
django.setup()
from django.test import Client
client = Client()
direct = client.get("/api/openapi.json")
proxied = client.get("/api/openapi.json", headers={"X-Forwarded-Proto": "https"})
print(direct.status_code, direct.get("Location"))
print(proxied.status_code, proxied.get("Strict-Transport-Security"))
"""


def test_https_is_enforced_behind_the_proxy(tmp_path: Path) -> None:
    environment = _production(tmp_path, COURTPATH_ALLOWED_HOSTS="testserver")
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=environment, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    direct, proxied = done.stdout.splitlines()
    assert direct == "301 https://testserver/api/openapi.json"  # not through the TLS proxy: sent to https
    assert proxied == "401 max-age=31536000; includeSubDomains; preload"  # through it: HSTS (and a token needed)


def test_a_failed_login_keeps_no_address_no_browser_string_and_no_username(make_user: object) -> None:
    user: User = make_user()  # type: ignore[operator]
    client = Client(REMOTE_ADDR="203.0.113.77", HTTP_USER_AGENT="Mozilla/5.0 (Canary Browser 99)")
    client.post(reverse("accounts:login"), {"username": user.username, "password": "not the password"})
    client.post(reverse("accounts:login"), {"username": "my secret password 1", "password": "x"})  # wrong field
    attempts = {attempt.username: attempt for attempt in AccessAttempt.objects.all()}
    assert set(attempts) == {throttle_name(user.username), throttle_name("my secret password 1")}
    for attempt in attempts.values():
        assert attempt.failures_since_start == 1 and attempt.ip_address is None
        stored = str(attempt.__dict__)
        for clear in ("Canary", "203.0.113.77", user.username, "my secret password"):
            assert clear not in stored, clear


@pytest.mark.parametrize("https", [True, False])
@pytest.mark.parametrize("bind", ["0.0.0.0:8000", "192.0.2.10:8000", "[::]:8000"])
def test_the_server_refuses_to_listen_beyond_the_loopback(bind: str, https: bool) -> None:
    from courtpath.cli.web import check_bind

    with pytest.raises(ValueError, match=r"127\.0\.0\.1"):
        check_bind(bind, https=https)
    for local in ("127.0.0.1:8000", "localhost:9000", "[::1]:8000"):
        check_bind(local, https=https)


def test_serve_on_an_outside_address_stops_before_touching_anything(tmp_path: Path) -> None:
    courtpath = Path(sys.executable).with_name("courtpath")
    done = subprocess.run(
        [str(courtpath), "serve", "--bind", "0.0.0.0:8000"],
        env=_production(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2 and "TLS reverse proxy" in done.stderr
    assert not (tmp_path / "var" / "keyring.json").exists()
