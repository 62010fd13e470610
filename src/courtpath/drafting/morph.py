"""The shared pymorphy3 analyser and small helpers around it."""

from __future__ import annotations

import re
from functools import cache

import pymorphy3

CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
CYRILLIC_WORD = re.compile(r"^[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*$")


@cache
def analyzer() -> pymorphy3.MorphAnalyzer:
    """Loading the dictionaries takes about a second, so it is done once per process."""
    return pymorphy3.MorphAnalyzer(lang="ru")


def check_case(case: str) -> str:
    if case not in CASES:
        raise ValueError(f"unknown grammatical case {case!r}; use one of {', '.join(CASES)}")
    return case


def restore_case(original: str, new: str) -> str:
    """Give `new` (lower case) the capitalisation of `original`: all capitals, or capitals where `original` has them
    (per hyphen-separated part, so "Римский-Корсаков" keeps both capitals)."""
    if len(original) > 1 and original.isupper():
        return new.upper()
    old_parts, new_parts = original.split("-"), new.split("-")
    if len(old_parts) != len(new_parts):
        return new[:1].upper() + new[1:] if original[:1].isupper() else new
    out = []
    for old, part in zip(old_parts, new_parts, strict=True):
        chars = [c.upper() if i < len(old) and old[i].isupper() else c for i, c in enumerate(part)]
        out.append("".join(chars))
    return "-".join(out)
