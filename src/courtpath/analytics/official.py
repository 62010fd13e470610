"""Official statistics: the Judicial Department's yearly tables of convictions by article and part, as published.

    import_official(Path("10-3_2022.xlsx"))  # -> OfficialImportReport; stored in <data_dir>/analytics/official.parquet
    load_official()                          # -> one row per (year, article, part) of arts. 337, 338, 339

A table is read as published (CSV with `,` `;` or tab, UTF-8 or cp1251; XLSX with openpyxl; XLS, the Excel 97-2003
format cdep.ru mostly publishes, with xlrd): the header rows are found, the columns are recognised by the documented
mapping in official_columns.yaml (Russian header text -> field), and only the rows of the kept articles are stored.
The same article and part listed twice (once per edition of the law) are added up.
The year comes from a "Год" column, else the `year` argument, else the file name, else a title row ("за 2022 год").
Bad input raises OfficialStatsError and leaves the store as it was; a re-import of a (year, article, part) replaces
its row. The store is written to a temporary file and renamed over the old one.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from courtpath.analytics.store import default_data_dir

OFFICIAL_SCHEMA: dict[str, Any] = {
    "year": pl.Int32,
    "article": pl.Utf8,
    "part": pl.Utf8,  # None: the whole article's row
    "convicted": pl.Int64,  # all convicted under this article / part in the year (main offence)
    "real_terms": pl.Int64,  # real deprivation of liberty
    "suspended": pl.Int64,  # deprivation of liberty suspended under art. 73
    "other": pl.Int64,  # every other outcome of a conviction = convicted - real_terms - suspended
    "source": pl.Utf8,  # the file name it came from
}
# Further penalty columns, stored when the table has them (None otherwise); all are part of `other`.
EXTRA_FIELDS = ("restriction_of_service", "disciplinary_unit", "fine", "arrest", "exempted")
STORE_SCHEMA: dict[str, Any] = {**OFFICIAL_SCHEMA, **dict.fromkeys(EXTRA_FIELDS, pl.Int64)}
COUNT_FIELDS = ("convicted", "real_terms", "suspended", *EXTRA_FIELDS)
MAPPING_FILE = "official_columns.yaml"
STORE_FILE = "official.parquet"
SHOWN_UNRECOGNISED = 8

REVERSED_LABEL = re.compile(r"ч(?:асть|\.)?\s*(\d+(?:\.\d+)?)\s*,?\s*ст(?:атьи|атья|\.)?\s*(\d{3}(?:\.\d+)?)", re.I)
LABEL = re.compile(r"^\s*(?:ст(?:атья|\.)?\s*)?(\d{3}(?:\.\d+)?)(?:\s*,?\s*ч(?:асть|\.)?\s*(\d+(?:\.\d+)?))?", re.I)
PART_CELL = re.compile(r"^\s*(?:ч(?:асть|\.)?\s*)?(\d+(?:\.\d+)?)\s*$", re.I)
YEAR_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
YEAR_IN_TITLE = re.compile(r"\bза\b[^/]{0,40}?((?:19|20)\d{2})\s*(?:г\b|г\.|год)", re.I)
EMPTY_VALUES = {"", "-", "—", "–", "x", "х"}


class OfficialStatsError(ValueError):
    """The table cannot be imported (unreadable, no recognisable header, no rows of the kept articles, bad values)."""


@dataclass(frozen=True)
class FieldRule:
    name: str
    required: bool
    match: tuple[re.Pattern[str], ...]
    exclude: tuple[re.Pattern[str], ...]

    def accepts(self, header: str) -> bool:
        return any(p.search(header) for p in self.match) and not any(p.search(header) for p in self.exclude)


@dataclass(frozen=True)
class Mapping:
    kept_articles: tuple[str, ...]
    header_search_rows: int
    rules: tuple[FieldRule, ...]

    def rule(self, name: str) -> FieldRule:
        return next(rule for rule in self.rules if rule.name == name)


@dataclass
class OfficialImportReport:
    source: str
    stored: int = 0
    replaced: int = 0
    total_stored: int = 0
    per_year_article: dict[tuple[int, str], int] = field(default_factory=dict)
    merged_editions: int = 0
    columns: dict[str, str] = field(default_factory=dict)  # field -> header text of the column it was read from
    unrecognised: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"{self.source}: stored {self.stored} rows ({self.replaced} replaced earlier ones); "
            f"the official store now holds {self.total_stored} rows"
        ]
        out += [f"  {year} art. {article}: {n} rows" for (year, article), n in sorted(self.per_year_article.items())]
        if self.merged_editions:
            out.append(f"  {self.merged_editions} rows of another edition of the same part were added up")
        out += [f"  {name} <- «{header}»" for name, header in self.columns.items()]
        if self.unrecognised:
            shown = "; ".join(f"«{h}»" for h in self.unrecognised[:SHOWN_UNRECOGNISED])
            more = len(self.unrecognised) - SHOWN_UNRECOGNISED
            tail = f" and {more} more" if more > 0 else ""
            out.append(f"  columns not recognised ({len(self.unrecognised)}): {shown}{tail}")
        return out


# -- the mapping --------------------------------------------------------------------------------------------------


@cache
def load_mapping() -> Mapping:
    """The documented column mapping shipped with courtpath (official_columns.yaml)."""
    text = resources.files("courtpath.analytics").joinpath(MAPPING_FILE).read_text(encoding="utf-8")
    return parse_mapping(yaml.safe_load(text))


def parse_mapping(data: dict[str, Any]) -> Mapping:
    rules = tuple(
        FieldRule(
            name=name,
            required=bool(spec.get("required", False)),
            match=tuple(re.compile(p) for p in spec["match"]),
            exclude=tuple(re.compile(p) for p in spec.get("exclude", ())),
        )
        for name, spec in data["fields"].items()
    )
    return Mapping(tuple(str(a) for a in data["kept_articles"]), int(data["header_search_rows"]), rules)


# -- reading cells ------------------------------------------------------------------------------------------------


def read_cells(path: Path) -> list[list[str]]:
    """The table as rows of stripped text cells (CSV, XLSX or XLS)."""
    if not path.is_file():
        raise OfficialStatsError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        return _csv_cells(path)
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_cells(path)
    if suffix == ".xls":
        return _xls_cells(path)
    raise OfficialStatsError(f"{path.name}: expected a .csv, .xlsx or .xls table")


def _decode(raw: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise OfficialStatsError(f"{name}: neither UTF-8 nor cp1251 text")  # pragma: no cover - cp1251 decodes most bytes


def _csv_cells(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise OfficialStatsError(f"{path.name}: not a text table (binary data)")
    text = _decode(raw, path.name)
    sample = text.splitlines()[:40]
    delimiter = max((";", ",", "\t"), key=lambda d: sum(line.count(d) for line in sample))
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _xlsx_cells(path: Path) -> list[list[str]]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    with path.open("rb") as handle:  # a handle, not the name: openpyxl refuses a name ending in .xls
        try:
            book = load_workbook(handle, read_only=True, data_only=True)
        except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as error:
            raise OfficialStatsError(f"{path.name}: not a readable XLSX workbook ({error})") from None
        try:
            sheets = [[[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)] for sheet in book]
        finally:
            book.close()
    return _table_sheet(sheets)


def _xls_cells(path: Path) -> list[list[str]]:
    """An Excel 97-2003 workbook, read with xlrd into the same cells as an XLSX: a merged cell keeps its text in its
    first cell and leaves the others empty, as openpyxl's read-only mode does (column_headers carries it across)."""
    import xlrd

    with path.open("rb") as handle:
        if handle.read(4) == b"PK\x03\x04":  # an XLSX saved under an .xls name
            return _xlsx_cells(path)
    try:
        book = xlrd.open_workbook(str(path), logfile=io.StringIO())  # xlrd's warnings would go to stdout
    except Exception as error:  # xlrd raises anything from XLRDError to struct.error or IndexError on a corrupt file
        known = isinstance(error, xlrd.XLRDError | xlrd.compdoc.CompDocError | OSError)
        reason = " ".join(str(error).split()) if known else f"damaged data: {type(error).__name__}"
        raise OfficialStatsError(f"{path.name}: not a readable XLS (Excel 97-2003) workbook ({reason})") from None
    try:
        sheets = [
            [
                [_cell_text(_xls_value(sheet.cell(r, c), book.datemode)) for c in range(sheet.ncols)]
                for r in range(sheet.nrows)
            ]
            for sheet in book.sheets()
        ]
    finally:
        book.release_resources()
    return _table_sheet(sheets)


def _xls_value(cell: Any, datemode: int) -> object:
    """The value openpyxl would give for the cell: None when empty, int for a whole number, datetime for a date."""
    import xlrd

    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if cell.ctype == xlrd.XL_CELL_NUMBER and float(cell.value).is_integer():
        return int(cell.value)
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate_as_datetime(cell.value, datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell.value
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#ERR")
    return cell.value


def _table_sheet(sheets: list[list[list[str]]]) -> list[list[str]]:
    """The first sheet with a header of convictions (an explanation sheet often comes first), else the first."""
    anchor = load_mapping().rule("convicted")
    for cells in sheets:
        if _find_anchor(cells, anchor, load_mapping().header_search_rows) is not None:
            return cells
    return sheets[0] if sheets else []


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def normalise_header(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower().replace("ё", "е")).strip()


# -- the header -----------------------------------------------------------------------------------------------------


def _find_anchor(cells: list[list[str]], anchor: FieldRule, limit: int) -> tuple[int, int] | None:
    for r, row in enumerate(cells[:limit]):
        for c, cell in enumerate(row):
            if cell and anchor.accepts(normalise_header(cell)):
                return r, c
    return None


def _is_integer(cell: str) -> bool:
    return re.fullmatch(r"-?\d+", cell.replace(" ", "").replace("\xa0", "")) is not None


def _is_numbering_row(row: list[str]) -> bool:
    """The row of column numbers under a header ("А", "Б", "1", "2", ...)."""
    filled = [cell for cell in row if cell]
    numbers = [int(cell) for cell in filled if re.fullmatch(r"\d{1,3}", cell)]
    letters = [cell for cell in filled if re.fullmatch(r"[А-ЯA-Z]", cell)]
    steady = all(b == a + 1 for a, b in itertools.pairwise(numbers))
    return len(numbers) >= 3 and steady and len(numbers) + len(letters) == len(filled)


def _header_rows(cells: list[list[str]], anchor_row: int, anchor_col: int) -> tuple[list[int], int]:
    """The header row indexes (without a numbering row) and the index of the first data row."""
    start = anchor_row
    while start > 0 and sum(1 for cell in cells[start - 1] if cell) >= 2:
        start -= 1
    rows, index = [], start
    while index < len(cells):
        row = cells[index]
        if index > anchor_row and not _is_numbering_row(row):
            value = row[anchor_col] if anchor_col < len(row) else ""
            if _is_integer(value) or value in EMPTY_VALUES - {""}:
                break
        if not _is_numbering_row(row):
            rows.append(index)
        index += 1
    return rows, index


def column_headers(cells: list[list[str]], rows: list[int]) -> list[str]:
    """One joined, normalised header per column; cells merged across columns are carried to the right."""
    width = max((len(cells[r]) for r in rows), default=0)
    levels: list[list[str]] = []
    for position, r in enumerate(rows):
        row = [*cells[r], *[""] * (width - len(cells[r]))]
        if position < len(rows) - 1:  # a group over several columns; the last header row holds single columns
            carried, filled = "", []
            for cell in row:
                carried = cell or carried
                filled.append(carried)
            row = filled
        levels.append(row)
    headers = []
    for c in range(width):
        parts: list[str] = []
        for level in levels:
            text = normalise_header(level[c])
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        headers.append(" / ".join(parts))
    return headers


def map_columns(headers: list[str], mapping: Mapping) -> dict[str, int]:
    """field -> column index; the fewest header levels, then the leftmost column, wins; each column serves once."""
    chosen: dict[str, int] = {}
    for rule in mapping.rules:
        candidates = [
            c for c, header in enumerate(headers) if header and c not in chosen.values() and rule.accepts(header)
        ]
        if candidates:
            chosen[rule.name] = min(candidates, key=lambda c: (headers[c].count(" / "), c))
    missing = [rule.name for rule in mapping.rules if rule.required and rule.name not in chosen]
    if missing:
        raise OfficialStatsError(
            f"no column for {', '.join(missing)} in the header; the header columns are: "
            + "; ".join(f"«{h}»" for h in headers if h)
            + f" (the patterns are in {MAPPING_FILE})"
        )
    return chosen


# -- rows -------------------------------------------------------------------------------------------------------------


def parse_label(label: str) -> tuple[str, str | None] | None:
    """(article, part or None) from a row label: "337 ч. 5", "ст. 337 ч. 3.1", "ч. 5 ст. 337", "337ч.1 (в ред. ...)"."""
    found = REVERSED_LABEL.search(label)
    if found:
        return found.group(2), found.group(1)
    found = LABEL.match(label)
    if found:
        return found.group(1), found.group(2)
    return None


def _count(cell: str, row_number: int, name: str) -> int:
    text = cell.replace(" ", "").replace("\xa0", "")
    if text.lower() in EMPTY_VALUES:
        return 0
    if not re.fullmatch(r"\d+", text):
        raise OfficialStatsError(f"row {row_number}: «{cell}» in the {name} column is not a count")
    return int(text)


def _year_of(row: list[str], columns: dict[str, int], given: int | None, row_number: int) -> int | None:
    if "year" in columns:
        cell = row[columns["year"]] if columns["year"] < len(row) else ""
        found = YEAR_IN_NAME.search(cell)
        if found:
            return int(found.group(1))
        raise OfficialStatsError(f"row {row_number}: «{cell}» in the year column is not a year")
    return given


def _row_key(row: list[str], columns: dict[str, int]) -> tuple[str, str | None] | None:
    label_column = columns.get("article", 0)
    label = row[label_column] if label_column < len(row) else ""
    parsed = parse_label(label)
    if parsed is None:
        return None
    article, part = parsed
    if "part" in columns:
        cell = row[columns["part"]] if columns["part"] < len(row) else ""
        match = PART_CELL.match(cell)
        part = match.group(1) if match else part
    return article, part


def _data_rows(
    cells: list[list[str]], first: int, columns: dict[str, int], mapping: Mapping, year: int | None
) -> list[dict[str, Any]]:
    rows = []
    for index in range(first, len(cells)):
        row, row_number = cells[index], index + 1
        key = _row_key(row, columns)
        if key is None or key[0] not in mapping.kept_articles:
            continue
        record: dict[str, Any] = {"year": _year_of(row, columns, year, row_number), "article": key[0], "part": key[1]}
        for name in COUNT_FIELDS:
            if name in columns:
                cell = row[columns[name]] if columns[name] < len(row) else ""
                record[name] = _count(cell, row_number, name)
            else:
                record[name] = None
        if record["real_terms"] + record["suspended"] > record["convicted"]:
            raise OfficialStatsError(
                f"row {row_number} ({' '.join(cell for cell in row[:1])}): real terms {record['real_terms']} and "
                f"suspended {record['suspended']} add up to more than the {record['convicted']} convicted"
            )
        rows.append(record)
    return rows


def _title_year(cells: list[list[str]], header_start: int) -> int | None:
    for row in cells[:header_start]:
        for cell in row:
            found = YEAR_IN_TITLE.search(cell)
            if found:
                return int(found.group(1))
    return None


def _year_for(path: Path, cells: list[list[str]], header_start: int, year: int | None) -> int | None:
    if year is not None:
        return year
    found = YEAR_IN_NAME.search(path.stem)
    return int(found.group(1)) if found else _title_year(cells, header_start)


def read_official(path: Path, year: int | None = None) -> tuple[pl.DataFrame, OfficialImportReport]:
    """The kept rows of a published table as a frame of STORE_SCHEMA, and the report of how it was read."""
    mapping = load_mapping()
    cells = read_cells(path)
    anchor = _find_anchor(cells, mapping.rule("convicted"), mapping.header_search_rows)
    if anchor is None:
        raise OfficialStatsError(
            f"{path.name}: no header with «Всего осуждено» in the first {mapping.header_search_rows} rows; "
            f"is this a table of convictions by article? (the column mapping is in {MAPPING_FILE})"
        )
    header_rows, first_data = _header_rows(cells, *anchor)
    headers = column_headers(cells, header_rows)
    try:
        columns = map_columns(headers, mapping)
    except OfficialStatsError as error:
        raise OfficialStatsError(f"{path.name}: {error}") from None
    table_year = None if "year" in columns else _year_for(path, cells, header_rows[0], year)
    if "year" not in columns and table_year is None:
        raise OfficialStatsError(f"{path.name}: no year in the table, its title or its name; give --year")
    try:
        rows = _data_rows(cells, first_data, columns, mapping, table_year)
    except OfficialStatsError as error:
        raise OfficialStatsError(f"{path.name}: {error}") from None
    if not rows:
        kept = ", ".join(mapping.kept_articles)
        raise OfficialStatsError(f"{path.name}: no rows for arts. {kept} (read {len(cells) - first_data} data rows)")
    report = OfficialImportReport(source=path.name)
    report.columns = {name: headers[c] for name, c in columns.items()}
    used = set(columns.values())
    report.unrecognised = [h for c, h in enumerate(headers) if h and c not in used]
    return _combine(rows, path.name, report), report


def _combine(rows: list[dict[str, Any]], source: str, report: OfficialImportReport) -> pl.DataFrame:
    """One row per (year, article, part): rows of several editions of the same part are added up."""
    frame = pl.DataFrame(rows, schema={k: v for k, v in STORE_SCHEMA.items() if k not in ("other", "source")})
    keys = ["year", "article", "part"]
    sums = [pl.col(n).sum() if n in ("convicted", "real_terms", "suspended") else _sum_or_null(n) for n in COUNT_FIELDS]
    combined = frame.group_by(keys, maintain_order=True).agg(sums)
    report.merged_editions = frame.height - combined.height
    combined = combined.with_columns(
        (pl.col("convicted") - pl.col("real_terms") - pl.col("suspended")).alias("other"),
        pl.lit(source).alias("source"),
    )
    return combined.select(list(STORE_SCHEMA)).cast(STORE_SCHEMA)


def _sum_or_null(name: str) -> pl.Expr:
    return pl.when(pl.col(name).is_null().all()).then(None).otherwise(pl.col(name).sum()).alias(name)


# -- the store --------------------------------------------------------------------------------------------------------


def official_path(data_dir: Path | None = None) -> Path:
    return (data_dir or default_data_dir()) / "analytics" / STORE_FILE


def load_official(data_dir: Path | None = None) -> pl.DataFrame:
    """The official store (OFFICIAL_SCHEMA, then the extra penalty columns), or an empty frame."""
    path = official_path(data_dir)
    if not path.exists():
        return pl.DataFrame(schema=STORE_SCHEMA)
    frame = pl.read_parquet(path)
    missing = [pl.lit(None, dtype).alias(name) for name, dtype in STORE_SCHEMA.items() if name not in frame.columns]
    return frame.with_columns(missing).select(list(STORE_SCHEMA)).cast(STORE_SCHEMA)


def _store_key() -> pl.Expr:
    return pl.concat_str([pl.col("year").cast(pl.Utf8), pl.col("article"), pl.col("part").fill_null("")], separator="|")


def import_official(path: Path, data_dir: Path | None = None, year: int | None = None) -> OfficialImportReport:
    """Read a published table and merge its rows into the official store; (year, article, part) rows are replaced."""
    incoming, report = read_official(path, year)
    existing = load_official(data_dir)
    keys = incoming.select(_store_key().alias("_key"))
    kept = existing.with_columns(_store_key().alias("_key")).join(keys, on="_key", how="anti").drop("_key")
    report.replaced = existing.height - kept.height
    merged = pl.concat([kept, incoming], how="vertical").sort(["year", "article", "part"], nulls_last=False)
    _write(merged, official_path(data_dir))
    report.stored = incoming.height
    report.total_stored = merged.height
    counts = incoming.group_by("year", "article").len("n").iter_rows()
    report.per_year_article = {(int(y), str(a)): int(n) for y, a, n in counts}
    return report


def _write(frame: pl.DataFrame, path: Path) -> None:
    """Write to a temporary file and rename it over the store: a crash never leaves half a store."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".parquet.tmp")
    frame.write_parquet(temporary)
    with temporary.open("rb") as handle:
        os.fsync(handle.fileno())
    temporary.replace(path)
