"""Every cache of the engine, in one place: what is kept, under which key, and how much of it.

The engine's work is pure in the law data and the decisive facts, so what it made once can be given again. The
values kept are plain frozen values (decisions, trace steps, rendered answers); the keys are values too (decision
keys, codes, languages), never an object's id. Each lawbook has its own caches (`caches(law)`), which live as long
as the lawbook does in this table. `clear()` empties them all (tests; the cold benchmark).

Per lawbook (memo: key -> value, who fills it):

* decisions: DecisionKey -> Decision (courtpath.law.decide.Decider.decide);
* cores: the DecisionKey without personal facts -> Decision without the personal modifiers (Decider.core);
* candidates: (article, edition, band, context, weapon or group, subjects) -> matching parts (law.qualify);
* qualifications: (article, edition, part, alias, subjects, context, basis, primary, day of the act, day of the
  assessment's epoch) -> Qualification and its trace steps (Qualifier.build);
* modified: (how the qualification was made, personal modifiers) -> Qualification and its steps
  (courtpath.law.person.PersonRules.modify);
* sentenced: (how the primary qualification was made, personal modifiers, Decree 647 in force) -> the flags and
  open questions that follow for the person (courtpath.law.sentencing);
* leads: (DecisionKey, kind of absence, context step) -> the trace steps that open an assessment (Decider.leads).

Besides, each lawbook's Decider (made once: its citations and the context steps of the law data) is kept here.

One memo is shared by all lawbooks, as its keys name the law data's version: `answers`, (law data version,
DecisionKey, language, ...) -> the parts of an answer rendered in that language, and (citation, language) -> the
citation's answer (courtpath.law.answer).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from courtpath.law.lawbook import LawBook

V = TypeVar("V")
_MISSING = object()


class Memo(dict[Hashable, V]):
    """A bounded store of values made once. When full it starts afresh: the values are cheap to make again, and the
    working set of a running server (a few thousand decisions) fits in it many times over.

    `memo[key]` gives the value kept under `key`, or makes it with the memo's `make(key)` (set by the code that fills
    the memo; a lookup of a kept value runs at the speed of a dict). For values that need more than their key to be
    made: `memo.get(key)`, and on None `memo.keep(key, value)`; or `memo.get_or_make(key, make, fresh)`."""

    __slots__ = ("make", "maxsize", "name")

    def __init__(self, name: str, maxsize: int, make: Callable[[Hashable], V] | None = None) -> None:
        super().__init__()
        self.name, self.maxsize, self.make = name, maxsize, make

    def __missing__(self, key: Hashable) -> V:
        if self.make is None:
            raise KeyError(key)
        value = self.make(key)
        self.keep(key, value)
        return value

    def get_or_make(self, key: Hashable, make: Callable[[], V], fresh: Callable[[V], bool] | None = None) -> V:
        """The value kept under `key`, made by `make()` if there is none, or if `fresh(value)` says the one kept
        no longer fits what the caller holds."""
        found = dict.get(self, key, _MISSING)
        if found is _MISSING or (fresh is not None and not fresh(found)):  # type: ignore[arg-type]
            found = make()
            self.keep(key, found)  # type: ignore[arg-type]
        return found  # type: ignore[return-value]

    def keep(self, key: Hashable, value: V) -> V:
        """Keep `value` under `key` (the memo starts afresh when full); returns it."""
        if len(self) >= self.maxsize:
            self.clear()
        self[key] = value
        return value


class LawCaches:
    """The caches of one lawbook (see the list in the module's docstring), and its Decider."""

    def __init__(self) -> None:
        self.decisions: Memo[object] = Memo("decisions", 65536)
        self.cores: Memo[object] = Memo("cores", 16384)
        self.candidates: Memo[object] = Memo("candidates", 4096)
        self.qualifications: Memo[object] = Memo("qualifications", 16384)
        self.modified: Memo[object] = Memo("modified", 65536)
        self.sentenced: Memo[object] = Memo("sentenced", 65536)
        self.leads: Memo[object] = Memo("leads", 65536)
        self.decider: object | None = None  # made once per lawbook by courtpath.law.decide.decider_for

    def memos(self) -> tuple[Memo[object], ...]:
        return tuple(value for value in vars(self).values() if isinstance(value, Memo))

    def clear(self, keep_objects: bool = False) -> None:
        for memo in self.memos():
            memo.clear()
        if not keep_objects:
            self.decider = None


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
    """Empty every cache (`keep_objects`: keep each lawbook's Decider, so that only the memoised work is lost)."""
    for found in _BY_LAWBOOK.values():
        found.clear(keep_objects)
    answers.clear()
