"""The case list as a CSV file for a spreadsheet: UTF-8 with a byte order mark (so Excel reads Cyrillic), every
cell that a spreadsheet would run as a formula neutralised."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from courtpath.web.cases.listing import Row

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def csv_cell(value: object) -> str:
    """The value as text; one that starts like a formula gets a leading apostrophe (OWASP: CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def header() -> list[str]:
    return [
        _("Code"),
        _("Full name"),
        _("Stage"),
        _("Lawyer"),
        _("Article and part"),
        _("Next deadline"),
        _("Opened"),
    ]


def row_cells(row: Row) -> list[str]:
    soonest = row.summary.next_deadline
    deadline = "" if soonest is None else timezone.localtime(soonest.at).strftime("%Y-%m-%d %H:%M")
    cells = [
        row.case.code,
        row.name,
        str(row.case.get_stage_display()),
        row.case.lawyer.username if row.case.lawyer else "",
        row.summary.part,
        deadline,
        timezone.localtime(row.case.created_at).strftime("%Y-%m-%d"),
    ]
    return [csv_cell(cell) for cell in cells]


def csv_text(rows: Iterable[Row]) -> str:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out)
    writer.writerow([csv_cell(cell) for cell in header()])
    for row in rows:
        writer.writerow(row_cells(row))
    return out.getvalue()
