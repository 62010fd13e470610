"""Every rule in the output cites its source: each trace step, each flag (open questions cite law.md instead)."""

from __future__ import annotations

import datetime as dt

from courtpath.law.engine import assess
from courtpath.law.facts import FactsError
from courtpath.law.synthetic import caseload, facts_from_row


def test_every_trace_step_and_flag_cites_its_rule() -> None:
    assessed = 0
    for row in caseload(2000, seed=2, start=dt.datetime(2008, 1, 1), years=19).iter_rows(named=True):
        try:
            result = assess(facts_from_row(row))
        except FactsError:
            continue
        assessed += 1
        for step in result.trace:
            assert step.citations, (step.code, row)
        for flag in result.flags:
            assert flag.citations or flag.severity == "open_question", (flag.code, row)
        for key_date in result.key_dates:
            assert key_date.citations, (key_date.code, row)
    assert assessed > 1500
