"""Golden legal cases, kept as data in tests/golden/*.yaml.

Every expected figure in those files was computed by hand from the statute (arts. 337-339 and the General
Part; where to read them: docs/law/sources.md), never copied from the engine. A case is a mapping:

    name: unique within its file
    facts: {status, left, returned | as_of, context, indicators, weapon, group, first_offence, surrendered,
            aggravating, released_80_2, grave_circumstances, law_on}
    expect:
      raises: code            # the intake must refuse the facts with a FactsError of this code
      band: none | A | B | C
      special_context: bool
      no_qualification: true  # no qualification at all (neither art. 337 nor art. 338)
      count: n                # number of qualifications
      primary: {article, part, edition, basis, penalties: [[type, min, max(, availability)], ...], min_months,
                max_months, gravity, limitation_years, suspended_possible, colony_regime, cap_months,
                exemption_possible, numbering_confirmed, recidivism, recidivism_min_months} | null
      alternatives: [ {...same keys...} ]   # the other art. 337 qualifications, in order
      desertion: {...same keys...} | null   # the art. 338 qualification
      flags_include: [code, ...]
      flags_exclude: [code, ...]
      key_dates: {code: ISO moment | {at: ISO moment, passed: bool} | null (must be absent)}

Every penalty of the part's sanction is listed, with a fourth element when the court may not impose it on this person
("no") or only on a condition the engine does not know ("conditional"); three elements mean it may ("yes").
min_months / max_months are those of the most severe penalty (the last one, art. 44 order). `as_of` defaults to
tests/_support.DEFAULT_AS_OF so that every case is deterministic.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from _support import build_facts, moment
from courtpath.law.answer import answer_data
from courtpath.law.engine import assess
from courtpath.law.facts import FactsError
from courtpath.law.result import Assessment, Qualification

GOLDEN = Path(__file__).parent / "golden"
QUALIFICATION_KEYS = {
    "article",
    "part",
    "kind",
    "edition",
    "basis",
    "penalties",
    "min_months",
    "max_months",
    "gravity",
    "limitation_years",
    "suspended_possible",
    "colony_regime",
    "cap_months",
    "exemption_possible",
    "numbering_confirmed",
    "recidivism",
    "recidivism_min_months",
}
EXPECT_KEYS = {
    "outcome",
    "raises",
    "band",
    "special_context",
    "no_qualification",
    "count",
    "primary",
    "alternatives",
    "desertion",
    "flags_include",
    "flags_exclude",
    "key_dates",
}


def _load_cases() -> list[Any]:
    cases, names = [], set()
    for path in sorted(GOLDEN.glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(document, list), f"{path.name}: a golden file holds a list of cases"
        for case in document:
            case_id = f"{path.stem}:{case['name']}"
            assert case_id not in names, f"duplicate golden case {case_id!r}"
            names.add(case_id)
            cases.append(pytest.param(case, id=case_id))
    return cases


CASES = _load_cases()


def _actual(q: Qualification) -> dict[str, Any]:
    worst = q.penalties[-1]
    return {
        "article": q.article,
        "part": q.part,
        "kind": q.kind,
        "edition": q.edition,
        "basis": q.basis,
        "penalties": [
            [p.type, p.min_months, p.max_months] + ([] if p.available == "yes" else [p.available]) for p in q.penalties
        ],
        "min_months": worst.min_months,
        "max_months": worst.max_months,
        "gravity": q.gravity,
        "limitation_years": q.limitation_years,
        "suspended_possible": q.suspended_possible,
        "colony_regime": q.colony_regime,
        "cap_months": None if q.cap_months is None else float(q.cap_months),
        "exemption_possible": q.exemption_possible,
        "numbering_confirmed": q.numbering_confirmed,
        "recidivism": q.recidivism,
        "recidivism_min_months": None if q.recidivism_min_months is None else float(q.recidivism_min_months),
    }


def _check_qualification(label: str, q: Qualification | None, expected: dict[str, Any] | None) -> None:
    if expected is None:
        assert q is None, f"{label}: expected none, got art. {q.article} part {q.part} ({q.edition})"  # type: ignore[union-attr]
        return
    assert q is not None, f"{label}: expected art. {expected.get('article')} part {expected.get('part')}, got none"
    unknown = set(expected) - QUALIFICATION_KEYS
    assert not unknown, f"{label}: unknown expectation keys {sorted(unknown)}"
    actual = _actual(q)
    for key, raw in expected.items():
        want = str(raw) if key == "part" else raw
        if key in ("cap_months", "recidivism_min_months") and want is not None:
            want = float(want)
        assert actual[key] == want, f"{label}.{key}: expected {want!r}, engine gives {actual[key]!r}"


def _check(assessment: Assessment, expect: dict[str, Any]) -> None:
    quals = list(assessment.qualifications)
    if "band" in expect:
        assert assessment.band == expect["band"]
    if "outcome" in expect:
        assert assessment.decision.outcome == expect["outcome"]
    if "special_context" in expect:
        assert assessment.in_special_context is expect["special_context"]
    if expect.get("no_qualification"):
        assert quals == [], f"expected no qualification, got {[(q.article, q.part) for q in quals]}"
        assert assessment.primary is None
    if "count" in expect:
        assert len(quals) == expect["count"], [(q.article, q.part, q.edition) for q in quals]
    if "primary" in expect:
        _check_qualification("primary", assessment.primary, expect["primary"])
        if assessment.primary is not None:
            assert assessment.primary.kind == "awol"
    if "alternatives" in expect:
        others = [q for q in quals if q.kind == "awol" and not q.primary]
        assert len(others) == len(expect["alternatives"]), [(q.part, q.edition) for q in others]
        for index, (q, want) in enumerate(zip(others, expect["alternatives"], strict=True)):
            _check_qualification(f"alternatives[{index}]", q, want)
    if "desertion" in expect:
        deserts = [q for q in quals if q.kind == "desertion"]
        assert len(deserts) <= 1 or expect["desertion"] is not None
        _check_qualification("desertion", deserts[0] if deserts else None, expect["desertion"])
        if deserts:
            assert not deserts[0].primary, "desertion is shown as a risk next to the art. 337 qualification"
    codes = assessment.flag_codes()
    for code in expect.get("flags_include", []):
        assert code in codes, f"flag {code!r} missing; flags: {codes}"
    for code in expect.get("flags_exclude", []):
        assert code not in codes, f"flag {code!r} unexpected; flags: {codes}"
    dates = {k.code: k for k in assessment.key_dates}
    for code, want in expect.get("key_dates", {}).items():
        if want is None:
            assert code not in dates, f"key date {code!r} should be absent, got {dates[code].at.isoformat()}"
            continue
        assert code in dates, f"key date {code!r} missing; key dates: {sorted(dates)}"
        at, passed = (want["at"], want.get("passed")) if isinstance(want, dict) else (want, None)
        assert dates[code].at == moment(at), f"key date {code}: expected {at}, engine gives {dates[code].at}"
        if passed is not None:
            assert dates[code].passed is passed, f"key date {code}: passed should be {passed}"


@pytest.mark.parametrize("case", CASES)
def test_golden_case(case: dict[str, Any]) -> None:
    expect = case["expect"]
    unknown = set(expect) - EXPECT_KEYS
    assert not unknown, f"unknown expectation keys {sorted(unknown)}"
    if "raises" in expect:
        with pytest.raises(FactsError) as refused:
            build_facts(case["facts"])
        assert refused.value.code == expect["raises"], refused.value.problems
        return
    assessment = assess(build_facts(case["facts"]))
    _check(assessment, expect)
    # Whatever the case, the result must serialise in both languages.
    for lang in ("ru", "en"):
        json.dumps(answer_data(assessment, lang), ensure_ascii=False)


def test_golden_files_cover_every_part_of_every_edition() -> None:
    """Each (article, edition, part) in the law data for arts. 337 and 338 is the expectation of some golden case."""
    from courtpath.law.loader import default_lawbook

    law = default_lawbook()
    wanted = {
        (number, edition.edition, part.part)
        for number in ("337", "338")
        for edition in law.article(number).editions
        for part in edition.parts
    }
    seen = set()
    for param in CASES:
        expect = param.values[0]["expect"]
        for q in [expect.get("primary"), expect.get("desertion"), *expect.get("alternatives", [])]:
            if q and "edition" in q and "part" in q:
                seen.add((str(q["article"]), q["edition"], str(q["part"])))
    missing = sorted(wanted - seen)
    assert not missing, f"no golden case expects these (article, edition, part): {missing}"


def test_default_as_of_is_after_every_golden_absence() -> None:
    """The default assessment moment must not precede the end of an absence it is applied to."""
    from _support import DEFAULT_AS_OF

    limit = moment(DEFAULT_AS_OF)
    for param in CASES:
        facts = param.values[0]["facts"]
        if "as_of" not in facts and facts.get("returned"):
            returned = moment(facts["returned"])
            if returned.tzinfo is None:
                returned = returned.replace(tzinfo=dt.timezone(dt.timedelta(hours=3)))
            assert returned <= limit, param.id
