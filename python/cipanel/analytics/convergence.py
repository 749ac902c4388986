"""Sigma- and beta-convergence of an index.

sigma: coefficient of variation by year, CV_t = sd_t / mean_t (sd with ddof = 1, as Stata's
summarize), nationally and per region; a falling CV is sigma-convergence.
beta: the panel regression
  ln(y_{i,t+1} / y_{i,t}) = a + beta ln y_{i,t} (+ controls_{i,t}) + unit and year effects + e
on the existing estimators (cipanel.estimators.panel.fit_panel: two-way FE, SE clustered by unit
by default). beta < 0 is convergence: absolute without controls, conditional with them. Speed
s = -ln(1 + beta) (per year) and half-life ln 2 / s, reported when beta < 0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cipanel.estimators.panel import fit_panel


def sigma(panel: pd.DataFrame, value: str, region: str, time: str = "year") -> pd.DataFrame:
    frames = [panel.assign(_region="_all"), panel.assign(_region=panel[region].astype(str))]
    stats = (
        pd.concat(frames)
        .groupby(["_region", time])[value]
        .agg(n_units="count", mean="mean", sd=lambda v: v.std(ddof=1))
        .reset_index()
    )
    stats["cv"] = stats["sd"] / stats["mean"]
    return stats.rename(columns={"_region": "region"})


def growth_panel(panel: pd.DataFrame, value: str, entity: str, time: str, controls: list[str]) -> pd.DataFrame:
    """One row per unit-year with next year's value: growth to t+1 and ln y_t (the controls at t)."""
    d = panel[[entity, time, value, *controls]].sort_values([entity, time])
    bad = d[value] <= 0
    if bad.any():
        r = d[bad].iloc[0]
        raise ValueError(f"beta-convergence takes logs of {value}: unit {r[entity]}, year {r[time]} has {r[value]!r}")
    nxt = d.groupby(entity)[[time, value]].shift(-1)
    d = d.assign(_next_time=nxt[time], _next=nxt[value])
    d = d[d["_next_time"] == d[time] + 1]  # consecutive years only
    return d.assign(growth=np.log(d["_next"] / d[value]), ln_level=np.log(d[value]))


def beta(
    panel: pd.DataFrame,
    value: str,
    entity: str,
    time: str,
    region: str,
    controls: list[str],
    effects: str = "twoway",
    cov: str = "clustered",
    regions: bool = True,
) -> pd.DataFrame:
    d = growth_panel(panel, value, entity, time, controls).merge(
        panel[[entity, time, region]], on=[entity, time], how="left"
    )
    rows = []
    groups = [("_all", d)] + ([(str(r), g) for r, g in d.groupby(region)] if regions else [])
    for kind, x in (("absolute", []), ("conditional", controls)):
        if kind == "conditional" and not controls:
            continue
        for name, g in groups:
            g = g.dropna(subset=["growth", "ln_level", *x])
            if g[entity].nunique() < 3:
                continue  # too few units for a clustered regression
            r = fit_panel(g, "growth", ["ln_level", *x], entity=entity, time=time, effects=effects, cov=cov)
            b = float(r.params["ln_level"])
            speed = -np.log1p(b) if -1 < b < 0 else np.nan
            rows.append(
                {
                    "kind": kind,
                    "region": name,
                    "beta": b,
                    "std_error": float(r.std_errors["ln_level"]),
                    "p_value": float(r.pvalues["ln_level"]),
                    "speed": speed,
                    "half_life": np.log(2) / speed if np.isfinite(speed) else np.nan,
                    "n_obs": r.nobs,
                    "n_clusters": r.n_clusters,
                    "r_squared": r.r_squared,
                    "method": r.method,
                    "cov_type": r.cov_type,
                    "controls": ",".join(x),
                }
            )
    return pd.DataFrame(rows)
