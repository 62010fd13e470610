#!/usr/bin/env python3
"""Re-extract the English msgids from src/courtpath and merge them into the gettext catalogues.

    .venv/bin/python scripts/update_catalog.py            # rewrite locale/<lang>/LC_MESSAGES/courtpath.po
    .venv/bin/python scripts/update_catalog.py --check    # change nothing; exit 1 if a catalogue is out of date
                                                          # or has untranslated / fuzzy messages
    .venv/bin/python scripts/update_catalog.py --list     # print the extracted msgids with their locations

Every call `Msg("...")` or `_t("...", lang)` in the source is a message; its first positional argument is the
msgid. The extraction plugs into Babel (`extract_from_dir`) but parses the code with `ast` instead of Babel's
token-based "python" method, because that method
  * does not look inside f-strings on Python < 3.12 (report.py calls `_t(...)` inside f-strings), and
  * reads `Msg(", ".join(...))` as the msgid ", ".
It also understands one indirect pattern used for table headers:

    for header in ("Article, part", "Edition"):
        table.add_column(_t(header, lang))

i.e. a keyword called with the variable of a `for` loop or comprehension that iterates over a literal tuple or
list of strings. Any other computed msgid is not extractable; `-v` lists those calls.

Merging keeps existing translations. A msgid that changed slightly gets the old translation marked fuzzy
(not used at runtime, and tests/test_i18n.py fails until a translator reviews it); the translation of a removed
msgid stays at the end of the file as an obsolete `#~` entry and is restored if the msgid comes back
(`--drop-obsolete` deletes them).
The output is sorted by msgid, and the header carries no dates, so rerunning on unchanged source changes nothing.
"""

from __future__ import annotations

import argparse
import ast
import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "courtpath"
LOCALE_DIR = SOURCE / "locale"
DOMAIN = "courtpath"
KEYWORDS: dict[str, Any] = {"Msg": None, "_t": None}
PROJECT = "courtpath"
# Header fields that change on every run (or with the Babel version) and carry nothing git does not know, and
# Babel's placeholder values: left out of the file.
DROPPED_HEADERS = ("POT-Creation-Date:", "PO-Revision-Date:", "Generated-By:")
PLACEHOLDERS = ("EMAIL@ADDRESS", "<LL@li.org>")

Found = tuple[int, str, str, list[str]]


def _callee(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _literal_strings(node: ast.expr) -> list[ast.Constant] | None:
    if isinstance(node, ast.Tuple | ast.List) and node.elts:
        items = [e for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
        if len(items) == len(node.elts):
            return items
    return None


class _Finder(ast.NodeVisitor):
    def __init__(self, keywords: set[str]) -> None:
        self.keywords = keywords
        self.loops: list[tuple[str, list[ast.Constant]]] = []  # enclosing `for NAME in ("a", "b")`
        self.found: list[Found] = []
        self.skipped: list[int] = []

    def visit_For(self, node: ast.For) -> None:
        items = _literal_strings(node.iter)
        bound = isinstance(node.target, ast.Name) and items is not None
        self.visit(node.target)
        self.visit(node.iter)
        if bound:
            self.loops.append((node.target.id, items))  # type: ignore[union-attr,arg-type]
        for child in node.body:
            self.visit(child)
        if bound:
            self.loops.pop()
        for child in node.orelse:
            self.visit(child)

    def _visit_comprehension(self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp) -> None:
        bound = 0
        for generator in node.generators:
            items = _literal_strings(generator.iter)
            if isinstance(generator.target, ast.Name) and items is not None:
                self.loops.append((generator.target.id, items))
                bound += 1
        self.generic_visit(node)
        del self.loops[len(self.loops) - bound :]

    visit_ListComp = visit_SetComp = visit_GeneratorExp = visit_DictComp = _visit_comprehension

    def visit_Call(self, node: ast.Call) -> None:
        name = _callee(node)
        if name in self.keywords and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                self.found.append((first.lineno, name, first.value, []))
            elif isinstance(first, ast.Name) and any(var == first.id for var, _ in self.loops):
                items = next(items for var, items in reversed(self.loops) if var == first.id)
                self.found.extend((item.lineno, name, item.value, []) for item in items)
            else:
                self.skipped.append(node.lineno)
        self.generic_visit(node)


SKIPPED: list[str] = []  # "file:line" of keyword calls with a computed msgid, for -v


def extract_courtpath(
    fileobj: Any, keywords: dict[str, Any], comment_tags: Any, options: dict[str, Any]
) -> Iterator[Found]:
    """A Babel extraction method (same signature as babel.messages.extract.extract_python)."""
    source = fileobj.read()
    if isinstance(source, bytes):
        source = source.decode(options.get("encoding", "utf-8"))
    finder = _Finder(set(keywords))
    filename = options.get("filename", "?")
    try:
        tree = ast.parse(source, filename)
    except SyntaxError as error:
        raise SystemExit(f"{filename}: cannot extract messages: {error}") from error
    finder.visit(tree)
    SKIPPED.extend(f"{filename}:{line}" for line in finder.skipped)
    yield from sorted(finder.found)


def extract(source: Path = SOURCE) -> Catalog:
    """A template catalogue of every msgid in `source`, with locations relative to the repository root."""
    template = Catalog(project=PROJECT, fuzzy=False)
    prefix = source.relative_to(ROOT).as_posix() if source.is_relative_to(ROOT) else source.as_posix()

    def callback(filename: str, method: object, options: dict[str, Any]) -> None:
        options["filename"] = f"{prefix}/{filename}"

    for filename, lineno, message, comments, context in extract_from_dir(
        str(source),
        method_map=[("**.py", extract_courtpath)],  # type: ignore[list-item]
        keywords=KEYWORDS,
        callback=callback,
    ):
        template.add(message, None, [(f"{prefix}/{filename}", lineno)], auto_comments=comments, context=context)
    return template


def msgids(source: Path = SOURCE) -> set[str]:
    """Every msgid used in the source (the set tests/test_i18n.py checks against the catalogues)."""
    return {str(m.id) for m in extract(source) if m.id}


def catalogue_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def languages() -> list[str]:
    return sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def merge(template: Catalog, path: Path, lang: str, fuzzy_matching: bool = True, keep_obsolete: bool = True) -> Catalog:
    """The catalogue at `path` updated to the msgids of `template`.

    A translation whose msgid left the source is kept as an obsolete `#~` entry (ignored at run time), and comes
    back as it was when the msgid returns, so a refactoring in progress never loses work.
    """
    if path.exists():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
    else:
        catalog = Catalog(locale=lang, project=PROJECT, fuzzy=False)
    wanted = {m.id for m in template if m.id}
    for key, message in list(catalog.obsolete.items()):
        if message.id in wanted and message.id not in catalog:
            catalog[message.id] = message
        if message.id in wanted:
            del catalog.obsolete[key]
    before = {(m.id if m.context is None else (m.id, m.context)): m for m in catalog if m.id and m.string}
    catalog.update(template, no_fuzzy_matching=not fuzzy_matching, update_creation_date=False)
    for key, message in before.items():  # Babel forgets a translation it carried over to a fuzzy match
        if message.id not in catalog and key not in catalog.obsolete:
            catalog.obsolete[key] = message
    for key, message in list(catalog.obsolete.items()):
        if keep_obsolete and message.string and not message.fuzzy:
            message.locations = []
        else:  # nothing worth keeping: untranslated, or an unreviewed copy of another translation
            del catalog.obsolete[key]
    return catalog


def render(catalog: Catalog) -> str:
    buffer = io.BytesIO()
    write_po(buffer, catalog, sort_output=True, include_previous=True)
    lines = buffer.getvalue().decode("utf-8").splitlines(keepends=True)
    end = lines.index("\n")  # the header entry ends at the first blank line
    header = [
        line
        for line in lines[:end]
        if not line.startswith(tuple(f'"{h}' for h in DROPPED_HEADERS)) and not any(p in line for p in PLACEHOLDERS)
    ]
    return "".join(header + lines[end:])


def problems(catalog: Catalog) -> list[str]:
    found = []
    for message in sorted(catalog, key=lambda m: str(m.id)):
        if not message.id:
            continue
        if not message.string:
            found.append(f"untranslated: {message.id!r}")
        elif message.fuzzy:
            found.append(f"fuzzy: {message.id!r}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if any catalogue needs work")
    parser.add_argument("--list", action="store_true", help="print the extracted msgids and exit")
    parser.add_argument("--lang", action="append", help="only this language (repeatable; default: all present)")
    parser.add_argument("--no-fuzzy-matching", action="store_true", help="do not carry translations to new msgids")
    parser.add_argument(
        "--drop-obsolete", action="store_true", help="delete the translations of msgids no longer in the source"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="also list calls with a computed msgid")
    args = parser.parse_args(argv)

    template = extract()
    if args.verbose:
        for where in SKIPPED:
            print(f"not extracted (computed msgid): {where}", file=sys.stderr)
    if args.list:
        for message in sorted(template, key=lambda m: str(m.id)):
            if message.id:
                where = ", ".join(f"{f}:{n}" for f, n in message.locations)
                print(f"{message.id!r}\t{where}")
        return 0

    status = 0
    for lang in args.lang or languages():
        path = catalogue_path(lang)
        catalog = merge(
            template, path, lang, fuzzy_matching=not args.no_fuzzy_matching, keep_obsolete=not args.drop_obsolete
        )
        text = render(catalog)
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        todo = problems(catalog)
        if args.check:
            if text != old:
                print(f"{path.relative_to(ROOT)}: out of date (run scripts/update_catalog.py)")
                status = 1
        elif text != old:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"{path.relative_to(ROOT)}: updated")
        else:
            print(f"{path.relative_to(ROOT)}: unchanged")
        total = sum(1 for m in catalog if m.id)
        print(f"{lang}: {total} messages, {total - len(todo)} translated, {len(catalog.obsolete)} obsolete kept")
        for item in todo:
            print(f"  {item}")
        if todo and args.check:
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
