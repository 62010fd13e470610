"""What a server worker loads at start (issue 17, item 14: about 700 MB per worker). Every gunicorn worker imports
the URLconf and with it every view; the heavy libraries that only some pages need are imported by those pages:
polars and the analytics (statistics, what-if), WeasyPrint (PDFs), python-docx and the Russian dictionaries (drafts).
benchmarks/bench_memory.py measures the memory itself."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "src"
WORKER_START = """
import json, sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns  # what a worker's first request does: every view module imported
from courtpath.drafting import morph
loaded = [m for m in ("polars", "pyarrow", "weasyprint", "docx", "courtpath.analytics.aggregate") if m in sys.modules]
print(json.dumps({"loaded": loaded, "dictionaries": morph.analyzer.cache_info().currsize}))
"""


def test_a_worker_starts_without_the_heavy_libraries(tmp_path: Path) -> None:
    environment = {
        **os.environ,
        "PYTHONPATH": str(SOURCE),
        "COURTPATH_DATA_DIR": str(tmp_path),
        "COURTPATH_HTTPS": "0",
        "DJANGO_SETTINGS_MODULE": "courtpath.web.settings",
    }
    environment.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", WORKER_START], env=environment, capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found == {"loaded": [], "dictionaries": 0}
