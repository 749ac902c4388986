"""Spatial panel models with fixed effects by quasi-maximum likelihood, in the conventions of
Stata's `xsmle ..., fe`: the spatial Durbin model (SDM) and its special cases SAR and SEM,

    SDM  y_t = rho W y_t + X_t b + W X_t theta + mu + a_t + e_t
    SAR  theta = 0                      SEM  y_t = X_t b + mu + a_t + u_t,  u_t = lambda W u_t + e_t

with unit (`entity`), time (`time`) or two-way (`twoway`) fixed effects removed by demeaning, and
the LeSage-Pace direct / indirect / total effects.

Why own code and not only PySAL `spreg`: spreg 1.9 has ML fixed-effects panels for the lag and
the error model with unit effects only (`Panel_FE_Lag`, `Panel_FE_Error`); it has no time or
two-way effects, no WX (Durbin) terms of its own, no effects decomposition for panels and no
Lee-Yu variance correction. The SAR and SEM unit-FE likelihoods below are cross-checked against
spreg in tests/test_spatial.py (an SDM is spreg's lag model with [X, WX] as regressors, which the
tests use too).

Lee and Yu (2010), as xsmle's `type(ind, leeyu)`: demeaning over time removes one period's worth
of information, so the likelihood is evaluated on N(T-1) observations and T-1 periods (xsmle
drops the last period of the sample and reports N(T-1) observations) and sigma^2 = e'e / (N(T-1)).
rho and b are the same as those of the demeaned ("direct") likelihood; only sigma^2, the
log-likelihood and hence the SEs change. The default, `leeyu=False`, is xsmle's default for
`fe type(ind)` (its ado sets the Lee-Yu transformation only when the `leeyu` suboption is given
and posts e(transf_type) "demean" otherwise): the uncorrected direct approach (Elhorst 2003, =
spreg). xsmle accepts leeyu only with unit effects (it replaces type(time|both) by ind with a
warning); here `leeyu=True` with time or two-way effects is an error instead of a silent switch.

Standard errors: the inverse of the analytical information matrix of (b, theta, rho|lambda,
sigma^2) evaluated at the estimates (Elhorst 2014, ch. 3). Effects' SEs by simulation (LeSage and
Pace 2009): `nsim` draws of the parameters from their estimated normal distribution, the SD of
the effects over the draws; point effects at the estimates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import optimize, stats

from .result import FitResult

MODELS = {"sdm", "sar", "sem"}
FE_TYPES = {"entity", "time", "twoway"}


@dataclass
class SpatialResult:
    model: str
    fe: str
    dependent: str
    params: pd.Series  # b, W*x (SDM), rho or lambda
    bse: pd.Series
    cov: pd.DataFrame
    sigma2: float
    loglik: float
    pseudo_r2: float  # squared correlation of the reduced-form prediction with y, both demeaned
    nobs: int
    n_units: int
    n_periods: int
    effects: pd.DataFrame  # index (effect, variable); estimate, std_error, z, p_value
    tests: dict[str, float] = field(default_factory=dict)  # wald/lr vs SAR and SEM with p-values
    notes: list[str] = field(default_factory=list)

    @property
    def zstats(self) -> pd.Series:
        return self.params / self.bse

    @property
    def pvalues(self) -> pd.Series:
        return pd.Series(2 * stats.norm.sf(np.abs(self.zstats)), index=self.params.index)

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        q = stats.norm.ppf(0.5 + level / 2)
        return pd.DataFrame({"lower": self.params - q * self.bse, "upper": self.params + q * self.bse})

    def summary(self) -> str:
        table = pd.DataFrame({"coef": self.params, "std_err": self.bse, "z": self.zstats, "p": self.pvalues})
        lines = [
            (
                f"{self.model.upper()} with {self.fe} fixed effects (QML): N = {self.n_units}, T = {self.n_periods}, "
                f"log-likelihood {self.loglik:.4f}, sigma2 {self.sigma2:.6g}, pseudo R2 {self.pseudo_r2:.4f}"
            ),
            table.to_string(float_format="%.4f"),
        ]
        if len(self.effects):
            lines += ["", "Effects (LeSage-Pace):", self.effects.to_string(float_format="%.4f")]
        if self.tests:
            lines += ["", "Tests: " + ", ".join(f"{k} {v:.4g}" for k, v in self.tests.items())]
        return "\n".join(lines)

    def to_fit_result(self) -> FitResult:
        """The generic result type of the tables and the results store; diagnostics carry rho,
        the log-likelihood, the tests and the effects (effect_<kind>_<variable>[_se])."""
        diag = {"loglik": self.loglik, "pseudo_r2": self.pseudo_r2, "sigma2": self.sigma2, **self.tests}
        for (kind, var), row in self.effects.iterrows():
            diag[f"effect_{kind}_{var}"] = float(row["estimate"])
            diag[f"effect_{kind}_{var}_se"] = float(row["std_error"])
        return FitResult(
            method=f"spatial {self.model.upper()} with {self.fe} FE by QML (xsmle, fe type({self.fe}))",
            dependent=self.dependent,
            params=self.params,
            std_errors=self.bse,
            tstats=self.zstats,
            pvalues=self.pvalues,
            cov=self.cov,
            nobs=self.nobs,
            cov_type="oim (information matrix)",
            df_inference=None,
            r_squared=self.pseudo_r2,
            r_squared_label="pseudo R2 (corr^2, xsmle)",
            diagnostics=diag,
            notes=list(self.notes),
        )


# ------------------------------------------------------------------------------------ helpers
def _demean(a: np.ndarray, fe: str) -> np.ndarray:
    """a: (T, N, ...). Unit FE removes unit means over time; time FE period means over units."""
    out = a.copy()
    if fe in ("entity", "twoway"):
        out = out - a.mean(axis=0, keepdims=True)
    if fe in ("time", "twoway"):
        out = out - a.mean(axis=1, keepdims=True)
        if fe == "twoway":
            out = out + a.mean(axis=(0, 1), keepdims=True)
    return out


def _wlag(w: np.ndarray, a: np.ndarray) -> np.ndarray:
    """W applied to each period of a (T, N, ...)."""
    return np.einsum("ij,tj...->ti...", w, a)


def _panel_arrays(df, y, x, entity, time, w):
    frame = df[[entity, time, y, *x]]
    if frame[[y, *x]].isna().any().any():
        col = next(c for c in [y, *x] if frame[c].isna().any())
        row = frame[frame[col].isna()].iloc[0]
        raise ValueError(
            f"missing {col!r} for unit {str(row[entity])!r}, {time} {row[time]!r}: spatial models need a balanced panel without gaps"
        )
    units = np.sort(frame[entity].unique())
    periods = np.sort(frame[time].unique())
    n, t = len(units), len(periods)
    if w.shape != (n, n):
        raise ValueError(
            f"W is {w.shape[0]} x {w.shape[1]} but the panel has {n} units (W must follow the sorted unit codes)"
        )
    if len(frame) != n * t or frame.duplicated([entity, time]).any():
        counts = frame.groupby(entity)[time].nunique()
        short = counts.idxmin()
        raise ValueError(f"spatial models need a balanced panel: unit {str(short)!r} has {counts.min()} of {t} periods")
    f = frame.set_index([time, entity]).sort_index()
    ya = f[y].to_numpy(float).reshape(t, n)
    xa = f[x].to_numpy(float).reshape(t, n, len(x))
    return ya, xa, units, periods


@dataclass
class _Fit:
    coef: np.ndarray  # b (and theta)
    spatial: float
    sigma2: float
    loglik: float
    cov: np.ndarray  # over [coef, spatial]
    fitted: np.ndarray  # reduced-form prediction (T, N) of the demeaned y


def _logdet_fn(w):
    eig = np.linalg.eigvals(w)
    real = eig.real[np.abs(eig.imag) < 1e-10]
    lo, hi = 1.0 / real.min(), 1.0 / real.max()
    return (lambda r: float(np.sum(np.log(1.0 - r * eig)).real)), (lo, hi)


def _fit_lag(yd, wyd, zd, w, n_eff, t_eff):
    """SAR/SDM: concentrated likelihood in rho (Anselin 1988; Elhorst 2014)."""
    t, n = yd.shape
    ys, wys, z = yd.reshape(-1), wyd.reshape(-1), zd.reshape(t * n, -1)
    zz_inv = np.linalg.inv(z.T @ z)
    b0, b1 = zz_inv @ z.T @ ys, zz_inv @ z.T @ wys
    e0, e1 = ys - z @ b0, wys - z @ b1
    logdet, (lo, hi) = _logdet_fn(w)

    def negll(r):
        e = e0 - r * e1
        return n_eff / 2 * np.log(e @ e / n_eff) - t_eff * logdet(r)

    rho = optimize.minimize_scalar(negll, bounds=(lo + 1e-6, hi - 1e-6), method="bounded", options={"xatol": 1e-10}).x
    b = b0 - rho * b1
    e = e0 - rho * e1
    s2 = e @ e / n_eff
    ll = -n_eff / 2 * (np.log(2 * np.pi * s2) + 1) + t_eff * logdet(rho)
    a_inv = np.linalg.inv(np.eye(n) - rho * w)
    g = w @ a_inv
    zb = (z @ b).reshape(t, n)
    h = (zb @ g.T).reshape(-1)
    k = len(b)
    info = np.zeros((k + 2, k + 2))
    info[:k, :k] = z.T @ z / s2
    info[:k, k] = info[k, :k] = z.T @ h / s2
    info[k, k] = t_eff * np.trace(g @ g + g.T @ g) + h @ h / s2
    info[k, k + 1] = info[k + 1, k] = t_eff * np.trace(g) / s2
    info[k + 1, k + 1] = n_eff / (2 * s2**2)
    cov = np.linalg.inv(info)[: k + 1, : k + 1]
    fitted = zb @ a_inv.T
    return _Fit(b, float(rho), float(s2), float(ll), cov, fitted)


def _fit_error(yd, xd, w, n_eff, t_eff):
    """SEM: concentrated likelihood in lambda, b by OLS on the spatially filtered data."""
    t, n = yd.shape
    logdet, (lo, hi) = _logdet_fn(w)

    def filtered(lam):
        b_ = np.eye(n) - lam * w
        ys = (yd @ b_.T).reshape(-1)
        xs = np.einsum("ij,tjk->tik", b_, xd).reshape(t * n, -1)
        coef, *_ = np.linalg.lstsq(xs, ys, rcond=None)
        return coef, ys - xs @ coef, xs

    def negll(lam):
        _, e, _ = filtered(lam)
        return n_eff / 2 * np.log(e @ e / n_eff) - t_eff * logdet(lam)

    lam = optimize.minimize_scalar(negll, bounds=(lo + 1e-6, hi - 1e-6), method="bounded", options={"xatol": 1e-10}).x
    coef, e, xs = filtered(lam)
    s2 = e @ e / n_eff
    ll = -n_eff / 2 * (np.log(2 * np.pi * s2) + 1) + t_eff * logdet(lam)
    g = w @ np.linalg.inv(np.eye(n) - lam * w)
    k = len(coef)
    info = np.zeros((k + 2, k + 2))
    info[:k, :k] = xs.T @ xs / s2
    info[k, k] = t_eff * np.trace(g @ g + g.T @ g)
    info[k, k + 1] = info[k + 1, k] = t_eff * np.trace(g) / s2
    info[k + 1, k + 1] = n_eff / (2 * s2**2)
    cov = np.linalg.inv(info)[: k + 1, : k + 1]
    fitted = np.einsum("tnk,k->tn", xd, coef)
    return _Fit(coef, float(lam), float(s2), float(ll), cov, fitted)


def _effects(beta, theta, rho, cov, idx_b, idx_t, idx_r, w, names, nsim, seed) -> pd.DataFrame:
    n = w.shape[0]
    eye = np.eye(n)

    def compute(b, th, r):
        a_inv = np.linalg.inv(eye - r * w)
        out = []
        for j in range(len(b)):
            s = a_inv @ (b[j] * eye + th[j] * w)
            direct, total = np.trace(s) / n, s.sum() / n
            out.append((direct, total - direct, total))
        return np.array(out)  # (k, 3)

    point = compute(beta, theta, rho)
    rng = np.random.default_rng(seed)
    mean = np.zeros(cov.shape[0])
    draws = rng.multivariate_normal(mean, cov, size=nsim, method="eigh")
    sims = np.empty((nsim, len(beta), 3))
    for s in range(nsim):
        d = draws[s]
        b = beta + d[idx_b]
        th = theta + (d[idx_t] if idx_t is not None else 0.0)
        sims[s] = compute(b, th, rho + d[idx_r])
    sd = sims.std(axis=0, ddof=1)
    rows = []
    for e, kind in enumerate(("direct", "indirect", "total")):
        for j, name in enumerate(names):
            est, se = point[j, e], sd[j, e]
            rows.append(
                {
                    "effect": kind,
                    "variable": name,
                    "estimate": est,
                    "std_error": se,
                    "z": est / se if se > 0 else np.nan,
                    "p_value": 2 * stats.norm.sf(abs(est / se)) if se > 0 else np.nan,
                }
            )
    return pd.DataFrame(rows).set_index(["effect", "variable"])


# ------------------------------------------------------------------------------------ estimator
def fit_spatial(
    df: pd.DataFrame,
    y: str,
    x: list[str],
    *,
    entity: str,
    time: str,
    w: np.ndarray,
    model: str = "sdm",
    fe: str = "entity",
    durbin: list[str] | None = None,
    leeyu: bool = False,
    nsim: int = 500,
    seed: int | None = 12345,
    tests: bool = True,
) -> SpatialResult:
    """`xsmle y x, wmat(W) model(sdm|sar|sem) fe type(ind|time|both) [durbin(...)] effects`.

    w: N x N numpy array in the order of the sorted unit codes (used as given: row-standardise
    it beforehand, as xsmle expects `spmat ... normalize(row)`). durbin: the x whose W-lags enter
    an SDM (default all of x). tests (SDM only): Wald and LR tests of SDM against SAR
    (theta = 0) and SEM (theta = -rho b), the LR ones refitting SAR and SEM on the same sample.
    """
    model, fe = model.lower(), {"ind": "entity", "both": "twoway"}.get(fe, fe)
    if model not in MODELS:
        raise ValueError(f"model must be one of {sorted(MODELS)}, got {model!r}")
    if fe not in FE_TYPES:
        raise ValueError(f"fe must be one of {sorted(FE_TYPES)}, got {fe!r}")
    x = list(x)
    w = np.asarray(w, dtype=float)
    if w.ndim != 2 or w.shape[0] != w.shape[1]:
        raise ValueError("W must be a square numpy array")
    if not np.allclose(np.diag(w), 0):
        raise ValueError("W must have a zero diagonal (no unit is its own neighbour)")
    missing = [c for c in [y, *x, entity, time] if c not in df.columns]
    if missing:
        raise ValueError(f"column {missing[0]!r} is not in the data")
    durbin = list(x if durbin is None else durbin) if model == "sdm" else []
    if leeyu and fe != "entity":
        raise ValueError(
            f"leeyu applies to unit fixed effects only (xsmle's type(ind, leeyu)); fe is {fe!r}: use fe='entity' or leeyu=False"
        )
    if set(durbin) - set(x):
        raise ValueError(f"durbin variable {min(set(durbin) - set(x))!r} is not among the regressors")
    ya, xa, _units, _ = _panel_arrays(df, y, x, entity, time, w)
    t, n = ya.shape
    corrected = leeyu and fe == "entity"
    n_eff, t_eff = (n * (t - 1), t - 1) if corrected else (n * t, t)
    yd = _demean(ya, fe)
    xd = _demean(xa, fe)
    names = list(x)
    if durbin:
        wx = _wlag(w, xa[:, :, [x.index(v) for v in durbin]])
        xd = np.concatenate([xd, _demean(wx, fe)], axis=2)
        names += [f"W*{v}" for v in durbin]
    if model == "sem":
        fit = _fit_error(yd, xd, w, n_eff, t_eff)
        spatial_name = "lambda"
    else:
        fit = _fit_lag(yd, _demean(_wlag(w, ya), fe), xd, w, n_eff, t_eff)
        spatial_name = "rho"
    pnames = [*names, spatial_name]
    params = pd.Series([*fit.coef, fit.spatial], index=pnames)
    cov = pd.DataFrame(fit.cov, index=pnames, columns=pnames)
    bse = pd.Series(np.sqrt(np.diag(fit.cov)), index=pnames)
    k = len(x)
    r2 = float(np.corrcoef(fit.fitted.reshape(-1), yd.reshape(-1))[0, 1] ** 2)
    # effects: SEM has no spillover through y (direct = b, indirect = 0)
    if model == "sem":
        rows = []
        for kind in ("direct", "indirect", "total"):
            for j, name in enumerate(x):
                est = fit.coef[j] if kind != "indirect" else 0.0
                se = bse.iloc[j] if kind != "indirect" else np.nan
                rows.append(
                    {
                        "effect": kind,
                        "variable": name,
                        "estimate": est,
                        "std_error": se,
                        "z": est / se if kind != "indirect" else np.nan,
                        "p_value": 2 * stats.norm.sf(abs(est / se)) if kind != "indirect" else np.nan,
                    }
                )
        effects = pd.DataFrame(rows).set_index(["effect", "variable"])
    else:
        theta = np.zeros(k)
        idx_t = None
        if durbin:
            pos = [x.index(v) for v in durbin]
            theta[pos] = fit.coef[k:]
            idx_t = np.zeros(k, dtype=int)  # theta draws only for the Durbin variables
        sub = fit.cov
        if durbin:
            # map draws: b -> 0..k-1, theta of durbin vars -> k.., rho -> last; others get 0
            full = np.zeros((2 * k + 1, 2 * k + 1))
            order = [*range(k), *[k + p for p in pos], 2 * k]
            full[np.ix_(order, order)] = fit.cov
            sub, idx_t = full, np.arange(k, 2 * k)
            idx_r = 2 * k
        else:
            idx_r = k
        effects = (
            _effects(fit.coef[:k], theta, fit.spatial, sub, np.arange(k), idx_t, idx_r, w, x, nsim, seed)
            if nsim
            else pd.DataFrame()
        )
    notes = [f"{model.upper()} with {fe} fixed effects by QML; W {n} x {n}; {n} units x {t} periods."]
    notes.append(
        "Lee-Yu (2010) correction for unit effects: N(T-1) observations in the likelihood and sigma^2."
        if corrected
        else "No Lee-Yu correction (the direct approach on demeaned data, xsmle's default)."
    )
    if nsim:
        notes.append(
            f"Direct/indirect/total effects (LeSage-Pace) at the estimates; SEs from {nsim} simulated parameter draws (seed {seed})."
        )
    result = SpatialResult(
        model=model,
        fe=fe,
        dependent=y,
        params=params,
        bse=bse,
        cov=cov,
        sigma2=fit.sigma2,
        loglik=fit.loglik,
        pseudo_r2=r2,
        nobs=n * (t - 1) if corrected else n * t,
        n_units=n,
        n_periods=t,
        effects=effects,
        notes=notes,
    )
    if model == "sdm" and durbin and tests:
        result.tests = _sdm_tests(result, df, y, x, durbin, entity, time, w, fe, leeyu)
    return result


def _sdm_tests(res: SpatialResult, df, y, x, durbin, entity, time, w, fe, leeyu) -> dict[str, float]:
    theta_names = [f"W*{v}" for v in durbin]
    th = res.params[theta_names].to_numpy()
    v = res.cov.loc[theta_names, theta_names].to_numpy()
    wald_sar = float(th @ np.linalg.solve(v, th))
    # common factor: theta + rho b = 0 (delta method)
    rho = res.params["rho"]
    b = res.params[durbin].to_numpy()
    g = th + rho * b
    names = [*durbin, *theta_names, "rho"]
    jac = np.hstack([rho * np.eye(len(durbin)), np.eye(len(durbin)), b[:, None]])
    vg = jac @ res.cov.loc[names, names].to_numpy() @ jac.T
    wald_sem = float(g @ np.linalg.solve(vg, g))
    q = len(durbin)
    sar = fit_spatial(df, y, x, entity=entity, time=time, w=w, model="sar", fe=fe, leeyu=leeyu, nsim=0, tests=False)
    sem = fit_spatial(df, y, x, entity=entity, time=time, w=w, model="sem", fe=fe, leeyu=leeyu, nsim=0, tests=False)
    lr_sar, lr_sem = 2 * (res.loglik - sar.loglik), 2 * (res.loglik - sem.loglik)
    return {
        "wald_sdm_vs_sar": wald_sar,
        "wald_sdm_vs_sar_p": float(stats.chi2.sf(wald_sar, q)),
        "wald_sdm_vs_sem": wald_sem,
        "wald_sdm_vs_sem_p": float(stats.chi2.sf(wald_sem, q)),
        "lr_sdm_vs_sar": lr_sar,
        "lr_sdm_vs_sar_p": float(stats.chi2.sf(lr_sar, q)),
        "lr_sdm_vs_sem": lr_sem,
        "lr_sdm_vs_sem_p": float(stats.chi2.sf(lr_sem, q)),
        "df_tests": float(q),
    }


def row_standardise(w: np.ndarray) -> np.ndarray:
    """Rows summing to one (xsmle's usual `spmat ..., normalize(row)`); a row of zeros is an error."""
    w = np.asarray(w, dtype=float)
    sums = w.sum(axis=1)
    if (sums == 0).any():
        raise ValueError(f"unit at row {int(np.flatnonzero(sums == 0)[0])} of W has no neighbours")
    return w / sums[:, None]
