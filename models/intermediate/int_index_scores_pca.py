"""Pooled PCA index (METHODS 1, robustness alternative; study B Table 4 column 3).

Python model: an eigen-decomposition has no portable SQL form. Steps: z-score each component over
the index's pooled window (negative indicators sign-flipped, constant indicators left out), keep
components of the correlation matrix with eigenvalue > 1 (at least one), align each component's
sign so its loadings sum to a positive number, weight components by their share of the kept
variance, and rescale the composite to [0, 1] over the pooled window.
"""

import duckdb
import numpy as np
import pandas as pd


def pca_scores(frame: pd.DataFrame) -> pd.DataFrame:
    wide = frame.pivot_table(index=["unit_code", "year"], columns="indicator_code", values="value", aggfunc="first")
    direction = frame.drop_duplicates("indicator_code").set_index("indicator_code")["direction"]
    wide = wide.loc[:, wide.max() > wide.min()]  # exact test: std() of a constant can be 1e-10
    standardised = (wide - wide.mean()) / wide.std(ddof=1)
    standardised = standardised * np.where(direction.reindex(standardised.columns) == "-", -1.0, 1.0)
    eigenvalues, eigenvectors = np.linalg.eigh(np.atleast_2d(np.corrcoef(standardised.to_numpy(), rowvar=False)))
    order = np.argsort(eigenvalues)[::-1]
    eigenvalues, eigenvectors = eigenvalues[order], eigenvectors[:, order]
    keep = max(int((eigenvalues > 1).sum()), 1)
    loadings = eigenvectors[:, :keep] * np.sign(eigenvectors[:, :keep].sum(axis=0))
    components = standardised.to_numpy() @ loadings
    composite = components @ (eigenvalues[:keep] / eigenvalues[:keep].sum())
    span = composite.max() - composite.min()
    # a composite with no spread (degenerate, e.g. two exactly opposite indicators) scores 0
    scaled = (composite - composite.min()) / span if span > 0 else np.zeros_like(composite)
    return pd.DataFrame(
        {
            "unit_code": wide.index.get_level_values("unit_code"),
            "year": wide.index.get_level_values("year").astype("int32"),
            "score": scaled,
            "n_components": keep,
        }
    )


def model(dbt, session):
    dbt.config(materialized="table")
    normalised = dbt.ref("int_indicators_normalised")
    # fetch one index at a time and only the columns pca_scores reads: the whole relation as one
    # DataFrame holds every text column as Python strings (GBs at county scale)
    index_codes = [row[0] for row in normalised.project("index_code").distinct().order("index_code").fetchall()]
    parts = []
    for index_code in index_codes:
        frame = (
            normalised.filter(duckdb.ColumnExpression("index_code") == duckdb.ConstantExpression(index_code))
            .project("indicator_code, direction, unit_code, year, value")
            .df()
        )
        scores = pca_scores(frame)
        scores.insert(0, "index_code", index_code)
        parts.append(scores)
    result = pd.concat(parts, ignore_index=True)
    result.insert(1, "method", "pca")
    result.insert(2, "dimension_code", "_all")
    return result[["index_code", "method", "dimension_code", "unit_code", "year", "score", "n_components"]]
