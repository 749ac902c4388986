"""Descriptive statistics table (study A Table 1: 变量 均值 标准差 最小值 最大值 中位数, plus N).

maketables' DTable computes statistics from raw data; DescriptiveTable already carries them
(computed upstream), so only the shared Grid renderers of regression_tables are needed."""

from __future__ import annotations

import pandas as pd

from cipanel.output.labels import check_lang, fixed
from cipanel.output.notes import table_notes
from cipanel.output.regression_tables import Grid, fmt_num
from cipanel.output.table_format import TableFormat
from cipanel.study.tables import DescriptiveTable

ORDER = ["mean", "sd", "min", "max", "median", "N"]  # the paper's order; N appended


def descriptive_grid(table: DescriptiveTable, lang: str = "zh", fmt: TableFormat | None = None) -> Grid:
    check_lang(lang)
    decimals = (fmt or TableFormat()).decimals
    stats = table.stats
    cols = [c for c in ORDER if c in stats.columns] + [c for c in stats.columns if c not in ORDER]
    head = [fixed(c, lang) if c in ORDER else str(c) for c in cols]
    body = []
    for var, row in stats[cols].iterrows():
        body.append([str(var), *[_cell(row[c], c, decimals) for c in cols]])
    raw = stats[cols].rename_axis("variable").reset_index()
    header = [[(fixed("variable", lang), 1), *[(h, 1) for h in head]]]
    return Grid(table.table_id, table.title, header, body, table_notes(table, lang), raw, fixed("note_prefix", lang))


def _cell(x: object, col: str, decimals: int = 3) -> str:
    if x is None or pd.isna(x):
        return ""
    if col == "N":
        return str(int(x))
    # fixed 3 decimals as in the paper (0.005, 8.633); significant digits only below 0.001
    return fmt_num(float(x), decimals=decimals, sig_below=0.001)
