"""Yearbook-wide workbooks: one sheet per indicator, units as rows, years as columns.

The sheet name is the indicator (its code or its Chinese label). Title rows above the header are
allowed; the header row is the first row whose cells include years. Footnote rows (注, 资料来源,
Note, Source ...) after the data are quarantined with a reason, never read as units. Merged cells
in the header make the year of a column ambiguous, so they are an error naming the cells.
"""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

FOOTNOTE_PREFIXES = ("注", "说明", "资料来源", "数据来源", "note", "source", "*")
YEAR_PATTERN = re.compile(r"^(1[89]|20)\d{2}(年)?$")


def _error(path: Path, sheet: str, message: str):
    from cipanel.landing.land import LandingError

    return LandingError(f"{path}, sheet {sheet!r}: {message}")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)  # shortest round-trip form: no digits lost
    return str(value).strip()


def _header_text(value) -> str:
    # Excel stores a typed year as 2015.0
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _text(value)


def _header_row(sheet) -> int | None:
    for row in sheet.iter_rows(min_row=1, max_row=min(sheet.max_row, 20)):
        if any(YEAR_PATTERN.match(_header_text(c.value)) for c in row):
            return row[0].row
    return None


def _is_footnote(first_cell: str, rest: list[str]) -> bool:
    lowered = first_cell.lower()
    return lowered.startswith(FOOTNOTE_PREFIXES) or (len(first_cell) > 15 and not any(rest))


def read_wide_workbook(path: Path) -> list[tuple]:
    book = load_workbook(path, data_only=True)
    rows: list[tuple] = []
    for sheet in book.worksheets:
        name = sheet.title
        header_row = _header_row(sheet)
        if header_row is None:
            raise _error(path, name, "no header row with years (e.g. 2015 or 2015年) in the first 20 rows")
        merged = [str(r) for r in sheet.merged_cells.ranges if r.min_row <= header_row <= r.max_row]
        if merged:
            raise _error(
                path, name,
                f"merged header cells {', '.join(merged)} in row {header_row}: unmerge them so each "
                "year column has its own header cell",
            )
        header = [_header_text(c.value) for c in sheet[header_row]]
        year_cols = [(i, h.rstrip("年")) for i, h in enumerate(header) if YEAR_PATTERN.match(h)]
        for row in sheet.iter_rows(min_row=header_row + 1):
            cells = [_text(c.value) for c in row]
            if not any(cells):
                continue  # blank spacer row
            excel_row = row[0].row
            first, rest = cells[0], [cells[i] if i < len(cells) else "" for i, _ in year_cols]
            if _is_footnote(first, rest):
                rows.append((path.name, name, excel_row, "A", first, "", name, " ".join(cells).strip(),
                             "footnote row in a yearbook sheet"))
                continue
            for i, year in year_cols:
                value = cells[i] if i < len(cells) else ""
                rows.append((path.name, name, excel_row, get_column_letter(i + 1), first, year, name, value, None))
    return rows
