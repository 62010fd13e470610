"""Court case records: read CSV / JSON lines in the shapes public sudrf scrapers produce, normalise, validate.

One row is a defendant in a case (a card can hold several defendants). Column names of the common scrapers are
accepted as aliases (tochno-st/sudrfscraper: caseNumber, entryDate, resultDate, decision, text; dataout-org/
sudrfparser: case_id_uid, adm_date, decision_result, case_text).
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from courtpath.analytics.courts import court_directory

ALIASES: dict[str, tuple[str, ...]] = {
    "court_id": ("court_id", "court", "vnkod", "court_code"),
    "case_uid": ("case_uid", "uid", "case_id_uid", "уид"),
    "case_number": ("case_number", "casenumber", "id_text", "number"),
    "defendant_index": ("defendant_index", "defendant"),
    "filed_date": ("filed_date", "entrydate", "adm_date", "filed"),
    "verdict_date": ("verdict_date", "resultdate", "decision_date", "result_date"),
    "articles": ("articles", "article", "article_list", "names"),
    "outcome": ("outcome", "decision", "decision_result", "result"),
    "text": ("text", "case_text", "verdict_text"),
    "sentence_type": ("sentence_type",),
    "term_months": ("term_months",),
    "suspended": ("suspended",),
    "probation_months": ("probation_months",),
    "colony_regime": ("colony_regime",),
    "absence_start": ("absence_start",),
    "absence_end": ("absence_end",),
}
TEXT_COLUMNS = ("court_id", "case_uid", "case_number", "articles", "outcome", "text", "sentence_type", "colony_regime")
DATE_COLUMNS = ("filed_date", "verdict_date", "absence_start", "absence_end")

# Article and part in a card string ("ст.337 ч.5 УК РФ", "ст. 337 ч. 3.1") or running text ("ч. 5 ст. 337").
CARD_FORM = r"ст\.?\s*(33[789])\s*,?\s*ч\.?\s*(\d+(?:\.\d+)?)"
TEXT_FORM = r"ч\.?\s*(\d+(?:\.\d+)?)\s*,?\s*ст\.?\s*(33[789])"
ATTEMPT = r"ст\.?\s*30\s*,?\s*ч\.?\s*3\b|ч\.?\s*3\s*ст\.?\s*30\b"
OUTCOMES = (  # (category, regular expression on the card's outcome text), first match wins
    ("acquitted", r"оправда"),
    ("returned_to_prosecutor", r"возвра[тщ]"),
    ("suspended_case", r"приостановл"),
    ("terminated", r"прекращ|освобожд"),
    ("convicted", r"приговор|обвинительн|осужд|назначен"),
)

# Sentence codes of older versions of courtpath, read as today's (the penalty codes of courtpath.law.vocabulary): its
# parser wrote `restriction_of_service` into analytics stores, and files exported from them may still say it.
OLD_SENTENCE_TYPES = {"restriction_of_service": "restriction"}


class RecordsError(ValueError):
    """The input file cannot be read at all (wrong format, no usable columns)."""


def read_records(path: Path) -> pl.DataFrame:
    """A CSV or JSON-lines file as a frame of strings with canonical column names."""
    if not path.exists():
        raise RecordsError(f"{path}: no such file")
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            frame = pl.read_csv(path, infer_schema=False)
        elif suffix in (".jsonl", ".ndjson", ".json"):
            frame = _read_json_lines(path)
        else:
            raise RecordsError(f"{path.name}: expected .csv or .jsonl (JSON lines)")
    except (pl.exceptions.ComputeError, UnicodeDecodeError) as error:
        raise RecordsError(f"{path.name}: cannot be read: {str(error).splitlines()[0]}") from None
    return canonical(frame)


def _read_json_lines(path: Path) -> pl.DataFrame:
    rows, problems = [], []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as error:
                problems.append({"line": number, "reason": f"not JSON: {error.msg}"})
                continue
            if not isinstance(value, dict):
                problems.append({"line": number, "reason": "not a JSON object"})
                continue
            rows.append(
                {
                    k: None
                    if v is None
                    else (json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else str(v))
                    for k, v in value.items()
                }
            )
            rows[-1]["_line"] = str(number)
    frame = (
        pl.DataFrame(rows, infer_schema_length=None) if rows else pl.DataFrame({"_line": []}, schema={"_line": pl.Utf8})
    )
    frame = frame.with_columns(pl.lit(None, dtype=pl.Utf8).alias("_problem"))
    if problems:
        bad = pl.DataFrame([{"_line": str(p["line"]), "_problem": p["reason"]} for p in problems])
        frame = pl.concat([frame, bad], how="diagonal")
    return frame


def canonical(frame: pl.DataFrame) -> pl.DataFrame:
    lowered = {c.lower().strip(): c for c in frame.columns}
    columns = []
    for name, aliases in ALIASES.items():
        source = next((lowered[a] for a in aliases if a in lowered), None)
        columns.append((pl.col(source).cast(pl.Utf8) if source else pl.lit(None, dtype=pl.Utf8)).alias(name))
    if "_line" not in frame.columns:
        frame = frame.with_row_index("_row", offset=2).with_columns(pl.col("_row").cast(pl.Utf8).alias("_line"))
    if "_problem" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.Utf8).alias("_problem"))
    if not any(a in lowered for a in ALIASES["case_uid"] + ALIASES["case_number"]):
        raise RecordsError(
            "the file has neither a case UID nor a case number column "
            f"(expected one of {', '.join(ALIASES['case_uid'] + ALIASES['case_number'])})"
        )
    return frame.select([*columns, pl.col("_line"), pl.col("_problem")])


def current_codes(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with the sentence codes of older versions replaced by today's (OLD_SENTENCE_TYPES)."""
    if "sentence_type" not in frame.columns:
        return frame
    return frame.with_columns(pl.col("sentence_type").replace(OLD_SENTENCE_TYPES))


def _date(column: str) -> pl.Expr:
    text = pl.col(column).str.strip_chars().str.slice(0, 10)
    return pl.coalesce(
        text.str.to_date("%Y-%m-%d", strict=False),
        text.str.to_date("%d.%m.%Y", strict=False),
    )


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


def normalise(frame: pl.DataFrame) -> pl.DataFrame:
    """Typed columns, the article and part, the outcome category, the region, a `reject_reason` per row."""
    courts = court_directory().select("court_id", "region_code", "region_name", "court_name")
    frame = frame.with_columns(
        *(pl.col(c).str.strip_chars() for c in TEXT_COLUMNS),
        *(_date(c).alias(f"_{c}") for c in DATE_COLUMNS),
    )
    frame = _by_distinct_value(
        frame,
        "articles",
        [
            pl.coalesce(
                pl.col("articles").str.extract(CARD_FORM, 1), pl.col("articles").str.extract(TEXT_FORM, 2)
            ).alias("article"),
            pl.coalesce(
                pl.col("articles").str.extract(CARD_FORM, 2), pl.col("articles").str.extract(TEXT_FORM, 1)
            ).alias("part"),
            pl.col("articles").str.contains(ATTEMPT).fill_null(False).alias("attempt"),
        ],
    )
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
        pl.coalesce(pl.col("court_id"), pl.col("case_uid").str.slice(0, 8)).str.to_uppercase().alias("court_id"),
        pl.col("sentence_type").replace(OLD_SENTENCE_TYPES),
    ).drop([f"_{c}" for c in DATE_COLUMNS])
    key = pl.coalesce(pl.col("case_uid"), pl.concat_str([pl.col("court_id"), pl.col("case_number")], separator="/"))
    typed = typed.with_columns(
        pl.concat_str([key, pl.col("defendant_index").cast(pl.Utf8)], separator="#").alias("record_key"),
    )
    reason = (
        pl.when(pl.col("_problem").is_not_null())
        .then(pl.col("_problem"))
        .when(pl.col("record_key").is_null())
        .then(pl.lit("no case UID, and no court id with a case number"))
        .when(pl.col("_bad_filed"))
        .then(pl.lit("malformed filed_date (expected YYYY-MM-DD or DD.MM.YYYY)"))
        .when(pl.col("_bad_verdict"))
        .then(pl.lit("malformed verdict_date (expected YYYY-MM-DD or DD.MM.YYYY)"))
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
    return typed.drop("_bad_filed", "_bad_verdict", "_problem")
