"""The one vocabulary (courtpath.law.vocabulary): each family names exactly the codes the code and the law data use,
in both languages, and no two codes of a family share a name."""

from __future__ import annotations

import ast
import inspect
import re
from typing import get_args

import pytest

from courtpath.analytics import beside_law, parser, records
from courtpath.i18n import catalogue
from courtpath.law import answer, schema
from courtpath.law.facts import AbsenceKind, Context, Indicator, Status
from courtpath.law.loader import default_lawbook
from courtpath.law.procedure import EventCode
from courtpath.law.vocabulary import (
    ABSENCE_KINDS,
    ARTICLE_KINDS,
    AVAILABILITY,
    BANDS,
    CONTEXTS,
    FAMILIES,
    GRAVITY,
    INDICATORS,
    KEY_DATES,
    LAW_DATE_BASES,
    OUTCOMES,
    PENALTIES,
    PROCEDURE_DEADLINES,
    PROCEDURE_EVENTS,
    RANGE_CHECKS,
    RECIDIVISM,
    REGIMES,
    SEVERITIES,
    STATUSES,
    SUBJECTS,
    Vocabulary,
)

CYRILLIC = re.compile(r"[А-Яа-яЁё]")


def _literals_of_beside_law() -> set[str]:
    """The codes `beside_law()` writes into its columns: the strings of its pl.lit(...) calls."""
    tree = ast.parse(inspect.getsource(beside_law.beside_law))
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "lit"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }


def test_the_facts_families_are_the_enums_of_the_facts() -> None:
    assert list(STATUSES) == [s.value for s in Status]
    assert list(ABSENCE_KINDS) == [k.value for k in AbsenceKind]
    assert list(CONTEXTS) == [c.value for c in Context]
    assert list(INDICATORS) == [i.value for i in Indicator]


def test_the_law_data_families_are_the_codes_of_the_schema_and_the_data() -> None:
    law = default_lawbook()
    assert set(SUBJECTS) == set(get_args(schema.Subject))
    parts = [part for spec in law.articles.values() for edition in spec.editions for part in edition.parts]
    assert set(SUBJECTS) >= {subject for part in parts for subject in part.subjects}
    # penalties mildest first, in the order of art. 44 as the law data lists them; a fine only in verdicts
    assert list(PENALTIES) == ["fine", *(t.type for t in law.general.penalty_types)]
    assert set(PENALTIES) - {"fine"} == set(get_args(schema.PenaltyType))
    assert all(list(GRAVITY) == [c.code for c in v.categories] for v in law.general.gravity.versions)
    assert set(GRAVITY) == set(get_args(schema.Gravity))
    assert set(REGIMES) == set(get_args(schema.Regime)) == {row.regime for row in law.general.colony_regime.rows}
    assert set(RECIDIVISM) - {"none", "unknown"} == set(get_args(schema.RecidivismKind))
    assert set(ARTICLE_KINDS) == set(get_args(schema.ArticleKind)) == {spec.kind for spec in law.articles.values()}


def test_the_procedure_families_are_the_codes_of_the_procedure_data() -> None:
    spec = default_lawbook().procedure
    assert spec is not None
    assert list(PROCEDURE_EVENTS) == [code.value for code in EventCode] == list(spec.events)
    assert list(PROCEDURE_DEADLINES) == [*spec.deadlines, *spec.duties]


def test_the_answer_families_are_the_literals_of_the_answer() -> None:
    assert set(BANDS) == set(get_args(answer.Band))
    assert set(SEVERITIES) == set(get_args(answer.Severity))
    assert set(KEY_DATES) == set(get_args(answer.KeyDateCode))
    assert set(RECIDIVISM) == set(get_args(answer.RecidivismCode))
    assert set(AVAILABILITY) == set(get_args(answer.Availability))


def test_the_analytics_families_are_the_codes_analytics_writes() -> None:
    assert set(OUTCOMES) == {category for category, _ in records.OUTCOMES} | {"other", "unknown"}
    assert {code for _, code in parser.KINDS} == set(PENALTIES)  # the sentence types a verdict can name
    assert set(RANGE_CHECKS) | set(LAW_DATE_BASES) == _literals_of_beside_law()
    assert not set(RANGE_CHECKS) & set(LAW_DATE_BASES)


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_every_name_is_translated_and_tells_the_codes_apart(family: str) -> None:
    vocabulary: Vocabulary = FAMILIES[family]
    russian = catalogue("ru").texts
    for code, term in vocabulary.items():
        for message in (term.name, term.phrase):
            if message is None:
                continue
            assert message.msgid in russian, f"{family}.{code}: {message.msgid!r} is not in the catalogue"
            assert CYRILLIC.search(russian[message.msgid]), (family, code, russian[message.msgid])
            assert not message.params, (family, code)
    for lang in ("ru", "en"):
        names = [vocabulary.name(code).render(lang) for code in vocabulary]
        assert len(set(names)) == len(names), (family, lang, names)


def test_names_are_lower_case_for_use_inside_sentences() -> None:
    """Capitalised at display where a label starts a line (Django's capfirst); key dates are whole sentences."""
    for family, vocabulary in FAMILIES.items():
        if family == "key_date":
            continue
        for code in vocabulary:
            for lang in ("ru", "en"):
                name = vocabulary.name(code).render(lang)
                assert name[0] == name[0].lower(), (family, code, lang, name)


def test_one_code_for_the_restriction_of_military_service() -> None:
    assert "restriction" in PENALTIES and "restriction_of_service" not in PENALTIES
    assert PENALTIES.name("restriction").render("ru") == "ограничение по военной службе"
