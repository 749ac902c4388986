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

.xlsx/.xlsm files are read with openpyxl, Excel 97-2003 .xls files (still how many yearbook tables
are published) with xlrd; both become the same SheetGrid, so the rules above are one code path.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
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


def header_year(value: object) -> int | None:
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


@dataclass
class SheetGrid:
    """A sheet as the reader sees it, whatever the file format: cell values by (1-based) row,
    merged ranges as (label, first row, last row), and where a formula has no calculated value."""

    title: str
    rows: list[list]
    merged: list[tuple[str, int, int]]
    uncalculated_formula: Callable[[int, int], bool]


def _header_row(grid: SheetGrid) -> int | None:
    for number, values in enumerate(grid.rows[:20], start=1):
        if any(header_year(v) is not None for v in values[1:]):
            return number
    return None


def _is_footnote(first_cell: str, rest: list[str]) -> bool:
    lowered = first_cell.lower()
    return lowered.startswith(FOOTNOTE_PREFIXES) or (len(first_cell) > 15 and not any(rest))


def _is_formula(value) -> bool:
    return isinstance(value, (ArrayFormula, DataTableFormula)) or (isinstance(value, str) and value.startswith("="))


OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"  # the container of Excel 97-2003 .xls files


def _looks_like(path: Path) -> str:
    """What a mislabelled workbook file seems to be, as a clause for the error message."""
    if path.stat().st_size == 0:
        return "the file is empty"
    if zipfile.is_zipfile(path):
        return "it is a zip archive, as an .xlsx workbook is: rename it to .xlsx"
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(OLE_SIGNATURE):
        return "it looks like an Excel 97-2003 workbook: rename it to .xls"
    return "it is not an Excel workbook"


def _open_xlsx(path: Path, data_only: bool):
    from cipanel.landing.land import LandingError

    # an .xlsx is a zip archive; anything else named .xlsx (an old .xls, a CSV, a web page saved
    # by a download) is refused by name rather than with openpyxl's "File is not a zip file"
    if not zipfile.is_zipfile(path):
        raise LandingError(
            f"{path}: not an .xlsx workbook, the file is not a zip archive ({_looks_like(path)}); open it in "
            "Excel or LibreOffice and save it as 'Excel Workbook (.xlsx)'"
        )
    try:
        return load_workbook(path, data_only=data_only)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise LandingError(f"{path}: cannot be read as an .xlsx workbook ({exc}); save it again from Excel") from None


def _xlsx_grids(path: Path) -> list[SheetGrid]:
    book = _open_xlsx(path, data_only=True)  # cached results of formulas
    formulas = _open_xlsx(path, data_only=False)  # the formula text of cells whose cached value is empty
    grids = []
    for sheet in book.worksheets:
        source = formulas[sheet.title]
        grids.append(
            SheetGrid(
                title=sheet.title,
                rows=[list(r) for r in sheet.iter_rows(values_only=True)],
                merged=[(str(r), r.min_row, r.max_row) for r in sheet.merged_cells.ranges],
                uncalculated_formula=lambda row, col, source=source: _is_formula(
                    source.cell(row=row, column=col).value
                ),
            )
        )
    return grids


def _xls_value(cell, datemode):
    import xlrd

    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        # .xls stores every number as a double; an integral one reads as .xlsx gives it (2015, not 2015.0)
        return int(cell.value) if cell.value.is_integer() and abs(cell.value) < 2**53 else cell.value
    if cell.ctype == xlrd.XL_CELL_DATE:
        return xlrd.xldate_as_datetime(cell.value, datemode)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#ERROR")  # e.g. #DIV/0!: a non-numeric value
    return cell.value


def _xls_grids(path: Path) -> list[SheetGrid]:
    """Excel 97-2003 workbooks through xlrd (the maintained reader of the format). An .xls file
    always stores the calculated result of its formulas, so none is uncalculated."""
    import xlrd

    from cipanel.landing.land import LandingError

    with path.open("rb") as handle:
        if not handle.read(8).startswith(OLE_SIGNATURE):
            raise LandingError(
                f"{path}: not an Excel 97-2003 .xls workbook ({_looks_like(path)}); or open it in "
                "Excel or LibreOffice and save it as 'Excel Workbook (.xlsx)'"
            )
    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except (xlrd.XLRDError, xlrd.compdoc.CompDocError, AssertionError, OSError, ValueError) as exc:
        raise LandingError(
            f"{path}: cannot be read as an .xls workbook ({exc}); open it in Excel or LibreOffice "
            "and save it as 'Excel Workbook (.xlsx)'"
        ) from None
    try:
        grids = []
        for sheet in book.sheets():
            grids.append(
                SheetGrid(
                    title=sheet.name,
                    rows=[[_xls_value(c, book.datemode) for c in sheet.row(r)] for r in range(sheet.nrows)],
                    merged=[
                        (f"{get_column_letter(clo + 1)}{rlo + 1}:{get_column_letter(chi)}{rhi}", rlo + 1, rhi)
                        for rlo, rhi, clo, chi in sheet.merged_cells
                    ],
                    uncalculated_formula=lambda row, col: False,
                )
            )
        return grids
    finally:
        book.release_resources()


def _read_sheet(path: Path, grid: SheetGrid) -> list[tuple]:
    name = grid.title
    header_row = _header_row(grid)
    if header_row is None:
        raise _error(path, name, "no header row with years (e.g. 2015 or 2015年) in the first 20 rows")
    merged = [label for label, first, last in grid.merged if first <= header_row <= last]
    if merged:
        raise _error(
            path,
            name,
            f"merged header cells {', '.join(merged)} in row {header_row}: unmerge them so each "
            "year column has its own header cell",
        )
    header = grid.rows[header_row - 1]
    years = {i: header_year(v) for i, v in enumerate(header) if i > 0}
    year_cols = [(i, str(y)) for i, y in years.items() if y is not None]
    rows: list[tuple] = []
    # (row, column) of cells with no value: an uncalculated formula there is an error (checked below)
    empty_cells = [(header_row, i + 1) for i, v in enumerate(header) if v is None]
    for excel_row, values in enumerate(grid.rows[header_row:], start=header_row + 1):
        cells = [_text(v) for v in values]
        if not any(cells):
            empty_cells.extend((excel_row, i + 1) for i in range(len(cells)))
            continue  # blank spacer row (unless its cells are uncalculated formulas: checked below)
        first, rest = cells[0], [cells[i] if i < len(cells) else "" for i, _ in year_cols]
        if _is_footnote(first, rest):
            rows.append(
                (
                    path.name,
                    name,
                    excel_row,
                    "A",
                    first,
                    "",
                    name,
                    " ".join(cells).strip(),
                    "footnote row in a yearbook sheet",
                )
            )
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
                if not head
                else f"column {letter} header {head!r} (row {header_row}) is not a year: not read "
                "(write the year as 2018 or 2018年, or delete the column)"
            )
            rows.append((path.name, name, excel_row, letter, first, head, name, cell, reason))
    uncached = [f"{get_column_letter(col)}{row}" for row, col in empty_cells if grid.uncalculated_formula(row, col)]
    if uncached:
        listed = ", ".join(uncached[:MAX_LISTED_CELLS]) + (" ..." if len(uncached) > MAX_LISTED_CELLS else "")
        raise _error(
            path,
            name,
            f"{len(uncached)} formula cell(s) with no calculated value ({listed}): the file was saved by a "
            "program that does not calculate formulas, so their results are unknown (not missing). Open it in "
            "Excel or LibreOffice and save it, or paste the values",
        )
    return rows


def read_wide_workbook(path: Path) -> list[tuple]:
    grids = _xls_grids(path) if path.suffix.lower() == ".xls" else _xlsx_grids(path)
    rows: list[tuple] = []
    for grid in grids:
        rows.extend(_read_sheet(path, grid))
    return rows
