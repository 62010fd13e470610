"""The public PDF is bounded: at most COURTPATH_PUBLIC_PDF_SLOTS are made at once by all server processes; a request
that finds no free slot within the short wait gets a 503 page with Retry-After that keeps the answers."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from _interview_pages import Form, post, walk
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from courtpath.web import settings as production_settings
from courtpath.web.interview import slots


@pytest.fixture
def one_slot(settings: object, tmp_path: Path) -> Path:
    settings.COURTPATH_PUBLIC_PDF_SLOTS = 1
    settings.COURTPATH_PUBLIC_PDF_WAIT_SECONDS = 0.3
    settings.COURTPATH_PUBLIC_PDF_SLOTS_DIR = tmp_path / "pdf-slots"
    return tmp_path / "pdf-slots"


def assert_busy_page(response: object, lang: str, page: str) -> None:
    assert response.status_code == 503 and response["Retry-After"] == "60"
    html = response.content.decode()
    kept = Form(html).hidden
    assert kept == {k: v for k, v in Form(page).hidden.items() if k.startswith("a-")}  # the answers are kept
    assert f'action="{"/help/en/pdf/" if lang == "en" else "/help/pdf/"}"' in html  # to try again
    assert ("try again in a minute" if lang == "en" else "попробуйте ещё раз через минуту") in html


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_second_pdf_while_the_only_slot_is_taken_gets_503(
    one_slot: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    started, release = threading.Event(), threading.Event()

    def slow_pdf(html: str) -> bytes:
        started.set()
        assert release.wait(10)
        return b"%PDF-1.7 test"

    monkeypatch.setattr("courtpath.web.interview.views.html_to_pdf", slow_pdf)
    base = "/help/en/" if lang == "en" else "/help/"
    page = walk(Client(), lang)
    first: dict[str, object] = {}
    holder = threading.Thread(target=lambda: first.update(response=post(Client(), f"{base}pdf/", page, None, {})))
    holder.start()
    try:
        assert started.wait(10)
        waited = time.monotonic()
        second = post(Client(), f"{base}pdf/", page, None, {})
        waited = time.monotonic() - waited
    finally:
        release.set()
        holder.join(10)
    assert_busy_page(second, lang, page)
    assert waited >= 0.3  # it waited for a slot before giving up
    assert first["response"].status_code == 200
    assert post(Client(), f"{base}pdf/", page, None, {}).status_code == 200  # the slot is free again


@pytest.mark.django_db
def test_the_limit_holds_across_processes(one_slot: Path) -> None:
    """A slot held by another process (another gunicorn worker) counts too; it is freed when that process ends."""
    one_slot.mkdir(mode=0o700)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time\n"
            f"fd = os.open({str(one_slot / 'slot-0')!r}, os.O_RDWR | os.O_CREAT, 0o600)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\nprint('held', flush=True)\nsys.stdin.read()\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        page = walk(Client(), "en")
        assert_busy_page(post(Client(), "/help/en/pdf/", page, None, {}), "en", page)
    finally:
        holder.communicate("", timeout=10)
    response = post(Client(), "/help/en/pdf/", page, None, {})
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")


def test_slots_are_released_when_the_body_fails(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), slots.slot(tmp_path, 1, 0):
        raise RuntimeError
    with slots.slot(tmp_path, 1, 0), pytest.raises(slots.NoFreeSlot), slots.slot(tmp_path, 1, 0):
        pass
    with slots.slot(tmp_path, 2, 0), slots.slot(tmp_path, 2, 0):  # two slots: two at once
        pass


@pytest.mark.parametrize("text", ["0", "-1", "65", "two", ""])
def test_a_bad_slot_setting_stops_the_start(text: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="COURTPATH_PUBLIC_PDF_SLOTS"):
        production_settings._pdf_slots(text)


@pytest.mark.parametrize("text", ["-1", "11", "nan", "soon"])
def test_a_bad_wait_setting_stops_the_start(text: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="COURTPATH_PUBLIC_PDF_WAIT_SECONDS"):
        production_settings._pdf_wait(text)
