"""The military court directory (CC BY-SA 4.0, dataout-org/sudrfparser; see data/courts/NOTICE.md)."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from urllib.parse import urlsplit

import polars as pl

ATTRIBUTION = (
    "Court directory: dataout-org/sudrfparser (sudrf.ru, 18.11.2023), CC BY-SA 4.0. "
    "Regions come from each court's site region, not from its code prefix."
)

_QUOTES = re.compile(r"[\"'«»„“”‘’`]")
_REGION_SUFFIX = re.compile(r"\s*\(.*\)\s*$")  # "(Республика Саха (Якутия))": from the first "(" to the end


@cache
def court_directory() -> pl.DataFrame:
    """court_id, court_level, court_name, region_code, region_name, court_website for the 111 military courts."""
    source = resources.files("courtpath").joinpath("data", "courts", "military_courts.csv")
    with source.open("rb") as handle:
        frame = pl.read_csv(handle, infer_schema=False)
    return frame.select(
        pl.col("court_id").str.to_uppercase(),
        "court_level",
        "court_name",
        pl.col("site_region_code").alias("region_code"),
        pl.col("site_region_name").alias("region_name"),
        "court_website",
    )


def normalise_name(name: str) -> str:
    """A court name compared loosely: lower case, ё as е, no quotes, single spaces."""
    lowered = _QUOTES.sub("", name.lower().replace("ё", "е"))
    return " ".join(lowered.split())


def normalise_website(address: str) -> str:
    """A court site's host: 'http://gvs--adg.sudrf.ru/modules.php?...' and 'gvs.adg.sudrf.ru' both give
    'gvs.adg.sudrf.ru' (sudrf serves every court under both its dotted and its '--' host)."""
    text = address.strip().lower()
    host = urlsplit(text if "//" in text else "//" + text).hostname or ""
    host = host.removeprefix("www.").replace("--", ".")
    return host.rstrip(".")


@cache
def _names() -> dict[str, str]:
    """Normalised name -> court_id: the directory's full name, and the name without its "(region)" suffix (the form
    tochno-st/sudrfscraper's config uses) where that shorter name is unique."""
    full: dict[str, str] = {}
    short: dict[str, set[str]] = {}
    for court_id, name in court_directory().select("court_id", "court_name").iter_rows():
        key = normalise_name(name)
        full[key] = court_id
        short.setdefault(normalise_name(_REGION_SUFFIX.sub("", name)), set()).add(court_id)
    unique = {key: next(iter(ids)) for key, ids in short.items() if len(ids) == 1}
    return {**unique, **full}


@cache
def _websites() -> dict[str, str]:
    rows = court_directory().select("court_id", "court_website").drop_nulls().iter_rows()
    return {normalise_website(site): court_id for court_id, site in rows}


def court_by_name(name: str | None) -> str | None:
    """The court_id of a court named `name`, or None when the directory has no such court."""
    if not name:
        return None
    key = normalise_name(name)
    return _names().get(key) or _names().get(normalise_name(_REGION_SUFFIX.sub("", key)))


def court_by_website(address: str | None) -> str | None:
    """The court_id of the court whose site `address` is on (a site address or any URL on it)."""
    if not address:
        return None
    return _websites().get(normalise_website(address))


@cache
def region_names() -> dict[str, str]:
    """Region code ('01'..'95') -> name, for the regions the directory knows."""
    pairs = court_directory().select("region_code", "region_name").unique().iter_rows()
    return {code: name for code, name in pairs if code and name}
