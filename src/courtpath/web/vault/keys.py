"""Data keys: create, unwrap (with a per-process cache), shred, re-wrap under a new master key.

The cache holds unwrapped keys by (master key fingerprint, data key id), so a process that is unlocked with another
master key never sees a key opened under the old one, and shredding evicts the key at once in the process that
shreds. Other processes (the other gunicorn workers, while `courtpath purge` shreds in a process of its own) do not
hear of it: an entry is therefore kept for CACHE_SECONDS at most. Every call of key_bytes first drops the expired
entries, asked for or not, so a shredded key is out of the cache of every process that opens any sealed value after
that time (a process that opens none keeps its entries until it does). Dropped means no longer referenced: Python
does not wipe the freed bytes.

The gunicorn workers run several threads (courtpath.web.server.worker): every use of the cache holds _lock, as an
OrderedDict is not safe to change from two threads at once (a scan while another thread inserts raises).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from typing import NamedTuple

from django.db import transaction

from courtpath.vault import state
from courtpath.vault.cipher import SealError, new_key, open_sealed, seal
from courtpath.vault.keyring import MasterKey
from courtpath.web.vault.models import DataKey

CACHE_SIZE = 4096
CACHE_SECONDS = 60.0
_cache: OrderedDict[tuple[str, uuid.UUID], tuple[float, bytes]] = OrderedDict()
_lock = threading.Lock()


class DataKeyError(RuntimeError):
    """A data key is missing (shredded) or does not open with the unlocked master key."""


def _associated(key_id: uuid.UUID) -> bytes:
    return b"courtpath data key|" + key_id.bytes


def create_data_key() -> DataKey:
    master = state.master()
    key_id = uuid.uuid4()
    return DataKey.objects.create(
        id=key_id, wrapped=seal(master.key, new_key(), _associated(key_id)), master_key_id=master.key_id
    )


def _unwrap(master: MasterKey, data_key: DataKey | WrappedKey) -> bytes:
    try:
        return open_sealed(master.key, data_key.wrapped, _associated(data_key.id))
    except SealError:
        raise DataKeyError(
            f"data key {data_key.id} does not open with the unlocked master key {master.key_id} "
            f"(it was wrapped by {data_key.master_key_id})"
        ) from None


class WrappedKey(NamedTuple):
    """A data key's row as read with values_list (id, wrapped, master_key_id): what a scan of thousands of rows
    passes to key_bytes instead of building a DataKey model for each."""

    id: uuid.UUID
    wrapped: bytes
    master_key_id: str


def key_bytes(data_key_id: uuid.UUID, data_key: DataKey | WrappedKey | None = None) -> bytes:
    """The unwrapped data key; `data_key` may be passed when already loaded, to save a query."""
    master = state.master()
    cache_key = (master.key_id, data_key_id)
    now = time.monotonic()
    with _lock:
        _forget_expired(now)
        if (cached := _cache.get(cache_key)) is not None:
            return cached[1]
    if data_key is None:  # one loaded with its row (select_related) is as current as the row itself
        data_key = DataKey.objects.filter(pk=data_key_id).first()
        if data_key is None:
            raise DataKeyError(f"data key {data_key_id} no longer exists: the case was shredded")
    plain = _unwrap(master, data_key)
    with _lock:
        # In the order opened, so the oldest entries are at the front (another thread may have opened it meanwhile).
        _cache[cache_key] = (time.monotonic(), plain)
        _cache.move_to_end(cache_key)
        if len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return plain


def _forget_expired(now: float) -> None:
    """Drop every entry older than CACHE_SECONDS, whether or not its key is asked for again (a shredded key is not):
    the entries are in the order they were opened, so this stops at the first one still fresh. Call with _lock."""
    while _cache:
        cache_key, (opened_at, _plain) = next(iter(_cache.items()))
        if now - opened_at < CACHE_SECONDS:
            return
        del _cache[cache_key]


def forget_cached_keys() -> None:
    with _lock:
        _cache.clear()


def shred(data_key_id: uuid.UUID) -> None:
    """Destroy a data key. Every value sealed with it, wherever a copy survives, can no longer be opened."""
    DataKey.objects.filter(pk=data_key_id).delete()
    with _lock:
        for cache_key in [k for k in _cache if k[1] == data_key_id]:
            del _cache[cache_key]


@transaction.atomic
def rewrap_all(old: MasterKey, new: MasterKey) -> int:
    """Re-wrap every data key from the old master key to the new one; returns how many."""
    count = 0
    for data_key in DataKey.objects.select_for_update().order_by("pk").iterator(chunk_size=500):
        plain = _unwrap(old, data_key)
        data_key.wrapped = seal(new.key, plain, _associated(data_key.id))
        data_key.master_key_id = new.key_id
        data_key.save(update_fields=["wrapped", "master_key_id"])
        count += 1
    forget_cached_keys()
    return count
