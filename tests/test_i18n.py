"""The Russian catalogue: complete, consistent with the source, and actually used by the engine and the CLI.

When a test here fails after you added or changed an English text, run `python scripts/update_catalog.py` and
translate the new (empty or fuzzy) entries in src/courtpath/locale/ru/LC_MESSAGES/courtpath.po.
"""

from __future__ import annotations

import importlib.util
import io
import re
import string
import sys
from datetime import datetime
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from courtpath.cli.main import run
from courtpath.i18n import catalog as runtime_catalog
from courtpath.law.answer import answer_data
from courtpath.law.engine import assess
from courtpath.law.facts import Facts

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "courtpath"
PO_FILE = SOURCE / "locale" / "ru" / "LC_MESSAGES" / "courtpath.po"
CYRILLIC = re.compile(r"[А-Яа-яЁё]")


def _load_script():
    spec = importlib.util.spec_from_file_location("update_catalog", ROOT / "scripts" / "update_catalog.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


update_catalog = _load_script()


@pytest.fixture(scope="module")
def msgids() -> set[str]:
    return update_catalog.msgids(SOURCE)


@pytest.fixture(scope="module")
def po() -> Catalog:
    with PO_FILE.open("rb") as handle:
        return read_po(handle, locale="ru")


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


# -- extraction -------------------------------------------------------------------------------------------------


def test_extraction_finds_messages_babel_python_misses(msgids: set[str]) -> None:
    # `_t(...)` inside f-strings and table headers passed through a loop variable (cli/report.py)
    assert {"Trace", "Qualifications", "Not legal advice: a lawyer must review every assessment."} <= msgids
    assert {"Article, part", "Cap, art. 62", "Who", "Summary"} <= msgids
    # `Msg(", ".join(...))` builds its msgid at run time: not a message
    assert ", " not in msgids


def test_extractor_patterns() -> None:
    source = b"""
for header in ("A", "B"):
    cells = [_t(key, lang) for key in ("C", "D")] + [_t(header, lang)]
    line = f"{_t('E', lang)}: {Msg('F {x}', x=1)}"
    _t(computed, lang)
names = {Msg(n) for n in ["G"]}
Msg(", ".join(parts))
"""
    found = update_catalog.extract_courtpath(io.BytesIO(source), {"Msg": None, "_t": None}, [], {})
    assert sorted(message for _, _, message, _ in found) == ["A", "B", "C", "D", "E", "F {x}", "G"]


def test_extraction_covers_babel_python_extractor(msgids: set[str]) -> None:
    babel_found = {
        str(message)
        for _, _, message, _, _ in extract_from_dir(
            str(SOURCE), method_map=[("**.py", "python")], keywords={"Msg": None, "_t": None}
        )
    }
    assert babel_found - {", "} <= msgids


# -- (a) completeness -------------------------------------------------------------------------------------------


def test_every_msgid_has_a_russian_translation(msgids: set[str], po: Catalog) -> None:
    missing = sorted(m for m in msgids if m not in po or not po[m].string)
    fuzzy = sorted(m for m in msgids if m in po and po[m].string and po[m].fuzzy)
    assert not missing, "untranslated (run scripts/update_catalog.py, then translate):\n" + "\n".join(missing)
    assert not fuzzy, "fuzzy translations to review:\n" + "\n".join(fuzzy)


def test_runtime_catalogue_serves_every_msgid(msgids: set[str]) -> None:
    served = runtime_catalog("ru")
    assert msgids <= set(served)
    assert all(CYRILLIC.search(served[m]) or not re.search("[A-Za-z]", m) for m in msgids)


# -- (b) placeholders -------------------------------------------------------------------------------------------


def test_translations_keep_the_placeholders(po: Catalog) -> None:
    wrong = []
    for message in po:
        if not message.id or not message.string:
            continue
        msgid, translation = str(message.id), str(message.string)
        if placeholders(translation) != placeholders(msgid):
            wrong.append(f"{msgid!r}: {sorted(placeholders(msgid))} != {sorted(placeholders(translation))}")
            continue
        translation.format(**dict.fromkeys(placeholders(msgid), "x"))  # no stray braces
    assert not wrong, "\n".join(wrong)


# -- (c) a real assessment in Russian ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def assessment_ru() -> dict[str, object]:
    facts = Facts(
        status="contract",
        left=datetime(2025, 6, 1, 8),
        returned=datetime(2025, 6, 20, 8),
        as_of=datetime(2026, 11, 25),
        indicators=frozenset({"job"}),
        surrendered=True,
    )
    return answer_data(assess(facts), "ru")


def test_assessment_messages_are_russian(assessment_ru: dict[str, object], msgids: set[str]) -> None:
    messages = [
        item["message"]
        for section in ("flags", "trace", "key_dates")
        for item in assessment_ru[section]  # type: ignore[union-attr]
    ]
    assert assessment_ru["flags"] and assessment_ru["trace"]
    # the literal English parts of every msgid, e.g. "Art. " and " part " of "Art. {article} part {part} ..."
    fragments = {
        literal.strip()
        for msgid in msgids
        for literal, _, _, _ in string.Formatter().parse(msgid)
        if len(literal.strip()) >= 12
    }
    for message in messages:
        assert CYRILLIC.search(message), message
        leftovers = [fragment for fragment in fragments if fragment in message]
        assert not leftovers, f"English left in {message!r}: {leftovers}"


def test_assessment_uses_russian_legal_terms(assessment_ru: dict[str, object]) -> None:
    flags = {f["code"]: f["message"] for f in assessment_ru["flags"]}  # type: ignore[union-attr,index]
    assert "дезертирств" in flags["desertion_risk"]
    assert "трудоустройство" in flags["desertion_risk"]
    assert "ст. 338 УК РФ" in flags["desertion_risk"]
    trace = " ".join(t["message"] for t in assessment_ru["trace"])  # type: ignore[union-attr,index]
    assert "с повинной" in trace
    assert "срок давности" in trace


# -- (d) the CLI in Russian -------------------------------------------------------------------------------------


def test_cli_assess_report_in_russian(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    code = run(
        [
            "assess",
            "--status",
            "contract",
            "--left",
            "2025-06-01T08:00",
            "--returned",
            "2025-06-20T08:00",
            "--indicator",
            "job",
            "--surrendered",
            "--lang",
            "ru",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    for heading in ("Оценка courtpath", "Квалификация", "Ключевые даты", "Замечания", "Обоснование"):
        assert heading in out
    for column in ("Статья, часть", "Редакция", "Наказания", "Условное осуждение", "Предел, ст. 62"):
        assert column in out
    assert "Это не юридическая консультация" in out
    for english in ("Qualifications", "Key dates", "Flags", "Trace", "Article, part", "Not legal advice"):
        assert english not in out


def test_cli_law_show_in_russian(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    assert run(["law", "show", "337", "--on", "2024-01-01", "--lang", "ru"]) == 0
    out = capsys.readouterr().out
    for heading in ("Ст. 337", "Редакция", "действует", "Часть", "Субъект", "Наказания", "Источники"):
        assert heading in out
