"""Values worked out from every case, kept sealed in the database between page views: the deadlines of the open
cases (assessments/deadlines.py) and the analytics records of all cases (statistics/stats.py).

Why: the dashboard and the statistics look at every case. Working a case's values out means opening its data key
and its sealed values, about 50 µs of CPU per case: half a second at 10,000 cases, on each first view in a minute of
each server process (the per-process memos last as long as the data-key cache, 60 s). The index keeps what was
worked out, per case, under the case's *state* (its stage, the authentication tag of its sealed facts record, the id
of its latest assessment): a view reads the states of the cases it shows in one narrow query, takes each value whose
state is unchanged from the index, works out the others, and writes the index back if anything differed. An entry is
never wrong, only unused: any change of a case changes its state.

What it holds: for each case its code and the values (deadline kinds and moments; article, part, court, verdict
date, sentence), which are also in the case's own sealed columns. It is sealed with a data key of its own, so a
database copy without the master key shows only its size.

Deletion: every case deletion (services._shred) takes the case out of both indexes within the deletion's
transaction; each index is sealed again under a new data key and the old key is shredded, so the old copies of the
index (database pages, WAL) no longer open, and are wiped with the case's (vault/erasure.py). A view that read the
index before a deletion and writes after it would write the deleted case back: each row's `generation` moves on with
every such change, and a write only succeeds on the generation it read (compare and set).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Length, Substr
from django.utils import timezone

from courtpath.vault.cipher import TAG_BYTES
from courtpath.web.cases import selectors
from courtpath.web.cases.models import Assessment, Case, DerivedIndex
from courtpath.web.timed_memo import TimedMemo
from courtpath.web.vault import keys
from courtpath.web.vault.sealed import SealedValueError

log = logging.getLogger("courtpath.stored")
V = TypeVar("V")

DEADLINES = "deadlines"
RECORDS = "records"
# A case's state: its id, stage, the facts record's tag (hex) and the id of its latest assessment.
State = tuple[int, str, str, int | None]


@dataclass
class Index:
    """One index as a view read it: its generation, and its entries (opened when first asked for)."""

    name: str
    row: DerivedIndex
    generation: int
    _entries: dict[str, list[Any]] | None = field(default=None, repr=False)

    def entries(self) -> dict[str, list[Any]]:
        """{case pk (text): [stage, tag, latest id, *value]} (a value is a flat list: one list per case to decode);
        empty when the index is empty or does not open (logged: it is rebuilt)."""
        if self._entries is None:
            self._entries = {}
            if self.row.entries_sealed:
                try:
                    self._entries = self.row.entries
                except SealedValueError as error:
                    log.warning(
                        "the %s index could not be read (%s): it is worked out again", self.name, type(error).__name__
                    )
        return self._entries

    def values(self, states: Iterable[State]) -> dict[int, list[Any]]:
        """The values kept for these cases in these states, by case id (those with none, or changed, left out): one
        loop for thousands of cases, as `value` does for one."""
        entries, found = self.entries(), {}
        for pk, stage, tag, latest in states:
            entry = entries.get(str(pk))
            if entry is not None and entry[0] == stage and entry[1] == tag and entry[2] == latest:
                found[pk] = entry[3:]
        return found

    def value(self, state: State) -> list[Any] | None:
        """The value kept for the case in this state; None when there is none (or the case has changed)."""
        entry = self.entries().get(str(state[0]))
        if entry is None or entry[0] != state[1] or entry[1] != state[2] or entry[2] != state[3]:
            return None
        return entry[3:]


def states(cases: QuerySet[Case]) -> list[State]:
    """The state of each of these cases, in one query, in the order of their ids: what the index and the
    per-process memos key a case's values on. The facts record's tag is cut from the column by the database (its last
    TAG_BYTES bytes): not the record."""
    newest = Assessment.objects.filter(case=OuterRef("pk")).order_by("-created_at", "-id").values("pk")[:1]
    tag = Substr("facts_sealed", Length("facts_sealed") - TAG_BYTES + 1)
    rows = cases.order_by("pk").annotate(latest_pk=Subquery(newest), tag=tag)
    return [
        (pk, stage, bytes(tag).hex(), latest)
        for pk, stage, tag, latest in rows.values_list("pk", "stage", "tag", "latest_pk")
    ]


def state_of(case: Case, latest_pk: int | None) -> State:
    """The state of a case loaded as a model, as `states` reads it."""
    return (case.pk, case.stage, bytes(case.facts_sealed[-TAG_BYTES:]).hex(), latest_pk)


def by_state(
    cases: Iterable[Case],
    memo: TimedMemo[V],
    work_out: Callable[[Case, Assessment | None], tuple[V, bool]],
    *,
    whole: bool,
) -> dict[int, V]:
    """A value of each case loaded by selectors.with_latest_assessment(answers=False), by case id: the one `memo`
    keeps under the case's state, else `work_out`'s from the case and its latest assessment (those loaded in one
    query, with their whole English answer if `whole`, otherwise with their summary). `work_out` says whether its
    value is complete; only a complete one, of an assessment that was still there, is kept."""
    found: dict[int, V] = {}
    missing: list[tuple[Case, Assessment | None, State]] = []
    for case in cases:
        latest = selectors.loaded_latest_assessment(case)
        state = state_of(case, None if latest is None else latest.pk)
        kept = memo.get(state)
        if kept is None:
            missing.append((case, latest, state))
        else:
            found[case.pk] = kept
    answers = selectors.assessment_answers([latest.pk for _c, latest, _s in missing if latest is not None], whole=whole)
    for case, latest, state in missing:
        loaded = None if latest is None else answers.get(latest.pk)  # None: deleted since the cases were loaded
        value, complete = work_out(case, loaded)
        if complete and (loaded is not None or latest is None):
            memo.put(state, value)
        found[case.pk] = value
    return found


def read(name: str) -> Index:
    """The index `name` as it is now (made, empty, if there is none yet). Read it before the cases it serves: see
    the module's docstring."""
    row = DerivedIndex.objects.select_related("data_key").filter(name=name).first()
    if row is None:
        try:
            with transaction.atomic():
                row = DerivedIndex.objects.create(name=name, data_key=keys.create_data_key())
        except IntegrityError:  # made by another view meanwhile
            row = DerivedIndex.objects.select_related("data_key").get(name=name)
    return Index(name, row, row.generation)


def write(index: Index, fresh: Iterable[tuple[State, list[Any]]], keep: Iterable[int]) -> bool:
    """Write the index back: its entries for the cases in `keep` (the cases it serves now: others are dropped), with
    the `fresh` values (each with its case's state) put in. False when a deletion changed it since it was read:
    nothing is written."""
    kept = {int(pk): entry for pk, entry in index.entries().items()}
    entries = {str(pk): kept[pk] for pk in keep if pk in kept}
    entries.update((str(state[0]), [state[1], state[2], state[3], *value]) for state, value in fresh)
    row = index.row
    DerivedIndex.entries.set_plain(row, entries)
    written = DerivedIndex.objects.filter(pk=row.pk, generation=index.generation, data_key_id=row.data_key_id).update(
        entries_sealed=row.entries_sealed, updated_at=timezone.now()
    )
    return written == 1


def drop_case(pk: int) -> None:
    """A case is being deleted: take its values out of every index, which is sealed again under a new data key while
    the old key is shredded (in the deletion's transaction: the old copies of the index no longer open, and the
    other cases' values stay, so that the next view need not work them all out again). An index that does not open
    is emptied."""
    for row in DerivedIndex.objects.select_for_update().select_related("data_key"):
        index = Index(row.name, row, row.generation)
        entries = {key: entry for key, entry in index.entries().items() if key != str(pk)}
        old_key = row.data_key_id
        row.data_key = keys.create_data_key()
        DerivedIndex.entries.set_plain(row, entries)
        DerivedIndex.objects.filter(pk=row.pk).update(
            data_key=row.data_key,
            entries_sealed=row.entries_sealed,
            generation=F("generation") + 1,
            updated_at=timezone.now(),
        )
        keys.shred(old_key)


def empty_all() -> None:
    """Empty every index and shred its data key (tests and benchmarks: as after an index that does not open)."""
    for row in DerivedIndex.objects.select_for_update().all():
        old_key = row.data_key_id
        DerivedIndex.objects.filter(pk=row.pk).update(
            data_key=keys.create_data_key(),
            entries_sealed=b"",
            generation=F("generation") + 1,
            updated_at=timezone.now(),
        )
        keys.shred(old_key)
