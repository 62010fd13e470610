"""Small-cell suppression for viewers who cannot open the cases behind the counts (statistical disclosure control).

With few cases, a count of 1 beside a part, a verdict month and a region points at one serviceman. For such viewers
every count under THRESHOLD (0 included, so that "<5" does not tell a present case from an absent one) is primary-
suppressed. A line (a row or a column of a table together with its total) with exactly one suppressed entry would
give it away by subtraction, so a second entry of that line is suppressed as well (secondary, or complementary,
suppression): the smallest one that is not a published total, repeated until no line has exactly one. This is the
classic heuristic of statistical offices (Hundepool et al., "Statistical Disclosure Control", Wiley 2012, ch. 4).
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence
from enum import Enum
from typing import TypeVar

THRESHOLD = 5

K = TypeVar("K", bound=Hashable)


class Mark(Enum):
    SMALL = "small"  # under THRESHOLD: shown as "<5"
    HIDDEN = "hidden"  # hidden so that a small one cannot be worked out from a total


def suppress(values: Mapping[K, int], lines: Sequence[Sequence[K]], *, published: Collection[K] = ()) -> dict[K, Mark]:
    """The suppressed entries of a table: `values` every entry (cells and totals), `lines` every group of entries
    whose sum is known (a row with its total, a column with its total, the totals with the grand total). Entries in
    `published` (a total shown elsewhere on the page) are hidden only when nothing else in the line can be."""
    marks = {key: Mark.SMALL for key, value in values.items() if value < THRESHOLD}
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(key in marks for key in line) != 1:
                continue
            open_entries = [key for key in line if key not in marks]
            candidates = [key for key in open_entries if key not in published] or open_entries
            if not candidates:
                continue
            pick = min(candidates, key=lambda key: (values[key], line.index(key)))
            marks[pick] = Mark.HIDDEN
            changed = True
    return marks


def one_way_lines(cells: Sequence[K], total: K) -> list[list[K]]:
    """The lines of a one-way table: its cells and their total."""
    return [[*cells, total]]


def two_way_lines(
    cells: Sequence[Sequence[K]], row_totals: Sequence[K], column_totals: Sequence[K], grand: K
) -> list[list[K]]:
    """The lines of a table with margins: each row with its total, each column with its total, and the row totals
    and the column totals each with the grand total."""
    lines = [[*row, total] for row, total in zip(cells, row_totals, strict=True)]
    lines += [[row[j] for row in cells] + [column_totals[j]] for j in range(len(column_totals))]
    lines.append([*row_totals, grand])
    lines.append([*column_totals, grand])
    return lines
