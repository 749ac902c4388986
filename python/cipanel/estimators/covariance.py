"""Covariance types as small classes sharing one small-sample rule (after linearmodels'
panel/covariance.py), used by every estimator (panel, iv, hdfe) and the wild bootstrap.

Each type gives the meat of the sandwich from the score matrix (regressors x residuals) and the
number of groups G it is built on (None for HC1); classical needs no meat (V = factor x RSS/N x
(X'X)^-1). `small_sample_factor` is the only place Stata's small-sample rule is written:

    classical, HC1 (no groups):        N / (N - K)        (s^2 = RSS/(N-K) for classical)
    cluster, Driscoll-Kraay (G groups): G/(G-1) (N-1)/(N-K), t with G-1 df

K is what the caller's convention counts (regressors, constant, and the absorbed effects that
are not nested in the clusters: see _core.cluster_k and hdfe).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from . import _core


def small_sample_factor(n: int, k: int, groups: int | None = None) -> float:
    """Stata's factor: N/(N-K) without groups; G/(G-1) (N-1)/(N-K) with G groups."""
    if groups is None:
        return n / (n - k)
    return groups / (groups - 1) * (n - 1) / (n - k)


@dataclass
class Robust:
    """HC0 meat sum_i s_i s_i' (HC1 with the factor)."""

    name = "robust"

    def meat(self, scores: np.ndarray) -> np.ndarray:
        return _core.crossprod(scores)

    def groups(self) -> int | None:
        return None


@dataclass
class Clustered:
    """Cluster sums of the scores; with several cluster variables the Cameron-Gelbach-Miller
    inclusion-exclusion over every intersection. G is the smallest number of clusters (reghdfe's
    rule for the factor and the t df; with one variable simply its G)."""

    clusters: list[_core.Grouping]

    name = "clustered"

    def meat(self, scores: np.ndarray) -> np.ndarray:
        if len(self.clusters) == 1:
            s = self.clusters[0].sums(scores)
            return _core.crossprod(s)
        out = np.zeros((scores.shape[1],) * 2)
        for r in range(1, len(self.clusters) + 1):
            for subset in combinations(self.clusters, r):
                g = (
                    subset[0]
                    if r == 1
                    else _core.Grouping(
                        pd.factorize(pd.Series(list(zip(*(c.codes for c in subset)))))[0].astype(np.intp)
                    )
                )
                s = g.sums(scores)
                out += (1 if r % 2 else -1) * _core.crossprod(s)
        return out

    def groups(self) -> int:
        g = min(c.n for c in self.clusters)
        if g < 2:
            raise ValueError(f"too few clusters for clustered standard errors: {g}")
        return g


@dataclass
class DriscollKraay:
    """xtscc: period sums of the scores, Bartlett kernel up to `lag` (by position in time)."""

    time: _core.Grouping
    lag: int

    name = "driscoll_kraay"

    def meat(self, scores: np.ndarray) -> np.ndarray:
        h = self.time.sums(scores)  # rows in time order
        out = _core.crossprod(h)
        for j in range(1, min(self.lag, self.time.n - 1) + 1):
            om = h[j:].T @ h[:-j]
            out += (1 - j / (self.lag + 1)) * (om + om.T)
        return out

    def groups(self) -> int:
        return self.time.n
