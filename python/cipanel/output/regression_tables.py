"""Regression tables in the layout of Chinese journals, written as Markdown, LaTeX, Word, Excel
and CSV from one cell grid.

Why not maketables: it can take FitResult (register_extractor with a small extractor works), but
its output does not match the paper's layout, so every format is rendered here from a `Grid`:
- coefficient cells take one fixed format spec per token ('.3f' or '.2e'), so a column mixing
  0.640, 0.0118 and 4.94e-06 cannot be printed esttab-style (4.94e-06 becomes 0.000);
- the bottom block is fixed as coefficients -> fixed-effect markers -> stats, with no Controls
  row before the FE rows, and its FE rows come from a fixef string, not from our flags;
- Word and LaTeX merge equal adjacent labels at every header level, so the outcome row
  "res res res res" of Table 2 collapses into one spanning cell;
- LaTeX cells are not escaped (`_cons` breaks compilation) and notes go into a minipage, not
  threeparttable's tablenotes; Word sets only the Latin font (no 宋体 for East Asian text);
- there is no Markdown, Excel or CSV output.
DTable computes statistics from raw data; DescriptiveTable already holds them, so it does not
apply either (see descriptive_tables.py).
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cipanel.output.labels import check_lang, definition, fixed, r2_label, row_label
from cipanel.study.tables import DescriptiveTable, ModelColumn, RegressionTable

Span = tuple[str, int]  # header cell text and how many grid columns it covers


@dataclass
class Grid:
    """A table as printed: header rows of spanning cells, body rows of strings (first = stub)."""

    table_id: str
    title: str
    header: list[list[Span]]
    body: list[list[str]]
    notes: list[str] = field(default_factory=list)
    raw: pd.DataFrame = field(default_factory=pd.DataFrame)  # the numbers behind the cells
    note_prefix: str = "注："

    @property
    def n_cols(self) -> int:
        return sum(span for _, span in self.header[0])


# ---------------------------------------------------------------- numbers


def fmt_num(x: float | None, decimals: int = 3, sig_below: float = 1.0,
            max_decimals: int = 8) -> str:
    """esttab-like: `decimals` decimals, but below `sig_below` keep `decimals` significant
    digits (0.0118, 0.00000343) so tiny coefficients do not print as 0.000; beyond
    `max_decimals` switch to exponent notation (6.21e-07)."""
    if x is None or not math.isfinite(x):
        return ""
    dec = decimals
    if 0 < abs(x) < sig_below:
        dec = max(decimals, decimals - 1 - math.floor(math.log10(abs(x))))
    if dec > max_decimals:
        return f"{x:.{decimals - 1}e}"
    s = f"{x:.{dec}f}"
    return s[1:] if s.startswith("-") and float(s) == 0 else s


def stars(p: float | None) -> str:
    if p is None or not math.isfinite(p):
        return ""
    return "***" if p < 0.01 else "**" if p < 0.05 else "*" if p < 0.10 else ""


def _spans(texts: list[str]) -> list[Span]:
    """Merge equal adjacent non-empty header texts (a heterogeneity group over its columns)."""
    out: list[Span] = []
    for t in texts:
        if t and out and out[-1][0] == t:
            out[-1] = (t, out[-1][1] + 1)
        else:
            out.append((t, 1))
    return out


# ---------------------------------------------------------------- regression grid


def _cells(col: ModelColumn, term: str, stat: str) -> tuple[str, str]:
    r = col.result
    if term not in r.params.index or not math.isfinite(float(r.params[term])):
        return "", ""
    p = float(r.pvalues.get(term, math.nan))
    coef = fmt_num(float(r.params[term])) + stars(p)
    x = float((r.tstats if stat == "t" else r.std_errors).get(term, math.nan))
    if not math.isfinite(x):
        return coef, ""
    return coef, f"({x:.2f})" if stat == "t" else f"({fmt_num(x)})"


def regression_grid(table: RegressionTable, lang: str = "zh") -> Grid:
    check_lang(lang)
    if table.stat not in ("t", "se"):
        raise ValueError(f"RegressionTable.stat must be 't' or 'se', not {table.stat!r}")
    cols, lab = table.columns, table.labels
    header: list[list[Span]] = []
    if any(c.group for c in cols):
        header.append([("", 1), *_spans([c.group for c in cols])])
    header.append([("", 1), *_spans([c.name for c in cols])])
    if any(c.title for c in cols):
        header.append([("", 1), *[(c.title, 1) for c in cols]])
    header[-1][0] = (fixed("variable", lang), 1)

    body: list[list[str]] = []
    for term in table.keep:
        pairs = [_cells(c, term, table.stat) for c in cols]
        body.append([lab.get(term, term), *[a for a, _ in pairs]])
        body.append(["", *[b for _, b in pairs]])
    yes, no = fixed("yes", lang), fixed("no", lang)
    for key in ("controls", "year_fe", "unit_fe"):  # ModelColumn flags of the same names
        body.append([lab.get(key, fixed(key, lang)), *[yes if getattr(c, key) else no for c in cols]])
    body.append([lab.get("N", fixed("N", lang)), *[str(c.result.nobs) for c in cols]])
    # one R² row per printed label (an IV table may mix first- and second-stage R²)
    r2 = {i: r2_label(c.result.r_squared_label, lang, lab)
          for i, c in enumerate(cols) if c.result.r_squared is not None}
    for short in dict.fromkeys(r2.values()):
        body.append([short, *[fmt_num(c.result.r_squared, sig_below=0.001)
                              if r2.get(i) == short else "" for i, c in enumerate(cols)]])
    # extra rows after R², as in the paper's IV table (Table 3)
    for key in dict.fromkeys(k for c in cols for k in c.extra_rows):
        body.append([row_label(key, lang, lab), *[c.extra_rows.get(key, "") for c in cols]])

    notes = [fixed("note_stars", lang), fixed("note_t" if table.stat == "t" else "note_se", lang)]
    cov = {(c.result.cov_type, c.result.n_clusters) for c in cols}
    if len(cov) == 1 and (only := cov.pop())[0]:
        extra = fixed("note_clusters", lang).format(n=only[1]) if only[1] else ""
        notes.append(fixed("note_cov", lang).format(cov=definition(only[0], lang) + extra))
    for i, short in r2.items():  # say which R² (METHODS.md: within as reghdfe or as xtreg)
        raw = cols[i].result.r_squared_label
        note = fixed("note_r2", lang).format(label=short, raw=definition(raw, lang))
        if raw and raw not in (short, "R2") and note not in notes:
            notes.append(note)
    notes += table.notes

    raw_rows = [{"column": c.name, "title": c.title, "group": c.group, "term": t,
                 "estimate": c.result.params[t], "se": c.result.std_errors.get(t),
                 "t": c.result.tstats.get(t), "p": c.result.pvalues.get(t)}
                for c in cols for t in c.result.params.index]
    return Grid(table.table_id, table.title, header, body, notes, pd.DataFrame(raw_rows),
                fixed("note_prefix", lang))


# ---------------------------------------------------------------- renderers


def _flat(row: list[Span]) -> list[str]:
    """Header row as one string per grid column: text in the first spanned column."""
    return [x for text, span in row for x in [text] + [""] * (span - 1)]


def _starts(row: list[Span]) -> list[int]:
    """0-based first grid column of each header cell."""
    return [sum(span for _, span in row[:k]) for k in range(len(row))]


def _span_rules(g: Grid) -> list[set[int]]:
    """Per header row, the start columns of spanning labels that get a short rule below
    (\\cmidrule), unless the row below spans the same columns (no double rule)."""
    rows = [list(zip(_starts(r), r, strict=True)) for r in g.header]
    below = [{(c, s) for c, (_, s) in row} for row in rows[1:]] + [set()]
    return [{c for c, (text, s) in row if s > 1 and text and (c, s) not in below[i]}
            for i, row in enumerate(rows)]


def _md_escape(s: str) -> str:
    for ch in "\\*_|`":
        s = s.replace(ch, "\\" + ch)
    return s


def to_markdown(g: Grid) -> str:
    # pipe tables have one header row: stack the header levels of each column with <br>
    levels = [[t for text, span in row for t in [text] * span] for row in g.header]
    head = ["<br>".join(_md_escape(lv[j]) for lv in levels if lv[j]) for j in range(g.n_cols)]
    lines = [f"**{_md_escape(g.title)}**", "",
             "| " + " | ".join(head) + " |",
             "|" + "|".join([":---"] + [":---:"] * (g.n_cols - 1)) + "|"]
    lines += ["| " + " | ".join(_md_escape(c) for c in row) + " |" for row in g.body]
    for i, note in enumerate(g.notes):
        lines += ["", _md_escape((g.note_prefix if i == 0 else "") + note)]
    return "\n".join(lines) + "\n"


_TEX = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
        "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}", "<": r"\textless{}", ">": r"\textgreater{}",
        "²": r"\textsuperscript{2}"}


def tex_escape(s: str) -> str:
    return "".join(_TEX.get(ch, ch) for ch in s)


def to_latex(g: Grid) -> str:
    label = re.sub(r"[^A-Za-z0-9:.-]", "-", g.table_id)  # \\label takes no escapes
    out = [f"% Table {g.table_id} from cipanel.output; needs booktabs and threeparttable.",
           "% Chinese text: compile with xelatex and \\usepackage{ctex} (or ctexart).",
           r"\begin{table}[htbp]", r"\centering", r"\begin{threeparttable}",
           f"\\caption{{{tex_escape(g.title)}}}", f"\\label{{tab:{label}}}",
           f"\\begin{{tabular}}{{l{'c' * (g.n_cols - 1)}}}", r"\toprule"]
    for row, rule_at in zip(g.header, _span_rules(g), strict=True):
        cells = [f"\\multicolumn{{{span}}}{{c}}{{{tex_escape(text)}}}" if span > 1
                 else tex_escape(text) for text, span in row]
        out.append(" & ".join(cells) + r" \\")
        rules = [f"\\cmidrule(lr){{{c + 1}-{c + span}}}"
                 for c, (_, span) in zip(_starts(row), row, strict=True) if c in rule_at]
        if rules:
            out.append(" ".join(rules))
    out.append(r"\midrule")
    out += [" & ".join(tex_escape(c) for c in row) + r" \\" for row in g.body]
    out += [r"\bottomrule", r"\end{tabular}"]
    if g.notes:
        out += [r"\begin{tablenotes}[flushleft]", r"\footnotesize"]
        out += [f"\\item {tex_escape((g.note_prefix if i == 0 else '') + n)}"
                for i, n in enumerate(g.notes)]
        out.append(r"\end{tablenotes}")
    out += [r"\end{threeparttable}", r"\end{table}"]
    return "\n".join(out) + "\n"


def _docx_font(run, size: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name, run.font.size, run.font.bold = "Times New Roman", Pt(size), bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")


def _docx_borders(cell, top: int | None, bottom: int | None) -> None:
    """Cell rules in eighths of a point; three-line = thick top, thin under header, thick end."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:tcBorders")
    for edge, sz in (("top", top), ("bottom", bottom)):
        if sz:
            el = OxmlElement(f"w:{edge}")
            for k, v in (("val", "single"), ("sz", str(sz)), ("space", "0"), ("color", "000000")):
                el.set(qn(f"w:{k}"), v)
            borders.append(el)
    if len(borders):
        cell._tc.get_or_add_tcPr().append(borders)


def to_docx(g: Grid, path: Path) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = Document()
    cap = doc.add_paragraph()
    cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _docx_font(cap.add_run(g.title), 10.5, bold=True)
    nh = len(g.header)
    table = doc.add_table(rows=nh + len(g.body), cols=g.n_cols)  # no style: no grid lines
    for i, row in enumerate(g.header):
        col = 0
        for text, span in row:
            cell = table.cell(i, col)
            if span > 1:
                cell = cell.merge(table.cell(i, col + span - 1))
            cell.text = text
            col += span
    # row.cells once per row: table.cell(i, j) rescans the whole grid on every call (O(n^2))
    for docx_row, row in zip(table.rows[nh:], g.body):
        for cell, text in zip(docx_row.cells, row):
            cell.text = text
    last, partial = nh + len(g.body) - 1, _span_rules(g)
    for i, row in enumerate(table.rows):
        seen: set = set()
        for j, cell in enumerate(row.cells):
            if cell._tc in seen:  # a merged cell repeats in row.cells
                continue
            seen.add(cell._tc)
            thin = i == nh - 1 or (i < nh and j in partial[i])
            _docx_borders(cell, 12 if i == 0 else None, 4 if thin else 12 if i == last else None)
            for par in cell.paragraphs:
                par.alignment = WD_ALIGN_PARAGRAPH.LEFT if j == 0 else WD_ALIGN_PARAGRAPH.CENTER
                par.paragraph_format.space_before = par.paragraph_format.space_after = 0
                for run in par.runs:
                    _docx_font(run, 10.5)
    for i, note in enumerate(g.notes):
        _docx_font(doc.add_paragraph().add_run((g.note_prefix if i == 0 else "") + note), 9)
    doc.save(str(path))


def to_xlsx(g: Grid, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = Workbook()
    ws = wb.active
    ws.title = "table"
    ws.cell(1, 1, g.title).font = Font(bold=True)
    thick, thin = Side(style="medium"), Side(style="thin")
    rows = [(r, True) for r in g.header] + [([(c, 1) for c in r], False) for r in g.body]
    last, partial = len(rows) + 1, _span_rules(g)
    for i, (row, is_head) in enumerate(rows, start=2):
        col = 1
        for text, span in row:
            cell = ws.cell(i, col, text)
            cell.number_format = "@"  # text as printed, so "0.00160" keeps its zeros
            if span > 1:
                ws.merge_cells(start_row=i, start_column=col, end_row=i, end_column=col + span - 1)
            col += span
        for j in range(1, g.n_cols + 1):
            cell = ws.cell(i, j)
            cell.font = Font(bold=is_head)
            cell.alignment = Alignment(horizontal="left" if j == 1 else "center")
            in_span = is_head and any(c <= j - 1 < c + span for c, (_, span)
                                      in zip(_starts(row), row, strict=True) if c in partial[i - 2])
            bottom = thin if i == len(g.header) + 1 or in_span else thick if i == last else None
            cell.border = Border(top=thick if i == 2 else None, bottom=bottom)
    for k, note in enumerate(g.notes):
        ws.cell(last + 1 + k, 1, (g.note_prefix if k == 0 else "") + note)
    ws.column_dimensions["A"].width = max([12, *(2 * len(r[0]) for r in g.body)])
    raw = wb.create_sheet("raw")
    raw.append([str(c) for c in g.raw.columns])
    for c in raw[1]:
        c.font = Font(bold=True)
    for rec in g.raw.itertuples(index=False):
        raw.append([None if (isinstance(v, float) and math.isnan(v)) else v for v in rec])
    wb.save(path)


def to_csv(g: Grid, path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8-sig") as f:  # BOM: Excel reads UTF-8 CJK
        w = csv.writer(f)
        w.writerows([_flat(r) for r in g.header] + g.body)


def write_grid(g: Grid, out_dir: Path) -> dict[str, Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {ext: out_dir / f"{g.table_id}.{ext}" for ext in ("md", "tex", "docx", "xlsx", "csv")}
    paths["md"].write_text(to_markdown(g), encoding="utf-8")
    paths["tex"].write_text(to_latex(g), encoding="utf-8")
    to_docx(g, paths["docx"])
    to_xlsx(g, paths["xlsx"])
    to_csv(g, paths["csv"])
    return paths


def write_table(table: RegressionTable | DescriptiveTable, out_dir: Path,
                lang: str = "zh") -> dict[str, Path]:
    """Write <table_id>.md/.tex/.docx/.xlsx/.csv; returns {extension: path}."""
    from cipanel.output.descriptive_tables import descriptive_grid

    if isinstance(table, RegressionTable):
        return write_grid(regression_grid(table, lang), out_dir)
    if isinstance(table, DescriptiveTable):
        return write_grid(descriptive_grid(table, lang), out_dir)
    raise TypeError(f"cannot write {type(table).__name__}")
