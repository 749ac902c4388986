"""Pooled PCA index (docs/methods.md §1.10, robustness alternative; study B Table 4 column 3).

Python model: an eigen-decomposition has no portable SQL form. Steps: z-score each component over
the index's pooled window (negative indicators sign-flipped, constant indicators left out), keep
components of the correlation matrix with eigenvalue > 1 (at least one), align each component's
sign so its loadings sum to a positive number, weight components by their share of the kept
variance, and rescale the composite to [0, 1] over the pooled window.

Why the direction and the constant test are applied here and not read from
int_indicators_normalised: that model's z (direction-applied) and is_constant are per weight group
(one group per year for a per-year index), while PCA is defined over the pooled window for every
index. Reading them would change the PCA scores of a per-year index (and move a pooled index's by
floating-point rounding, z-scoring z instead of the raw value); the direction itself is the
catalog's, read from the same model.
"""

import numpy as np
import pandas as pd

# One numbered cell per (index, unit-year, indicator): the matrices are filled from integer
# positions fetched as numpy arrays. Fetching the text columns into pandas (one Python string per
# value) and pivoting there took most of this model's time at county scale. The rows and columns
# are numbered once, into small DataFrames that label the matrices and that CELLS_SQL joins (DuckDB
# reads a pandas DataFrame by its variable name), all on the integer surrogate keys (index_id,
# unit_id, indicator_id of int_indicators_normalised); int_index_scores joins the codes back.
INDEX_KEYS_SQL = """
select index_id, min(index_code) as index_code from normalised group by index_id order by index_id
"""
ROW_KEYS_SQL = """
select
    index_id, unit_id, year,
    row_number() over (partition by index_id order by unit_id, year) - 1 as row_no
from normalised group by index_id, unit_id, year
order by index_id, row_no
"""
COLUMN_KEYS_SQL = """
select
    index_id, indicator_id, min(direction) as direction,
    row_number() over (partition by index_id order by indicator_id) - 1 as column_no
from normalised group by index_id, indicator_id
order by index_id, column_no
"""
CELLS_SQL = """
select normalised.index_id, row_keys.row_no, column_keys.column_no,
    coalesce(normalised.value, cast('nan' as double)) as value
from normalised
inner join row_keys using (index_id, unit_id, year)
inner join column_keys using (index_id, indicator_id)
"""


def pca_scores(matrix: np.ndarray, negative: np.ndarray) -> tuple[np.ndarray, int]:
    """Composite scores in [0, 1] and the number of kept components, for a complete matrix of raw
    values (rows = unit-years, columns = indicators; `negative` flags the '-' indicators)."""
    informative = matrix.max(axis=0) > matrix.min(axis=0)  # exact test: the std of a constant can be 1e-10
    x = matrix[:, informative]
    standardised = (x - x.mean(axis=0)) / x.std(axis=0, ddof=1)
    standardised = standardised * np.where(negative[informative], -1.0, 1.0)
    eigenvalues, eigenvectors = np.linalg.eigh(np.atleast_2d(np.corrcoef(standardised, rowvar=False)))
    order = np.argsort(eigenvalues)[::-1]
    eigenvalues, eigenvectors = eigenvalues[order], eigenvectors[:, order]
    keep = max(int((eigenvalues > 1).sum()), 1)
    loadings = eigenvectors[:, :keep] * np.sign(eigenvectors[:, :keep].sum(axis=0))
    composite = (standardised @ loadings) @ (eigenvalues[:keep] / eigenvalues[:keep].sum())
    span = composite.max() - composite.min()
    # a composite with no spread (degenerate, e.g. two exactly opposite indicators) scores 0
    scaled = (composite - composite.min()) / span if span > 0 else np.zeros_like(composite)
    return scaled, keep


def model(dbt, session):
    dbt.config(materialized="table")
    normalised = dbt.ref("int_indicators_normalised")
    index_keys = normalised.query("normalised", INDEX_KEYS_SQL).df()
    row_keys = normalised.query("normalised", ROW_KEYS_SQL).df()
    column_keys = normalised.query("normalised", COLUMN_KEYS_SQL).df()
    cells = normalised.query("normalised", CELLS_SQL).fetchnumpy()  # joins the two frames above
    parts = []
    for index_id, index_code in zip(index_keys["index_id"], index_keys["index_code"]):
        keys = row_keys[row_keys["index_id"] == index_id]
        indicators = column_keys[column_keys["index_id"] == index_id]
        mine = cells["index_id"] == index_id
        matrix = np.full((len(keys), len(indicators)), np.nan)
        matrix[cells["row_no"][mine], cells["column_no"][mine]] = cells["value"][mine]
        if np.isnan(matrix).any():
            raise ValueError(
                f"int_index_scores_pca: index {index_code} has {int(np.isnan(matrix).sum())} missing cells; "
                "see the data test assert_index_inputs_complete"
            )
        scores, keep = pca_scores(matrix, indicators["direction"].to_numpy() == "-")
        parts.append(
            pd.DataFrame(
                {
                    "index_id": np.int32(index_id),
                    "unit_id": keys["unit_id"].to_numpy().astype("int32"),
                    "year": keys["year"].to_numpy().astype("int32"),
                    "score": scores,
                    "n_components": keep,
                }
            )
        )
    if not parts:  # a project without a composite index (or no index with components): no scores
        parts.append(
            pd.DataFrame(
                {
                    "index_id": pd.Series(dtype="int32"),
                    "unit_id": pd.Series(dtype="int32"),
                    "year": pd.Series(dtype="int32"),
                    "score": pd.Series(dtype="float64"),
                    "n_components": pd.Series(dtype="int64"),
                }
            )
        )
    result = pd.concat(parts, ignore_index=True)
    result.insert(1, "method", "pca")
    result.insert(2, "dimension_id", np.int32(0))  # the index itself (int_index_score_keys)
    return result[["index_id", "method", "dimension_id", "unit_id", "year", "score", "n_components"]]
