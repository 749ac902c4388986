"""Difference and system GMM for dynamic panels, following Stata's ``xtabond2`` (Roodman 2009).

One module, plain NumPy. The data are laid on an entity x period grid, so lags respect gaps in
time (a missing period gives a missing lag, never the previous row). Each observation can appear
in two equations, stacked per entity: the first-differenced ("diff") equation and, in system GMM,
the level equation. Conventions copied from xtabond2:

* transformation: first differences (forward orthogonal deviations are not implemented);
* ``gmmstyle(z, laglimits(a b))``: in the diff equation the levels z_{t-a} .. z_{t-b}, one column
  per period and lag (or per lag with ``collapse``); in the level equation the single difference
  dz_{t-a+1} (dz_t if a = 0); a missing lag is a zero in the instrument matrix, it does not drop the observation;
* ``ivstyle(v)``: dv in the diff equation, v in the level equation (``equation()`` restricts it);
  an observation with a missing ivstyle value is dropped (xtabond2 without ``mz``);
* system GMM adds ``_cons`` as a regressor and as an instrument of the level equation;
* one-step weighting (Z'HZ)^-1 with H the tridiagonal (2, -1) matrix for the diff equation and,
  in system GMM, Roodman's default ``h(3)``: [[H_d, M], [M', I]], M holding Cov(de_t, e_s)
  (+1 for s = t, -1 for s = t-1);
* regressors that are all zero or collinear are dropped (the earliest of a collinear set goes
  first, so ``yr*`` dummies lose their first years), and so are instrument columns that are all
  zero or collinear: ``n_instruments`` is the rank of Z, which is what xtabond2 reports;
* reported observations: level-equation rows in system GMM, diff-equation rows otherwise;
* Hansen J is the minimised two-step criterion (so one-step robust and two-step report the same
  J); Sargan uses the one-step homoskedastic weighting (Z'HZ)^-1 and one-step residuals, over
  sigma^2 = e'e/N from the level residuals (system) or half the differenced ones (difference);
* two-step standard errors carry the Windmeijer (2005) correction (with ``robust``); ``small`` gives t / F with
  G-1 (robust, two-step) or N-k degrees of freedom and leaves the robust covariance unscaled,
  as xtabond2 does (G5's published SEs); one-step homoskedastic SEs get N/(N-k) (unverified);
* Arellano-Bond AR(1)/AR(2) tests on the diff-equation residuals (Arellano and Bond 1991 eq. 8
  as in Roodman 2009), using the full-system residuals in the cross term.

Variable names may carry lag operators: ``L.n``, ``L2.n``, ``L(0/1).w``, ``L(0/2).(k ys)`` and
glob patterns such as ``yr*`` (matched against the data frame's columns); see `expand_varlist`.
"""

from __future__ import annotations

import fnmatch
import re
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import stats

from .result import FitResult

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["GmmStyle", "IvStyle", "fit_gmm", "lag", "year_dummies", "expand_varlist"]

_EQUATIONS = ("both", "diff", "level")


@dataclass
class GmmStyle:
    """``gmmstyle(variables, laglimits(lag_min lag_max) collapse equation(...))``."""

    variables: list[str] | str
    lag_min: int = 1
    lag_max: int | None = None
    collapse: bool = False
    equation: str = "both"


@dataclass
class IvStyle:
    """``ivstyle(variables, equation(...))``."""

    variables: list[str] | str
    equation: str = "both"


# --------------------------------------------------------------------------- variable names


def _split_tokens(spec: str | list[str]) -> list[str]:
    """Split a Stata-like varlist on blanks that are not inside parentheses."""
    if not isinstance(spec, str):
        return [tok for s in spec for tok in _split_tokens(s)]
    tokens, depth, cur = [], 0, ""
    for ch in spec:
        depth += ch == "("
        depth -= ch == ")"
        if ch.isspace() and depth == 0:
            if cur:
                tokens.append(cur)
            cur = ""
        else:
            cur += ch
    if cur:
        tokens.append(cur)
    return tokens


def _lag_name(var: str, k: int) -> str:
    """Name of lag k of ``var``, folding an existing lag: (``L.n``, 2) -> ``L3.n``."""
    base, k0 = _parse_name(var)
    k += k0
    return base if k == 0 else ("L." if k == 1 else f"L{k}.") + base


_OP = re.compile(r"^L(?:\((\d+)/(\d+)\)|(\d*))\.(.+)$")


def _parse_name(name: str) -> tuple[str, int]:
    """``"L2.n"`` -> ``("n", 2)``; nested operators add up (``L.L.n`` is lag 2)."""
    m = _OP.match(name)
    if not m or m.group(1) is not None:
        return name, 0
    base, k = _parse_name(m.group(4))
    return base, k + (int(m.group(3)) if m.group(3) else 1)


def expand_varlist(spec: str | list[str], columns: Sequence[str] = ()) -> list[str]:
    """Expand ``L(0/1).(w k)``, ``L.(n w)``, ``L2.n`` and glob patterns (``yr*``) into names
    ``w L.w k L.k`` ... (variable-major, as Stata does). Globs match ``columns`` in their order."""
    out: list[str] = []
    for tok in _split_tokens(spec):
        m = _OP.match(tok)
        if m:
            lags = (
                range(int(m.group(1)), int(m.group(2)) + 1)
                if m.group(1) is not None
                else [int(m.group(3)) if m.group(3) else 1]
            )
            inner = m.group(4)
            if inner.startswith("(") and inner.endswith(")"):
                inner = inner[1:-1]
            for sub in expand_varlist(inner, columns):
                out.extend(_lag_name(sub, k) for k in lags)
        elif any(c in tok for c in "*?["):
            hits = [c for c in map(str, columns) if fnmatch.fnmatchcase(c, tok)]
            if not hits:
                raise ValueError(f"pattern {tok!r} matches no column")
            out.extend(hits)
        else:
            out.append(tok)
    return list(dict.fromkeys(out))


# --------------------------------------------------------------------------- panel helpers


class _Grid:
    """The data on an entity x period grid (G x T arrays, NaN where a period is absent)."""

    def __init__(self, df: pd.DataFrame, entity: str, time: str) -> None:
        for c in (entity, time):
            if c not in df.columns:
                raise ValueError(f"unknown column {c!r}")
        if df[[entity, time]].isna().any().any():
            raise ValueError("panel keys contain missing values")
        t = pd.to_numeric(df[time]).to_numpy()
        if not np.allclose(t, np.round(t)):
            raise ValueError(f"time variable {time!r} must hold integers")
        t = np.round(t).astype(np.int64)
        if df.duplicated([entity, time]).any():
            raise ValueError(f"repeated ({entity}, {time}) pairs in the panel")
        ut = np.unique(t)
        delta = 1 if len(ut) < 2 else int(np.gcd.reduce(np.diff(ut)))
        self.df = df
        self.ids, self.gi = np.unique(df[entity].to_numpy(), return_inverse=True)
        self.t0, self.delta = int(ut[0]), delta
        self.ti = (t - self.t0) // delta
        self.G, self.T = len(self.ids), int(self.ti.max()) + 1
        self.times = self.t0 + delta * np.arange(self.T)
        self._cache: dict[str, np.ndarray] = {}

    def get(self, name: str) -> np.ndarray:
        if name in self._cache:
            return self._cache[name]
        base, k = _parse_name(name)
        if base not in self.df.columns:
            raise ValueError(f"unknown column {base!r}" + (f" (in {name!r})" if base != name else ""))
        col = self.df[base]
        if not (pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col)):
            raise ValueError(f"column {base!r} is not numeric")
        a = np.full((self.G, self.T), np.nan)
        a[self.gi, self.ti] = pd.to_numeric(col).to_numpy(dtype=float, na_value=np.nan)
        out = _shift(a, k)
        self._cache[name] = out
        return out


def _shift(a: np.ndarray, k: int) -> np.ndarray:
    """Lag (k > 0) or lead (k < 0) along the period axis, NaN where the period is outside."""
    out = np.full_like(a, np.nan)
    if k == 0:
        return a.copy()
    if abs(k) >= a.shape[1]:
        return out
    if k > 0:
        out[:, k:] = a[:, :-k]
    else:
        out[:, :k] = a[:, -k:]
    return out


def _diff(a: np.ndarray) -> np.ndarray:
    return a - _shift(a, 1)


def lag(df: pd.DataFrame, var: str, k: int, entity: str, time: str) -> pd.Series:
    """``L{k}.var``: the value k periods earlier for the same entity, NaN across gaps."""
    g = _Grid(df, entity, time)
    return pd.Series(_shift(g.get(var), k)[g.gi, g.ti], index=df.index, name=_lag_name(var, k))


def year_dummies(df: pd.DataFrame, time: str, prefix: str = "yr") -> pd.DataFrame:
    """``df`` with one 0/1 column per period, named ``{prefix}{period}`` (Stata's abdata yr*)."""
    d = pd.get_dummies(df[time], prefix=prefix, prefix_sep="", dtype=float)
    return pd.concat([df, d], axis=1)


# --------------------------------------------------------------------------- linear algebra


def _independent_columns(A: np.ndarray, order, tol: float = 1e-9) -> list[int]:
    """Greedy selection of columns (in ``order``) that are nonzero and not collinear with the
    columns already kept."""
    kept: list[int] = []
    basis = np.zeros((A.shape[0], 0))
    for j in order:
        v = A[:, j]
        nv = np.linalg.norm(v)
        if nv == 0:
            continue
        r = v - basis @ (basis.T @ v)
        r = r - basis @ (basis.T @ r)
        nr = np.linalg.norm(r)
        if nr > tol * nv:
            kept.append(j)
            basis = np.column_stack([basis, r / nr])
    return sorted(kept)


def _sym_inv(A: np.ndarray) -> np.ndarray:
    return np.linalg.pinv((A + A.T) / 2, hermitian=True)


def _gmm_step(ZX: np.ndarray, Zy: np.ndarray, W: np.ndarray):
    """b = (X'Z W Z'X)^-1 X'Z W Z'y, and (X'Z W Z'X)^-1."""
    Qi = _sym_inv(ZX.T @ W @ ZX)
    return Qi @ (ZX.T @ W @ Zy), Qi


def _per_group(Z: np.ndarray, v: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """G x L matrix whose row i is Z_i' v_i (rows of one entity are contiguous from bounds[i])."""
    return np.add.reduceat(Z * v[:, None], bounds, axis=0)


def _two_step(X, y, Z, bounds, b_first):
    """Two-step GMM with W = (sum_i Z_i' e_i e_i' Z_i)^-1 built from the residuals at b_first.
    Returns (b2, (X'Z W Z'X)^-1, W)."""
    Ze = _per_group(Z, y - X @ b_first, bounds)
    W = _sym_inv(Ze.T @ Ze)
    b2, V2 = _gmm_step(Z.T @ X, Z.T @ y, W)
    return b2, V2, W


def _windmeijer_d(X, Z, bounds, e1, e2, W2, V2) -> np.ndarray:
    """Windmeijer (2005): D = d b2 / d b1, column j = -V2 X'Z W2 (dS/db_j) W2 Z'e2 with
    S(b) = sum_i Z_i' e_i(b) e_i(b)' Z_i, so dS/db_j = -(A_j + A_j'), A_j = sum_i Z_i'x_ij e1_i'Z_i."""
    k = X.shape[1]
    Ze1 = _per_group(Z, e1, bounds)
    ZXg = np.add.reduceat(Z[:, :, None] * X[:, None, :], bounds, axis=0)  # G x L x k
    r = W2 @ (Z.T @ e2)
    left = V2 @ (Z.T @ X).T @ W2
    D = np.empty((k, k))
    for j in range(k):
        A = ZXg[:, :, j].T @ Ze1
        D[:, j] = left @ ((A + A.T) @ r)
    return D


# --------------------------------------------------------------------------- the estimator


def fit_gmm(
    df: pd.DataFrame,
    y: str,
    x: list[str] | str,
    *,
    entity: str,
    time: str,
    gmm: list[GmmStyle],
    iv: list[IvStyle] = (),
    system: bool = True,
    two_step: bool = False,
    robust: bool = True,
    small: bool = False,
    constant: bool = True,
) -> FitResult:
    """Arellano-Bond (``system=False``, xtabond2's ``nolevel``) or Blundell-Bond system GMM.

    Mirrors ``xtabond2 y x, gmmstyle(...) ivstyle(...) [nolevel] [twostep] [robust] [small]``.
    One-step: ``robust`` gives the cluster-robust sandwich, otherwise sigma^2 (X'ZAZ'X)^-1.
    Two-step: ``robust`` (the default) gives Windmeijer-corrected SEs, as ``twostep robust`` does;
    ``robust=False`` gives xtabond2's uncorrected two-step SEs, which are biased downwards.

    Variable lists accept lag operators and globs (see `expand_varlist`). Raises ValueError for
    unknown columns, panels too short for the lags asked, empty or too small instrument sets;
    warns when the instruments outnumber the groups.
    """
    if not gmm and not iv:
        raise ValueError("no instruments: give at least one GmmStyle or IvStyle")
    grid = _Grid(df, entity, time)
    cols = list(df.columns)
    xnames = expand_varlist(x, cols)
    ynm = expand_varlist(y, cols)
    if len(ynm) != 1:
        raise ValueError("y must name one variable")
    ynm = ynm[0]
    for spec in [*gmm, *iv]:
        if spec.equation not in _EQUATIONS:
            raise ValueError(f"equation must be one of {_EQUATIONS}, got {spec.equation!r}")
        if not system and spec.equation == "level":
            raise ValueError("equation='level' instruments need system GMM (system=True)")
    for g in gmm:
        if g.lag_min < 0 or (g.lag_max is not None and g.lag_max < g.lag_min):
            raise ValueError(f"bad lag limits ({g.lag_min}, {g.lag_max})")
    gmm_vars = [(g, expand_varlist(g.variables, cols)) for g in gmm]
    iv_vars = [(s, expand_varlist(s.variables, cols)) for s in iv]
    for nm in [ynm, *xnames, *(v for _, vs in gmm_vars for v in vs), *(v for _, vs in iv_vars for v in vs)]:
        grid.get(nm)  # raises on unknown columns

    G, T = grid.G, grid.T
    Y = grid.get(ynm)
    Xl = [grid.get(v) for v in xnames]
    dY, dX = _diff(Y), [_diff(a) for a in Xl]

    # --- which (entity, period) cells enter each equation
    ok_d = ~np.isnan(dY)
    ok_l = ~np.isnan(Y)
    for a, da in zip(Xl, dX):
        ok_d &= ~np.isnan(da)
        ok_l &= ~np.isnan(a)
    for s, vs in iv_vars:
        for v in vs:
            a = grid.get(v)
            if s.equation in ("both", "diff"):
                ok_d &= ~np.isnan(_diff(a))
            if system and s.equation in ("both", "level"):
                ok_l &= ~np.isnan(a)
    if not system:
        ok_l[:] = False
    if not ok_d.any() or (system and not ok_l.any()):
        need = 2 + max([_parse_name(v)[1] for v in [ynm, *xnames]], default=0)
        raise ValueError(
            f"panel too short for the lags asked: no usable observation in the "
            f"{'differenced' if not ok_d.any() else 'level'} equation (each entity needs at "
            f"least {need} consecutive periods; the panel has {T})"
        )

    # rows stacked per entity: diff rows, then level rows
    rows = []
    for i in range(G):
        for eq, ok in ((0, ok_d), (1, ok_l)):
            for t in np.flatnonzero(ok[i]):
                rows.append((i, t, eq))
    rows = np.array(rows)
    ri, rt, req = rows[:, 0], rows[:, 1], rows[:, 2]
    isd, isl = req == 0, req == 1

    def stack(diff_arr, lev_arr):
        """One column: diff_arr at diff rows, lev_arr at level rows (None = 0)."""
        out = np.zeros(len(rows))
        if diff_arr is not None:
            out[isd] = diff_arr[ri[isd], rt[isd]]
        if lev_arr is not None:
            out[isl] = lev_arr[ri[isl], rt[isl]]
        return out

    yv = stack(dY, Y)
    X = np.column_stack([stack(d, a) for d, a in zip(dX, Xl)]) if xnames else np.zeros((len(rows), 0))
    names = list(xnames)
    if system and constant:
        X = np.column_stack([X, isl.astype(float)])
        names.append("_cons")

    # --- regressors: drop all-zero and collinear columns (earliest of a collinear set first)
    order = [len(names) - 1] if names and names[-1] == "_cons" else []
    order += [j for j in reversed(range(len(names))) if names[j] != "_cons"]
    keep = _independent_columns(X, order)
    dropped = [names[j] for j in range(len(names)) if j not in keep]
    X, names = X[:, keep], [names[j] for j in keep]
    if not names:
        raise ValueError("no regressor left after dropping collinear columns")

    # --- instruments
    Zcols: list[np.ndarray] = []
    zlabels: list[str] = []
    for g, vs in gmm_vars:
        for v in vs:
            a = grid.get(v)
            if g.equation in ("both", "diff"):
                lmax = T if g.lag_max is None else min(g.lag_max, T)
                for l in range(g.lag_min, lmax + 1):  # noqa: E741 (l: the lag, as in Roodman's notation)
                    z = np.nan_to_num(_shift(a, l))
                    if g.collapse:
                        Zcols.append(stack(z, None))
                        zlabels.append(f"gmm D {_lag_name(v, l)}")
                    else:
                        for t in range(T):
                            zt = np.zeros_like(z)
                            zt[:, t] = z[:, t]
                            Zcols.append(stack(zt, None))
                            zlabels.append(f"gmm D {_lag_name(v, l)} t={grid.times[t]}")
            if system and g.equation in ("both", "level"):
                lv = max(g.lag_min - 1, 0)
                z = np.nan_to_num(_shift(_diff(a), lv))
                if g.collapse:
                    Zcols.append(stack(None, z))
                    zlabels.append(f"gmm L D.{_lag_name(v, lv)}")
                else:
                    for t in range(T):
                        zt = np.zeros_like(z)
                        zt[:, t] = z[:, t]
                        Zcols.append(stack(None, zt))
                        zlabels.append(f"gmm L D.{_lag_name(v, lv)} t={grid.times[t]}")
    for s, vs in iv_vars:
        for v in vs:
            a = grid.get(v)
            d_part = _diff(a) if s.equation in ("both", "diff") else None
            l_part = a if system and s.equation in ("both", "level") else None
            Zcols.append(np.nan_to_num(stack(d_part, l_part)))
            zlabels.append(f"iv {s.equation} {v}")
    if system and constant:
        Zcols.append(isl.astype(float))
        zlabels.append("iv level _cons")
    Z = np.column_stack(Zcols) if Zcols else np.zeros((len(rows), 0))
    zkeep = _independent_columns(Z, range(Z.shape[1]))
    Z, zlabels = Z[:, zkeep], [zlabels[j] for j in zkeep]
    L, k = Z.shape[1], X.shape[1]
    if L == 0:
        raise ValueError("the instrument set is empty (every instrument column is zero in the sample)")
    if L < k:
        raise ValueError(f"underidentified: {L} instruments for {k} regressors")
    groups_used = np.unique(ri)
    n_groups = len(groups_used)
    if L > n_groups:
        warnings.warn(
            f"{L} instruments for {n_groups} groups: too many instruments weaken the Hansen test "
            "and bias the estimates (Roodman 2009); consider collapse or lag limits",
            stacklevel=2,
        )

    # --- per-entity pieces
    bounds = np.flatnonzero(np.r_[True, ri[1:] != ri[:-1]])
    slices = [slice(b, e) for b, e in zip(bounds, np.r_[bounds[1:], len(rows)])]

    def h_block(sl):
        t, e = rt[sl], req[sl]
        dt = t[:, None] - t[None, :]
        dd = (e[:, None] == 0) & (e[None, :] == 0)
        ll = (e[:, None] == 1) & (e[None, :] == 1)
        dl = (e[:, None] == 0) & (e[None, :] == 1)
        ld = dl.T
        H = np.where(dd, np.where(dt == 0, 2.0, np.where(np.abs(dt) == 1, -1.0, 0.0)), 0.0)
        H += np.where(ll & (dt == 0), 1.0, 0.0)
        H += np.where(dl, np.where(dt == 0, 1.0, np.where(dt == 1, -1.0, 0.0)), 0.0)
        H += np.where(ld, np.where(dt == 0, 1.0, np.where(dt == -1, -1.0, 0.0)), 0.0)
        return H

    Hs = [h_block(sl) for sl in slices]
    ZHZ = sum(Z[sl].T @ H @ Z[sl] for sl, H in zip(slices, Hs))
    ZX, Zy = Z.T @ X, Z.T @ yv

    W1 = _sym_inv(ZHZ)
    b1, Q1i = _gmm_step(ZX, Zy, W1)
    e1 = yv - X @ b1
    Ze1 = _per_group(Z, e1, bounds)
    S1 = Ze1.T @ Ze1
    V1r = Q1i @ ZX.T @ W1 @ S1 @ W1 @ ZX @ Q1i

    b2, V2, W2 = _two_step(X, yv, Z, bounds, b1)
    e2 = yv - X @ b2
    g2 = Z.T @ e2
    hansen = float(g2 @ W2 @ g2)

    # sigma^2 for the homoskedastic pieces (one-step non-robust SEs, Sargan)
    n_d, n_l = int(isd.sum()), int(isl.sum())
    nobs = n_l if system else n_d
    # (level residuals in system GMM; differenced residuals / 2 in difference GMM, as their
    # variance is 2 sigma^2). With this, G6's Sargan is the chi2(25) = 67.59 Roodman prints.
    if system:
        sig2 = float(e1[isl] @ e1[isl]) / nobs
    else:
        sig2 = float(e1 @ e1) / (2 * nobs)
    g1 = Z.T @ e1
    sargan = float(g1 @ W1 @ g1) / sig2

    if two_step:
        # Windmeijer (2005): D[:, j] = -V2 X'Z W2 (dS/db_j) W2 Z'e2, dS/db_j = -(A_j + A_j')
        D = _windmeijer_d(X, Z, bounds, e1, e2, W2, V2)
        if robust:
            V = V2 + D @ V2 + V2 @ D.T + D @ V1r @ D.T
            cov_type = "two-step, Windmeijer-corrected"
        else:
            V = V2
            cov_type = "two-step, uncorrected (biased downwards)"
        b, e, A_w, Qi = b2, e2, W2, V2
    else:
        b, e, A_w, Qi = b1, e1, W1, Q1i
        if robust:
            V = V1r
            cov_type = "one-step, robust (clustered by entity)"
        else:
            V = sig2 * Q1i * (nobs / (nobs - k) if small else 1.0)
            cov_type = "one-step, homoskedastic"

    # --- Arellano-Bond AR(m) tests on the diff-equation residuals
    robust_like = robust or two_step
    ar = {}
    pos = {(i, t): n for n, (i, t, q) in enumerate(rows) if q == 0}
    for m in (1, 2):
        el = np.zeros(len(rows))
        for n in np.flatnonzero(isd):
            p = pos.get((ri[n], rt[n] - m))
            if p is not None:
                el[n] = e[p]
        num = float(el @ e)
        if robust_like:
            eg = np.array([float(el[sl] @ e[sl]) for sl in slices])  # e_i' el_i
            t1 = float(eg @ eg)
            ZOel = (_per_group(Z, e, bounds) * eg[:, None]).sum(axis=0)  # sum_i Z_i' e_i e_i' el_i
        else:
            Hel = np.concatenate([H @ el[sl] for sl, H in zip(slices, Hs)])
            t1 = sig2 * float(el @ Hel)
            ZOel = sig2 * (Z.T @ Hel)
        xel = X.T @ el
        t2 = -2.0 * float(xel @ Qi @ ZX.T @ A_w @ ZOel)
        t3 = float(xel @ V @ xel)
        var = t1 + t2 + t3
        z = num / np.sqrt(var) if var > 0 else np.nan
        ar[m] = (z, 2 * stats.norm.sf(abs(z)))

    # --- small-sample correction and inference
    # xtabond2's `small` leaves the robust covariance unscaled (G5's published SEs are the
    # unscaled ones); it switches to t / F, with G-1 degrees of freedom when robust.
    df_r = (n_groups - 1 if robust_like else nobs - k) if small else None
    se = np.sqrt(np.diag(V))
    tst = b / se
    pv = 2 * (stats.t.sf(np.abs(tst), df_r) if df_r else stats.norm.sf(np.abs(tst)))

    hansen_df = L - k
    diagnostics = {
        "ar1_z": ar[1][0],
        "ar1_p": ar[1][1],
        "ar2_z": ar[2][0],
        "ar2_p": ar[2][1],
        "hansen_j": hansen,
        "hansen_df": float(hansen_df),
        "hansen_p": float(stats.chi2.sf(hansen, hansen_df)) if hansen_df > 0 else np.nan,
        "sargan": sargan,
        "sargan_df": float(hansen_df),
        "sargan_p": float(stats.chi2.sf(sargan, hansen_df)) if hansen_df > 0 else np.nan,
        "n_instruments": float(L),
        "n_groups": float(n_groups),
    }
    wald_idx = [j for j, nm in enumerate(names) if nm != "_cons"]
    if wald_idx:
        bw, Vw = b[wald_idx], V[np.ix_(wald_idx, wald_idx)]
        wald = float(bw @ np.linalg.solve(Vw, bw))
        q = len(wald_idx)
        if small:
            diagnostics |= {
                "f_stat": wald / q,
                "f_df1": float(q),
                "f_df2": float(df_r),
                "f_p": float(stats.f.sf(wald / q, q, df_r)),
            }
        else:
            diagnostics |= {"wald_chi2": wald, "wald_df": float(q), "wald_p": float(stats.chi2.sf(wald, q))}

    notes = [f"instruments ({L}): " + "; ".join(zlabels)]
    if dropped:
        notes.insert(0, "dropped (zero or collinear): " + " ".join(dropped))
    method = "xtabond2 " + ("system" if system else "difference") + (" two-step" if two_step else " one-step")
    return FitResult(
        method=method,
        dependent=ynm,
        params=pd.Series(b, index=names, name="coef"),
        std_errors=pd.Series(se, index=names, name="std_err"),
        tstats=pd.Series(tst, index=names, name="t" if small else "z"),
        pvalues=pd.Series(pv, index=names, name="pvalue"),
        cov=pd.DataFrame(V, index=names, columns=names),
        nobs=nobs,
        cov_type=cov_type,
        df_inference=df_r,
        n_clusters=n_groups,
        diagnostics=diagnostics,
        notes=notes,
    )
