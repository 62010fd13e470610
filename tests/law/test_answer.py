"""The answer of an assessment (courtpath.law.answer) against a straightforward reference written out here, on
every golden case and on generated facts, in both languages: as data, as JSON bytes, and read back into its types.

The answer keeps the parts it rendered per decision and language (courtpath.law.cache); these tests are what shows
that a cache never hands one case's data to another: each assessment is rendered after many others sharing its
caches, and its bytes must equal those of the reference, which caches nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import msgspec
import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from _support import build_facts
from courtpath.i18n import Msg
from courtpath.law.answer import answer, answer_data, answer_json, read_answer
from courtpath.law.engine import assess
from courtpath.law.facts import MOSCOW, AbsenceKind, Context, Facts, FactsError, Indicator, Status
from courtpath.law.items import Flag, KeyDate, Qualification, TraceStep
from courtpath.law.lawbook import Citation
from courtpath.law.result import Assessment

LANGS = ("ru", "en")

# -- the reference: plain dicts, no cache, no hook -------------------------------------------------------------------


def ref_citation(c: Citation, lang: str) -> dict[str, Any]:
    return {
        "label": c.label(lang),
        "article": c.article,
        "part": c.part,
        "edition": c.edition,
        "act": c.act,
        "valid_from": c.valid_from.isoformat() if c.valid_from else None,
        "valid_to": c.valid_to.isoformat() if c.valid_to else None,
        "sources": list(c.sources),
        "confidence": c.confidence,
        "numbering_confirmed": c.numbering_confirmed,
    }


def ref_qualification(q: Qualification, lang: str) -> dict[str, Any]:
    cap = q.cap_months
    return {
        "article": q.article,
        "part": q.part,
        "kind": q.kind,
        "primary": q.primary,
        "edition": q.edition,
        "edition_act": q.edition_act,
        "basis": q.basis,
        "title": q.title.get(lang),
        "summary": q.summary.get(lang),
        "penalties": [
            {
                "type": p.type,
                "min_months": p.min_months,
                "max_months": p.max_months,
                "min_from_general_part": p.min_from_general_part,
                "available": p.available,
                "reason": None if p.reason is None else p.reason.render(lang),
            }
            for p in q.penalties
        ],
        "gravity": q.gravity,
        "limitation_years": q.limitation_years,
        "suspended_possible": q.suspended_possible,
        "colony_regime": q.colony_regime,
        "cap_months": None if cap is None else (int(cap) if cap.denominator == 1 else round(float(cap), 2)),
        "exemption_possible": q.exemption_possible,
        "numbering_confirmed": q.numbering_confirmed,
        "citations": [ref_citation(c, lang) for c in q.citations],
        "recidivism": q.recidivism,
        "recidivism_min_months": _ref_months(q.recidivism_min_months),
    }


def _ref_months(months: Any) -> Any:
    return None if months is None else (int(months) if months.denominator == 1 else round(float(months), 2))


def ref_key_date(k: KeyDate, lang: str) -> dict[str, Any]:
    return {
        "code": k.code,
        "at": k.at.isoformat(),
        "passed": k.passed,
        "message": k.message.render(lang),
        "citations": [ref_citation(c, lang) for c in k.citations],
    }


def ref_flag(f: Flag, lang: str) -> dict[str, Any]:
    return {
        "code": f.code,
        "severity": f.severity,
        "message": f.message.render(lang),
        "citations": [ref_citation(c, lang) for c in f.citations],
    }


def ref_step(t: TraceStep, lang: str) -> dict[str, Any]:
    return {
        "step": t.code,
        "message": t.message.render(lang),
        "citations": [ref_citation(c, lang) for c in t.citations],
    }


def ref_facts(f: Facts) -> dict[str, Any]:
    return {
        "status": f.status.value,
        "left": f.left.isoformat(),
        "returned": f.returned.isoformat() if f.returned else None,
        "as_of": f.as_of.isoformat() if f.as_of else None,
        "absence_kind": f.absence_kind.value,
        "context": f.context.value,
        "indicators": sorted(i.value for i in f.indicators),
        "weapon": f.weapon,
        "group": f.group,
        "first_offence": f.first_offence,
        "grave_circumstances": f.grave_circumstances,
        "surrendered": f.surrendered,
        "aggravating": f.aggravating,
        "released_80_2": f.released_80_2,
        "law_on": f.law_on.isoformat() if f.law_on else None,
        "sex": f.sex.value,
        "on_probation": f.on_probation,
        "prior_conviction": f.prior_conviction.value,
        "prior_imprisonment": f.prior_imprisonment,
    }


def reference(a: Assessment, lang: str) -> dict[str, Any]:
    return {
        "engine_version": a.engine_version,
        "law_data_version": a.law_version,
        "facts": ref_facts(a.facts),
        "absence": {
            "open": a.facts.is_open,
            "end": a.facts.end.isoformat(),
            "duration_hours": round(a.duration_hours, 2),
            "band": a.band,
            "special_context": a.in_special_context,
            "context_basis": a.context_basis,
        },
        "qualifications": [ref_qualification(q, lang) for q in a.qualifications],
        "key_dates": [ref_key_date(k, lang) for k in a.key_dates],
        "flags": [ref_flag(f, lang) for f in a.flags],
        "trace": [ref_step(t, lang) for t in a.trace],
        "outcome": "qualified" if a.qualifications else ("unresolved" if a.decision.unresolved else "none"),
    }


def reference_json(a: Assessment, lang: str) -> bytes:
    return json.dumps(reference(a, lang), ensure_ascii=False, separators=(",", ":")).encode()


def check(a: Assessment) -> None:
    for lang in LANGS:
        expected = reference(a, lang)
        data = answer_data(a, lang)
        assert data == expected
        assert answer_json(a, lang) == reference_json(a, lang)
        assert answer_json(a, lang) == msgspec.json.encode(answer(a, lang))  # the fast path is the model's bytes
        assert answer_data_of(read_answer(data)) == expected  # stored, then read back into the declared types


def answer_data_of(read: object) -> dict[str, Any]:
    return msgspec.to_builtins(read)  # type: ignore[no-any-return]


def test_the_encoded_answer_has_the_answers_fields_in_its_order() -> None:
    from courtpath.law.answer import AssessmentAnswer, _EncodedAnswer

    assert [f.name for f in msgspec.structs.fields(_EncodedAnswer)] == [
        f.name for f in msgspec.structs.fields(AssessmentAnswer)
    ]


# -- golden cases ----------------------------------------------------------------------------------------------------


def _golden_facts() -> list[Any]:
    params = []
    for path in sorted((Path(__file__).parent / "golden").glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            if "raises" not in case["expect"]:
                params.append(pytest.param(case["facts"], id=f"{path.stem}:{case['name']}"))
    return params


GOLDEN = _golden_facts()


@pytest.mark.parametrize("facts", GOLDEN)
def test_golden_case_renders_as_the_reference(facts: dict[str, Any]) -> None:
    check(assess(build_facts(facts)))


def test_golden_cases_rendered_twice_interleaved() -> None:
    """The second rendering of each case (every cache warm, filled by all the other cases) is still its own."""
    assessments = [assess(build_facts(p.values[0])) for p in GOLDEN]
    first = [[answer_json(a, lang) for lang in LANGS] for a in assessments]
    for a, rendered in zip(reversed(assessments), reversed(first), strict=True):
        assert [answer_json(a, lang) for lang in LANGS] == rendered == [reference_json(a, lang) for lang in LANGS]


# -- generated facts -------------------------------------------------------------------------------------------------

PROFILE = settings(
    max_examples=300, derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROFILE
@given(
    status=st.sampled_from(list(Status)),
    left=st.datetimes(min_value=dt.datetime(1997, 1, 1), max_value=dt.datetime(2030, 12, 31)),
    hours=st.integers(min_value=1, max_value=24 * 800),
    open_absence=st.booleans(),
    kind=st.sampled_from(list(AbsenceKind)),
    context=st.sampled_from(list(Context)),
    indicators=st.frozensets(st.sampled_from(list(Indicator)), max_size=3),
    flags=st.lists(st.booleans(), min_size=7, max_size=7),
    law_on=st.none() | st.dates(min_value=dt.date(1997, 1, 1), max_value=dt.date(2030, 12, 31)),
    offset=st.sampled_from([None, dt.timezone(dt.timedelta(hours=5)), dt.UTC]),
)
def test_generated_facts_render_as_the_reference(
    status: Status,
    left: dt.datetime,
    hours: int,
    open_absence: bool,
    kind: AbsenceKind,
    context: Context,
    indicators: frozenset[Indicator],
    flags: list[bool],
    law_on: dt.date | None,
    offset: dt.tzinfo | None,
) -> None:
    left = left.replace(tzinfo=offset)
    end = left + dt.timedelta(hours=hours, minutes=left.minute % 7)
    weapon, group, first, grave, surrendered, aggravating, released = flags
    try:
        facts = Facts(
            status=status,
            left=left,
            returned=None if open_absence else end,
            as_of=end if open_absence else end + dt.timedelta(days=hours % 4000),
            absence_kind=kind,
            context=context,
            indicators=indicators,
            weapon=weapon,
            group=group,
            first_offence=first,
            grave_circumstances=grave,
            surrendered=surrendered and not open_absence,
            aggravating=aggravating,
            released_80_2=released,
            law_on=law_on,
        )
    except FactsError:
        assume(False)
    check(assess(facts))


def test_as_of_defaulting_to_now_renders_as_the_reference() -> None:
    facts = Facts(status=Status.CONTRACT, left=dt.datetime(2026, 1, 5, 9, 0, tzinfo=MOSCOW))
    check(assess(facts))


# -- what the cache keys on ------------------------------------------------------------------------------------------


def test_an_assessment_around_another_decision_is_rendered_afresh() -> None:
    """Two assessments with one decision key; the second is built by hand around another decision after the first was
    rendered (its parts are kept under the key): the answer follows the decision the assessment holds."""
    facts = build_facts({"status": "contract", "left": "2025-03-01T08:00", "returned": "2025-03-20T10:00"})
    first = assess(facts)
    for lang in LANGS:
        answer_json(first, lang)  # the decision's parts are now kept
    decision = first.decision
    changed = dataclasses.replace(
        decision,
        flags=(dataclasses.replace(decision.flags[0], message=Msg("A replaced message.")), *decision.flags[1:]),
        qualifications=(dataclasses.replace(decision.qualifications[0], part="99"), *decision.qualifications[1:]),
    )
    second = first._replace(decision=changed, date_flags=(Flag("extra", "info", Msg("An added flag.")),))
    check(second)
    check(first)
    assert b"A replaced message." in answer_json(second, "en")
    assert b"A replaced message." not in answer_json(first, "en")


def test_a_decision_made_again_after_the_caches_were_emptied_renders_as_the_reference() -> None:
    from courtpath.law import cache

    facts = build_facts({"status": "conscript", "left": "2024-05-01T08:00", "as_of": "2024-05-20T08:00"})
    before = assess(facts)
    check(before)
    cache.clear(keep_objects=True)
    after = assess(facts)
    assert after.decision is not before.decision
    check(after)
    check(before)


def test_steps_of_another_kind_of_absence_render_as_the_reference() -> None:
    """One decision, two kinds of absence: each assessment renders its own kind, also when rendered again."""
    base = {"status": "contract", "left": "2025-03-01T08:00", "returned": "2025-03-20T10:00"}
    unit = assess(build_facts(base))
    for lang in LANGS:
        answer_json(unit, lang)
    leave = assess(build_facts({**base, "absence_kind": "leave"}))
    assert leave.decision is unit.decision
    check(leave)
    check(unit)
    again = assess(build_facts({**base, "absence_kind": "leave"}))
    assert again.trace[1] is leave.trace[1]  # the step itself, kept, not a copy
    assert answer_json(again, "en") == answer_json(leave, "en")
    assert answer_json(leave, "en") != answer_json(unit, "en")


ADDED_IN_0_2 = {  # what engine 0.2.0 added to the answer, by part
    "facts": ("sex", "on_probation", "prior_conviction", "prior_imprisonment"),
    "qualification": ("recidivism", "recidivism_min_months"),
    "penalty": ("available", "reason"),
    "answer": ("outcome",),
}


def test_an_answer_stored_by_engine_0_1_is_read_with_that_engines_meaning() -> None:
    """A saved assessment from before the sentencing rules has none of their fields: it is read with the defaults
    that say what engine 0.1 meant (every penalty offered, no recidivism, a male first offender, qualified)."""
    facts = build_facts({"status": "contract", "left": "2021-03-01T08:00", "returned": "2021-03-20T08:00"})
    stored = answer_data(assess(facts), "ru")
    for name in ADDED_IN_0_2["answer"]:
        del stored[name]
    for name in ADDED_IN_0_2["facts"]:
        del stored["facts"][name]
    for q in stored["qualifications"]:
        for name in ADDED_IN_0_2["qualification"]:
            del q[name]
        for p in q["penalties"]:
            for name in ADDED_IN_0_2["penalty"]:
                del p[name]
    old = read_answer(stored)
    assert old.outcome == "qualified"
    assert (old.facts.sex, old.facts.prior_conviction, old.facts.on_probation) == ("male", "none", False)
    assert all(p.available == "yes" and p.reason is None for q in old.qualifications for p in q.penalties)
    assert all(q.recidivism == "none" for q in old.qualifications)
