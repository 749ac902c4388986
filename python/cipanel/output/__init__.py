"""Output layer: study tables as Markdown/LaTeX/Word/Excel/CSV, figures, and the HTML report."""

from cipanel.output.descriptive_tables import descriptive_grid
from cipanel.output.figures import (
    cjk_font,
    plot_coefficients,
    plot_index_trends,
    plot_indicator_weights,
)
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

__all__ = [
    "Grid",
    "ReportSection",
    "TableFormat",
    "cjk_font",
    "descriptive_grid",
    "fmt_num",
    "plot_coefficients",
    "plot_index_trends",
    "plot_indicator_weights",
    "regression_grid",
    "stars",
    "table_format",
    "table_grid",
    "write_report",
    "write_study_tables",
    "write_table",
]
