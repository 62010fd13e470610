"""Compile the Django gettext catalogues (locale/<lang>/LC_MESSAGES/django.po) with Babel: no GNU gettext needed."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


class CatalogError(OSError):
    """A catalogue is missing and cannot be compiled here (an OSError: the command line shows it as one line)."""


def compile_catalogs(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Write django.mo beside every django.po that is newer than its .mo; returns what was written. A .mo is written
    whole or not at all (a temporary file renamed over it), readable by everyone like the rest of the package."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/django.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=po_path.parent.parent.name)
        compiled = io.BytesIO()
        write_mo(compiled, catalog, use_fuzzy=False)
        partial = mo_path.with_name(mo_path.name + ".partial")
        try:
            partial.write_bytes(compiled.getvalue())
            partial.chmod(0o644)
            partial.replace(mo_path)
        except OSError as error:  # PermissionError, or EROFS under systemd's ProtectSystem=strict
            with contextlib.suppress(OSError):  # nothing may have been written (a read-only folder)
                partial.unlink(missing_ok=True)
            if mo_path.exists():  # a read-only installation whose catalogue was compiled at install time
                continue
            raise CatalogError(
                f"cannot write {mo_path} ({error.strerror}): compile the catalogues once at install time, as the "
                "user who installed courtpath: python -c 'from courtpath.web.catalogs import compile_catalogs; "
                "compile_catalogs()' (docs/deployment.md)"
            ) from None
        written.append(mo_path)
    return written
