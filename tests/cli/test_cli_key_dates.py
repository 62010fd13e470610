"""The command line's key dates (issue 14): `make demo` said «01.07.2025 … впереди» for an absence that ended on
20.06.2025. A boundary after the return is "not reached", a date before the moment of assessment "already passed"."""

from __future__ import annotations

import pytest

from courtpath.cli.main import run

DEMO = ["assess", "--status", "mobilized", "--left", "2025-06-01T08:00", "--returned", "2025-06-20T10:00"]
DEMO += ["--surrendered", "--indicator", "job", "--as-of", "2026-12-07T12:00"]


def test_the_demo_marks_the_boundary_after_the_return_as_not_reached(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    assert run([*DEMO, "--lang", "ru"]) == 0
    out = capsys.readouterr().out
    [row] = [line for line in out.splitlines() if "01.07.2025 08:00" in line and "│" in line[:3]]
    following = out.splitlines()[out.splitlines().index(row) + 1]
    assert "не наступила: отсутствие закончилось 20.06.2025" in following
    assert "впереди" not in following
    dates = out[out.index("03.06.2025 08:00 МСК") :]
    assert dates.splitlines()[1].count("прошла") == 1
