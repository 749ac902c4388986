"""Yearbook-wide workbooks: one sheet per indicator, units as rows, years as columns.

The sheet name is the indicator (its code or its Chinese label). Title rows above the header are
allowed; the header row is the first row whose cells include years. Footnote rows (注, 资料来源,
Note, Source ...) after the data are quarantined with a reason, never read as units. Merged cells
in the header make the year of a column ambiguous, so they are an error naming the cells.

Every cell below the header is accounted for: a cell of a year column is a landed value; a
non-empty cell of a column whose header is not a year (or is empty) is landed as a rejected row
naming its cell, so a column that cannot be read is a counted loss, never a silent one. A formula
whose result was never calculated (openpyxl reads cached results only) is an error naming its
cells: read as empty it would be interpolated as if the value were missing.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

FOOTNOTE_PREFIXES = ("注", "说明", "资料来源", "数据来源", "note", "source", "*")
# a header year as yearbooks write it: 2018, 2018年, 2018年度, 2018年末, or 2018.0 typed as text
YEAR_PATTERN = re.compile(r"^((?:1[89]|20)\d{2})(?:\.0+)?\s*(?:年|年度|年末|年底)?$")
MAX_LISTED_CELLS = 10


def _error(path: Path, sheet: str, message: str):
    from cipanel.landing.land import LandingError

    return LandingError(f"{path}, sheet {sheet!r}: {message}")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)  # shortest round-trip form: no digits lost
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value).strip()


def header_year(value) -> int | None:
    """The year a header cell stands for, or None. Excel stores a typed year as 2018.0 and turns
    some typed years into dates; both are read as the year."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (dt.datetime, dt.date)):
        return value.year
    if isinstance(value, float):
        value = int(value) if value.is_integer() else value
    if isinstance(value, int):
        return value if 1800 <= value <= 2099 else None
    match = YEAR_PATTERN.match(_text(value))
    return int(match.group(1)) if match else None


def _header_row(sheet) -> int | None:
    for row in sheet.iter_rows(min_row=1, max_row=min(sheet.max_row, 20)):
        if any(header_year(c.value) is not None for c in row[1:]):
            return row[0].row
    return None


def _is_footnote(first_cell: str, rest: list[str]) -> bool:
    lowered = first_cell.lower()
    return lowered.startswith(FOOTNOTE_PREFIXES) or (len(first_cell) > 15 and not any(rest))


def _is_formula(value) -> bool:
    return isinstance(value, (ArrayFormula, DataTableFormula)) or (isinstance(value, str) and value.startswith("="))


def _open(path: Path, data_only: bool):
    from cipanel.landing.land import LandingError

    # an .xlsx is a zip archive; anything else named .xlsx (an old .xls, a CSV, a web page saved
    # by a download) is refused by name rather than with openpyxl's "File is not a zip file"
    if not zipfile.is_zipfile(path):
        with path.open("rb") as handle:
            head = handle.read(8)
        kind = "an old Excel 97-2003 .xls workbook" if head.startswith(b"\xd0\xcf\x11\xe0") else "not an Excel workbook"
        raise LandingError(
            f"{path}: not an .xlsx workbook (the file is not a zip archive; it looks like {kind}): open it in "
            "Excel or LibreOffice and save it as 'Excel Workbook (.xlsx)', or give it its real extension"
        )
    try:
        return load_workbook(path, data_only=data_only)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise LandingError(f"{path}: cannot be read as an .xlsx workbook ({exc}); save it again from Excel") from None


def _uncached_formulas(formulas_sheet, cells: list[tuple[int, int]]) -> list[str]:
    found = []
    for row, col in cells:
        if _is_formula(formulas_sheet.cell(row=row, column=col).value):
            found.append(f"{get_column_letter(col)}{row}")
    return found


def _read_sheet(path: Path, sheet, formulas_sheet) -> list[tuple]:
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
    header = [c.value for c in sheet[header_row]]
    years = {i: header_year(v) for i, v in enumerate(header) if i > 0}
    year_cols = [(i, str(y)) for i, y in years.items() if y is not None]
    rows: list[tuple] = []
    # (row, column) of cells with no value: an uncalculated formula there is an error (checked below)
    empty_cells = [(header_row, i + 1) for i, v in enumerate(header) if v is None]
    for row in sheet.iter_rows(min_row=header_row + 1):
        values = [c.value for c in row]
        cells = [_text(v) for v in values]
        if not any(cells):
            empty_cells.extend((row[0].row, i + 1) for i in range(len(cells)))
            continue  # blank spacer row (unless its cells are uncalculated formulas: checked below)
        excel_row = row[0].row
        first, rest = cells[0], [cells[i] if i < len(cells) else "" for i, _ in year_cols]
        if _is_footnote(first, rest):
            rows.append((path.name, name, excel_row, "A", first, "", name, " ".join(cells).strip(),
                         "footnote row in a yearbook sheet"))
            continue
        empty_cells.extend((excel_row, i + 1) for i, v in enumerate(values) if v is None)
        for i, year in year_cols:
            value = cells[i] if i < len(cells) else ""
            rows.append((path.name, name, excel_row, get_column_letter(i + 1), first, year, name, value, None))
        for i, cell in enumerate(cells):
            if i == 0 or not cell or years.get(i) is not None:
                continue
            letter, head = get_column_letter(i + 1), _text(header[i]) if i < len(header) else ""
            reason = (
                f"column {letter} has no header in row {header_row}: not read (give it a year header or delete it)"
                if not head else
                f"column {letter} header {head!r} (row {header_row}) is not a year: not read "
                "(write the year as 2018 or 2018年, or delete the column)"
            )
            rows.append((path.name, name, excel_row, letter, first, head, name, cell, reason))
    uncached = _uncached_formulas(formulas_sheet, empty_cells)
    if uncached:
        listed = ", ".join(uncached[:MAX_LISTED_CELLS]) + (" ..." if len(uncached) > MAX_LISTED_CELLS else "")
        raise _error(
            path, name,
            f"{len(uncached)} formula cell(s) with no calculated value ({listed}): the file was saved by a "
            "program that does not calculate formulas, so their results are unknown (not missing). Open it in "
            "Excel or LibreOffice and save it, or paste the values",
        )
    return rows


def read_wide_workbook(path: Path) -> list[tuple]:
    book = _open(path, data_only=True)
    formulas = _open(path, data_only=False)  # the formula text of cells whose cached value is empty
    rows: list[tuple] = []
    for sheet in book.worksheets:
        rows.extend(_read_sheet(path, sheet, formulas[sheet.title]))
    return rows
