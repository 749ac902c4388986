"""Checks of a column's estimation sample before a model is fitted, and of its inference after:
a sample the model cannot use is a StudyError naming the table and column and what to change;
a usable but fragile one (few clusters, a weak instrument, a degenerate standard error) is a
warning that reaches the table notes and the results schema."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from cipanel.estimators.result import FitResult
from cipanel.study.errors import SpecError, StudyError

# Below this many clusters cluster-robust p-values are unreliable (Cameron, Gelbach and Miller
# 2008 and later work put the threshold between 10 and 50); the table says so and results flag it.
MIN_CLUSTERS = 10
# Kleibergen-Paap rk Wald F below this: the Staiger-Stock rule of thumb for a weak instrument.
WEAK_INSTRUMENT_F = 10.0
# |t| beyond this is not a statistic but a standard error that is numerically zero (an exact fit,
# or a cluster-robust variance of rank below the number of regressors, e.g. with two clusters).
DEGENERATE_T = 1e8


def model_variables(model: dict) -> list[str]:
    """The data columns a column's model reads (names inside formulas and expressions included)."""
    from cipanel.formula import spec_columns, spec_uses_formula

    if model.get("gmm"):  # outcome and xtabond2 regressors, not the study's treatment / controls
        from cipanel.study.gmm_columns import gmm_variables

        return gmm_variables(model)
    if spec_uses_formula(model):
        return spec_columns(model)
    return [model["outcome"], model["treatment"], *model.get("controls", []), *model.get("instruments", [])]


def cluster_columns(model: dict, entity: str) -> list[str]:
    """The cluster variable(s) of a clustered column: `cluster` (a name, or a list for two-way
    clustering), default the entity; none when the column is not clustered."""
    if model.get("cov", "clustered") != "clustered":
        return []
    cluster = model.get("cluster") or entity
    return [cluster] if isinstance(cluster, str) else list(cluster)


def cluster_column(model: dict, entity: str) -> str | None:
    """The first cluster variable (the one the wild bootstrap and the notes use)."""
    clusters = cluster_columns(model, entity)
    return clusters[0] if clusters else None


def estimation_sample(sample: pd.DataFrame, model: dict, entity: str, time: str) -> pd.DataFrame:
    """The rows every part of the column uses: all its variables and its cluster observed (so the
    first stage of an IV column is fitted on exactly the 2SLS sample)."""
    needed = list(dict.fromkeys([*model_variables(model), entity, time, *cluster_columns(model, entity)]))
    return sample.dropna(subset=needed)


def check_sample(
    sample: pd.DataFrame, model: dict, entity: str, time: str, context: str, origins: dict[str, str], spec_file: str
) -> tuple[pd.DataFrame, list[str]]:
    """Raise StudyError where the model cannot be estimated; return the estimation sample and
    warnings (short codes such as "few_clusters:8"; the runner words the notes)."""
    for cluster in cluster_columns(model, entity):
        if cluster not in sample.columns:
            key = origins.get("cluster", "cluster")
            raise SpecError(f"{spec_file}: {key}: cluster column {cluster!r} is not a column of the panel")
    complete = estimation_sample(sample, model, entity, time)
    if complete.empty:
        missing = {v: int(sample[v].isna().sum()) for v in model_variables(model) if v in sample.columns}
        worst = ", ".join(f"{v} missing in {n}" for v, n in sorted(missing.items(), key=lambda kv: -kv[1]) if n)
        raise StudyError(
            f"{context}: the estimation sample is empty: {len(sample)} panel rows after the "
            f"years, units and where rules, none with every variable observed"
            + (f" ({worst})" if worst else " (no rows match the years, units and where rules)")
        )
    effects = model.get("effects", "twoway")
    roles = [("treatment", model.get("treatment")), *(("instrument", z) for z in model.get("instruments", []))]
    # plain columns only: an expression or a formula term is checked by the formula path, which
    # omits a collinear term with a note
    for role, name in [(r, n) for r, n in roles if n in complete.columns]:
        values = pd.to_numeric(complete[name], errors="coerce")
        if values.nunique(dropna=True) < 2:
            raise StudyError(
                f"{context}: the {role} {name!r} is constant in the estimation sample "
                f"({len(complete)} rows); its coefficient is not identified"
            )
        if effects in ("entity", "twoway") and not model.get("gmm"):
            within = complete.assign(_v=values).groupby(entity)["_v"].nunique()
            if (within < 2).all():
                raise StudyError(
                    f"{context}: the {role} {name!r} does not vary within any unit, so the unit "
                    f"fixed effects absorb it; use effects: none, or a {role} that varies over time"
                )
    warnings = []
    counts = {c: complete[c].nunique() for c in cluster_columns(model, entity)}
    for cluster, n_clusters in counts.items():
        if n_clusters < 2:
            raise StudyError(
                f"{context}: clustered standard errors by {cluster!r} need at least 2 clusters, the "
                f"estimation sample has {n_clusters}; widen the sample or use cov: robust"
            )
    if counts and min(counts.values()) < MIN_CLUSTERS:  # two-way: the smaller G decides
        warnings.append(f"few_clusters:{min(counts.values())}")
    return complete, warnings


def degenerate_terms(result: FitResult) -> list[str]:
    """Terms whose standard error is zero, not finite or numerically zero; their t statistic and
    p-value are set to NaN, so no table prints stars on them."""
    bad = []
    for term in result.params.index:
        se, t = float(result.std_errors.get(term, math.nan)), float(result.tstats.get(term, math.nan))
        if not math.isfinite(float(result.params[term])):
            continue
        if not math.isfinite(se) or se <= 0 or not math.isfinite(t) or abs(t) > DEGENERATE_T:
            bad.append(term)
    if bad:
        result.tstats = result.tstats.astype(float).copy()
        result.pvalues = result.pvalues.astype(float).copy()
        result.tstats.loc[bad] = np.nan
        result.pvalues.loc[bad] = np.nan
    return bad
