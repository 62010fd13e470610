"""The facts a canary case is given (tests/vault/scenario.py enters them, test_installation.py looks for them).

They are drawn from the canary string, so that each run has its own: on PostgreSQL every test database shares one
cluster and one WAL, where other tests' values could otherwise be found. Years 2000 to 2008 and the court ids of the
directory appear in no other test's data in clear.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from pathlib import Path

COURTS = Path(__file__).resolve().parents[2] / "src" / "courtpath" / "data" / "courts" / "military_courts.csv"


def canary_facts(canary: str) -> dict[str, str]:
    """Form values (as the case edit form takes them) for the canary's case."""
    number = int.from_bytes(hashlib.sha256(canary.encode()).digest()[:8], "big")
    left = dt.date(2000, 1, 1) + dt.timedelta(days=number % 3000)
    with COURTS.open(encoding="utf-8") as handle:
        courts = [row["court_id"] for row in csv.DictReader(handle)]
    return {
        "left": f"{left.isoformat()}T08:00",
        "returned": f"{(left + dt.timedelta(days=19)).isoformat()}T10:00",
        "verdict_date": (left + dt.timedelta(days=150)).isoformat(),
        "court_id": courts[number % len(courts)],
    }


def clear_forms(canary: str) -> tuple[str, ...]:
    """How those facts would read if they were stored in clear (dates as ISO days, the court id, the signs)."""
    facts = canary_facts(canary)
    days = tuple(facts[name][:10] for name in ("left", "returned", "verdict_date"))
    return ("forged-documents", "false-identity", facts["court_id"], *days)
