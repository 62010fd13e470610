"""`courtpath reassess` in this process (the vault is unlocked by the test settings, so unlocking is recorded, not
done): its summary, exit status, and a second run that changes nothing. The locked vault and a real keyring:
tests/vault/test_reassess_installation.py."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from courtpath.cli.main import run
from courtpath.web import clock
from courtpath.web.cases import services
from courtpath.web.cases.models import Assessment, CaseEvent, EventKind
from courtpath.web.vault import operations

MOSCOW = dt.timezone(dt.timedelta(hours=3))


@pytest.fixture
def unlocked(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Records the passphrase file each run unlocks with; keeps the test process's umask."""
    calls: list[object] = []
    monkeypatch.setattr(operations, "unlock_process", lambda passphrase_file=None, *rest: calls.append(passphrase_file))
    umask = os.umask(0o022)
    os.umask(umask)
    yield calls
    os.umask(umask)


def _stale_case(world: dict[str, Any]) -> None:
    request = services.create_request(world["intake1"], channel="phone", relation="self", summary="Выдуманный")
    case = services.convert_request(world["coordinator"], request, world["lawyer1"])
    left = timezone.now().astimezone(MOSCOW) - dt.timedelta(days=10) + dt.timedelta(minutes=5)
    services.update_case(world["lawyer1"], case, {"status": "contract", "left": left.replace(microsecond=0)})


def test_the_command_reassesses_and_a_second_run_changes_nothing(
    world: dict[str, Any],
    unlocked: list[object],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    _stale_case(world)
    later = timezone.now() + dt.timedelta(hours=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    passphrase = tmp_path / "passphrase"
    assert run(["reassess", "--passphrase-file", str(passphrase)]) == 0
    assert unlocked == [passphrase]
    out = capsys.readouterr().out
    expected = "open cases: 2; absence going on: 2; reassessed: 1; qualification changed: 1; unreadable: 0; "
    assert expected + "summaries written: 0; time: " in out
    assert CaseEvent.objects.filter(kind=EventKind.BOUNDARY).count() == 1
    count = Assessment.objects.count()

    assert run(["reassess"]) == 0
    assert "reassessed: 0; qualification changed: 0;" in capsys.readouterr().out
    assert Assessment.objects.count() == count

    assert run(["reassess", "--all"]) == 0
    assert "reassessed: 2; qualification changed: 0;" in capsys.readouterr().out


def test_a_bad_option_is_an_error_not_a_traceback(unlocked: list[object], capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["reassess", "--every"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("courtpath: error:") and "Traceback" not in err
    assert unlocked == []
