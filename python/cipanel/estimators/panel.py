"""Pooled OLS, one-way and two-way fixed effects in Stata's conventions (docs/methods.md §3).

Two-way FE is `xtreg y x i.year, fe vce(cluster id)` (= `reghdfe, absorb(id year) vce(cluster id)`):
entity effects absorbed by the within transformation, year dummies as regressors, `_cons` reported
as xtreg does. Why NumPy rather than linearmodels PanelOLS: with both effects absorbed linearmodels
counts every effect in the dof (no published convention), its p-values use n-k instead of G-1
(linearmodels #541) and with year dummies as regressors it is ~5x slower than pyfixest. Entity
demeaning has a closed form for any panel (balanced or not); the time dummies are then partialled
out exactly through their (T-1)x(T-1) cross-product (no alternating projections, no tolerance).
Two routes give identical numbers: `_fit_twoway` (partialled, fast, used for two-way FE) and
`_fit_dense` (dummies/trends as explicit columns, Stata's ordered collinearity rule; used for
pooled, one-way, trends and degenerate designs). All effects/cov combinations share one covariance
routine (`_core.covariance`), so every column of a table follows the same dof and `_cons` rules.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import _core
from .result import FitResult

_R2_LABEL = {
    "none": "R2",
    "entity": "within R2 (xtreg fe)",
    "twoway": "within R2 (xtreg fe, year dummies as regressors)",
}
_METHOD = {
    "none": "pooled OLS (regress)",
    "entity": "one-way FE (xtreg, fe)",
    "twoway": "two-way FE (xtreg y x i.time, fe = reghdfe absorb(entity time))",
}


@dataclass
class _Fit:
    """A solved regression in centred form, ready for `_core.covariance`."""

    design_c: np.ndarray  # centred design (first len(x) columns are x)
    bread_c: np.ndarray
    b: np.ndarray
    cons: float
    means: np.ndarray
    resid: np.ndarray
    k: int  # estimated coefficients incl. constant and time dummies (not entity effects)
    xb: np.ndarray  # fitted values without entity effects and constant (xtreg's overall R2)
    tss_within: float  # sum of squares of entity-demeaned (or centred) y
    rss_fe: float | None  # y residualised on everything but x (reghdfe's within R2)
    n_time_cols: int = 0  # time dummies among the regressors
    n_omitted: int = 0


def _fit_dense(
    x_raw: np.ndarray,
    yv: np.ndarray,
    extra: list[np.ndarray],
    ent: _core.Grouping | None,
    names: list[str],
    n_dummies: int = 0,
) -> _Fit:
    """Explicit columns [x, extra]; collinear extra columns dropped in order like _rmcoll."""
    k_x = x_raw.shape[1]
    w_raw = np.hstack([x_raw, *extra]) if extra else x_raw
    wc, yc = _core.demean(w_raw, ent), _core.demean(yv, ent)
    gram = _core.crossprod(wc)
    keep = _core.independent_columns(gram, np.einsum("ij,ij->j", w_raw, w_raw))
    kept = set(keep.tolist())
    dropped = [names[j] for j in range(k_x) if j not in kept]
    if dropped:
        raise ValueError(
            f"regressor(s) {dropped} are collinear with the fixed effects, the constant or "
            "earlier regressors (Stata would omit them); remove them"
        )
    n_omitted = w_raw.shape[1] - len(keep)
    if n_omitted:
        wc, w_raw, gram = wc[:, keep], w_raw[:, keep], gram[np.ix_(keep, keep)]
    bread = _core.sym_inv(gram)
    wy = _core.crossprod(wc, yc)
    b = bread @ wy
    resid = yc - _core.rows_dot(wc, b)
    means = w_raw.mean(axis=0)
    rss_fe = None
    if len(keep) > k_x:
        o = slice(k_x, len(keep))
        rss_fe = float(_core.sumsq(yc) - wy[o] @ _core.sym_inv(gram[o, o]) @ wy[o])
    n_time_cols = int(((keep >= k_x) & (keep < k_x + n_dummies)).sum())
    return _Fit(
        wc,
        bread,
        b,
        float(yv.mean() - means @ b),
        means,
        resid,
        len(keep) + 1,
        _core.rows_dot(w_raw, b),
        _core.sumsq(yc),
        rss_fe,
        n_time_cols,
        n_omitted,
    )


def _fit_twoway(x_raw: np.ndarray, yv: np.ndarray, ent: _core.Grouping, tim: _core.Grouping) -> _Fit | None:
    """Two-way FE by Frisch-Waugh: entity-demean, then partial out the entity-demeaned time
    dummies D~ using C = D~'D~ = diag(n_t) - M' diag(1/n_i) M (M = unit x period incidence).
    `_cons` and its SE need only the combination m_D' C^-1 D~' y, carried by one extra column
    u = D~ C^-1 m_D with 'mean' u'u. Returns None when the dense route must decide collinearity."""
    n, k_x = x_raw.shape
    e, t = ent.codes, tim.codes
    inc = np.bincount(e * tim.n + t, minlength=ent.n * tim.n).reshape(ent.n, tim.n).astype(float)
    c_full = np.diag(tim.counts) - _core.crossprod(inc, inc / ent.counts[:, None])
    c = c_full[1:, 1:]
    if tim.n < 2 or len(_core.independent_columns(c, tim.counts[1:])) < tim.n - 1:
        return None
    cinv = _core.sym_inv(c)

    def off_d(a_c: np.ndarray, coef: np.ndarray) -> np.ndarray:  # a_c - D~ coef, in place
        full = np.concatenate([np.zeros((1, *coef.shape[1:])), coef])
        counts = ent.counts[:, None] if full.ndim == 2 else ent.counts
        ent_means = _core.rows_dot(inc, full) / counts
        a_c -= np.take(full, t, axis=0)
        a_c += np.take(ent_means, e, axis=0)
        return a_c

    xc, yc = ent.demean(x_raw), ent.demean(yv)
    gam_x = cinv @ tim.sums(xc)[1:]
    gam_y = cinv @ tim.sums(yc)[1:]
    tss_within = _core.sumsq(yc)
    xt, yt = off_d(xc, gam_x), off_d(yc, gam_y)
    gram = _core.crossprod(xt)
    if len(_core.independent_columns(gram, np.einsum("ij,ij->j", x_raw, x_raw))) < k_x:
        return None
    bread_x = _core.sym_inv(gram)
    b = bread_x @ _core.crossprod(xt, yt)
    resid = yt - _core.rows_dot(xt, b)
    m_d = tim.counts[1:] / n
    mu = x_raw.mean(axis=0) - gam_x.T @ m_d
    phi = cinv @ m_d
    u = off_d(np.zeros(n), -phi)
    uu = float(m_d @ phi)  # = u'u
    bread = np.zeros((k_x + 1, k_x + 1))
    bread[:k_x, :k_x], bread[k_x, k_x] = bread_x, 1 / uu
    beta_u = float(m_d @ gam_y) / uu
    cons = float(yv.mean() - mu @ b - m_d @ gam_y)
    delta = np.concatenate([[0.0], gam_y - gam_x @ b])
    return _Fit(
        np.column_stack([xt, u]),
        bread,
        np.append(b, beta_u),
        cons,
        np.append(mu, uu),
        resid,
        k_x + tim.n,
        _core.rows_dot(x_raw, b) + delta[t],
        tss_within,
        _core.sumsq(yt),
        tim.n - 1,
    )


def fit_panel(
    df: pd.DataFrame,
    y: str,
    x: list[str],
    *,
    entity: str,
    time: str,
    effects: str = "twoway",
    cov: str = "clustered",
    cluster: str | None = None,
    trends: bool = False,
    bandwidth: int | None = None,
    dk_ase: bool = False,
    _dense: bool = False,
) -> FitResult:
    """Fit `y` on `x` with the chosen effects and covariance.

    effects: "none" (pooled OLS with constant), "entity", "twoway" (entity FE + time dummies).
    cov: "unadjusted", "robust" (HC1, dof counting absorbed effects, as areg/reghdfe; note that
    Stata's `xtreg, fe robust` means clustered by entity), "clustered" (by `cluster`, default the
    entity column), "driscoll_kraay" (xtscc: Bartlett kernel, lag `bandwidth` or
    floor(4(T/100)^(2/9)); `dk_ase=True` drops the (T/(T-1))((N-1)/(N-K)) factor like xtscc's ase).
    trends: add unit x time columns (time values as the trend; the one collinear with the time
    dummies is dropped, as `xtreg y x i.year i.id#c.year, fe`).
    _dense: testing hook, forces the explicit-dummy route for two-way FE.
    """
    if effects not in _core.EFFECTS:
        raise ValueError(f"effects must be one of {_core.EFFECTS}, got {effects!r}")
    if cov not in _core.COV_TYPES:
        raise ValueError(f"cov must be one of {_core.COV_TYPES}, got {cov!r}")
    if isinstance(x, str):
        x = [x]
    if not x:
        raise ValueError("x must name at least one regressor")
    if trends and effects == "none":
        raise ValueError("trends=True needs entity effects (effects='entity' or 'twoway')")
    if cluster is not None and cov != "clustered":
        raise ValueError(f"cluster={cluster!r} given but cov={cov!r}; use cov='clustered'")
    cl_col = (cluster or entity) if cov == "clustered" else None
    s = _core.prepare(df, [y, *x], entity=entity, time=time, cluster=cl_col)
    ent, tim = s.entity, s.time
    assert ent is not None and tim is not None
    n, k_x = s.nobs, len(x)
    notes: list[str] = []
    x_raw, yv = s.matrix(x), s.col(y)

    fit = None
    if effects == "twoway" and not trends and not _dense:
        fit = _fit_twoway(x_raw, yv, ent, tim)
    if fit is None:
        extra = []
        if effects == "twoway":
            extra.append(_core.time_dummies(tim.codes))
        if trends:
            extra.append(_core.unit_trends(s))
        fit = _fit_dense(
            x_raw, yv, extra, ent if effects != "none" else None, x, extra[0].shape[1] if effects == "twoway" else 0
        )
    if fit.n_omitted:
        notes.append(f"{fit.n_omitted} time-dummy/trend column(s) omitted for collinearity")

    absorbed = ent.n - 1 if effects != "none" else 0
    k_cl, cl_notes = _core.cluster_k(s, effects, fit.k, fit.n_time_cols)
    notes += cl_notes
    spec = _core.CovSpec(
        cov=cov,
        k=fit.k,
        absorbed=absorbed,
        clusters=s.cluster,
        k_cluster=k_cl,
        time=tim,
        bandwidth=bandwidth,
        dk_ase=dk_ase,
    )
    v, df_inf, info = _core.covariance(fit.design_c, fit.resid, fit.means, spec, fit.bread_c)

    idx = [*range(k_x), len(fit.b)]
    names = [*x, "_cons"]
    params = np.append(fit.b, fit.cons)[idx]
    v = v[np.ix_(idx, idx)]
    se, tt, pv = _core.inference(params, v, df_inf)

    rss = _core.sumsq(fit.resid)
    dof = n - fit.k - absorbed
    diag: dict[str, float] = {
        "n_dropped_missing": float(s.n_dropped_missing),
        "n_entities": float(ent.n),
        "n_periods": float(tim.n),
        "k_regressors": float(fit.k),
        "df_absorbed": float(absorbed),
        "df_resid": float(dof),
        "rmse": float(np.sqrt(rss / dof)),
        **info,
    }
    r2 = 1 - rss / fit.tss_within
    if effects != "none":
        diag["r2_within"] = r2
        diag["r2_lsdv"] = 1 - rss / _core.sumsq(yv - yv.mean())
        xb = fit.xb
        xd, yd = xb - xb.mean(), yv - yv.mean()
        sxx = _core.sumsq(xd)
        diag["r2_overall"] = float(np.einsum("i,i->", xd, yd) ** 2 / (sxx * _core.sumsq(yd))) if (sxx > 0) else np.nan
        if fit.rss_fe is not None:  # within R2 net of time dummies / trends (reghdfe)
            diag["r2_within_reghdfe"] = 1 - rss / fit.rss_fe
    if cov == "driscoll_kraay" and pd.api.types.is_numeric_dtype(s.time_values.dtype):
        steps = np.diff(np.unique(s.time_values))
        if len(steps) and not np.allclose(steps, steps[0]):
            notes.append(
                "time periods are not equally spaced: Driscoll-Kraay lags are by position (xtscc refuses such data)"
            )
    if cov == "clustered" and info["n_clusters"] < 20:
        notes.append(f"only {int(info['n_clusters'])} clusters: cluster-robust SEs may be unreliable")

    def ser(a: np.ndarray) -> pd.Series:
        return pd.Series(a, index=names, dtype=float)

    method = _METHOD[effects] + (" + unit trends" if trends else "")
    if cov == "driscoll_kraay":
        method += " with Driscoll-Kraay SE (xtscc" + (", ase)" if dk_ase else ")")
    return FitResult(
        method=method,
        dependent=y,
        params=ser(params),
        std_errors=ser(se),
        tstats=ser(tt),
        pvalues=ser(pv),
        cov=pd.DataFrame(v, index=names, columns=names),
        nobs=n,
        cov_type=cov,
        df_inference=df_inf,
        n_clusters=int(info["n_clusters"]) if "n_clusters" in info else None,
        r_squared=float(r2),
        r_squared_label=_R2_LABEL[effects],
        diagnostics=diag,
        notes=notes,
    )
