"""What a study produces, independent of output format: regression tables made of model columns,
and descriptive tables. The output layer (cipanel.output) renders these; the results schema
stores them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from cipanel.estimators.result import FitResult

MIN_CLUSTERS = 10  # below this, cluster-robust t inference over-rejects badly: tables warn


@dataclass(frozen=True)
class Stat:
    """A number printed under a model column (extra_rows), kept as numbers: the output layer
    (cipanel.output.table_format.format_stat) turns it into text, with its stars, brackets and
    p-value rule. Printed as `value (se) [low, high] [p]` + stars(stars_p), each part if set;
    nothing set prints "—" (a statistic not defined for this column)."""

    value: float | None = None
    decimals: int = 3  # 0: a count
    se: float | None = None  # "(se)" after the value (spatial effects)
    interval: tuple[float, float] | None = None  # "[low, high]" (confidence set)
    p: float | None = None  # "[p]" after the value, by the one p-value rule (<0.001)
    stars_p: float | None = None  # stars after the value from this p-value (KP rk LM)


# Note kinds that are also printed as warnings when a study runs
WARNING_KINDS = ("few_clusters", "degenerate_se", "weak_instrument")


@dataclass(frozen=True)
class Note:
    """A fact the study states under a table, kept as data: `kind` names the sentence and
    `values` fill it. The output layer (cipanel.output.notes.note_text) words it in Chinese or
    English, so study code holds no language. Kinds and their values:
    outside_index_rows  columns: [(name, rows used, rows left out), ...]
    interpolated_cells  columns: [(name, cells), ...]; empty when the warehouse has no imputation log
    few_clusters        column, n (clusters), min (MIN_CLUSTERS)
    degenerate_se       column, terms
    weak_instrument     column, f (KP Wald F), threshold
    regression_sample   sample (cipanel.study.samples.UnitSample)
    index_sample        index_sample (the panel source's dict: n_in, out) or None"""

    kind: str
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def is_warning(self) -> bool:
        return self.kind in WARNING_KINDS


@dataclass
class ModelColumn:
    """One column of a regression table: a fitted model and the rows shown under it."""

    name: str  # "(1)", "(2)", ... as printed
    title: str  # column header as the spec words it (an outcome label, a sample); "" for IV stages
    result: FitResult
    controls: bool
    unit_fe: bool
    year_fe: bool
    sample: str = ""  # human description of the sample (e.g. "2018-2023", "East")
    # extra statistic rows printed under the column, as numbers (e.g. {"kp_rk_lm": Stat(42.77, 2,
    # stars_p=0.0)}); a plain string is printed as it is (text a caller formatted itself)
    extra_rows: dict[str, Stat | str] = field(default_factory=dict)
    group: str = ""  # spanning header above several columns (heterogeneity splits)
    role: str = ""  # ols, iv_first, iv_second or gmm (stored in results.estimates); an IV stage's
    # header ("First stage") is worded by the output layer from it
    # terms whose standard error is degenerate (zero or numerically zero): no t, p or stars
    degenerate_terms: list[str] = field(default_factory=list)


@dataclass
class RegressionTable:
    table_id: str  # "t2"
    title: str  # the spec's title (the spec's own text, in the language it was loaded in)
    columns: list[ModelColumn]
    keep: list[str]  # terms to show, in order (others are summarised by the Controls row)
    labels: dict[str, str]  # term / row label -> printed label
    stat: str = "t"  # what parentheses hold: "t" statistics or "se" standard errors
    notes: list[str | Note] = field(default_factory=list)  # the spec's text as is; Notes are worded by output

    @property
    def few_clusters(self) -> list[str]:
        """Columns whose cluster-robust inference rests on fewer than MIN_CLUSTERS clusters."""
        return [
            c.name
            for c in self.columns
            if c.result.n_clusters
            and c.result.cov_type not in ("driscoll_kraay", "robust", "unadjusted")
            and c.result.n_clusters < MIN_CLUSTERS
        ]


@dataclass
class DescriptiveTable:
    table_id: str
    title: str
    stats: pd.DataFrame  # index: variable labels; columns: N, mean, sd, min, max, median
    notes: list[str | Note] = field(default_factory=list)


StudyTable = RegressionTable | DescriptiveTable
