"""Small-cell suppression (statistics/disclosure.py, protected.py): no count under 5 is shown to a viewer without
access to the cases, and none can be worked out by subtracting the shown cells of a row or a column from its total."""

from __future__ import annotations

from collections.abc import Hashable

from hypothesis import given
from hypothesis import strategies as st

from courtpath.web.statistics import protected
from courtpath.web.statistics.disclosure import THRESHOLD, Mark, one_way_lines, suppress, two_way_lines

COUNTS = st.integers(min_value=0, max_value=30)


def _check(values: dict[Hashable, int], lines: list[list[Hashable]], marks: dict[Hashable, Mark]) -> None:
    for key, value in values.items():
        assert (marks.get(key) is Mark.SMALL) == (value < THRESHOLD), key
    for line in lines:
        hidden = [key for key in line if key in marks]
        # One hidden entry in a line whose sum is known is that sum minus the others: never exactly one.
        assert len(hidden) != 1, (line, hidden)


@given(
    st.lists(st.lists(COUNTS, min_size=1, max_size=6), min_size=1, max_size=8).filter(
        lambda rows: len({len(row) for row in rows}) == 1
    )
)
def test_no_suppressed_cell_of_a_two_way_table_follows_from_a_total(rows: list[list[int]]) -> None:
    columns = len(rows[0])
    values: dict[Hashable, int] = {(i, j): n for i, row in enumerate(rows) for j, n in enumerate(row)}
    values |= {(i, "total"): sum(row) for i, row in enumerate(rows)}
    values |= {("total", j): sum(row[j] for row in rows) for j in range(columns)}
    values[("total", "total")] = sum(map(sum, rows))
    lines = two_way_lines(
        [[(i, j) for j in range(columns)] for i in range(len(rows))],
        [(i, "total") for i in range(len(rows))],
        [("total", j) for j in range(columns)],
        ("total", "total"),
    )
    _check(values, lines, suppress(values, lines))


@given(st.lists(COUNTS, min_size=1, max_size=30))
def test_no_suppressed_cell_of_a_one_way_table_follows_from_its_published_total(cells: list[int]) -> None:
    values: dict[Hashable, int] = dict(enumerate(cells))
    values["total"] = sum(cells)
    lines = one_way_lines(list(range(len(cells))), "total")
    marks = suppress(values, lines, published={"total"})
    _check(values, lines, marks)
    assert marks.get("total") is not Mark.HIDDEN  # a total shown elsewhere on the page is never hidden


def test_a_lone_small_cell_takes_the_smallest_other_cell_with_it() -> None:
    table = protected._one_way("t", "T", ("k", "n"), [("a", 7), ("b", 3), ("c", 12)], 22, "total")
    assert table.rows == (("a", "x"), ("b", "<5"), ("c", "12"), ("total", "22"))


def test_small_categories_are_pooled_unnamed_and_the_pool_is_always_there() -> None:
    assert protected._pooled([("A", 9), ("B", 2), ("C", 1)], "other") == [("A", 9), ("other", 3)]
    assert protected._pooled([("A", 9)], "other") == [("A", 9), ("other", 0)]
