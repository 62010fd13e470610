"""The project's own law notes (docs/law): every open question has its section, the flag points at it, and the
section quotes the texts the flag shows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from courtpath.law.decide import question_flag
from courtpath.law.lawbook import OPEN_QUESTIONS_DOC
from courtpath.law.loader import default_lawbook

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / OPEN_QUESTIONS_DOC
QUESTIONS = default_lawbook().questions


def sections() -> dict[str, str]:
    """The sections of docs/law/open-questions.md headed `## <id>`, by id, with their text."""
    parts = re.split(r"^## (\S+)[ \t]*$", DOC.read_text(encoding="utf-8"), flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_the_notes_exist_beside_the_readme_and_sources() -> None:
    for name in ("README.md", "open-questions.md", "sources.md"):
        assert (ROOT / "docs" / "law" / name).is_file(), name


def test_every_open_question_has_its_section_and_every_section_its_question() -> None:
    found = sections()
    assert len(found) == len(set(found)), "a section heading is repeated"
    missing = sorted(set(QUESTIONS) - set(found))
    extra = sorted(set(found) - set(QUESTIONS))
    assert not missing, f"questions of open_questions.yaml without a section in {OPEN_QUESTIONS_DOC}: {missing}"
    assert not extra, f"sections of {OPEN_QUESTIONS_DOC} that are no question of open_questions.yaml: {extra}"


@pytest.mark.parametrize("qid", sorted(QUESTIONS))
def test_each_section_quotes_the_texts_the_flag_shows(qid: str) -> None:
    section = sections().get(qid, "")
    for lang in ("ru", "en"):
        assert QUESTIONS[qid].get(lang) in section, f"{qid}: the {lang} text differs from open_questions.yaml"


@pytest.mark.parametrize("qid", sorted(QUESTIONS))
def test_the_flag_cites_the_section_by_its_id(qid: str) -> None:
    flag = question_flag(qid, default_lawbook())
    assert flag.code == f"open_question:{qid}"
    # A heading `## q_id` has the anchor `q_id` on GitHub and in most Markdown renderers: the id needs no escaping.
    assert re.fullmatch(r"q[a-z0-9_]+", qid)
    assert flag.message.render("en") == f"{QUESTIONS[qid].en} (see docs/law/open-questions.md#{qid})"
    assert flag.message.render("ru") == f"{QUESTIONS[qid].ru} (см. docs/law/open-questions.md#{qid})"


def test_the_links_between_the_notes_resolve() -> None:
    """Relative links in docs/law point at files that exist and, with an anchor, at a section of open-questions.md."""
    anchors = set(sections())
    for page in sorted((ROOT / "docs" / "law").glob("*.md")):
        for target in re.findall(r"\]\(([^)\s]+)\)", page.read_text(encoding="utf-8")):
            if "://" in target:
                continue
            path, _, anchor = target.partition("#")
            assert (page.parent / path).resolve().exists(), f"{page.name}: {target}"
            if anchor and path == "open-questions.md":
                assert anchor in anchors, f"{page.name}: {target}"
