"""Known outcomes beside a case: for its article, part and edition, in its court, its region and nationally, how many
convictions are known (n), the shares of real terms, suspended sentences and other penalties with 95 % Wilson
intervals, and the real terms' median and quartiles. From the published records and from the official statistics,
each labelled.

Reads the small table `courtpath analytics import` and `import-stats` write (analytics/outcomes_table.py); pure
Python, so the web workers answer without polars. With fewer than MIN_KNOWN outcomes a scope says "too few to say"
and nothing else: a share of 3 cases out of 5 is noise, not a chance.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

MIN_KNOWN = 10  # below this, a scope shows no figure at all
Z_95 = 1.959963984540054  # the standard normal quantile of 0.975
KINDS = ("real", "suspended", "other")

Scope = Literal["court", "region", "national"]
Source = Literal["records", "official"]


def wilson(count: int, n: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval of a proportion count/n (Wilson 1927; without continuity correction)."""
    if n <= 0 or not 0 <= count <= n:
        raise ValueError(f"a proportion needs 0 <= count <= n and n > 0, not {count}/{n}")
    share = count / n
    spread = z * z / n
    centre = (share + spread / 2) / (1 + spread)
    half = z * math.sqrt(share * (1 - share) / n + spread / (4 * n)) / (1 + spread)
    low = 0.0 if count == 0 else max(0.0, centre - half)  # exact at the ends, where rounding would stray
    high = 1.0 if count == n else min(1.0, centre + half)
    return low, high


@dataclass(frozen=True, slots=True)
class Share:
    kind: str  # real | suspended | other
    count: int
    share: float
    low: float
    high: float


@dataclass(frozen=True, slots=True)
class ScopeOutcomes:
    """The known outcomes of one scope and one source. `enough` False: show n and "too few to say", nothing else."""

    scope: Scope
    source: Source
    place: str | None  # the court's or region's name; None nationally
    n: int
    shares: tuple[Share, ...] = ()
    terms_n: int = 0
    quartiles: tuple[float, float, float] | None = None  # months: first quartile, median, third quartile
    first_year: int | None = None
    last_year: int | None = None

    @property
    def enough(self) -> bool:
        return self.n >= MIN_KNOWN

    def share_of(self, kind: str) -> Share | None:
        return next((s for s in self.shares if s.kind == kind), None)


def of_figure(scope: Scope, source: Source, place: str | None, figure: dict[str, Any] | None) -> ScopeOutcomes:
    """A table figure as ScopeOutcomes; below MIN_KNOWN only n is kept."""
    n = int(figure["n"]) if figure else 0
    if figure is None or n < MIN_KNOWN:
        return ScopeOutcomes(scope, source, place, n)
    shares = tuple(Share(kind, int(figure[kind]), figure[kind] / n, *wilson(int(figure[kind]), n)) for kind in KINDS)
    terms_n = int(figure.get("terms_n") or 0)
    quartiles = (
        (float(figure["q1"]), float(figure["median"]), float(figure["q3"]))
        if terms_n >= MIN_KNOWN and figure.get("median") is not None
        else None
    )
    return ScopeOutcomes(
        scope, source, place, n, shares, terms_n, quartiles, figure.get("first_year"), figure.get("last_year")
    )


def beside_case(
    table: dict[str, Any] | None, article: str, part: str, act: str, court_id: str | None
) -> list[ScopeOutcomes]:
    """The outcomes to show beside a case: its court and region (records), then nationally (records, official)."""
    table = table or {}
    group = table.get("groups", {}).get(f"{article}|{part}|{act}", {})
    rows: list[ScopeOutcomes] = []
    court = table.get("courts", {}).get(court_id or "")
    if court:
        rows.append(of_figure("court", "records", court["name"], group.get("courts", {}).get(court_id)))
        region = court.get("region_code")
        if region:
            rows.append(of_figure("region", "records", court.get("region_name"), group.get("regions", {}).get(region)))
    national = group.get("national", {})
    rows.append(of_figure("national", "records", None, national.get("records")))
    rows.append(of_figure("national", "official", None, national.get("official")))
    return rows


def plain_answer(rows: list[ScopeOutcomes]) -> ScopeOutcomes | None:
    """The one national figure for a plain sentence (the public interview): the official statistics when they are
    enough, else the published records; None when neither is."""
    national = {row.source: row for row in rows if row.scope == "national"}
    return next((national[s] for s in ("official", "records") if s in national and national[s].enough), None)


class TableCache:
    """The outcomes table read from its file, read again only when the file changes (import writes a new one)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stamp: tuple[int, int] | None = None
        self._table: dict[str, Any] | None = None

    def get(self) -> dict[str, Any] | None:
        """The table, or None when there is none yet, or it cannot be read (the panel then says there is no data)."""
        try:
            stat = self.path.stat()
        except OSError:
            self._stamp, self._table = None, None
            return None
        stamp = (stat.st_mtime_ns, stat.st_size)
        if stamp != self._stamp:
            try:
                table = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return None
            self._table = table if isinstance(table, dict) else None
            self._stamp = stamp
        return self._table
