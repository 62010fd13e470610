"""The General Part rules one by one (courtpath.law.rules) and what an absence across a change of the law shows.

The golden cases (tests/law/golden/sentencing.yaml, transitions.yaml) check whole assessments; these check each
rule over all its inputs, against the statute's wording."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given
from hypothesis import strategies as st

from _support import build_facts
from courtpath.law.answer import answer_data
from courtpath.law.engine import assess
from courtpath.law.loader import default_lawbook
from courtpath.law.rules import colony, gravity, recidivism, suspension
from courtpath.law.rules.availability import for_subject

LAW = default_lawbook()
GENERAL = LAW.general
GRAVITIES = ("small", "medium", "grave", "especially_grave")
KINDS = ("none", "unknown", "simple", "dangerous", "especially_dangerous")


def test_art_58_women_never_go_to_a_strict_or_special_regime() -> None:
    """Item «б» sends women convicted of grave and especially grave crimes to general regime, any recidivism
    included; items «в» and «г» name men only."""
    for grave_kind, term, kind in itertools.product(GRAVITIES, (False, True), KINDS):
        row = colony.colony(GENERAL.colony_regime, grave_kind, "female", term, kind)
        assert row is None or row.regime in ("settlement", "general"), (grave_kind, term, kind)


def test_art_58_names_a_regime_except_in_the_two_gaps() -> None:
    """No row fits only (a) a prison term served with no recidivism counted, outside item «б»'s women, or (b) a
    woman with a term served and a crime of small or medium gravity: the open question q_colony_unlisted."""
    for grave_kind, sex, term, kind in itertools.product(GRAVITIES, ("male", "female"), (False, True), KINDS):
        row = colony.colony(GENERAL.colony_regime, grave_kind, sex, term, kind)
        repeat = kind in ("simple", "dangerous", "especially_dangerous")
        gap = term and ((sex == "male" and not repeat) or (sex == "female" and grave_kind in ("small", "medium")))
        assert (row is None) == gap, (grave_kind, sex, term, kind)


def test_art_58_first_prison_term_for_men_follows_the_gravity() -> None:
    expected = {"small": "settlement", "medium": "settlement", "grave": "general", "especially_grave": "strict"}
    for grave_kind, regime in expected.items():
        row = colony.colony(GENERAL.colony_regime, grave_kind, "male", False, "none")
        assert row is not None and row.regime == regime


@given(
    st.sampled_from(GRAVITIES),
    st.sampled_from(("none", *GRAVITIES)),
    st.booleans(),
    st.booleans(),
    st.booleans(),
)
def test_art_18_part_4(new: str, prior: str, term: bool, probation: bool, first: bool) -> None:
    kind = recidivism.kind(GENERAL.recidivism, new, prior, term, probation, first and prior == "none")
    if prior == "small":  # part 4 «а»
        assert kind == "none"
    if probation and not term:  # part 4 «в»: the suspended sentence, never revoked
        assert kind == "none"
    if kind == "especially_dangerous":  # part 3 «б»
        assert new == "especially_grave" and prior == "especially_grave"
    if kind == "dangerous":  # part 2 «б»
        assert new == "grave" and prior in ("grave", "especially_grave") and term


@given(st.integers(min_value=1, max_value=300))
def test_art_15_the_milder_wording_never_gives_a_graver_category(months: int) -> None:
    before, after = GENERAL.gravity.versions
    assert GRAVITIES.index(gravity.category(after, months)) <= GRAVITIES.index(gravity.category(before, months))
    found, _version, retroactive = gravity.gravity(GENERAL.gravity, months, dt.date(2010, 1, 1), dt.date(2026, 1, 1))
    assert found == gravity.category(after, months)
    assert retroactive == (found != gravity.category(before, months))


def test_art_73_exclusions_reach_no_act_before_172_fz() -> None:
    spec = GENERAL.suspended_sentence
    day_before = spec.exclusions.valid_from - dt.timedelta(days=1)
    assert suspension.exclusion(spec, day_before >= spec.exclusions.valid_from, "grave", True, "dangerous") is None
    assert suspension.exclusion(spec, True, "grave", True, "none") == "б"
    assert suspension.exclusion(spec, True, "small", False, "dangerous") == "в"
    assert suspension.exclusion(spec, True, "small", True, "simple") is None


def test_arts_51_54_55_who_may_get_which_penalty() -> None:
    kinds = {t.type: t for t in GENERAL.penalty_types}
    assert for_subject(kinds["arrest"], {"conscript"}) == "no"  # never brought into force
    assert for_subject(kinds["restriction"], {"conscript"}) == "no"
    assert for_subject(kinds["restriction"], {"mobilized", "contract"}) == "yes"
    assert for_subject(kinds["disciplinary_unit"], {"conscript"}) == "yes"
    assert for_subject(kinds["disciplinary_unit"], {"contract"}) == "conditional"
    assert for_subject(kinds["disciplinary_unit"], {"reservist"}) == "no"
    assert for_subject(kinds["imprisonment"], {"reservist"}) == "yes"


def test_the_edition_that_began_later_is_not_called_the_law_of_the_act() -> None:
    """An absence from 01.09.2022 to 15.10.2022: 365-FZ was not in force when it began, so the trace of the 365-FZ
    qualification must not say the law "at the time of the act" applies (issue 12, item 6)."""
    facts = build_facts({"status": "contract", "left": "2022-09-01T08:00", "returned": "2022-10-15T08:00"})
    trace = [step.message.render("en") for step in assess(facts).trace]
    assert not any("law at the time of the act" in text for text in trace), trace
    assert any("edition in force when the absence ended" in text for text in trace)
    assert any("edition in force when the absence began" in text for text in trace)


def test_hours_under_each_edition_are_shown() -> None:
    facts = build_facts({"status": "contract", "left": "2022-09-20T08:00", "returned": "2022-09-26T08:00"})
    flags = {f["code"]: f["message"] for f in answer_data(assess(facts), "en")["flags"]}
    assert "88 hours fall before" in flags["edition_hours"] and "56 hours from" in flags["edition_hours"]
    assert "not a crime" in flags["earlier_edition_no_crime"]


def test_penalty_reasons_are_written_in_both_languages() -> None:
    facts = build_facts({"status": "contract", "left": "2021-03-01T08:00", "returned": "2021-03-20T08:00"})
    for lang, word in (("ru", "ч. 1 ст. 56"), ("en", "art. 56 part 1")):
        penalties = answer_data(assess(facts), lang)["qualifications"][0]["penalties"]
        imprisonment = penalties[-1]
        assert (imprisonment["type"], imprisonment["available"]) == ("imprisonment", "no")
        assert word in imprisonment["reason"], imprisonment["reason"]
