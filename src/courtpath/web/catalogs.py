"""Compile the Django gettext catalogues (locale/<lang>/LC_MESSAGES/django.po) with Babel: no GNU gettext needed."""

from __future__ import annotations

from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def compile_catalogs(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Write django.mo beside every django.po that is newer than its .mo; returns what was written."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/django.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=po_path.parent.parent.name)
        try:
            with mo_path.open("wb") as handle:
                write_mo(handle, catalog, use_fuzzy=False)
        except OSError as error:  # PermissionError, or EROFS under systemd's ProtectSystem=strict
            if mo_path.exists():  # a read-only installation whose catalogue was compiled at install time
                continue
            raise RuntimeError(
                f"cannot write {mo_path} ({error.strerror}): compile the catalogues once at install time, as the "
                "user who installed courtpath: python -c 'from courtpath.web.catalogs import compile_catalogs; "
                "compile_catalogs()' (docs/deployment.md)"
            ) from None
        written.append(mo_path)
    return written
