"""Every rule in the output cites its source: each trace step, each flag (open questions cite docs/law instead)."""

from __future__ import annotations

import datetime as dt

import pytest

from courtpath.law.batch import facts_from_row
from courtpath.law.engine import assess
from courtpath.law.facts import FactsError
from courtpath.law.lawbook import Citation
from courtpath.law.synthetic import caseload


def test_every_trace_step_and_flag_cites_its_rule() -> None:
    assessed = 0
    for row in caseload(2000, seed=2, start=dt.datetime(2008, 1, 1), years=17).iter_rows(named=True):
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


@pytest.mark.parametrize(
    ("article", "part", "ru", "en"),
    [
        ("337", "1", "УК РФ ст. 337 ч. 1", "RF Criminal Code art. 337 part 1"),
        ("78.1, 80.2; УПК 208 ч. 1 п. 3.1", "", "УК РФ ст. 78.1, 80.2; УПК 208 ч. 1 п. 3.1", None),
        ("76-ФЗ ст. 28.5", "", "76-ФЗ ст. 28.5", "76-ФЗ ст. 28.5"),
        ("53-ФЗ ст. 51 ч. 1 п. «е»; Указ № 647 п. 5", "", "53-ФЗ ст. 51 ч. 1 п. «е»; Указ № 647 п. 5", None),
        ("УПК 389.4", "1", "УПК 389.4 ч. 1", "УПК 389.4 part 1"),
    ],
)
def test_only_criminal_code_articles_are_labelled_as_such(article: str, part: str, ru: str, en: str | None) -> None:
    """A federal law's article ("76-ФЗ ст. 28.5") starts with a digit too, but is not an article of the Code."""
    citation = Citation(article, part, None, None, None, None, ("S1",), "official")
    assert citation.label("ru") == ru
    if en is not None:
        assert citation.label("en") == en
