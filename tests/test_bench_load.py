"""Smoke test of the bounded load benchmark (benchmarks/bench_load.py) in quick mode: a real `courtpath web serve`
on the loopback, staff and interview clients, the durability check. It takes about a minute and a half on a shared
2-core machine, so it runs only with COURTPATH_LOAD_SMOKE=1 (the full run is `python benchmarks/bench_load.py`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    os.environ.get("COURTPATH_LOAD_SMOKE") != "1", reason="a minute or more: set COURTPATH_LOAD_SMOKE=1 to run it"
)


def test_the_quick_load_test_runs_clean() -> None:
    command = [sys.executable, str(ROOT / "benchmarks" / "bench_load.py"), "--quick", "--cases", "40"]
    command += ["--staff", "3", "--public", "3", "--seconds", "8"]
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    environment.pop("DATABASE_URL", None)
    done = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "p95 ms" in done.stdout and "case_detail" in done.stdout and "help_pdf" in done.stdout
    assert "lost acknowledged writes: 0" in done.stdout and "errors: 0" in done.stdout
