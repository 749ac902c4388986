"""Output layer: study tables as Markdown/LaTeX/Word/Excel/CSV, figures, and the HTML report.

The names below are imported on first use (PEP 562 module __getattr__): the figures pull in
matplotlib, which a run that reuses every figure from the study cache never needs."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

_WHERE = {
    "descriptive_grid": "descriptive_tables",
    "cjk_font": "figures",
    "plot_coefficients": "figures",
    "plot_index_trends": "figures",
    "plot_indicator_weights": "figures",
    "Grid": "regression_tables",
    "fmt_num": "regression_tables",
    "regression_grid": "regression_tables",
    "stars": "regression_tables",
    "table_grid": "regression_tables",
    "write_study_tables": "regression_tables",
    "write_table": "regression_tables",
    "ReportSection": "report",
    "write_report": "report",
    "TableFormat": "table_format",
    "table_format": "table_format",
}

if TYPE_CHECKING:
    from cipanel.output.descriptive_tables import descriptive_grid
    from cipanel.output.figures import cjk_font, plot_coefficients, plot_index_trends, plot_indicator_weights
    from cipanel.output.regression_tables import (
        Grid,
        fmt_num,
        regression_grid,
        stars,
        table_grid,
        write_study_tables,
        write_table,
    )
    from cipanel.output.report import ReportSection, write_report
    from cipanel.output.table_format import TableFormat, table_format


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    globals()[name] = value
    return value


__all__ = sorted(_WHERE)
