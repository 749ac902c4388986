"""Shared numerics for the panel estimators: sample preparation, the within transformation and
covariance matrices in Stata's small-sample conventions (docs/methods.md §3).

Parametrisation used throughout (the one `xtreg, fe` uses to report `_cons`): every regressor is
entity-demeaned (or centred on its mean for pooled OLS) and its grand mean is added back, and a
constant is estimated. Centred columns are orthogonal to the constant, so we solve the centred
problem and recover `_cons = ybar - mean(W) @ b` afterwards; this keeps the normal equations well
conditioned when regressors have large means.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.linalg as sla
import scipy.sparse as sp
from scipy import special  # the functions scipy.stats' t/norm/F/chi2 call; 1 s less import

EFFECTS = ("none", "entity", "twoway")
COV_TYPES = ("unadjusted", "robust", "clustered", "driscoll_kraay")
COLLINEAR_TOL = 1e-9  # 1 - R^2 of a column on the earlier ones below this: collinear


class Grouping:
    """Integer group codes with a cached sparse indicator, for fast group sums and means."""

    def __init__(self, codes: np.ndarray) -> None:
        self.codes = codes
        self.n = int(codes.max()) + 1 if len(codes) else 0
        self.counts = np.bincount(codes, minlength=self.n).astype(float)
        order = np.argsort(codes, kind="stable")
        indptr = np.concatenate([[0], np.cumsum(self.counts.astype(np.int64))])
        self._ind = sp.csr_matrix((np.ones(len(codes)), order, indptr), shape=(self.n, len(codes)))

    def sums(self, a: np.ndarray) -> np.ndarray:
        return np.asarray(self._ind @ a)

    def means(self, a: np.ndarray) -> np.ndarray:
        s = self.sums(a)
        return s / (self.counts[:, None] if s.ndim == 2 else self.counts)

    def demean(self, a: np.ndarray) -> np.ndarray:
        """Within transformation (closed form, balanced or not). take + in-place subtract avoids
        a second n x k temporary (3x faster than `a - means[codes]`)."""
        out = np.take(self.means(a), self.codes, axis=0)
        np.subtract(a, out, out=out)
        return out


@dataclass
class Sample:
    """Estimation sample after dropping rows with missing values."""

    frame: pd.DataFrame
    nobs: int
    n_dropped_missing: int
    entity: Grouping | None = None
    time: Grouping | None = None  # codes 0..T-1 in sorted time order
    time_values: np.ndarray | None = None  # value of each observation's time column
    cluster: Grouping | None = None

    def matrix(self, names: list[str]) -> np.ndarray:
        if not names:
            return np.empty((self.nobs, 0))
        return self.frame[names].to_numpy(dtype=float)

    def col(self, name: str) -> np.ndarray:
        return self.frame[name].to_numpy(dtype=float)


def _codes(values: pd.Series) -> np.ndarray:
    return pd.factorize(values, sort=True)[0].astype(np.intp)


def prepare(
    df: pd.DataFrame,
    numeric: list[str],
    *,
    entity: str | None,
    time: str | None,
    cluster: str | None,
) -> Sample:
    """Validate columns, drop rows with a missing value in any used column (counted) and encode
    the keys."""
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"df must be a pandas DataFrame, got {type(df).__name__}")
    dup = sorted({c for c in numeric if numeric.count(c) > 1})
    if dup:
        raise ValueError(f"column(s) used twice in the model: {dup}")
    keys = [k for k in dict.fromkeys([entity, time, cluster]) if k is not None]
    missing = [c for c in [*numeric, *keys] if c not in df.columns]
    if missing:
        raise ValueError(f"column(s) not found in the data: {missing}")
    for c in numeric:
        dt = df[c].dtype
        if not (pd.api.types.is_numeric_dtype(dt) or pd.api.types.is_bool_dtype(dt)):
            raise TypeError(f"column '{c}' must be numeric, has dtype {dt}")
    used = list(dict.fromkeys([*numeric, *keys]))
    sub = df[used]
    ok = sub.notna().all(axis=1).to_numpy()
    n = int(ok.sum())
    if n == 0:
        raise ValueError("no observations left after dropping rows with missing values")
    if n < len(df):
        sub = sub.loc[ok]
    vals = sub[numeric].to_numpy(dtype=float)
    if not np.isfinite(vals).all():
        bad = [c for j, c in enumerate(numeric) if not np.isfinite(vals[:, j]).all()]
        raise ValueError(f"column(s) contain infinite values: {bad}")
    s = Sample(frame=sub, nobs=n, n_dropped_missing=int(len(df) - n))
    groupings: dict[str, Grouping] = {}
    for k in keys:
        groupings[k] = Grouping(_codes(sub[k]))
    s.entity = groupings.get(entity) if entity else None
    s.time = groupings.get(time) if time else None
    s.cluster = groupings.get(cluster) if cluster else None
    if time is not None:
        s.time_values = sub[time].to_numpy()
    if s.entity is not None and s.time is not None:
        pairs = s.entity.codes.astype(np.int64) * s.time.n + s.time.codes
        if np.bincount(pairs).max() > 1:
            raise ValueError(f"duplicate ({entity}, {time}) pairs: the panel is not uniquely keyed")
    return s


_BLOCK = 1024


def crossprod(a: np.ndarray, b: np.ndarray | None = None) -> np.ndarray:
    """a' b (a' a if b is None) in blocks of 1024 rows. OpenBLAS multithreads one big n x k
    product; on a busy 2-core machine that took 10-100x longer (seen: 4 ms -> 1.6 s) while blocks
    this size stay on its single-threaded path and are as fast when the machine is idle."""
    n = a.shape[0]
    if n <= _BLOCK:
        return a.T @ (a if b is None else b)
    out = None
    for i in range(0, n, _BLOCK):
        blk = a[i : i + _BLOCK]
        part = blk.T @ (blk if b is None else b[i : i + _BLOCK])
        out = part if out is None else out + part
    return out


def rows_dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a @ b for tall `a`, in row blocks for the same reason as `crossprod`."""
    if a.shape[0] <= _BLOCK:
        return a @ b
    out = np.empty((a.shape[0], *b.shape[1:]))
    for i in range(0, a.shape[0], _BLOCK):
        out[i : i + _BLOCK] = a[i : i + _BLOCK] @ b
    return out


def sumsq(v: np.ndarray) -> float:
    """v'v without BLAS ddot (multithreaded for long vectors, see `crossprod`)."""
    return float(np.einsum("i,i->", v, v))


def demean(a: np.ndarray, groups: Grouping | None) -> np.ndarray:
    """Within transformation by `groups`, or plain centring when None (pooled OLS)."""
    return groups.demean(a) if groups is not None else a - a.mean(axis=0)


def independent_columns(gram_c: np.ndarray, raw_ss: np.ndarray) -> np.ndarray:
    """Indices of columns kept by an ordered collinearity sweep (like Stata's _rmcoll: a column
    collinear with earlier ones is dropped). `gram_c` is the cross-product of the demeaned columns;
    a column whose demeaned sum of squares is ~0 relative to its raw one is absorbed by the
    constant / fixed effects."""
    d = np.diag(gram_c).copy()
    alive = d > 1e-12 * np.maximum(raw_ss, 1e-300)
    scale = np.where(alive, 1.0 / np.sqrt(np.where(alive, d, 1.0)), 0.0)
    r = gram_c * scale[:, None] * scale[None, :]
    keep: list[int] = []
    chol = np.zeros_like(r)
    for j in np.flatnonzero(alive):
        if keep:
            m = len(keep)
            ell = sla.solve_triangular(chol[:m, :m], r[keep, j], lower=True)
            resid = r[j, j] - ell @ ell
        else:
            m, ell, resid = 0, np.empty(0), r[j, j]
        if resid > COLLINEAR_TOL:
            chol[m, :m] = ell
            chol[m, m] = np.sqrt(resid)
            keep.append(int(j))
    return np.array(keep, dtype=np.intp)


def sym_inv(gram: np.ndarray) -> np.ndarray:
    """Inverse of a positive definite cross-product matrix via a scaled Cholesky factorisation."""
    if gram.shape[0] == 0:
        return gram.copy()
    s = 1.0 / np.sqrt(np.diag(gram))
    c = sla.cho_factor(gram * s[:, None] * s[None, :])
    inv = sla.cho_solve(c, np.eye(len(s)))
    return inv * s[:, None] * s[None, :]


def bartlett_lag(n_periods: int) -> int:
    """xtscc's default maximum lag floor(4 * (T/100)^(2/9))."""
    return int(np.floor(4 * (n_periods / 100) ** (2 / 9)))


@dataclass
class CovSpec:
    """How to compute V. `k` counts estimated columns including the constant; `absorbed` is the
    number of absorbed entity effects beyond the constant (G_entity - 1, or 0)."""

    cov: str
    k: int
    absorbed: int = 0
    clusters: Grouping | None = None
    k_cluster: int | None = None  # K of the cluster factor when it differs from k (cluster_k)
    time: Grouping | None = None
    bandwidth: int | None = None
    dk_ase: bool = False
    small: bool = True  # False: ivregress/ivreg2 large-sample (no dof factors, z inference)


def covariance(
    design_c: np.ndarray,
    resid: np.ndarray,
    means: np.ndarray,
    spec: CovSpec,
    bread_c: np.ndarray | None = None,
) -> tuple[np.ndarray, float | None, dict[str, float]]:
    """Covariance of (b, _cons) for the centred design (`design_c` = regressors, or fitted
    regressors for 2SLS). Returns V in the reported parametrisation, the t degrees of freedom
    (None = normal) and extra diagnostics."""
    from . import covariance as _cov  # one class per type, one small-sample rule

    n, p = design_c.shape
    if bread_c is None:
        bread_c = sym_inv(crossprod(design_c))
    bread = np.zeros((p + 1, p + 1))
    bread[:p, :p] = bread_c
    bread[p, p] = 1.0 / n
    info: dict[str, float] = {}
    dof = n - spec.k - spec.absorbed
    if dof <= 0:
        raise ValueError(
            f"no residual degrees of freedom: {n} observations, {spec.k} regressors "
            f"and {spec.absorbed} absorbed effects"
        )
    df_inf: float | None = dof
    # K of N/(N-K): regressors and absorbed effects; large-sample (ivregress without `small`)
    # counts only the absorbed effects beyond the constant
    k_hc = spec.k + spec.absorbed if spec.small else (spec.absorbed + 1 if spec.absorbed else 0)
    if spec.cov == "unadjusted":
        v = _cov.small_sample_factor(n, k_hc) * (sumsq(resid) / n) * bread
    else:
        scores = np.empty((n, p + 1))
        np.multiply(design_c, resid[:, None], out=scores[:, :p])
        scores[:, p] = resid
        if spec.cov == "robust":
            est = _cov.Robust()
            fac = _cov.small_sample_factor(n, k_hc)
        elif spec.cov == "clustered":
            assert spec.clusters is not None
            est = _cov.Clustered([spec.clusters])
            g = est.groups()
            k_eff = spec.k if spec.k_cluster is None else spec.k_cluster
            fac = _cov.small_sample_factor(n, k_eff, g) if spec.small else 1.0
            df_inf = g - 1
            info["n_clusters"] = g
        elif spec.cov == "driscoll_kraay":
            assert spec.time is not None
            t_n = spec.time.n
            if t_n < 2:
                raise ValueError("Driscoll-Kraay standard errors need at least two time periods")
            lag = bartlett_lag(t_n) if spec.bandwidth is None else int(spec.bandwidth)
            if lag < 0:
                raise ValueError(f"bandwidth must be >= 0, got {lag}")
            est = _cov.DriscollKraay(spec.time, lag)
            fac = 1.0 if (spec.dk_ase or not spec.small) else _cov.small_sample_factor(n, spec.k, t_n)
            df_inf = t_n - 1
            info["dk_bandwidth"] = float(lag)
        else:
            raise ValueError(f"unknown cov {spec.cov!r}")
        v = fac * (bread @ est.meat(scores) @ bread)
    if not spec.small:
        df_inf = None
    # back to the reported parametrisation: _cons = (centred constant) - means @ b
    tinv = np.eye(p + 1)
    tinv[p, :p] = -means
    return tinv @ v @ tinv.T, df_inf, info


def inference(params: np.ndarray, v: np.ndarray, df_inf: float | None):
    se = np.sqrt(np.clip(np.diag(v), 0, None))
    with np.errstate(divide="ignore", invalid="ignore"):
        t = params / se
    p = 2 * (special.stdtr(df_inf, -np.abs(t)) if df_inf else special.ndtr(-np.abs(t)))
    return se, t, p


def wald(b: np.ndarray, v: np.ndarray, df_inf: float | None) -> tuple[float, float]:
    """F form of a Wald test that b = 0 (p from F(q, df) or chi2(q)/q)."""
    q = len(b)
    f = float(b @ np.linalg.solve(v, b)) / q
    p = special.fdtrc(q, df_inf, f) if df_inf else special.chdtrc(q, f * q)
    return f, float(p)


def cluster_k(sample: Sample, effects: str, k: int, n_time_cols: int) -> tuple[int, list[str]]:
    """K in G/(G-1)(N-1)/(N-K) as reghdfe counts it: fixed effects nested in the clusters are not
    counted. Entity nested (the usual case) gives xtreg's K = regressors + time dummies + constant;
    otherwise all entity effects count, and time dummies nested in the clusters (clustering by
    time) do not."""
    cl, ent, tim = sample.cluster, sample.entity, sample.time
    if cl is None or effects == "none" or ent is None or cl is ent or is_nested(ent, cl):
        return k, []
    kk = k + ent.n - 1
    notes = ["entity effects not nested in the clusters: counted in K (reghdfe)"]
    if effects == "twoway" and tim is not None and is_nested(tim, cl):
        kk -= n_time_cols
        notes.append("time dummies nested in the clusters: not counted in K (reghdfe)")
    return kk, notes


def is_nested(inner: Grouping, outer: Grouping) -> bool:
    """True if every `inner` group lies within one `outer` group."""
    pairs = inner.codes.astype(np.int64) * outer.n + outer.codes
    return len(np.unique(pairs)) == inner.n


def time_dummies(time_codes: np.ndarray) -> np.ndarray:
    """Dummies for every period but the first (Stata's i.year base)."""
    t_n = int(time_codes.max()) + 1
    d = np.zeros((len(time_codes), max(t_n - 1, 0)))
    rows = np.flatnonzero(time_codes > 0)
    d[rows, time_codes[rows] - 1] = 1.0
    return d


def unit_trends(sample: Sample) -> np.ndarray:
    """Unit x t columns (all units; the sweep drops the one collinear with the time dummies).
    Dense: meant for province-scale panels."""
    assert sample.entity is not None and sample.time_values is not None
    if not pd.api.types.is_numeric_dtype(np.asarray(sample.time_values).dtype):
        raise TypeError("trends=True needs a numeric time column (its values are the trend)")
    g = sample.entity.n
    if g * sample.nobs > 50_000_000:
        raise ValueError(
            f"trends=True with {g} units would build {g} dense trend columns; too large for this implementation"
        )
    out = np.zeros((sample.nobs, g))
    out[np.arange(sample.nobs), sample.entity.codes] = sample.time_values.astype(float)
    return out
