#!/usr/bin/env python3
"""Extract the web app's messages (gettext domain "django") and merge them into the Django catalogues.

    .venv/bin/python scripts/update_django_catalog.py             # rewrite locale/<lang>/LC_MESSAGES/django.po
    .venv/bin/python scripts/update_django_catalog.py --check     # change nothing; exit 1 if a msgid of the source
                                                                  # is missing, untranslated or fuzzy
    .venv/bin/python scripts/update_django_catalog.py --list      # print the extracted msgids with their files
    .venv/bin/python scripts/update_django_catalog.py --pot FILE  # also write the extracted template to FILE

Source: every .py, .html and .txt file under src/courtpath/web, as `django-admin makemessages` would read them;
the catalogue is src/courtpath/locale/<lang>/LC_MESSAGES/django.po (Russian; created on the first run). It is NOT
the catalogue of the law engine and the CLI (domain "courtpath", scripts/update_catalog.py), which this tool never
reads or writes. The .mo files are compiled at start-up by courtpath/web/catalogs.py and are not committed.

How it extracts: with Babel, not GNU gettext, so it runs wherever the project's own dependencies are installed.
  * Python: Babel's "python" extractor with Django's keywords (gettext, gettext_lazy, gettext_noop, ngettext(_lazy),
    pgettext(_lazy), npgettext(_lazy) and `_`), and "Translators:" comments, as makemessages passes to xgettext.
  * Templates: Django's own `templatize()` (what makemessages runs before xgettext) turns {% translate %},
    {% blocktranslate %} (with context, plurals, `asvar`...) and `_("...")` in filter arguments into gettext calls,
    which the same Python extractor reads. {{ var }} in a blocktranslate becomes %(var)s in the msgid.
tests/web/test_translations.py checks that this finds the same msgids as `django-admin makemessages` when GNU
gettext is installed.

Merging follows the rules of scripts/update_catalog.py (with message contexts and plural entries): existing
translations are kept; a msgid that changed slightly gets the old translation marked fuzzy (unused at run time
until a translator reviews it); the translation of a removed msgid stays at the end as an obsolete `#~` entry and
comes back if the msgid returns (`--drop-obsolete` deletes them). Output is sorted by msgid, carries no dates, and
locations name the file without a line number (as `makemessages --add-location=file`), so the file changes only
when the messages do, and parallel work on the templates does not conflict in it. `--check` ignores location
comments for the same reason: it fails when a msgid of the source is missing from the catalogue, untranslated or
fuzzy, or the catalogue still lists a msgid the source dropped; it writes nothing.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir, extract_python
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "courtpath" / "web"
LOCALE_DIR = ROOT / "src" / "courtpath" / "locale"
DOMAIN = "django"
DEFAULT_LANGUAGES = ("ru",)
PROJECT = "courtpath"
# The keywords makemessages gives xgettext for the "django" domain, plus the xgettext defaults Django code uses.
KEYWORDS: dict[str, Any] = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}
COMMENT_TAGS = ("Translators",)
# Header fields that change on every run (or with the Babel version) and carry nothing git does not know, and
# Babel's placeholder values: left out of the file (as scripts/update_catalog.py does).
DROPPED_HEADERS = ("POT-Creation-Date:", "PO-Revision-Date:", "Generated-By:")
PLACEHOLDERS = ("EMAIL@ADDRESS", "<LL@li.org>")
HEADER_COMMENT = (  # lines under 76 characters: Babel wraps longer comments
    "# Russian translations of the courtpath web app (gettext domain django).\n"
    "# Update: .venv/bin/python scripts/update_django_catalog.py, then\n"
    "# translate what it reports. The .mo is compiled at start-up."
)


def extract_django_template(
    fileobj: Any, keywords: dict[str, Any], comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, Any, list[str], str | None]]:
    """A Babel extraction method for Django templates: Django's templatize(), then Babel's Python extractor."""
    from django.template import TemplateSyntaxError
    from django.utils.translation.template import templatize

    encoding = options.get("encoding", "utf-8")
    source = fileobj.read()
    if isinstance(source, bytes):
        source = source.decode(encoding)
    filename = options.get("filename", "?")
    try:
        python_like = templatize(source, origin=filename)
    except (TemplateSyntaxError, SyntaxError, ValueError) as error:
        raise SystemExit(f"{filename}: cannot extract messages: {error}") from error
    yield from extract_python(io.BytesIO(python_like.encode("utf-8")), keywords, comment_tags, {"encoding": "utf-8"})


METHOD_MAP: list[tuple[str, Any]] = [
    ("**.py", "python"),
    ("**.html", extract_django_template),
    ("**.txt", extract_django_template),
]


def _directory_filter(dirpath: str | os.PathLike[str]) -> bool:
    """Skip hidden folders and __pycache__ (makemessages skips ".*"); Babel's default would also skip "_*"."""
    name = os.path.basename(dirpath)
    return not (name.startswith(".") or name == "__pycache__")


def extract(source: Path | None = None) -> Catalog:
    """A template catalogue of every msgid in `source` (default: the web app), locations relative to ROOT."""
    source = SOURCE if source is None else source
    template = Catalog(project=PROJECT, fuzzy=False)
    prefix = source.relative_to(ROOT).as_posix() if source.is_relative_to(ROOT) else source.as_posix()

    def callback(filename: str, method: object, options: dict[str, Any]) -> None:
        options["filename"] = f"{prefix}/{filename}"

    for filename, lineno, message, comments, context in extract_from_dir(
        str(source),
        method_map=METHOD_MAP,
        keywords=KEYWORDS,
        comment_tags=COMMENT_TAGS,
        callback=callback,
        directory_filter=_directory_filter,
    ):
        template.add(message, None, [(f"{prefix}/{filename}", lineno)], auto_comments=comments, context=context)
    return template


def msgids(source: Path | None = None) -> set[str]:
    """Every singular msgid used in the web app's source."""
    return {str(m.id[0] if isinstance(m.id, tuple) else m.id) for m in extract(source) if m.id}


def catalogue_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def languages() -> list[str]:
    present = {p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")}
    return sorted(present | set(DEFAULT_LANGUAGES))


def _package_version() -> str:
    try:
        return importlib.metadata.version(PROJECT)
    except importlib.metadata.PackageNotFoundError:
        return "0"


def render(catalog: Catalog) -> str:
    """The .po text: sorted by msgid, no dates or Babel placeholders, locations without line numbers."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, sort_output=True, include_previous=True, include_lineno=False)
    lines = buffer.getvalue().decode("utf-8").splitlines(keepends=True)
    end = lines.index("\n")  # the header entry ends at the first blank line
    dropped = tuple(f'"{h}' for h in DROPPED_HEADERS)
    header = [line for line in lines[:end] if not line.startswith(dropped) and not any(p in line for p in PLACEHOLDERS)]
    return "".join(header + lines[end:])


def _key(message: Message) -> str | tuple[str, str]:
    """The catalogue key of a message: its (singular) msgid, with its context if it has one."""
    msgid = message.id[0] if isinstance(message.id, tuple | list) else message.id
    return msgid if message.context is None else (msgid, message.context)


def _translated(message: Message) -> bool:
    forms = message.string if isinstance(message.string, tuple | list) else (message.string,)
    return all(forms)


def merge(template: Catalog, path: Path, lang: str, fuzzy_matching: bool = True, keep_obsolete: bool = True) -> Catalog:
    """The catalogue at `path` (a new one if there is none) updated to the msgids of `template`.

    A translation whose msgid left the source is kept as an obsolete `#~` entry (ignored at run time), and comes
    back as it was when the msgid returns, so a refactoring in progress never loses work.
    """
    if path.exists():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
    else:
        catalog = Catalog(locale=lang, project=PROJECT, fuzzy=False)
    wanted = {_key(m) for m in template if m.id}
    for key, message in list(catalog.obsolete.items()):
        if key in wanted:
            if catalog.get(message.id, message.context) is None:
                catalog[message.id] = message
            del catalog.obsolete[key]
    before = {_key(m): m for m in catalog if m.id and _translated(m)}
    catalog.update(template, no_fuzzy_matching=not fuzzy_matching, update_creation_date=False)
    for key, message in before.items():  # Babel forgets a translation it carried over to a fuzzy match
        if catalog.get(message.id, message.context) is None and key not in catalog.obsolete:
            catalog.obsolete[key] = message
    for key, message in list(catalog.obsolete.items()):
        if keep_obsolete and _translated(message) and not message.fuzzy:
            message.locations = []
        else:  # nothing worth keeping: untranslated, or an unreviewed copy of another translation
            del catalog.obsolete[key]
    return catalog


def problems(catalog: Catalog) -> list[str]:
    """Entries a translator must look at: untranslated (or a plural form missing) and fuzzy."""
    found = []
    for message in sorted(catalog, key=lambda m: str(m.id)):
        if not message.id:
            continue
        if not _translated(message):
            found.append(f"untranslated: {message.id!r}")
        elif message.fuzzy:
            found.append(f"fuzzy: {message.id!r}")
    return found


def without_locations(text: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith("#:"))


def update(
    lang: str, template: Catalog, fuzzy_matching: bool = True, keep_obsolete: bool = True
) -> tuple[Catalog, str]:
    """The merged catalogue of `lang` and its text (nothing is written)."""
    catalog = merge(template, catalogue_path(lang), lang, fuzzy_matching=fuzzy_matching, keep_obsolete=keep_obsolete)
    catalog.header_comment = HEADER_COMMENT
    if catalog.version == "VERSION":  # a new catalogue: Babel's placeholder
        catalog.version = _package_version()
    return catalog, render(catalog)


def write_template(template: Catalog, path: Path) -> None:
    buffer = io.BytesIO()
    write_po(buffer, template, sort_output=True, include_lineno=False, omit_header=False)
    path.write_bytes(buffer.getvalue())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a catalogue needs work")
    parser.add_argument("--list", action="store_true", help="print the extracted msgids and exit")
    parser.add_argument("--pot", type=Path, metavar="FILE", help="also write the extracted template to FILE")
    parser.add_argument("--lang", action="append", help="only this language (repeatable; default: ru and all present)")
    parser.add_argument("--no-fuzzy-matching", action="store_true", help="do not carry translations to new msgids")
    parser.add_argument(
        "--drop-obsolete", action="store_true", help="delete the translations of msgids no longer in the source"
    )
    args = parser.parse_args(argv)

    template = extract()
    if args.pot:
        write_template(template, args.pot)
    if args.list:
        for message in sorted(template, key=lambda m: str(m.id)):
            if message.id:
                where = ", ".join(dict.fromkeys(f for f, _ in message.locations))
                print(f"{message.id!r}\t{where}")
        return 0

    status = 0
    for lang in args.lang or languages():
        path = catalogue_path(lang)
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        catalog, text = update(
            lang, template, fuzzy_matching=not args.no_fuzzy_matching, keep_obsolete=not args.drop_obsolete
        )
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        todo = problems(catalog)
        if args.check:
            if without_locations(text) != without_locations(old):
                print(f"{shown}: out of date (run scripts/update_django_catalog.py)")
                status = 1
            elif text != old:
                print(f"{shown}: only location comments are out of date (not an error)")
        elif text != old:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"{shown}: updated")
        else:
            print(f"{shown}: unchanged")
        total = sum(1 for m in catalog if m.id)
        print(f"{lang}: {total} messages, {total - len(todo)} translated, {len(catalog.obsolete)} obsolete kept")
        for item in todo:
            print(f"  {item}")
        if todo and args.check:
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
