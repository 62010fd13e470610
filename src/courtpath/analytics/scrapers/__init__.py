"""The scrapers' output shapes, as data: one versioned YAML mapping per scraper in this folder.

Each mapping names the scraper's repository and the commit its code was read at, how its files are recognised,
which source field feeds which canonical column (courtpath.analytics.records.CANONICAL), the values that mean
"missing", and its date formats. courtpath.analytics.records reads files with them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

# The order in which shapes are tried: a scraper's own shape before courtpath's flat shape, which is the fallback.
MAPPING_FILES = ("tochno_sudrfscraper.yaml", "dataout_sudrfparser.yaml", "courtpath_flat.yaml")
FORMATS = ("json_lines", "csv", "site_json")


class MappingError(ValueError):
    """A mapping file is malformed (a packaging error, not a user error)."""


@dataclass(frozen=True)
class Shape:
    id: str
    format: str  # one of FORMATS
    label: str
    separator: str | None  # CSV only: ";", ",", or "sniffed"
    quoted: bool  # CSV only: whether '"' quotes fields (tochno's CSV never quotes; a '"' there is text)
    all_of: tuple[str, ...]  # lower-cased source field names that must all be present
    any_of: tuple[str, ...]  # ... of which at least one must be present (when given)

    def recognises(self, columns: set[str]) -> bool:
        """Whether a file of this format with these (lower-cased) columns is this shape."""
        return all(c in columns for c in self.all_of) and (not self.any_of or any(c in columns for c in self.any_of))


@dataclass(frozen=True)
class Mapping:
    file: str
    scraper: str
    repository: str
    commit: str
    commit_date: str
    shapes: tuple[Shape, ...]
    fields: dict[str, tuple[str, ...]]  # canonical column -> source fields (lower-cased), per row the first given
    ignored: frozenset[str]  # known source fields deliberately not used (lower-cased)
    placeholders: tuple[str, ...]  # values meaning "missing", compared after stripping, case-insensitively
    date_formats: tuple[str, ...]  # strptime formats, tried in order

    def describe(self, shape: Shape) -> str:
        """'tochno-st/sudrfscraper JSON lines (mapping 2024-04-19 @76ccdc0)'."""
        version = f"{self.commit_date} @{self.commit[:7]}" if self.commit else self.commit_date
        return f"{self.scraper} {shape.label} (mapping {version})"

    def date_help(self) -> str:
        """The date formats for a person: 'YYYY-MM-DD or DD.MM.YYYY'."""
        human = (f.replace("%Y", "YYYY").replace("%m", "MM").replace("%d", "DD") for f in self.date_formats)
        return " or ".join(human)

    def source_fields(self) -> set[str]:
        return {source for sources in self.fields.values() for source in sources}


def _strings(value: object, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise MappingError(f"{where}: expected a list of strings")
    return tuple(value)


def _shape(raw: dict, where: str) -> Shape:
    if raw.get("format") not in FORMATS:
        raise MappingError(f"{where}: format must be one of {', '.join(FORMATS)}")
    recognise = raw.get("recognise") or {}
    return Shape(
        id=str(raw["id"]),
        format=raw["format"],
        label=str(raw.get("label", raw["id"])),
        separator=raw.get("separator"),
        quoted=bool(raw.get("quoted", True)),
        all_of=tuple(s.lower() for s in _strings(recognise.get("all_of"), f"{where}.recognise.all_of")),
        any_of=tuple(s.lower() for s in _strings(recognise.get("any_of"), f"{where}.recognise.any_of")),
    )


def parse_mapping(name: str, text: str) -> Mapping:
    """A mapping from its YAML text (`name` for messages)."""
    raw = yaml.safe_load(text)
    if not isinstance(raw, dict):
        raise MappingError(f"{name}: not a YAML mapping")
    try:
        fields = {
            str(k): tuple(s.lower() for s in _strings(v, f"{name}: fields.{k}")) for k, v in raw["fields"].items()
        }
        commit_date = raw["commit_date"]
        return Mapping(
            file=name,
            scraper=str(raw["scraper"]),
            repository=str(raw["repository"]),
            commit=str(raw.get("commit") or ""),
            commit_date=commit_date.isoformat() if isinstance(commit_date, dt.date) else str(commit_date),
            shapes=tuple(_shape(s, f"{name}: shapes[{i}]") for i, s in enumerate(raw["shapes"])),
            fields=fields,
            ignored=frozenset(s.lower() for s in _strings(raw.get("ignored"), f"{name}: ignored")),
            placeholders=_strings(raw.get("placeholders"), f"{name}: placeholders"),
            date_formats=_strings(raw["date_formats"], f"{name}: date_formats"),
        )
    except (KeyError, TypeError, AttributeError) as error:
        raise MappingError(f"{name}: missing or malformed entry {error}") from None


@cache
def mappings() -> tuple[Mapping, ...]:
    """The packaged mappings, in the order shapes are tried."""
    folder = resources.files("courtpath.analytics.scrapers")
    return tuple(parse_mapping(name, folder.joinpath(name).read_text(encoding="utf-8")) for name in MAPPING_FILES)


def mapping(scraper: str) -> Mapping:
    """The mapping of one scraper ('tochno-st/sudrfscraper', 'dataout-org/sudrfparser', 'courtpath')."""
    for found in mappings():
        if found.scraper == scraper:
            return found
    raise KeyError(scraper)
