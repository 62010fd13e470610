"""Loading the law data: the shipped files load; a broken copy is refused with a message naming file and field."""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from courtpath.cli.main import run
from courtpath.law.loader import LawDataError, default_data_dir, default_lawbook, load_lawbook


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "ru"
    shutil.copytree(default_data_dir(), target)
    return target


def edit(directory: Path, name: str, change: Callable[[Any], None]) -> None:
    path = directory / name
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")


def part(document: dict[str, Any], edition: str, number: str) -> dict[str, Any]:
    found = next(e for e in document["editions"] if e["edition"] == edition)
    return next(p for p in found["parts"] if p["part"] == number)


# -- the shipped data ----------------------------------------------------------------------------------------------


def test_shipped_data_loads() -> None:
    law = default_lawbook()
    assert sorted(law.articles) == ["337", "338", "339"]
    assert [e.edition for e in law.article("337").editions] == ["1997", "365-FZ", "534-FZ"]
    assert [e.edition for e in law.article("338").editions] == ["1997", "26-FZ", "365-FZ", "534-FZ"]
    assert len(law.version) == 16


@pytest.mark.parametrize("number", ["337", "338", "339"])
def test_editions_are_contiguous_and_open_ended(number: str) -> None:
    editions = default_lawbook().article(number).editions
    assert editions[0].valid_from == dt.date(1997, 1, 1)
    assert editions[-1].valid_to is None
    for earlier, later in itertools.pairwise(editions):
        assert later.valid_from == earlier.valid_to + dt.timedelta(days=1)  # type: ignore[operator]


def test_shipped_penalties_match_the_statute() -> None:
    """Spot checks of the sanctions against the statute (months)."""
    law = default_lawbook()

    def maxima(number: str, edition: str, part_number: str) -> list[tuple[str, int | None, int]]:
        spec = next(p for p in law.edition_by_id(number, edition).parts if p.part == part_number)
        return [(p.type, p.min_months, p.max_months) for p in spec.penalties]

    assert maxima("337", "1997", "1") == [("arrest", None, 6), ("disciplinary_unit", None, 12)]
    assert maxima("337", "365-FZ", "2.1") == [("imprisonment", None, 60)]
    assert maxima("337", "365-FZ", "3.1") == [("imprisonment", None, 84)]
    assert maxima("337", "365-FZ", "5") == [("imprisonment", 60, 120)]
    assert maxima("337", "534-FZ", "2.2") == [("imprisonment", 24, 72)]
    assert maxima("337", "534-FZ", "3.2") == [("imprisonment", 36, 96)]
    assert maxima("337", "534-FZ", "5.1") == [("imprisonment", 84, 144)]
    assert maxima("338", "1997", "2") == [("imprisonment", 36, 120)]
    assert maxima("338", "26-FZ", "2") == [("imprisonment", None, 120)]
    assert maxima("338", "365-FZ", "3") == [("imprisonment", 60, 180)]
    assert maxima("338", "534-FZ", "3.1") == [("imprisonment", 120, 240)]


def test_a_faithful_copy_loads_with_the_same_version(data_copy: Path) -> None:
    assert load_lawbook(data_copy).version == default_lawbook().version


def test_version_changes_with_the_data(data_copy: Path) -> None:
    path = data_copy / "sources.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    assert load_lawbook(data_copy).version != default_lawbook().version


# -- broken copies -------------------------------------------------------------------------------------------------


def _missing_penalties(d: Path) -> None:
    edit(d, "337.yaml", lambda doc: part(doc, "1997", "1").pop("penalties"))


def _min_above_max(d: Path) -> None:
    edit(d, "337.yaml", lambda doc: part(doc, "365-FZ", "5")["penalties"][0].update(min_months=130))


def _unknown_source(d: Path) -> None:
    edit(d, "338.yaml", lambda doc: part(doc, "26-FZ", "2").update(sources=["S1", "S999"]))


def _yaml_syntax(d: Path) -> None:
    (d / "338.yaml").write_text('article: "338"\nkind: [desertion\n  title: : oops\n', encoding="utf-8")


def _edition_gap(d: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        doc["editions"][1]["valid_from"] = dt.date(2022, 10, 1)

    edit(d, "337.yaml", change)


def _edition_overlap(d: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        doc["editions"][2]["valid_from"] = dt.date(2025, 12, 1)

    edit(d, "338.yaml", change)


def _unknown_penalty_type(d: Path) -> None:
    edit(d, "337.yaml", lambda doc: part(doc, "365-FZ", "3")["penalties"][0].update(type="fine"))


def _bad_duration(d: Path) -> None:
    edit(d, "337.yaml", lambda doc: part(doc, "1997", "3")["duration"].update(over="ten days"))


def _missing_gravity_limitation(d: Path) -> None:
    edit(d, "general.yaml", lambda doc: doc["limitation"].pop("years"))


def _missing_file(d: Path) -> None:
    (d / "contexts.yaml").unlink()


def _wrong_article_number(d: Path) -> None:
    edit(d, "339.yaml", lambda doc: doc.update(article="340"))


def _question_id_not_an_anchor(d: Path) -> None:
    edit(
        d, "open_questions.yaml", lambda doc: doc["questions"].update({"Q-Bad": {"ru": "Вопрос.", "en": "A question."}})
    )


def _question_with_a_research_ref(d: Path) -> None:
    # The pointer to a question's notes is made from its id (docs/law/open-questions.md#<id>), never written by hand.
    edit(d, "open_questions.yaml", lambda doc: doc["questions"]["q_transitional"].update(research_ref="law.md §9.5"))


def _procedure_unknown_source(d: Path) -> None:
    edit(d, "procedure.yaml", lambda doc: doc["deadlines"]["report_decision_due"]["rule"].update(sources=["S999"]))


def _procedure_unknown_question(d: Path) -> None:
    edit(d, "procedure.yaml", lambda doc: doc["deadlines"]["appeal_window_ends"].update(open_questions=["q_nowhere"]))


def _procedure_unknown_draft(d: Path) -> None:
    edit(d, "procedure.yaml", lambda doc: doc["deadlines"]["report_decision_due"].update(escalations=["complaint_x"]))


def _procedure_unknown_event(d: Path) -> None:
    edit(d, "procedure.yaml", lambda doc: doc["deadlines"]["investigation_term_ends"].update(met_by=["case_closed"]))


def _calendar_weekday_as_working_weekend(d: Path) -> None:
    edit(
        d,
        "calendar.yaml",
        lambda doc: doc["years"][2026]["working_weekends"].append(
            {"date": dt.date(2026, 5, 6), "confidence": "secondary"}
        ),
    )


def _calendar_unknown_question(d: Path) -> None:
    edit(d, "calendar.yaml", lambda doc: doc["years"][2027].update(open_questions=["q_nowhere"]))


def _calendar_date_outside_its_year(d: Path) -> None:
    edit(
        d,
        "calendar.yaml",
        lambda doc: doc["years"][2025]["transfers"].append(
            {"from": dt.date(2025, 1, 4), "to": dt.date(2026, 1, 2), "confidence": "secondary"}
        ),
    )


BROKEN: dict[str, tuple[Callable[[Path], None], str, tuple[str, ...]]] = {
    "missing penalties": (_missing_penalties, "337.yaml", ("editions.0.parts.0.penalties",)),
    "min above max": (_min_above_max, "337.yaml", ("editions.1.parts.6.penalties.0", "min_months")),
    "unknown source id": (_unknown_source, "338.yaml", ("editions.1.parts.1.sources", "S999")),
    "yaml syntax error": (_yaml_syntax, "338.yaml", ("YAML", "line 3")),
    "edition gap": (_edition_gap, "337.yaml", ("editions", "valid_from", "365-FZ")),
    "edition overlap": (_edition_overlap, "338.yaml", ("editions", "valid_from", "365-FZ")),
    "unknown penalty type": (_unknown_penalty_type, "337.yaml", ("editions.1.parts.3.penalties.0.type",)),
    "bad duration": (_bad_duration, "337.yaml", ("editions.0.parts.2.duration.over",)),
    "general part field": (_missing_gravity_limitation, "general.yaml", ("limitation.years",)),
    "missing file": (_missing_file, "contexts.yaml", ("cannot read",)),
    "article number": (_wrong_article_number, "339.yaml", ("article", "340")),
    "question id not an anchor": (_question_id_not_an_anchor, "open_questions.yaml", ("questions", "Q-Bad")),
    "question with a hand-written reference": (
        _question_with_a_research_ref,
        "open_questions.yaml",
        ("questions.q_transitional.research_ref",),
    ),
    "procedure unknown source": (
        _procedure_unknown_source,
        "procedure.yaml",
        ("deadlines.report_decision_due.rule.sources", "S999"),
    ),
    "procedure unknown question": (
        _procedure_unknown_question,
        "procedure.yaml",
        ("deadlines.appeal_window_ends.open_questions", "q_nowhere"),
    ),
    "procedure unknown draft": (_procedure_unknown_draft, "procedure.yaml", ("escalations", "complaint_x")),
    "procedure unknown event": (_procedure_unknown_event, "procedure.yaml", ("met_by", "case_closed")),
    "calendar weekday as a working weekend": (
        _calendar_weekday_as_working_weekend,
        "calendar.yaml",
        ("years.2026.working_weekends.0.date", "no Saturday or Sunday"),
    ),
    "calendar unknown question": (
        _calendar_unknown_question,
        "calendar.yaml",
        ("years.2027.open_questions", "q_nowhere"),
    ),
    "calendar date outside its year": (_calendar_date_outside_its_year, "calendar.yaml", ("years", "2026-01-02")),
}


@pytest.mark.parametrize(("breaker", "file", "fields"), list(BROKEN.values()), ids=list(BROKEN))
def test_broken_data_is_refused_naming_file_and_field(
    data_copy: Path, breaker: Callable[[Path], None], file: str, fields: tuple[str, ...]
) -> None:
    breaker(data_copy)
    with pytest.raises(LawDataError) as caught:
        load_lawbook(data_copy)
    message = str(caught.value)
    assert str(data_copy / file) in message
    for field in fields:
        assert field in message, f"{field!r} not in {message!r}"


@pytest.mark.parametrize("breaker", [b for b, _, _ in BROKEN.values()], ids=list(BROKEN))
def test_law_check_refuses_broken_data_in_one_line(
    data_copy: Path, breaker: Callable[[Path], None], capsys: pytest.CaptureFixture[str]
) -> None:
    breaker(data_copy)
    code = run(["law", "check", str(data_copy)])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1, err
    assert err.startswith("courtpath: error: ")
    assert "Traceback" not in err


def test_law_check_accepts_a_faithful_copy(data_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["law", "check", str(data_copy)]) == 0
    out, _ = capsys.readouterr()
    assert out.startswith("ok: 3 articles, 10 editions")
