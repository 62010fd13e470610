"""Attached documents on disk: each file sealed whole (AES-256-GCM) with its case's data key, under a random name.

Uploads never touch the disk in clear: settings keep them in memory (FILE_UPLOAD_HANDLERS) up to
COURTPATH_MAX_DOCUMENT_BYTES, and a file is written sealed, synced, then renamed into place (write_private).
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings

from courtpath.vault.cipher import SealError, open_sealed, seal
from courtpath.vault.files import write_private
from courtpath.web.vault import keys


class DocumentError(RuntimeError):
    """A stored document is missing or does not open."""


def _folder() -> Path:
    folder = Path(settings.COURTPATH_DOCUMENTS_DIR)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _associated(data_key_id: uuid.UUID, blob: uuid.UUID) -> bytes:
    return b"courtpath document|" + blob.bytes + data_key_id.bytes


def write_blob(data_key_id: uuid.UUID, content: bytes) -> uuid.UUID:
    blob = uuid.uuid4()
    sealed = seal(keys.key_bytes(data_key_id), content, _associated(data_key_id, blob))
    write_private(_folder() / blob.hex, sealed)
    return blob


def read_blob(data_key_id: uuid.UUID, blob: uuid.UUID) -> bytes:
    try:
        sealed = (_folder() / blob.hex).read_bytes()
    except FileNotFoundError:
        raise DocumentError(f"document file {blob.hex} is missing") from None
    try:
        return open_sealed(keys.key_bytes(data_key_id), sealed, _associated(data_key_id, blob))
    except SealError as error:
        raise DocumentError(f"document file {blob.hex}: {error}") from None


def remove_blob(blob: uuid.UUID) -> None:
    (_folder() / blob.hex).unlink(missing_ok=True)


def blob_path(blob: uuid.UUID) -> Path:
    return _folder() / blob.hex
