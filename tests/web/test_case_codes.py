"""Case and request codes are drawn at random; a code already taken is drawn again instead of failing on the unique
column (found by benchmarks/bench_load.py: populating 5,000 cases hit an IntegrityError)."""

from __future__ import annotations

import itertools

import pytest

from courtpath.web.cases import services


@pytest.mark.django_db
def test_a_taken_code_is_drawn_again(world: dict[str, object], monkeypatch: pytest.MonkeyPatch) -> None:
    taken_case, taken_request = world["case"].code, world["request"].code
    for prefix, taken in (("C", taken_case), ("R", taken_request)):
        draws = itertools.chain(taken.removeprefix(f"{prefix}-"), "ABCDEF")
        monkeypatch.setattr(services.secrets, "choice", lambda _alphabet, draws=draws: next(draws))
        assert services.new_code(prefix) == f"{prefix}-ABCDEF"
