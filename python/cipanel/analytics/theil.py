"""Theil T index with its exact within/between split by region.

  T = (1/n) sum_i (y_i/m) ln(y_i/m);  T_j the same within region j;  s_j = n_j m_j / (n m)
  T = T_w + T_b,  T_w = sum_j s_j T_j,  T_b = sum_j s_j ln(m_j / m)
The logarithm needs every value > 0: a zero or negative value is an error naming the unit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def theil_t(y: np.ndarray) -> float:
    r = y / y.mean()
    return float(np.mean(r * np.log(r)))


def decompose(
    values: np.ndarray | pd.Series, groups: np.ndarray | pd.Series, units: np.ndarray | pd.Series | None = None
) -> tuple[dict, pd.DataFrame]:
    y = np.asarray(values, dtype=float)
    g = np.asarray(groups).astype(str)
    bad = np.flatnonzero(~np.isfinite(y) | (y <= 0))
    if bad.size:
        who = f"unit {np.asarray(units)[bad[0]]}" if units is not None else f"value #{bad[0]}"
        raise ValueError(f"Theil T needs positive values: {who} has {float(y[bad[0]])!r}")
    n, mean = y.size, y.mean()
    rows, t_w, t_b = [], 0.0, 0.0
    for r in sorted(set(g)):
        yr = y[g == r]
        share = yr.size * yr.mean() / (n * mean)
        t_r = theil_t(yr)
        t_w += share * t_r
        t_b += share * np.log(yr.mean() / mean)
        rows.append(
            {
                "region": r,
                "n_units": yr.size,
                "mean": yr.mean(),
                "theil": t_r,
                "income_share": share,
                "contribution": share * t_r,
            }
        )
    total = theil_t(y)
    overall = {
        "n_units": n,
        "mean": mean,
        "theil": total,
        "t_within": t_w,
        "t_between": t_b,
        "share_within": t_w / total if total > 0 else np.nan,
        "share_between": t_b / total if total > 0 else np.nan,
    }
    return overall, pd.DataFrame(rows)


def theil_by_year(
    panel: pd.DataFrame, value: str, region: str, time: str = "year", unit: str = "unit_code"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    overall, groups = [], []
    for year, d in panel.groupby(time, sort=True):
        try:
            o, gr = decompose(d[value].to_numpy(), d[region].to_numpy(), d[unit].to_numpy() if unit in d else None)
        except ValueError as exc:
            raise ValueError(f"{value}, year {year}: {exc}") from None
        overall.append({time: year, **o})
        groups.append(gr.assign(**{time: year}))
    return pd.DataFrame(overall), pd.concat(groups, ignore_index=True)
