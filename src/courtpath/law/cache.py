"""Every cache of the engine, in one place: what is kept, under which key, and how much of it.

The engine's work is pure in the law data and the decisive facts, so what it made once can be given again. The
values kept are plain frozen values (decisions, trace steps, rendered answers); the keys are values too (decision
keys, codes, languages), never an object's id. Each lawbook has its own caches (`caches(law)`), which live as long
as the lawbook does in this table. `clear()` empties them all (tests; the cold benchmark).

Per lawbook (memo: key -> value, who fills it):

* decisions: DecisionKey -> Decision (courtpath.law.decide.Decider.decide);
* cores: the DecisionKey without personal facts -> Decision without the personal modifiers (Decider.core);
* candidates: (article, edition, band, context, weapon or group, subjects) -> matching parts (law.qualify);
* qualifications: (article, edition, part, alias, subjects, context, basis, primary, art. 63 in force)
  -> Qualification and its trace steps (Qualifier.build);
* modified: (core key, index, personal modifiers) -> Qualification and its steps (Qualifier.modify);
* steps: what a step says (the context given, the period of the dates) -> TraceStep (law.engine);
* leads: (DecisionKey, kind of absence, context step) -> the first trace steps (law.engine);
* objects: a name -> an object made once per lawbook (the Decider).

One memo is shared by all lawbooks, as its key names the law data's version: `answers`, (law data version,
DecisionKey, language, ...) -> the parts of an answer rendered in that language (courtpath.law.answer).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from courtpath.law.lawbook import LawBook

V = TypeVar("V")
_MISSING = object()


class Memo(Generic[V]):
    """A bounded get-or-make store. When full it starts afresh: the values are cheap to make again, and the working
    set of a running server (a few thousand decisions) fits in it many times over."""

    __slots__ = ("_items", "maxsize", "name")

    def __init__(self, name: str, maxsize: int) -> None:
        self.name, self.maxsize = name, maxsize
        self._items: dict[Hashable, V] = {}

    def get(self, key: Hashable, make: Callable[[], V], fresh: Callable[[V], bool] | None = None) -> V:
        """The value kept under `key`, made by `make()` if there is none, or if `fresh(value)` says the one kept
        no longer fits what the caller holds."""
        found = self._items.get(key, _MISSING)
        if found is _MISSING or (fresh is not None and not fresh(found)):  # type: ignore[arg-type]
            if len(self._items) >= self.maxsize:
                self._items.clear()
            found = self._items[key] = make()
        return found  # type: ignore[return-value]

    def clear(self) -> None:
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


class LawCaches:
    """The caches of one lawbook (see the table in the module's docstring)."""

    def __init__(self) -> None:
        self.decisions: Memo[object] = Memo("decisions", 65536)
        self.cores: Memo[object] = Memo("cores", 16384)
        self.candidates: Memo[object] = Memo("candidates", 4096)
        self.qualifications: Memo[object] = Memo("qualifications", 16384)
        self.modified: Memo[object] = Memo("modified", 65536)
        self.steps: Memo[object] = Memo("steps", 4096)
        self.leads: Memo[object] = Memo("leads", 65536)
        self.objects: Memo[object] = Memo("objects", 64)

    def memos(self) -> tuple[Memo[object], ...]:
        return tuple(value for value in vars(self).values() if isinstance(value, Memo))

    def clear(self, keep_objects: bool = False) -> None:
        for memo in self.memos():
            if not (keep_objects and memo is self.objects):
                memo.clear()


_BY_LAWBOOK: dict[LawBook, LawCaches] = {}  # LawBook compares by identity
_MAX_LAWBOOKS = 16  # the default one, and those tests and `law check` load


def caches(law: LawBook) -> LawCaches:
    found = _BY_LAWBOOK.get(law)
    if found is None:
        if len(_BY_LAWBOOK) >= _MAX_LAWBOOKS:
            _BY_LAWBOOK.clear()
        found = _BY_LAWBOOK[law] = LawCaches()
    return found


answers: Memo[object] = Memo("answers", 131072)


def clear(keep_objects: bool = False) -> None:
    """Empty every cache (`keep_objects`: keep the objects made once per lawbook, so that only the memoised work is
    lost)."""
    for found in _BY_LAWBOOK.values():
        found.clear(keep_objects)
    answers.clear()
