"""What a study produces, independent of output format: regression tables made of model columns,
and descriptive tables. The output layer (cipanel.output) renders these; the results schema
stores them."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from cipanel.estimators.result import FitResult

MIN_CLUSTERS = 10  # below this, cluster-robust t inference over-rejects badly: tables warn


@dataclass
class ModelColumn:
    """One column of a regression table: a fitted model and the rows shown under it."""

    name: str  # "(1)", "(2)", ... as printed
    title: str  # column header: the outcome or a short description (e.g. 剔除直辖市)
    result: FitResult
    controls: bool
    unit_fe: bool
    year_fe: bool
    sample: str = ""  # human description of the sample (e.g. "2018-2023", "East")
    # extra statistic rows printed under the column, already formatted (e.g. {"kp_rk_lm": "42.77***"})
    extra_rows: dict[str, str] = field(default_factory=dict)
    group: str = ""  # spanning header above several columns (heterogeneity splits)
    role: str = ""  # ols, iv_first, iv_second or gmm (stored in results.estimates)
    # terms whose standard error is degenerate (zero or numerically zero): no t, p or stars
    degenerate_terms: list[str] = field(default_factory=list)


@dataclass
class RegressionTable:
    table_id: str  # "t2"
    title: str  # in the chosen language
    columns: list[ModelColumn]
    keep: list[str]  # terms to show, in order (others are summarised by the Controls row)
    labels: dict[str, str]  # term / row label -> printed label
    stat: str = "t"  # what parentheses hold: "t" statistics or "se" standard errors
    notes: list[str] = field(default_factory=list)

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
    notes: list[str] = field(default_factory=list)


StudyTable = RegressionTable | DescriptiveTable
