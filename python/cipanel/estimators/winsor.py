"""Winsorising with Stata's `winsor2` cut-offs, which are `_pctile` percentiles.

`_pctile` definition: with n non-missing sorted values x_(1..n) and P = n*p/100, if P is an
integer the percentile is (x_(P) + x_(P+1)) / 2, else x_(floor(P)+1). Neither numpy's
`averaged_inverted_cdf` (it gets p = 7 of 1..100 wrong through floating point) nor pandas' default
quantile is this definition, hence the explicit integer test with a tolerance.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd

_INT_TOL = 1e-9


def stata_pctile(x: Sequence[float] | np.ndarray | pd.Series, p: float) -> float:
    """The p-th percentile (0 < p < 100) of the non-missing values of `x`, as `_pctile`."""
    if not 0 < p < 100:
        raise ValueError(f"p must be strictly between 0 and 100, got {p}")
    a = np.asarray(pd.Series(x, dtype=float).dropna().to_numpy())
    n = len(a)
    if n == 0:
        return float("nan")
    a = np.sort(a)
    pos = n * p / 100
    r = round(pos)
    if abs(pos - r) <= _INT_TOL * max(1.0, pos):
        i = int(r)  # 1-based order statistics i and i+1
        return float((a[i - 1] + a[min(i, n - 1)]) / 2) if i >= 1 else float(a[0])
    return float(a[min(int(np.floor(pos)), n - 1)])


def winsorize(
    s: pd.Series,
    lower: float = 1,
    upper: float = 99,
    by: pd.Series | np.ndarray | Sequence[Hashable] | None = None,
) -> pd.Series:
    """Replace values below the `lower` / above the `upper` percentile by those percentiles
    (`winsor2 s, cuts(lower upper) replace`), pooled or within groups `by` (aligned with `s`).
    Missing values are ignored for the cut-offs and stay missing."""
    if not isinstance(s, pd.Series):
        raise TypeError(f"s must be a pandas Series, got {type(s).__name__}")
    if not pd.api.types.is_numeric_dtype(s.dtype):
        raise TypeError(f"series {s.name!r} must be numeric, has dtype {s.dtype}")
    if not 0 <= lower < upper <= 100:
        raise ValueError(f"need 0 <= lower < upper <= 100, got {lower}, {upper}")
    v = s.astype(float)

    def clip(part: pd.Series) -> pd.Series:
        lo = stata_pctile(part, lower) if lower > 0 else -np.inf
        hi = stata_pctile(part, upper) if upper < 100 else np.inf
        return part.clip(lower=lo, upper=hi)  # NaN stays NaN

    if by is None:
        return clip(v)
    keys = pd.Series(np.asarray(by), index=s.index) if not isinstance(by, pd.Series) else by
    if len(keys) != len(s):
        raise ValueError("by must have one group label per element of s")
    keys = keys.reindex(s.index) if isinstance(by, pd.Series) else keys
    return v.groupby(keys, group_keys=False, dropna=False).apply(clip).reindex(s.index)
