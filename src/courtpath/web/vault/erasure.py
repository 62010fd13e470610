"""After a deletion has committed: wipe the deleted rows' old copies from the database files at once.

Crypto-shredding deletes a case's data key; a copy of the database files still holding the wrapped key (with the
passphrase or the recovery identity) would open the case again. So the key row must be gone from every file when the
deletion returns, not minutes later.

SQLite runs with `secure_delete=ON` (settings), which zeroes deleted cells and freed pages. In WAL mode, though, the
zeroed pages first go to the WAL file: the main file keeps the old pages until a checkpoint copies the new ones over
them, and the WAL keeps old page images until it is overwritten. `PRAGMA wal_checkpoint(TRUNCATE)` copies every page
back and cuts the WAL to zero bytes. It waits (the connection's busy timeout) for other connections that are writing
or still reading an older snapshot; if one outlasts the wait, the checkpoint is incomplete and this says so. The -shm
file holds only the WAL's index (page numbers and checksums), never row content.

PostgreSQL never overwrites a deleted row in place: it stays in the table file as a dead tuple until VACUUM, and in the
WAL segments until they are overwritten. Here the data key table is rewritten (VACUUM FULL) and the sealed tables
vacuumed; docs/threat-model.md §9 says what that leaves in the data folder, as measured by tests/vault/test_erasure.py.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.apps import apps
from django.db import DatabaseError, connection, transaction

from courtpath.web.vault.models import DataKey

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Erasure:
    """Whether the old copies of what was deleted are gone from the database files; if not, why (no data in it)."""

    complete: bool
    reason: str = ""


def sealed_tables() -> list[str]:
    """The data key table and every table whose rows hang on a data key (the rows a shredding deletes)."""
    tables = [DataKey._meta.db_table]
    for model in apps.get_models():
        if any(field.is_relation and field.related_model is DataKey for field in model._meta.concrete_fields):
            tables.append(model._meta.db_table)
    return tables


def erase_deleted() -> Erasure:
    """Wipe the old copies of committed deletions from the database files. Call it after the deletion's transaction
    has committed; inside a transaction it can do nothing yet, so it runs when the outermost one commits and reports
    the erasure as not done."""
    if connection.in_atomic_block:
        transaction.on_commit(_erase_after_commit)
        return Erasure(False, "deferred until the enclosing transaction commits")
    return _erase_now()


def _erase_after_commit() -> None:
    if not connection.in_atomic_block:  # a test may run on-commit callbacks inside its own transaction
        _erase_now()


def _erase_now() -> Erasure:
    try:
        if connection.vendor == "sqlite":
            result = _checkpoint_sqlite()
        elif connection.vendor == "postgresql":
            result = _vacuum_postgresql()
        else:
            result = Erasure(False, f"no erasure step for the {connection.vendor} database")
    except DatabaseError as error:  # the deletion itself has committed: report, do not fail it
        result = Erasure(False, f"the database refused: {type(error).__name__}")
    if not result.complete:
        logger.warning("deleted rows may still be readable in the database files: %s", result.reason)
    return result


def _checkpoint_sqlite() -> Erasure:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        busy, wal_frames, _copied = cursor.fetchone()
    if wal_frames == -1:  # not in WAL mode (an in-memory database): a deletion overwrote the pages in place
        return Erasure(True)
    if busy or wal_frames:
        return Erasure(False, "the SQLite WAL could not be emptied: another connection held it past the busy timeout")
    return Erasure(True)


def _vacuum_postgresql() -> Erasure:
    """VACUUM FULL rewrites the data key table into a new file and drops the old one, so no table file keeps a
    deleted key (measured: a plain VACUUM leaves a dead row's bytes in the page's free space). It locks the table
    while it copies the remaining keys; `lock_timeout` keeps a busy table from stalling every page behind it. The
    other tables get a plain VACUUM: what it leaves there is ciphertext whose key is gone."""
    key_table, *sealed = [connection.ops.quote_name(table) for table in sealed_tables()]
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '5s'")
        try:
            cursor.execute(f"VACUUM FULL {key_table}")
            for table in sealed:
                cursor.execute(f"VACUUM {table}")
        finally:
            cursor.execute("RESET lock_timeout")
    return Erasure(True)
