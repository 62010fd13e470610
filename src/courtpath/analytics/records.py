"""Court case records: read the files public sudrf scrapers write, normalise, validate.

One row is a defendant in a case (a card can hold several defendants). The shapes accepted are described as data,
one versioned mapping per scraper (courtpath.analytics.scrapers): tochno-st/sudrfscraper's JSON lines and its
";"-separated CSV, dataout-org/sudrfparser's per-site JSON file (plain or gzip), and courtpath's own flat CSV or JSON
lines. A file's shape is recognised from its content (JSON document, JSON lines, CSV with a sniffed separator) and
its field names; the source fields feed the CANONICAL columns, and values the scraper writes for "missing" (null, "-",
"", «Информация скрыта», ...) become missing.

Court: the court id when given; else the court found by its name or its website in the court directory; else the
court code at the head of a real case UID (27GV0008-01-2019-000081-20; never a GUID). When the court stays unknown,
the scraper's region number is kept as the record's region, unless the court's code is a military one (MILITARY_CODE).

Article and part: a card's article list may name several counts, separated by ";" or ",", each as a card string
(«ст.337 ч.5 УК РФ», «ст.338 п.п.а,б ч.2») or as running text («ч. 5 ст. 337», «п.а ч.2 ст.338»), or as an article
without a part («ст.337 УК РФ»: the part stays missing). Attempt and complicity markers («ст.30 ч.3», «ч.5 ст.33»)
are not counts. When several counts are of arts. 337-339, the record takes the article of the first one listed and,
among the counts of that article, the highest part: courts list the principal charge first, and within one article
the higher part is the graver form, the one the sentence ranges must be compared with. A row with no count of
337, 338 or 339 is rejected with its reason.

Outcome: a category from the card's result text (OUTCOMES); a row with no result text, no verdict date and no
verdict text is a pending case (PENDING), kept and counted apart, not rejected.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from courtpath.analytics.courts import court_by_name, court_by_website, court_directory, region_names
from courtpath.analytics.scrapers import Mapping, Shape, mapping, mappings

# The columns every shape is mapped onto (the targets of the mappings' `fields`).
CANONICAL = (
    "court_id",
    "case_uid",
    "case_number",
    "defendant_index",
    "filed_date",
    "verdict_date",
    "articles",
    "outcome",
    "text",
    "sentence_type",
    "term_months",
    "suspended",
    "probation_months",
    "colony_regime",
    "absence_start",
    "absence_end",
    "court_name",  # the court as the scraper names it, resolved through the directory, not stored
    "court_website",  # the court's site (or a URL on it), resolved through the directory, not stored
    "region",  # the scraper's own region number, kept only when the court is unknown
)
FLAT = mapping("courtpath")
ALIASES: dict[str, tuple[str, ...]] = dict(FLAT.fields)  # courtpath's flat shape (scrapers/courtpath_flat.yaml)
TEXT_COLUMNS = (
    "court_id",
    "case_uid",
    "case_number",
    "articles",
    "outcome",
    "text",
    "sentence_type",
    "colony_regime",
    "court_name",
    "court_website",
    "region",
)
DATE_COLUMNS = ("filed_date", "verdict_date", "absence_start", "absence_end")
RESOLVING_COLUMNS = ("court_name", "court_website", "region")  # used to find the court, then dropped

# A real case UID (УИД) starts with the court's code: 27GV0008-01-2019-000081-20.
CASE_UID = r"^(\d{2}[A-Z]{2}\d{4})-\d{2}-\d{4}-\d+-\d+$"
_POINTS = r"(?:п\.?\s*п\.?|пп\.?|п\.?)\s*[«\"']?[а-я][»\"']?(?:\s*,\s*[«\"']?[а-я][»\"']?)*"
_PART = r"ч\.?\s*(\d+(?:\.\d+)?)"
_ARTICLE = r"ст\.?\s*(33[789])(?!\d)"
# Article then part ("ст.337 ч.5 УК РФ", "ст. 338 п.п.а,б ч. 2"), part then article ("ч. 5 ст. 337", "п.а ч.2 ст.338"),
# or an article alone ("ст.337 УК РФ"); searched on the lower-cased text.
CARD_FORM = rf"{_ARTICLE}\s*,?\s*(?:{_POINTS}\s*,?\s*)?{_PART}"
TEXT_FORM = rf"(?:{_POINTS}\s*,?\s*)?{_PART}\s*,?\s*(?:{_POINTS}\s*,?\s*)?{_ARTICLE}"
BARE_FORM = _ARTICLE
ATTEMPT = r"ст\.?\s*30\s*,?\s*ч\.?\s*3\b|ч\.?\s*3\s*,?\s*ст\.?\s*30(?!\d)"
_NOT_A_COUNT = re.compile(r"ст\.?\s*3[03](?!\d)\s*,?\s*ч\.?\s*\d+|ч\.?\s*\d+\s*,?\s*ст\.?\s*3[03](?!\d)")
_COUNT = re.compile(f"(?:{CARD_FORM})|(?:{TEXT_FORM})|(?:{BARE_FORM})")
_ATTEMPT = re.compile(ATTEMPT)

OUTCOMES = (  # (category, regular expression on the card's outcome text), first match wins
    ("acquitted", r"оправда"),
    ("returned_to_prosecutor", r"возвра[тщ]"),
    ("suspended_case", r"приостановл"),
    ("terminated", r"прекращ|освобожд"),
    ("convicted", r"приговор|обвинительн|осужд|назначен"),
)
# No result text, no verdict date, no verdict text: the case is still before the court. (A row with a result text
# that matches no OUTCOMES pattern is "other"; with none, but with a date or a text, "unknown".)
PENDING = "pending"

# Sentence codes of older versions of courtpath, read as today's (the penalty codes of courtpath.law.vocabulary): its
# parser wrote `restriction_of_service` into analytics stores, and files exported from them may still say it.
OLD_SENTENCE_TYPES = {"restriction_of_service": "restriction"}

SUFFIXES = (".csv", ".jsonl", ".ndjson", ".json")
GZIP_MAGIC = b"\x1f\x8b"


class RecordsError(ValueError):
    """The input file cannot be read at all (wrong format, no usable columns)."""


@dataclass(frozen=True)
class ReadResult:
    """A file read into canonical columns, with the shape it was read as and the columns it did not use."""

    frame: pl.DataFrame
    mapping: Mapping
    shape: Shape
    unused: tuple[str, ...]

    @property
    def description(self) -> str:
        return self.mapping.describe(self.shape)


# ---------------------------------------------------------------------------------------------------------- reading


def read_records(path: Path) -> pl.DataFrame:
    """A file as a frame of strings with canonical column names (see read_file)."""
    return read_file(path).frame


def read_file(path: Path) -> ReadResult:
    """Read a scraper's file: detect its format and shape, map its fields onto the canonical columns."""
    if not path.exists():
        raise RecordsError(f"{path}: no such file")
    if path.suffix.lower() not in SUFFIXES:
        raise RecordsError(f"{path.name}: expected .csv, .json or .jsonl (JSON lines)")
    try:
        data = path.read_bytes()
        if data.startswith(GZIP_MAGIC):  # dataout's compress_by_region_year writes gzip under a .json name
            data = gzip.decompress(data)
        if data.lstrip()[:1] in (b"{", b"["):
            return _read_json(data.decode("utf-8-sig"))
        return _read_csv(data)
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        raise RecordsError(f"{path.name}: cannot be read: {error}") from None
    except (pl.exceptions.ComputeError, UnicodeDecodeError) as error:
        raise RecordsError(f"{path.name}: cannot be read: {str(error).splitlines()[0]}") from None


def _recognise(fmt: str, columns: set[str], separator: str | None = None) -> tuple[Mapping, Shape]:
    for candidate in mappings():
        for shape in candidate.shapes:
            if shape.format != fmt or not shape.recognises(columns):
                continue
            if fmt == "csv" and shape.separator not in (None, "sniffed", separator):
                continue
            return candidate, shape
    expected = ", ".join(ALIASES["case_uid"] + ALIASES["case_number"])
    raise RecordsError(
        f"the file has neither a case UID nor a case number column (expected one of {expected}, or the fields of "
        "tochno-st/sudrfscraper or dataout-org/sudrfparser)"
    )


def _sniff_separator(header: str) -> str:
    """The separator of a CSV header line: the most frequent of ",", ";" and a tab (a comma on a tie)."""
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    return max(counts, key=lambda sep: (counts[sep], sep == ","))


def _read_csv(data: bytes) -> ReadResult:
    header = data[:65536].split(b"\n", 1)[0].decode("utf-8-sig", errors="replace").strip()
    separator = _sniff_separator(header)
    columns = {c.strip().strip('"').lower() for c in header.split(separator)}
    found, shape = _recognise("csv", columns, separator)
    frame = pl.read_csv(
        data,
        separator=separator,
        infer_schema=False,
        quote_char='"' if shape.quoted else None,
        truncate_ragged_lines=not shape.quoted,  # unquoted text may hold a stray separator: its tail is cut
    )
    return canonical_result(frame, found, shape)


def _read_json(text: str) -> ReadResult:
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        return _from_rows(*_json_lines(text), "json_lines")
    if isinstance(document, dict) and _site_parts(document):
        return _from_rows(_site_rows(document), [], "site_json")
    if isinstance(document, dict):  # a JSON-lines file of one line
        return _from_rows([{**_flatten(document), "_line": "1"}], [], "json_lines")
    if isinstance(document, list):  # a JSON array of records
        rows, problems = [], []
        for number, value in enumerate(document, 1):
            if isinstance(value, dict):
                rows.append({**_flatten(value), "_line": str(number)})
            else:
                problems.append({"_line": str(number), "_problem": "not a JSON object"})
        return _from_rows(rows, problems, "json_lines")
    raise RecordsError("the file is JSON but neither an object nor a list of objects")


def _json_lines(text: str) -> tuple[list[dict], list[dict]]:
    rows, problems = [], []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append({"_line": str(number), "_problem": f"not JSON: {error.msg}"})
            continue
        if not isinstance(value, dict):
            problems.append({"_line": str(number), "_problem": "not a JSON object"})
            continue
        rows.append({**_flatten(value), "_line": str(number)})
    return rows, problems


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _flatten(value: dict, prefix: str = "") -> dict[str, str | None]:
    """Nested objects as dotted keys ({"links": {"META": u}} -> {"links.META": u}); lists as JSON text."""
    flat: dict[str, str | None] = {}
    for key, item in value.items():
        name = f"{prefix}{key}"
        if isinstance(item, dict) and item:
            flat.update(_flatten(item, f"{name}."))
        else:
            flat[name] = _text(item)
    return flat


def _site_parts(document: dict) -> list[tuple[str, str, dict]]:
    """(website, server label, {"cases": [...]}) of a dataout per-site file: {site: {cases}} or, merged by
    compress_by_region_year, {site: {"srv_1": {cases}, ...}}. Empty when the document is not of that shape."""
    parts = []
    for website, site in document.items():
        if not isinstance(site, dict):
            return []
        if isinstance(site.get("cases"), list):
            parts.append((website, "", site))
            continue
        servers = [(k, v) for k, v in site.items() if isinstance(v, dict) and isinstance(v.get("cases"), list)]
        if not servers:
            return []
        parts.extend((website, f"{label} ", server) for label, server in servers)
    return parts


def _site_rows(document: dict) -> list[dict]:
    """One row per accused of each case (defendant_index = the accused's position); a case without accused (or
    whose card failed to load) gives one row."""
    rows = []
    for website, server, site in _site_parts(document):
        for number, case in enumerate(site["cases"], 1):
            if not isinstance(case, dict):
                rows.append({"website": website, "_line": f"{website} {server}case {number}"})
                continue
            metadata = case.get("metadata") if isinstance(case.get("metadata"), dict) else {}
            accused = metadata.get("accused") if isinstance(metadata.get("accused"), list) else []
            base = _flatten({k: v for k, v in case.items() if k != "metadata"})
            base.update(_flatten({k: v for k, v in metadata.items() if k != "accused"}, "metadata."))
            base.update({"website": website, "_line": f"{website} {server}case {number}"})
            for index, entry in enumerate(accused or [{}]):
                person = entry if isinstance(entry, dict) else {}
                articles = person.get("article")
                if isinstance(articles, list):
                    articles = "; ".join(str(a).strip() for a in articles if str(a).strip())
                extra = _flatten({k: v for k, v in person.items() if k not in ("name", "article")}, "accused.")
                rows.append(
                    {
                        **base,
                        **extra,
                        "accused.name": None,  # never read: names of people are not stored
                        "accused.article": _text(articles),
                        "defendant_index": str(index),
                    }
                )
    return rows


def _from_rows(rows: list[dict], problems: list[dict], fmt: str) -> ReadResult:
    columns = {k.lower() for row in rows for k in row if not k.startswith("_")}
    if fmt == "site_json" and not rows:  # a site with no cases found
        columns = {"case_id_uid"}
    found, shape = _recognise(fmt, columns)
    schema = {k: pl.Utf8 for row in rows for k in row}
    frame = pl.DataFrame(rows, schema=schema) if rows else pl.DataFrame({"_line": []}, schema={"_line": pl.Utf8})
    frame = frame.with_columns(pl.lit(None, dtype=pl.Utf8).alias("_problem"))
    if problems:
        frame = pl.concat(
            [frame, pl.DataFrame(problems, schema={"_line": pl.Utf8, "_problem": pl.Utf8})], how="diagonal"
        )
    return canonical_result(frame, found, shape)


# -------------------------------------------------------------------------------------------------------- canonical


def _placeholder_forms(values: tuple[str, ...]) -> list[str]:
    """The placeholders in the case forms they are written in (compared exactly: fast on a million rows)."""
    forms = {form for v in values for form in (v, v.lower(), v.upper(), v.capitalize(), v.title())}
    return sorted(forms)


def _value(column: pl.Expr, placeholders: list[str]) -> pl.Expr:
    value = column.cast(pl.Utf8).str.strip_chars()
    return pl.when(value.is_in(placeholders)).then(None).otherwise(value)


def canonical_result(frame: pl.DataFrame, source: Mapping | None = None, shape: Shape | None = None) -> ReadResult:
    """Map `frame`'s columns onto CANONICAL with `source`'s fields (courtpath's flat shape by default)."""
    source = source or FLAT
    shape = shape or source.shapes[0]
    lowered: dict[str, str] = {}
    for column in frame.columns:
        lowered.setdefault(column.lower().strip(), column)
    placeholders = _placeholder_forms(source.placeholders)
    columns, used = [], set()
    for name in CANONICAL:
        present = [s for s in source.fields.get(name, ()) if s in lowered]
        used.update(present)
        values = [_value(pl.col(lowered[s]), placeholders) for s in present]  # per row, the first one given
        columns.append((pl.coalesce(values) if values else pl.lit(None, dtype=pl.Utf8)).alias(name))
    if "_line" not in frame.columns:
        frame = frame.with_row_index("_row", offset=2).with_columns(pl.col("_row").cast(pl.Utf8).alias("_line"))
    if "_problem" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.Utf8).alias("_problem"))
    known = used | source.ignored | source.source_fields()
    unused = tuple(sorted(c for key, c in lowered.items() if key not in known and not key.startswith("_")))
    selected = frame.select([*columns, pl.col("_line"), pl.col("_problem")])
    return ReadResult(selected, source, shape, unused)


def canonical(frame: pl.DataFrame, source: Mapping | None = None) -> pl.DataFrame:
    """`frame` with canonical column names (courtpath's flat shape unless `source` says otherwise)."""
    lowered = {c.lower().strip() for c in frame.columns}
    if (source or FLAT) is FLAT and not any(a in lowered for a in ALIASES["case_uid"] + ALIASES["case_number"]):
        raise RecordsError(
            "the file has neither a case UID nor a case number column "
            f"(expected one of {', '.join(ALIASES['case_uid'] + ALIASES['case_number'])})"
        )
    return canonical_result(frame, source).frame


def current_codes(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with the sentence codes of older versions replaced by today's (OLD_SENTENCE_TYPES)."""
    if "sentence_type" not in frame.columns:
        return frame
    return frame.with_columns(pl.col("sentence_type").replace(OLD_SENTENCE_TYPES))


# -------------------------------------------------------------------------------------------------------- normalise


def parse_articles(value: str | None) -> tuple[str | None, str | None, bool]:
    """(article, part, attempt) of a card's article list; see the module docstring for the choice among counts."""
    if not value:
        return None, None, False
    text = value.lower().replace("\xa0", " ")
    attempt = _ATTEMPT.search(text) is not None
    counts = []
    for match in _COUNT.finditer(_NOT_A_COUNT.sub(" ", text)):
        card_article, card_part, text_part, text_article, bare = match.groups()
        counts.append((card_article or text_article or bare, card_part or text_part))
    if not counts:
        return None, None, attempt
    article = counts[0][0]
    parts = [part for found, part in counts if found == article and part]
    part = max(parts, key=lambda p: tuple(int(n) for n in p.split("."))) if parts else None
    return article, part, attempt


def _articles(frame: pl.DataFrame) -> pl.DataFrame:
    """article, part and attempt, computed once per distinct article list."""
    values = frame.get_column("articles").unique().to_list()
    parsed = [parse_articles(v) for v in values]
    table = pl.DataFrame(
        {
            "articles": values,
            "article": [p[0] for p in parsed],
            "part": [p[1] for p in parsed],
            "attempt": [p[2] for p in parsed],
        },
        schema={"articles": pl.Utf8, "article": pl.Utf8, "part": pl.Utf8, "attempt": pl.Boolean},
    )
    return frame.join(table, on="articles", how="left", nulls_equal=True)


def _date(column: str, formats: tuple[str, ...]) -> pl.Expr:
    text = pl.col(column).str.strip_chars().str.slice(0, 10)
    return pl.coalesce(*(text.str.to_date(f, strict=False) for f in formats))


def _by_distinct_value(frame: pl.DataFrame, column: str, derive: list[pl.Expr]) -> pl.DataFrame:
    """Compute columns from a low-cardinality text column once per distinct value, then join them back."""
    distinct = frame.select(pl.col(column)).unique().with_columns(derive)
    return frame.join(distinct, on=column, how="left", nulls_equal=True)


def _outcome_category() -> pl.Expr:
    lowered = pl.col("outcome").str.to_lowercase()
    category = pl.when(pl.col("outcome").is_null()).then(pl.lit("unknown")).otherwise(pl.lit("other"))
    for name, pattern in reversed(OUTCOMES):
        category = pl.when(lowered.str.contains(pattern)).then(pl.lit(name)).otherwise(category)
    return category.alias("outcome_category")


def _resolved(frame: pl.DataFrame, column: str, resolve: object) -> pl.Expr:
    """A court_id per row from `column` through `resolve` (called once per distinct value)."""
    if frame.get_column(column).null_count() == frame.height:
        return pl.lit(None, dtype=pl.Utf8)
    values = frame.get_column(column).drop_nulls().unique().to_list()
    table = {v: found for v in values if (found := resolve(v))}  # type: ignore[operator]
    return pl.col(column).replace_strict(table, default=None, return_dtype=pl.Utf8)


def _court_id(frame: pl.DataFrame) -> pl.Expr:
    """The given court id; else the court named, or the court's site, in the directory; else a real УИД's head."""
    from_uid = pl.col("case_uid").str.to_uppercase().str.extract(CASE_UID, 1)
    return pl.coalesce(
        pl.col("court_id").str.to_uppercase(),
        _resolved(frame, "court_name", court_by_name),
        _resolved(frame, "court_website", court_by_website),
        from_uid,
    ).alias("court_id")


def _case_uid() -> pl.Expr:
    """dataout's 'case_id=16520648&case_uid=<GUID>' (or '_id=..&_uid=<GUID>') as its GUID; other values as given."""
    uid = pl.col("case_uid")
    guid = uid.str.extract(r"(?:^|[&?_])(?:case_)?uid=([^&\s]+)", 1)
    return pl.when(uid.str.contains("uid=", literal=True)).then(guid).otherwise(uid).alias("case_uid")


# A military court's code (garrison GV, okrug/fleet OV, appellate AV, cassation KV). For such a court a scraper's
# region number is the code's prefix (tochno-st/sudrfscraper's config), which is not where the court sits for 77 of
# the 111 military courts: it is never taken as the region.
MILITARY_CODE = r"^\d{2}[GOAK]V\d{4}$"


def _region() -> list[pl.Expr]:
    """The directory's region of a known court; else the scraper's region number, when it is one (0 is none) and
    the court is not a military court missing from the directory (MILITARY_CODE)."""
    number = pl.col("region").str.extract(r"^0*(\d{1,2})$", 1).str.zfill(2)
    military = pl.col("court_id").str.contains(MILITARY_CODE).fill_null(False)
    given = pl.when(number.is_not_null() & (number != "00") & ~military).then(number)
    code = pl.coalesce(pl.col("region_code"), given)
    return [
        code.alias("region_code"),
        pl.coalesce(pl.col("region_name"), code.replace_strict(region_names(), default=None)).alias("region_name"),
    ]


def normalise(frame: pl.DataFrame, source: Mapping | None = None) -> pl.DataFrame:
    """Typed columns, the article and part, the outcome category, the court and region, a `reject_reason` per row.

    `source` is the mapping the frame was read with: its date formats (courtpath's flat shape by default)."""
    source = source or FLAT
    for name in CANONICAL:  # a frame made by hand may lack the columns used only to find a court
        if name not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=pl.Utf8).alias(name))
    courts = court_directory().select("court_id", "region_code", "region_name")
    frame = frame.with_columns(
        *(pl.col(c).str.strip_chars() for c in TEXT_COLUMNS),
        *(_date(c, source.date_formats).alias(f"_{c}") for c in DATE_COLUMNS),
    )
    frame = frame.with_columns(
        _case_uid(), pl.col("case_number").str.replace(r"(?i)^(?:дело\s*)?№\s*", "").str.strip_chars()
    )
    frame = _articles(frame)
    frame = _by_distinct_value(frame, "outcome", [_outcome_category()])
    typed = frame.with_columns(
        *(pl.col(f"_{c}").alias(c) for c in DATE_COLUMNS),
        (pl.col("_filed_date").is_null() & pl.col("filed_date").is_not_null()).alias("_bad_filed"),
        (pl.col("_verdict_date").is_null() & pl.col("verdict_date").is_not_null()).alias("_bad_verdict"),
        pl.col("defendant_index").cast(pl.Int32, strict=False).fill_null(0),
        pl.col("term_months").cast(pl.Float64, strict=False).round(0).cast(pl.Int32, strict=False),
        pl.col("probation_months").cast(pl.Float64, strict=False).round(0).cast(pl.Int32, strict=False),
        pl.col("suspended")
        .str.to_lowercase()
        .replace_strict(
            {"true": True, "1": True, "yes": True, "да": True, "false": False, "0": False, "no": False, "нет": False},
            default=None,
            return_dtype=pl.Boolean,
        ),
        _court_id(frame),
        pl.col("sentence_type").replace(OLD_SENTENCE_TYPES),
    ).drop([f"_{c}" for c in DATE_COLUMNS])
    typed = typed.with_columns(
        pl.when((pl.col("outcome_category") == "unknown") & pl.col("verdict_date").is_null() & pl.col("text").is_null())
        .then(pl.lit(PENDING))
        .otherwise(pl.col("outcome_category"))
        .alias("outcome_category")
    )
    key = pl.coalesce(pl.col("case_uid"), pl.concat_str([pl.col("court_id"), pl.col("case_number")], separator="/"))
    typed = typed.with_columns(
        pl.concat_str([key, pl.col("defendant_index").cast(pl.Utf8)], separator="#").alias("record_key"),
    )
    dates = source.date_help()
    reason = (
        pl.when(pl.col("_problem").is_not_null())
        .then(pl.col("_problem"))
        .when(pl.col("record_key").is_null())
        .then(pl.lit("no case UID, and no court id with a case number"))
        .when(pl.col("_bad_filed"))
        .then(pl.lit(f"malformed filed_date (expected {dates})"))
        .when(pl.col("_bad_verdict"))
        .then(pl.lit(f"malformed verdict_date (expected {dates})"))
        .when(
            pl.col("filed_date").is_not_null()
            & pl.col("verdict_date").is_not_null()
            & (pl.col("verdict_date") < pl.col("filed_date"))
        )
        .then(pl.lit("verdict_date is before filed_date"))
        .when(pl.col("article").is_null())
        .then(pl.lit("no article 337, 338 or 339 in the article list"))
        .when(pl.col("term_months").is_not_null() & (pl.col("term_months") < 0))
        .then(pl.lit("negative term"))
        .otherwise(None)
    )
    typed = typed.with_columns(reason.alias("reject_reason")).join(courts, on="court_id", how="left")
    typed = typed.with_columns(_region())
    return typed.drop("_bad_filed", "_bad_verdict", "_problem", *RESOLVING_COLUMNS)
