"""Known outcomes beside a case (the case page) and beside an interview's answer (the public result).

Reads the outcomes table that `courtpath analytics import` / `import-stats` write under the data folder
(courtpath.analytics.outcomes); no polars, no records: a few dictionary look-ups per page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from courtpath.analytics.outcomes import (
    MIN_KNOWN,
    ScopeOutcomes,
    TableCache,
    beside_case,
    plain_answer,
)
from courtpath.analytics.svg import number, whole_percent
from courtpath.law.loader import default_lawbook

_caches: dict[Path, TableCache] = {}


def _table() -> dict[str, Any] | None:
    path = Path(settings.DATA_DIR) / "analytics" / "outcomes.json"
    cache = _caches.setdefault(path, TableCache(path))
    return cache.get()


def _current(table: dict[str, Any] | None) -> bool:
    """Whether the table was worked out under the law data this server runs: its groups are keyed by the acts that
    gave each part its content, which a new version of the law data can change."""
    return table is not None and table.get("law_version") == default_lawbook().version


def part_act(article: str, part: str, edition: str) -> str | None:
    """The act that gave the part of this edition its content (the table's edition key); None if unknown."""
    book = default_lawbook()
    try:
        spec = book.edition_by_id(article, edition)
        return book.part_act(article, spec, book.part_spec(article, edition, part))
    except (KeyError, StopIteration):
        return None


@dataclass(frozen=True)
class OutcomeRow:
    """One line of the panel, ready to show."""

    scope: str
    source: str
    n: int
    enough: bool
    cells: tuple[str, ...]  # real, suspended, other: "34 % (28–41)"
    term: str  # median (quartiles) of real terms in months, or "—"
    years: str


def _cell(row: ScopeOutcomes, kind: str) -> str:
    share = row.share_of(kind)
    if share is None:
        return "—"
    low, high = whole_percent(share.low), whole_percent(share.high)
    return f"{whole_percent(share.share)}\u00a0% ({low}–{high})"


def _years(row: ScopeOutcomes) -> str:
    """The years a figure covers: "2024" or "2022–2025"; "" when not known."""
    if row.first_year is None:
        return ""
    return str(row.first_year) if row.first_year == row.last_year else f"{row.first_year}–{row.last_year}"


def _scope_label(row: ScopeOutcomes) -> str:
    if row.scope == "court":
        return row.place or _("This court")
    if row.scope == "region":
        return row.place or _("This region")
    return _("Nationally")


def _source_label(row: ScopeOutcomes) -> str:
    return _("official statistics") if row.source == "official" else _("published court records")


def display_rows(rows: list[ScopeOutcomes], lang: str) -> list[OutcomeRow]:
    out = []
    for row in rows:
        term = "—"
        if row.quartiles is not None:
            q1, median, q3 = (number(value, "," if lang == "ru" else ".") for value in row.quartiles)
            term = f"{median} ({q1}–{q3})"
        cells = tuple(_cell(row, kind) for kind in ("real", "suspended", "other"))
        out.append(OutcomeRow(_scope_label(row), _source_label(row), row.n, row.enough, cells, term, _years(row)))
    return out


def case_panel(result: dict[str, Any] | None, court_id: str | None, lang: str) -> dict[str, Any] | None:
    """The case page's panel: None without a primary qualification; `rows` empty when nothing is imported."""
    primary = next((q for q in (result or {}).get("qualifications", []) if q.get("primary")), None)
    if primary is None:
        return None
    act = part_act(primary["article"], primary["part"], primary["edition"])
    table = _table()
    current = _current(table)
    rows = beside_case(table, primary["article"], primary["part"], act or "", court_id) if current else []
    return {
        "article": primary["article"],
        "part": primary["part"],
        "rows": display_rows(rows, lang),
        "stale": table is not None and not current,
        "min_known": MIN_KNOWN,
    }


def interview_sentence(article: str, part: str, edition: str) -> dict[str, Any] | None:
    """The figures of the public result's one plain sentence, or None when there is not enough data."""
    act = part_act(article, part, edition)
    table = _table()
    if act is None or not _current(table):
        return None
    chosen = plain_answer(beside_case(table, article, part, act, None))
    if chosen is None:
        return None
    suspended, real = chosen.share_of("suspended"), chosen.share_of("real")
    assert suspended is not None and real is not None  # an `enough` scope always has its shares
    return {
        "n": chosen.n,
        "article": article,
        "part": part,
        "official": chosen.source == "official",
        "years": _years(chosen),
        "suspended": whole_percent(suspended.share),
        "suspended_low": whole_percent(suspended.low),
        "suspended_high": whole_percent(suspended.high),
        "real": whole_percent(real.share),
    }


def known_outcomes(assessment: Any) -> dict[str, Any] | None:
    """The plain sentence's figures for an engine assessment (the public interview): of the qualification its short
    answer names (the first that is not desertion), or None."""
    shown = next((q for q in assessment.qualifications if q.kind != "desertion"), None)
    if shown is None:
        return None
    return interview_sentence(shown.article, shown.part, shown.edition)
