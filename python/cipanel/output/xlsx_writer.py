"""Excel tables: one sheet per table, numbers stored as numbers with the printed display format,
columns fitted to their text, and a print setup (A4, fit to one page wide, header rows repeated).

Stars go in a narrow text cell right of each number (right-aligned number, left-aligned stars), so
the printed table reads `0.640***` while the cell keeps the number 0.64 for re-use: a star suffix in
a number format would hide the stars from copy-paste and formulas, and a text cell `0.640***`
cannot be computed with. The numbers are the printed (rounded) values; the per-table workbook's
`raw` sheet keeps full precision."""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from cipanel.output.deterministic import FIXED_DATE, normalize_office_zip
from cipanel.output.text_metrics import is_cjk

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

if TYPE_CHECKING:
    from cipanel.output.regression_tables import Grid

NUMBER = re.compile(r"^(?P<open>\(?)(?P<num>-?\d+(?:\.(?P<frac>\d+))?(?P<exp>e[+-]?\d+)?)(?P<close>\)?)(?P<stars>\**)$")
FONT = "Times New Roman"
FONT_PT = 10.5


def parse_cell(text: str) -> tuple[float | int | str, str, str]:
    """(value, number format, stars) of a printed cell; text stays text with format '@'."""
    m = NUMBER.match(text.strip())
    if not m or bool(m["open"]) != bool(m["close"]):
        return text, "@", ""
    frac = len(m["frac"] or "")
    if m["exp"]:
        fmt = "0." + "0" * frac + "E+00"
    else:
        fmt = "0" + ("." + "0" * frac if frac else "")
    if m["open"]:
        fmt = f"({fmt});(-{fmt})"  # parentheses as literals, the minus inside them
    value: float | int = float(m["num"])
    if not frac and not m["exp"]:
        value = int(m["num"])
    return value, fmt, m["stars"]


def _missing(v) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def display_width(text: str) -> float:
    """Excel column width units (width of '0' in the default font) the text needs."""
    return sum(2.1 if is_cjk(ch) else 1.15 for ch in text)


def _star_columns(g: Grid) -> list[bool]:
    return [j > 0 and any(parse_cell(r[j])[2] for r in g.body) for j in range(g.n_cols)]


def _styler() -> Callable[..., None]:
    """style(cell, key, make): the cell gets the style make() describes ({attribute: value}, set in
    that order), or, when `key` was styled before in this sheet, a copy of that cell's style
    indices. openpyxl hashes every style object it is given to find its index (most of the time of
    a sheet); equal styles get equal indices in the same first-use order, so the file is the same."""
    from copy import copy

    done: dict[Hashable, Any] = {}

    def style(cell, key: Hashable, make: Callable[[], dict[str, Any]]) -> None:
        if key in done:
            cell._style = copy(done[key])
            return
        for name, value in make().items():
            setattr(cell, name, value)
        done[key] = copy(cell._style)

    return style


def write_sheet(ws: Worksheet, g: Grid, landscape: bool) -> None:
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    style = _styler()

    stars = _star_columns(g)
    first = []  # first sheet column of each grid column
    col = 1
    for j in range(g.n_cols):
        first.append(col)
        col += 2 if stars[j] else 1
    n_sheet = col - 1
    last_of = [first[j] + (1 if stars[j] else 0) for j in range(g.n_cols)]
    font, bold = Font(name=FONT, size=FONT_PT), Font(name=FONT, size=FONT_PT, bold=True)
    thick, thin = Side(style="medium"), Side(style="thin")
    widths = [0.0] * (n_sheet + 1)

    ws.cell(1, 1, g.title).font = bold
    if n_sheet > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n_sheet)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    from cipanel.output.regression_tables import _span_rules, _starts

    partial = _span_rules(g)
    nh = len(g.header)
    for i, row in enumerate(g.header):
        r = 2 + i
        for (text, span), start in zip(row, _starts(row), strict=True):
            c0, c1 = first[start], last_of[start + span - 1]
            cell = ws.cell(r, c0, text)
            if c1 > c0:
                ws.merge_cells(start_row=r, start_column=c0, end_row=r, end_column=c1)
            if span == 1 and start == 0:
                widths[1] = max(widths[1], display_width(text))
            for c in range(c0, c1 + 1):
                rule = i == nh - 1 or start in partial[i]
                style(
                    ws.cell(r, c),
                    ("header", c == c0, i == 0, rule, start == 0),
                    lambda c=c, c0=c0, i=i, rule=rule, start=start: {
                        **({"number_format": "@"} if c == c0 else {}),
                        "border": Border(top=thick if i == 0 else None, bottom=thin if rule else None),
                        "font": font,
                        "alignment": Alignment(horizontal="left" if start == 0 else "center", vertical="bottom"),
                    },
                )
            if span == 1 and start > 0:  # header width over the number (+ stars) columns
                need = display_width(text) - (widths[c1] if c1 > c0 else 0)
                widths[c0] = max(widths[c0], need)
    last_row = 1 + nh + len(g.body)

    def left_text(bottom: Side | None) -> dict[str, object]:  # the stub column and the stars columns
        return {
            "font": font,
            "border": Border(bottom=bottom),
            "number_format": "@",
            "alignment": Alignment(horizontal="left"),
        }

    for i, row in enumerate(g.body):
        r = 2 + nh + i
        bottom = thick if r == last_row else None
        last = bottom is not None
        for j, text in enumerate(row):
            c = first[j]
            cell = ws.cell(r, c)
            if j == 0:
                cell.value = text
                style(cell, ("left text", last), lambda bottom=bottom: left_text(bottom))
                widths[c] = max(widths[c], display_width(text))
                continue
            value, fmt, star = parse_cell(text)
            cell.value = value if value != "" else None
            side = "right" if stars[j] else "center"
            style(
                cell,
                ("number", last, fmt, side),
                lambda fmt=fmt, side=side, bottom=bottom: {
                    "font": font,
                    "border": Border(bottom=bottom),
                    "number_format": fmt,
                    "alignment": Alignment(horizontal=side),
                },
            )
            widths[c] = max(widths[c], display_width(text[: len(text) - len(star)]))
            if stars[j]:
                sc = ws.cell(r, c + 1, star or None)
                style(sc, ("left text", last), lambda bottom=bottom: left_text(bottom))
                widths[c + 1] = max(widths[c + 1], display_width("***"))
    for k, note in enumerate(g.notes):
        r = last_row + 1 + k
        ws.cell(r, 1, (g.note_prefix if k == 0 else "") + note).font = Font(name=FONT, size=9)
    star_cols = {first[j] + 1 for j in range(g.n_cols) if stars[j]}
    for c in range(1, n_sheet + 1):
        pad = 0.5 if c in star_cols else 2
        ws.column_dimensions[get_column_letter(c)].width = round(max(widths[c], 1) + pad, 2)
    last_col = get_column_letter(n_sheet)
    ws.print_area = f"A1:{last_col}{last_row + len(g.notes)}"
    ws.print_title_rows = f"1:{1 + nh}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.sheet_view.showGridLines = False


def _workbook():
    from openpyxl import Workbook

    wb = Workbook()
    wb.properties.creator = wb.properties.lastModifiedBy = "cipanel"
    wb.properties.created = wb.properties.modified = FIXED_DATE
    return wb


def _sheet_name(table_id: str, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "_", table_id)[:31] or "table"
    base, k = name, 2
    while name.lower() in used:
        name = f"{base[:28]}_{k}"
        k += 1
    used.add(name.lower())
    return name


def to_xlsx(g: Grid, path: Path, landscape: bool = False) -> Path:
    """One table: sheet `table` as printed, sheet `raw` with the numbers at full precision."""
    from openpyxl.styles import Font

    wb = _workbook()
    ws = wb.active
    ws.title = "table"
    write_sheet(ws, g, landscape)
    raw = wb.create_sheet("raw")
    raw.append([str(c) for c in g.raw.columns])
    for c in raw[1]:
        c.font = Font(bold=True)
    for rec in g.raw.itertuples(index=False):
        raw.append([None if _missing(v) else v.item() if hasattr(v, "item") else v for v in rec])
    wb.save(path)
    normalize_office_zip(path)
    return Path(path)


def to_xlsx_workbook(grids: list[Grid], path: Path, landscape: list[bool] | None = None) -> Path:
    """Every table of a study, one sheet each, in order (sheet names are the table ids)."""
    wb = _workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for k, g in enumerate(grids):
        write_sheet(wb.create_sheet(_sheet_name(g.table_id, used)), g, bool(landscape and landscape[k]))
    wb.save(path)
    normalize_office_zip(path)
    return Path(path)
