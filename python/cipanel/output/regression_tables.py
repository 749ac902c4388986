"""Regression tables in the layout of Chinese journals, written as Markdown, LaTeX, Word, Excel
and CSV from one cell grid (Word in docx_writer, Excel in xlsx_writer, notes in notes).

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

from cipanel.output.labels import check_lang, fixed, r2_label, row_label
from cipanel.output.notes import (
    column_title,
    few_cluster_columns,
    r2_notes,
    se_notes,
    stock_yogo_note,
    stock_yogo_rows,
    table_notes,
)
from cipanel.output.table_format import TableFormat, fmt_p, fmt_pair, format_stat, stars, stars_note
from cipanel.study.tables import DescriptiveTable, ModelColumn, RegressionTable

Span = tuple[str, int]  # header cell text and how many grid columns it covers
YEAR_DUMMY = re.compile(r"^(yr|year_?)\d{4}$")  # year dummies as regressors (estimators.gmm.year_dummies)
COMBINED = {"ar1": ("ar1_z", "ar1_p"), "ar2": ("ar2_z", "ar2_p"), "hansen": ("hansen_j", "hansen_p")}


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
    few_clusters: list[str] = field(default_factory=list)  # columns with < MIN_CLUSTERS clusters
    wrap_cols: tuple[int, ...] = (0,)  # text columns that may wrap onto a second line in Word

    def __post_init__(self) -> None:
        # every cell is text: a missing catalog entry (a custom index without units or labels)
        # prints empty in every format, never as None
        self.body = [
            ["" if c is None or (isinstance(c, float) and c != c) else str(c) for c in row] for row in self.body
        ]

    @property
    def n_cols(self) -> int:
        return sum(span for _, span in self.header[0])


# ---------------------------------------------------------------- numbers


def fmt_num(x: float | None, decimals: int = 3, sig_below: float = 1.0, max_decimals: int = 8) -> str:
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


def _cells(col: ModelColumn, term: str, stat: str, fmt: TableFormat) -> tuple[str, str]:
    r = col.result
    if term not in r.params.index or not math.isfinite(float(r.params[term])):
        return "", ""
    p = float(r.pvalues.get(term, math.nan))
    b = float(r.params[term])
    if stat == "t":
        x = float(r.tstats.get(term, math.nan))
        coef = fmt_pair(b, None, fmt.decimals)[0] + stars(p, fmt.stars)
        return coef, f"({x:.2f})" if math.isfinite(x) else ""
    se = float(r.std_errors.get(term, math.nan))
    coef, se_text = fmt_pair(b, se, fmt.decimals)  # one notation and decimals for the pair
    return coef + stars(p, fmt.stars), f"({se_text})" if se_text else ""


def _shows_year_effects(col: ModelColumn) -> bool:
    """Year effects as they are: the FE flag, or year dummies among the regressors (GMM yr2016...)."""
    return col.year_fe or any(YEAR_DUMMY.match(str(t)) for t in col.result.params.index)


def _extra_cell(col: ModelColumn, key: str, fmt: TableFormat) -> str:
    """Extra rows re-rendered from the stored diagnostics where they exist, so p-values follow
    one rule (<0.001) and stars one set of thresholds; otherwise the study's Stat as text."""
    if key not in col.extra_rows:
        return ""
    d = col.result.diagnostics
    if key in COMBINED and all(k in d for k in COMBINED[key]):
        stat, p = (d[k] for k in COMBINED[key])
        return f"{stat:.3f} [{fmt_p(p)}]"
    if key == "kp_rk_lm" and {"kp_rk_lm", "kp_rk_lm_p"} <= set(d):
        return f"{d['kp_rk_lm']:.2f}{stars(d['kp_rk_lm_p'], fmt.stars)}"
    if key.endswith("_p") and isinstance(d.get(key), (int, float)):
        return fmt_p(float(d[key]))
    return format_stat(col.extra_rows[key], fmt.stars)


def regression_grid(table: RegressionTable, lang: str = "zh", fmt: TableFormat | None = None) -> Grid:
    check_lang(lang)
    fmt = fmt or TableFormat()
    stat = fmt.stat or table.stat
    if stat not in ("t", "se"):
        raise ValueError(f"RegressionTable.stat must be 't' or 'se', not {stat!r}")
    cols, lab = table.columns, table.labels
    header: list[list[Span]] = []
    if any(c.group for c in cols):
        header.append([("", 1), *_spans([c.group for c in cols])])
    header.append([("", 1), *_spans([c.name for c in cols])])
    titles = [column_title(c, lang) for c in cols]
    if any(titles):
        header.append([("", 1), *[(t, 1) for t in titles]])
    header[-1][0] = (fixed("variable", lang), 1)

    body: list[list[str]] = []
    for term in table.keep:
        pairs = [_cells(c, term, stat, fmt) for c in cols]
        body.append([lab.get(term, term), *[a for a, _ in pairs]])
        body.append(["", *[b for _, b in pairs]])
    yes, no = fixed("yes", lang), fixed("no", lang)
    flags = {"controls": lambda c: c.controls, "year_fe": _shows_year_effects, "unit_fe": lambda c: c.unit_fe}
    for key in ("controls", "year_fe", "unit_fe"):  # ModelColumn flags of the same names
        if key in fmt.rows:
            body.append([lab.get(key, fixed(key, lang)), *[yes if flags[key](c) else no for c in cols]])
    if "N" in fmt.rows:
        body.append([lab.get("N", fixed("N", lang)), *[str(c.result.nobs) for c in cols]])
    # one R² row per printed label (an IV table may mix first- and second-stage R²)
    r2 = {
        i: r2_label(c.result.r_squared_label, lang, lab) for i, c in enumerate(cols) if c.result.r_squared is not None
    }
    if "r2" in fmt.rows:
        for short in dict.fromkeys(r2.values()):
            body.append(
                [
                    short,
                    *[
                        fmt_num(c.result.r_squared, decimals=fmt.decimals, sig_below=0.001)
                        if r2.get(i) == short
                        else ""
                        for i, c in enumerate(cols)
                    ],
                ]
            )
    # extra rows after R², as in the paper's IV table (Table 3); Stock-Yogo beside Cragg-Donald
    if "extra" in fmt.rows:
        for key in dict.fromkeys(k for c in cols for k in c.extra_rows):
            body.append([row_label(key, lang, lab), *[_extra_cell(c, key, fmt) for c in cols]])
            if key == "cd_wald_f":
                body += stock_yogo_rows(table, lang)

    notes = [stars_note(fmt.stars, lang), fixed("note_t" if stat == "t" else "note_se", lang)]
    notes += se_notes(cols, lang)
    if "r2" in fmt.rows:
        notes += r2_notes(cols, r2, lang)
    if any(key == "cd_wald_f" for c in cols for key in c.extra_rows) and "extra" in fmt.rows:
        notes += stock_yogo_note(table, lang)
    notes += [n for n in table_notes(table, lang) if n not in notes]

    raw_rows = [
        {
            "column": c.name,
            "title": title,
            "group": c.group,
            "term": t,
            "estimate": c.result.params[t],
            "se": c.result.std_errors.get(t),
            "t": c.result.tstats.get(t),
            "p": c.result.pvalues.get(t),
            "stars": stars(float(c.result.pvalues.get(t, math.nan)), fmt.stars),
        }
        for c, title in zip(cols, titles, strict=True)
        for t in c.result.params.index
    ]
    return Grid(
        table.table_id,
        table.title,
        header,
        body,
        notes,
        pd.DataFrame(raw_rows),
        fixed("note_prefix", lang),
        few_clusters=few_cluster_columns(table),
    )


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
    return [{c for c, (text, s) in row if s > 1 and text and (c, s) not in below[i]} for i, row in enumerate(rows)]


def _md_escape(s: str | None) -> str:
    s = "" if s is None else str(s)
    for ch in "\\*_|`":
        s = s.replace(ch, "\\" + ch)
    return s


def to_markdown(g: Grid) -> str:
    # pipe tables have one header row: stack the header levels of each column with <br>
    levels = [[t for text, span in row for t in [text] * span] for row in g.header]
    head = ["<br>".join(_md_escape(lv[j]) for lv in levels if lv[j]) for j in range(g.n_cols)]
    lines = [f"**{_md_escape(g.title)}**", ""] if g.title.strip() else []  # no `****` heading
    lines += ["| " + " | ".join(head) + " |", "|" + "|".join([":---"] + [":---:"] * (g.n_cols - 1)) + "|"]
    lines += ["| " + " | ".join(_md_escape(c) for c in row) + " |" for row in g.body]
    for i, note in enumerate(g.notes):
        lines += ["", _md_escape((g.note_prefix if i == 0 else "") + note)]
    return "\n".join(lines) + "\n"


_TEX = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "²": r"\textsuperscript{2}",
}


def tex_escape(s: str) -> str:
    return "".join(_TEX.get(ch, ch) for ch in s)


def to_latex(g: Grid) -> str:
    label = re.sub(r"[^A-Za-z0-9:.-]", "-", g.table_id)  # \\label takes no escapes
    out = [
        f"% Table {g.table_id} from cipanel.output; needs booktabs and threeparttable.",
        "% Chinese text: compile with xelatex and \\usepackage{ctex} (or ctexart).",
        r"\begin{table}[htbp]",
        r"\centering",
        r"\begin{threeparttable}",
        f"\\caption{{{tex_escape(g.title)}}}",
        f"\\label{{tab:{label}}}",
        f"\\begin{{tabular}}{{l{'c' * (g.n_cols - 1)}}}",
        r"\toprule",
    ]
    for row, rule_at in zip(g.header, _span_rules(g), strict=True):
        cells = [
            f"\\multicolumn{{{span}}}{{c}}{{{tex_escape(text)}}}" if span > 1 else tex_escape(text)
            for text, span in row
        ]
        out.append(" & ".join(cells) + r" \\")
        rules = [
            f"\\cmidrule(lr){{{c + 1}-{c + span}}}"
            for c, (_, span) in zip(_starts(row), row, strict=True)
            if c in rule_at
        ]
        if rules:
            out.append(" ".join(rules))
    out.append(r"\midrule")
    out += [" & ".join(tex_escape(c) for c in row) + r" \\" for row in g.body]
    out += [r"\bottomrule", r"\end{tabular}"]
    if g.notes:
        out += [r"\begin{tablenotes}[flushleft]", r"\footnotesize"]
        out += [f"\\item {tex_escape((g.note_prefix if i == 0 else '') + n)}" for i, n in enumerate(g.notes)]
        out.append(r"\end{tablenotes}")
    out += [r"\end{threeparttable}", r"\end{table}"]
    return "\n".join(out) + "\n"


def to_csv(g: Grid, path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8-sig") as f:  # BOM: Excel reads UTF-8 CJK
        w = csv.writer(f)
        w.writerows([_flat(r) for r in g.header] + g.body)


def write_grid(g: Grid, out_dir: Path) -> dict[str, Path]:
    from cipanel.output.docx_writer import layout, to_docx
    from cipanel.output.xlsx_writer import to_xlsx

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {ext: out_dir / f"{g.table_id}.{ext}" for ext in ("md", "tex", "docx", "xlsx", "csv")}
    paths["md"].write_text(to_markdown(g), encoding="utf-8")
    paths["tex"].write_text(to_latex(g), encoding="utf-8")
    to_docx(g, paths["docx"])
    to_xlsx(g, paths["xlsx"], layout(g).landscape)
    to_csv(g, paths["csv"])
    return paths


def table_grid(
    table: RegressionTable | DescriptiveTable | Grid, lang: str = "zh", fmt: TableFormat | None = None
) -> Grid:
    """The printed grid of any study table (a Grid passes through)."""
    from cipanel.output.descriptive_tables import descriptive_grid

    if isinstance(table, Grid):
        return table
    if isinstance(table, RegressionTable):
        return regression_grid(table, lang, fmt)
    if isinstance(table, DescriptiveTable):
        return descriptive_grid(table, lang, fmt)
    raise TypeError(f"cannot write {type(table).__name__}")


def write_table(
    table: RegressionTable | DescriptiveTable | Grid, out_dir: Path, lang: str = "zh", fmt: TableFormat | None = None
) -> dict[str, Path]:
    """Write <table_id>.md/.tex/.docx/.xlsx/.csv; returns {extension: path}. `fmt` sets decimals,
    star thresholds, t or SE in parentheses and the rows shown (default: TableFormat())."""
    return write_grid(table_grid(table, lang, fmt), out_dir)


def write_study_tables(
    tables: list, out_dir: Path, lang: str = "zh", fmt: TableFormat | None = None
) -> dict[str, object]:
    """Every table on its own (write_table) and all of them, in order, in tables.docx and
    tables.xlsx (a sheet per table). Returns {"tables": [paths per table], "docx": .., "xlsx": ..}."""
    from cipanel.output.docx_writer import layout, to_docx_collection
    from cipanel.output.xlsx_writer import to_xlsx_workbook

    out_dir = Path(out_dir)
    grids = [table_grid(t, lang, fmt) for t in tables]
    written = [write_grid(g, out_dir) for g in grids]
    docx_path = to_docx_collection(grids, out_dir / "tables.docx")
    xlsx_path = to_xlsx_workbook(grids, out_dir / "tables.xlsx", [layout(g).landscape for g in grids])
    return {"tables": written, "docx": docx_path, "xlsx": xlsx_path}
