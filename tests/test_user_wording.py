"""No user-facing text cites files outside the project or speaks of how the law notes were made.

The law notes the project's users can read are in docs/law; a research file (law.md) is not theirs, and wording such
as "not retrieved" or «в исследовании» tells a lawyer, a serviceman or a family nothing about the law. Checked: the
open questions and the rest of the law data, the public interview's definition and templates, and every msgid and
msgstr of the gettext catalogues.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

from courtpath.i18n import LANGUAGES, catalogue_path
from courtpath.interview.definition import default_path
from courtpath.law.loader import ARTICLE_FILES, OTHER_FILES, default_data_dir

INTERNAL = re.compile(
    r"law\.md|research|retriev|не получен|(?:в|по) исследовани|не исследован",
    re.IGNORECASE,
)


def strings(node: object, where: str = "") -> Iterator[tuple[str, str]]:
    """Every string of a parsed YAML document, with its path (comments are not parsed, so not checked)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from strings(value, f"{where}.{key}" if where else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from strings(value, f"{where}.{index}")
    elif isinstance(node, str):
        yield where, node


def offending_yaml(path: Path) -> list[str]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [f"{path.name}: {where}: {text}" for where, text in strings(document) if INTERNAL.search(text)]


@pytest.mark.parametrize("name", [*ARTICLE_FILES, *OTHER_FILES])
def test_the_law_data_speaks_of_the_law(name: str) -> None:
    found = offending_yaml(default_data_dir() / name)
    assert not found, "internal wording in user-facing law data:\n" + "\n".join(found)


def test_the_public_interview_speaks_of_the_law() -> None:
    found = offending_yaml(default_path())
    templates = resources.files("courtpath").joinpath("web", "interview", "templates", "interview")
    for template in sorted(templates.iterdir(), key=lambda t: t.name):
        if template.name.endswith(".html"):
            lines = template.read_text("utf-8").splitlines()
            found += [f"{template.name}: {line}" for line in lines if INTERNAL.search(line)]
    assert not found, "internal wording in the public interview:\n" + "\n".join(found)


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_the_message_catalogue_speaks_of_the_law(lang: str) -> None:
    with catalogue_path(lang).open("rb") as handle:
        catalogue = read_po(handle, locale=lang)
    found = []
    for message in catalogue:
        texts = [message.id, message.string]
        flat = [t for text in texts for t in (text if isinstance(text, tuple | list) else [text]) if t]
        found += [f"{message.id!r}: {t}" for t in flat if INTERNAL.search(str(t))]
    assert not found, f"internal wording in the {lang} catalogue:\n" + "\n".join(found)


def test_the_pattern_catches_the_old_wording() -> None:
    for old in (
        "(см. law.md §9.3)",
        "the Plenum's list was not retrieved",
        "has not been researched",
        "перечень Пленума не получен",
        "в исследовании не сверено с официальным текстом",
        "по исследованию не подтверждена",
        "не исследовано",
    ):
        assert INTERNAL.search(old), old
    for plain in ("не подтверждено", "not confirmed", "исследование доказательств в суде", "docs/law/sources.md"):
        assert not INTERNAL.search(plain), plain
