"""The data-key cache under the threaded workers of `courtpath web serve` (issue 17, item 12).

Several threads of one worker open, expire and evict cache entries at once. Without the cache's lock, two threads
drop the same expired entry (KeyError) or one scans the cache while another inserts (RuntimeError). A tiny switch
interval makes the interpreter change threads constantly, so such a race shows within a second.
"""

from __future__ import annotations

import sys
import threading
import uuid

import pytest

from courtpath.vault import state
from courtpath.vault.cipher import new_key, seal
from courtpath.web.vault import keys
from courtpath.web.vault.models import DataKey


def _unsaved_key() -> DataKey:
    master = state.master()
    key_id = uuid.uuid4()
    wrapped = seal(master.key, new_key(), b"courtpath data key|" + key_id.bytes)
    return DataKey(id=key_id, wrapped=wrapped, master_key_id=master.key_id)


class _NoRows:
    class objects:  # stands in for the model manager
        @staticmethod
        def filter(**_lookup: object) -> _NoRows.objects:
            return _NoRows.objects()

        def delete(self) -> None:
            return None


def test_the_key_cache_survives_many_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keys, "CACHE_SIZE", 64)  # evictions all the time
    monkeypatch.setattr(keys, "CACHE_SECONDS", 0.0005)  # expiries all the time
    monkeypatch.setattr(keys, "DataKey", _NoRows)  # shred's DELETE: no database in these threads
    pool = [_unsaved_key() for _ in range(200)]
    errors: list[BaseException] = []

    def open_keys(offset: int) -> None:
        try:
            for round_ in range(3000):
                data_key = pool[(offset * 7 + round_) % len(pool)]
                keys.key_bytes(data_key.id, data_key)
        except BaseException as error:  # any error in a thread is the finding
            errors.append(error)

    def shred_keys() -> None:
        try:
            for round_ in range(3000):
                keys.shred(pool[round_ % len(pool)].id)
        except BaseException as error:
            errors.append(error)

    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=open_keys, args=(n,)) for n in range(8)]
        threads.append(threading.Thread(target=shred_keys))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        sys.setswitchinterval(previous)
        keys.forget_cached_keys()
    assert not errors, errors[:3]
