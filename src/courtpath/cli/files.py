"""Reading a file named on the command line: one-line reasons (ValueError) for a missing file, a folder, or text
that is not UTF-8, which courtpath.cli.main.run prints with exit code 2."""

from __future__ import annotations

from pathlib import Path


def read_text(path: Path) -> str:
    if not path.exists():
        raise ValueError(f"{path}: no such file")
    if not path.is_file():
        raise ValueError(f"{path}: not a file")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not UTF-8 text") from None
