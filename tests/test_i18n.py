"""The one catalogue: complete and current for the whole source, placeholders intact, and used by the engine and CLI.

The messages are extracted with the project's own tool, Babel's `pybabel extract` with the settings in pyproject.toml
([tool.babel]), exactly as `make messages` runs it. When a test here fails after you added or changed an English
text, run `make messages` and translate the entries left empty or marked fuzzy in
src/courtpath/locale/ru/LC_MESSAGES/django.po (README, "Translations").
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import tomllib
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.frontend import parse_keywords
from babel.messages.pofile import read_po

from courtpath.cli.main import run
from courtpath.i18n import catalogue, ngettext, npgettext
from courtpath.law.answer import answer_data
from courtpath.law.engine import assess
from courtpath.law.facts import Facts

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "courtpath"
PO_FILE = SOURCE / "locale" / "ru" / "LC_MESSAGES" / "django.po"
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
LATIN = re.compile(r"[A-Za-z]")
# A printf conversion as Python's % operator reads it (Django's messages), or a {name} field (Msg and _t messages).
PERCENT = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")
BRACES = re.compile(r"\{[^{}\s]*\}")
Key = tuple[str | None, str]


def keys(catalog: Catalog) -> set[Key]:
    """(context, msgid) of every active entry; the singular msgid of a plural entry."""
    return {(m.context, m.id[0] if isinstance(m.id, tuple) else m.id) for m in catalog if m.id}


def forms(value: str | tuple[str, ...] | None) -> tuple[str, ...]:
    if value is None:
        return ("",)
    return tuple(value) if isinstance(value, tuple | list) else (value,)


def placeholders(text: str) -> Counter[str]:
    found = Counter(PERCENT.findall(text)) + Counter(BRACES.findall(text))
    del found["%%"]  # a literal per cent sign
    return found


@pytest.fixture(scope="module")
def extraction(tmp_path_factory: pytest.TempPathFactory) -> tuple[Catalog, str]:
    """The messages of the source as `make messages` extracts them (a POT catalogue), and Babel's warnings."""
    pot = tmp_path_factory.mktemp("messages") / "django.pot"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(SOURCE.parent), os.environ.get("PYTHONPATH")])),
    }
    done = subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-o", str(pot)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    with pot.open("rb") as handle:
        return read_po(handle), done.stderr


@pytest.fixture(scope="module")
def extracted(extraction: tuple[Catalog, str]) -> Catalog:
    return extraction[0]


@pytest.fixture(scope="module")
def po() -> Catalog:
    with PO_FILE.open("rb") as handle:
        return read_po(handle, locale="ru")


# -- the catalogue is complete and current ----------------------------------------------------------------------


def test_extraction_reaches_every_kind_of_message(extracted: Catalog) -> None:
    found = keys(extracted)
    assert (None, "conscript") in found  # Msg(...) in the engine's vocabulary
    assert (None, "Not legal advice: a lawyer must review every assessment.") in found  # _t(...) in the CLI
    assert ("term after from, up to", "{n} year") in found  # npgettext(...) of courtpath.i18n
    assert (None, "Deadlines") in found  # a Django template
    assert ("serviceman", "Status") in found  # pgettext_lazy in a Django form
    assert (None, "%(days)d day") in found  # ngettext in Django code
    assert len(found) > 600


def test_babel_reports_nothing_it_could_not_extract(extraction: tuple[Catalog, str]) -> None:
    """Babel warns about an f-string or an empty msgid in a translation call; both are messages it cannot extract."""
    assert "warning" not in extraction[1], extraction[1]


def test_every_message_of_the_source_is_translated(extracted: Catalog, po: Catalog) -> None:
    missing = sorted(keys(extracted) - keys(po), key=str)
    assert not missing, "missing from django.po (run `make messages`, then translate):\n" + "\n".join(map(str, missing))
    untranslated = sorted(
        (str(m.context), str(m.id)) for m in po if m.id and not all(f.strip() for f in forms(m.string))
    )
    assert not untranslated, "untranslated:\n" + "\n".join(map(str, untranslated))
    fuzzy = sorted((str(m.context), str(m.id)) for m in po if m.id and m.fuzzy)
    assert not fuzzy, "fuzzy (review the translation, then remove the flag):\n" + "\n".join(map(str, fuzzy))


def test_no_message_the_source_dropped_is_still_active(extracted: Catalog, po: Catalog) -> None:
    """A dropped message may stay as an obsolete `#~` entry (`make messages` keeps it); never as an active one."""
    stale = sorted(keys(po) - keys(extracted), key=str)
    assert not stale, "no longer in the source (run `make messages`):\n" + "\n".join(map(str, stale))


def test_no_obsolete_entry_repeats_an_active_one(po: Catalog) -> None:
    """An obsolete `#~` entry with the msgid of an active one makes GNU msgfmt (and so Django's compilemessages)
    refuse the file as a duplicate definition, though Babel reads it."""

    def key(message: Message) -> tuple[str | None, str]:
        return message.context, message.id if isinstance(message.id, str) else message.id[0]

    repeated = sorted({key(message) for message in po.obsolete.values()} & {key(message) for message in po}, key=str)
    assert not repeated, f"obsolete entries that repeat active ones: {repeated}"


def _keywords() -> dict[str, tuple[int, ...]]:
    """Each keyword of the extraction (pyproject.toml) and the positions of its literal arguments (1-based)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["babel"]["extract_messages"]
    return {
        name: tuple(p[0] if isinstance(p, tuple) else p for p in (spec or (1,)))
        for name, spec in parse_keywords(config["keywords"]).items()
    }


def test_every_msgid_in_the_source_is_a_literal_outside_f_strings() -> None:
    """Babel silently skips a call whose msgid is computed (a variable, a join, a conditional expression), and cannot
    see inside f-strings on Python 3.11; such a message would never reach the catalogue. courtpath/i18n.py defines
    the keywords and is left out."""
    keywords = _keywords()
    wrong = []
    for path in sorted(SOURCE.rglob("*.py")):
        if path == SOURCE / "i18n.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        in_f_strings = {id(node) for f in ast.walk(tree) if isinstance(f, ast.JoinedStr) for node in ast.walk(f)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if name not in keywords:
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            if id(node) in in_f_strings:
                wrong.append(f"{where}: {name}(...) inside an f-string")
            for position in keywords[name]:
                argument = node.args[position - 1] if len(node.args) >= position else None
                if not (isinstance(argument, ast.Constant) and isinstance(argument.value, str)):
                    wrong.append(f"{where}: {name}(...) argument {position} is not a literal string")
    assert not wrong, "\n".join(wrong)


# -- placeholders -----------------------------------------------------------------------------------------------


def test_translations_keep_the_placeholders(po: Catalog) -> None:
    """{name} in Msg and _t messages, %(name)s in Django's (templates' {{ name }} too): the same in the translation."""
    wrong = []
    for message in po:
        if not message.id:
            continue
        translations = forms(message.string)
        if isinstance(message.id, tuple):  # each plural form uses the msgids' placeholders, together all of them
            wanted = set().union(*(placeholders(msgid) for msgid in message.id))
            found = [set(placeholders(t)) for t in translations]
            if not all(f <= wanted for f in found) or set().union(*found) != wanted:
                wrong.append(f"{message.id!r}: {translations!r}")
        elif placeholders(translations[0]) != placeholders(message.id):
            wrong.append(f"{message.id!r}: {translations[0]!r}")
        if any("{{" in t or "{%" in t for t in translations):
            wrong.append(f"{message.id!r}: template syntax in a translation")
        if any(BRACES.search(msgid) for msgid in forms(message.id)):  # a brace message: str.format must accept it
            fields = {field.strip("{}"): "x" for field in BRACES.findall(" ".join(forms(message.id)))}
            for translation in translations:
                try:
                    translation.format(*["x"] * len(fields), **fields)
                except (KeyError, IndexError, ValueError) as error:
                    wrong.append(f"{message.id!r}: {translation!r} does not format ({error})")
    assert not wrong, "\n".join(wrong)


def test_plural_entries_have_every_russian_form(po: Catalog) -> None:
    assert po.num_plurals == 3
    for message in po:
        if message.id and isinstance(message.id, tuple):
            assert len(forms(message.string)) == po.num_plurals, message.id


# -- the catalogue at run time, without Django ------------------------------------------------------------------


def test_runtime_catalogue_serves_every_message(po: Catalog) -> None:
    served = catalogue("ru")
    singular = {m.id: m.string for m in po if m.id and isinstance(m.id, str) and m.context is None}
    assert served.texts == singular
    assert all(CYRILLIC.search(text) or not LATIN.search(msgid) for msgid, text in served.texts.items())
    assert catalogue("en").texts == {}


@pytest.mark.parametrize(
    ("n", "ru", "en"),
    [(1, "1 год", "1 year"), (3, "3 года", "3 years"), (11, "11 лет", "11 years"), (21, "21 год", "21 years")],
)
def test_plural_forms(n: int, ru: str, en: str) -> None:
    assert ngettext("{n} year", "{n} years", n, "ru").format(n=n) == ru
    assert ngettext("{n} year", "{n} years", n, "en").format(n=n) == en


def test_plural_forms_with_a_context() -> None:
    """After "от" and "до" Russian takes the genitive: the same English msgid, another context, other forms."""
    assert npgettext("term after from, up to", "{n} year", "{n} years", 1, "ru") == "{n} года"
    assert npgettext("term after from, up to", "{n} month", "{n} months", 5, "ru") == "{n} месяцев"
    assert npgettext("no such context", "{n} year", "{n} years", 5, "ru") == "{n} years"  # untranslated: English


# -- a real assessment in Russian -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def assessment_ru() -> dict[str, object]:
    facts = Facts(
        status="contract",
        left=datetime(2025, 6, 1, 8),
        returned=datetime(2025, 6, 20, 8),
        as_of=datetime(2026, 11, 25),
        indicators=frozenset({"job", "border"}),
        surrendered=True,
    )
    return answer_data(assess(facts), "ru")


def test_assessment_messages_are_russian(assessment_ru: dict[str, object], extracted: Catalog) -> None:
    messages = [
        item["message"]
        for section in ("flags", "trace", "key_dates")
        for item in assessment_ru[section]  # type: ignore[union-attr]
    ]
    assert assessment_ru["flags"] and assessment_ru["trace"]
    # the literal English parts of every msgid, e.g. "Art. " and " part " of "Art. {article} part {part} ..."
    fragments = {
        literal.strip()
        for msgid in (m.id for m in extracted if m.id and isinstance(m.id, str))
        for literal in BRACES.split(msgid)
        if len(literal.strip()) >= 12
    }
    for message in messages:
        assert CYRILLIC.search(message), message
        leftovers = [fragment for fragment in fragments if fragment in message]
        assert not leftovers, f"English left in {message!r}: {leftovers}"


def test_assessment_uses_russian_legal_terms(assessment_ru: dict[str, object]) -> None:
    flags = {f["code"]: f["message"] for f in assessment_ru["flags"]}  # type: ignore[union-attr,index]
    assert "дезертирств" in flags["desertion_risk"]
    assert (
        "как пересечение или попытка пересечения государственной границы, трудоустройство," in flags["desertion_risk"]
    )
    assert "ст. 338 УК РФ" in flags["desertion_risk"]
    trace = " ".join(t["message"] for t in assessment_ru["trace"])  # type: ignore[union-attr,index]
    assert "с повинной" in trace
    assert "срок давности" in trace
    assert "военнослужащий, проходящий военную службу по контракту" in trace or "тяжкое" in trace


# -- the CLI in Russian -----------------------------------------------------------------------------------------


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
    for column in ("Статья, часть", "Редакция", "Наказания", "Возможно условное осуждение", "Предел, ст. 62"):
        assert column in out
    for name in ("лишение свободы", "тяжкое", "исправительная колония общего режима", "самовольное оставление части"):
        assert name in out
    assert "Начало отсутствия: 01.06.2025 08:00 МСК" in out and "19\u00a0сут." in out
    assert "Это не юридическая консультация" in out
    for english in ("Qualifications", "Key dates", "Flags", "Trace", "Article, part", "Not legal advice", "MSK"):
        assert english not in out
    assert not re.search(r"\b(?:years|months|days|yes|no)\b", out)


def test_cli_law_show_in_russian(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    assert run(["law", "show", "337", "--on", "2024-01-01", "--lang", "ru"]) == 0
    out = capsys.readouterr().out
    for heading in ("Ст. 337", "Редакция", "Часть", "Субъект", "Наказания", "Источники"):
        assert heading in out
    assert "ограничение по военной службе" in out and "содержание в дисциплинарной воинской части" in out
