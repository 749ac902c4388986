"""IV-2SLS with optional entity / two-way fixed effects and the usual first-stage diagnostics.

FE are handled exactly as in `panel.py` (entity within transformation, time dummies as exogenous
regressors, `_cons` reported like `xtivreg, fe`), with the same covariance conventions, so the SEs
of an IV column and an OLS column of one table follow one rule. The 2SLS algebra is a few lines of
NumPy on the transformed data; the Kleibergen-Paap and Cragg-Donald statistics come from
linearmodels (`linearmodels.iv.common`), whose F forms use n-k-c and so are rescaled here for the
absorbed entity effects. linearmodels' own first-stage F follows `debiased` and uses the model's
covariance, so the classical F is computed here.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from linearmodels.iv.common import cragg_donald_f, kleibergen_paap, kleibergen_paap_f
from scipy import stats

from . import _core
from .result import FitResult

_IV_COV = ("unadjusted", "robust", "clustered")


def _proj_ss(a: np.ndarray, q: np.ndarray, qinv: np.ndarray) -> float:
    """a' P_q a."""
    qa = q.T @ a
    return float(qa @ qinv @ qa)


def fit_iv(
    df: pd.DataFrame,
    y: str,
    exog: list[str],
    endog: list[str],
    instruments: list[str],
    *,
    entity: str | None = None,
    time: str | None = None,
    effects: str = "twoway",
    cov: str = "clustered",
    cluster: str | None = None,
    small: bool = True,
) -> FitResult:
    """2SLS of `y` on `endog` + `exog` (+ constant) with excluded `instruments`.

    small=True (default) uses the dof conventions of `panel.py` (clustered: G/(G-1)(N-1)/(N-K),
    t(G-1)); small=False reproduces `ivregress 2sls` / `ivreg2` without `small` (unadjusted
    sigma^2 = RSS/N, robust HC0, clustered without factor, z inference).

    Diagnostics (keys get an `_<endog>` suffix when there are several endogenous variables):
    first_stage_coef_<instr> / first_stage_se_<instr> (model's covariance type, regress dof);
    first_stage_f = classical F of the excluded instruments (`estat firststage`), with _p, _df1,
    _df2; first_stage_f_overall = F of the whole first-stage regression (`ivregress ..., first`
    header); first_stage_f_vce = Wald F of the instruments with the model's covariance;
    first_stage_partial_r2, first_stage_r2; kp_rk_lm(_p), kp_rk_wald_f, cd_wald_f (ivreg2);
    endog_test_stat/_p = augmented-regression F test of the first-stage residuals with the model's
    covariance (= Wu-Hausman F when unadjusted; durbin_chi2, wu_hausman_f, sargan, basmann then
    added). `notes` names the endogeneity test used.
    """
    if effects not in _core.EFFECTS:
        raise ValueError(f"effects must be one of {_core.EFFECTS}, got {effects!r}")
    if cov not in _IV_COV:
        raise ValueError(f"cov must be one of {_IV_COV}, got {cov!r}")
    exog, endog, instruments = list(exog), list(endog), list(instruments)
    if not endog:
        raise ValueError("endog must name at least one endogenous regressor")
    if len(instruments) < len(endog):
        raise ValueError(
            f"underidentified: {len(instruments)} excluded instrument(s) for {len(endog)} endogenous regressor(s)"
        )
    if effects != "none" and entity is None:
        raise ValueError(f"effects={effects!r} needs the entity column")
    if effects == "twoway" and time is None:
        raise ValueError("effects='twoway' needs the time column")
    if cluster is not None and cov != "clustered":
        raise ValueError(f"cluster={cluster!r} given but cov={cov!r}; use cov='clustered'")
    cl_col = (cluster or entity) if cov == "clustered" else None
    if cov == "clustered" and cl_col is None:
        raise ValueError("cov='clustered' needs cluster= (or entity=)")
    s = _core.prepare(df, [y, *exog, *endog, *instruments], entity=entity, time=time, cluster=cl_col)
    n = s.nobs
    notes: list[str] = []
    codes = s.entity if effects != "none" else None

    x_raw = s.matrix(exog)
    if effects == "twoway":
        assert s.time is not None
        x_raw = np.hstack([x_raw, _core.time_dummies(s.time.codes)])
    e_raw, z_raw, yv = s.matrix(endog), s.matrix(instruments), s.col(y)
    xc, ec, zc, yc = (_core.demean(a, codes) for a in (x_raw, e_raw, z_raw, yv))

    # collinearity: time dummies may be dropped (Stata omits them); user columns may not
    allc = np.hstack([xc, ec, zc])
    allr = np.hstack([x_raw, e_raw, z_raw])
    kx, ke = x_raw.shape[1], len(endog)
    ss = np.einsum("ij,ij->j", allr, allr)
    g_all = allc.T @ allc
    order_r = list(range(kx + ke))
    order_q = [*range(kx), *range(kx + ke, allc.shape[1])]
    keep_r = set(order_r[i] for i in _core.independent_columns(g_all[np.ix_(order_r, order_r)], ss[order_r]))
    keep_q = set(order_q[i] for i in _core.independent_columns(g_all[np.ix_(order_q, order_q)], ss[order_q]))
    user = [*exog, *["_time_dummy"] * (kx - len(exog)), *endog, *instruments]
    bad = sorted(
        {user[j] for j in set(order_r) - keep_r if j < len(exog) or j >= kx}
        | {user[j] for j in set(order_q) - keep_q if j < len(exog) or j >= kx}
    )
    if bad:
        raise ValueError(
            f"column(s) {bad} are collinear with the fixed effects, the constant or "
            "other regressors/instruments; remove them"
        )
    xkeep = [j for j in range(kx) if j in keep_r and j in keep_q]
    if len(xkeep) < kx:
        notes.append(f"{kx - len(xkeep)} time dummy column(s) omitted for collinearity")
        xc, x_raw = xc[:, xkeep], x_raw[:, xkeep]
    kx = xc.shape[1]

    n_ent = s.entity.n if codes is not None else 1
    absorbed = n_ent - 1
    n_time_cols = kx - len(exog)
    k_tot = len(endog) + kx + 1
    k_cl, cl_notes = _core.cluster_k(s, effects, k_tot, n_time_cols) if cov == "clustered" else (k_tot, [])
    notes += cl_notes

    def spec(k: int, small_: bool = small) -> _core.CovSpec:
        # the same reghdfe adjustment of K for every regression of this model
        return _core.CovSpec(
            cov=cov, k=k, absorbed=absorbed, clusters=s.cluster, k_cluster=k + k_cl - k_tot, small=small_
        )

    # 2SLS on centred data (the constant is orthogonal to every centred column)
    q = np.hstack([zc, xc])
    qinv = _core.sym_inv(q.T @ q)
    pi = qinv @ (q.T @ ec)
    e_hat = q @ pi
    v_hat = ec - e_hat
    r = np.hstack([ec, xc])
    r_hat = np.hstack([e_hat, xc])
    bread_c = _core.sym_inv(r_hat.T @ r_hat)
    b = bread_c @ (r_hat.T @ yc)
    resid = yc - r @ b
    means = np.concatenate([e_raw.mean(axis=0), x_raw.mean(axis=0)])
    cons = yv.mean() - means @ b
    k = r.shape[1] + 1
    v, df_inf, info = _core.covariance(r_hat, resid, means, spec(k), bread_c=bread_c)

    idx = [*range(ke + len(exog)), r.shape[1]]
    names = [*endog, *exog, "_cons"]
    params = np.append(b, cons)[idx]
    v = v[np.ix_(idx, idx)]
    se, tt, pv = _core.inference(params, v, df_inf)

    diag: dict[str, float] = {
        "n_dropped_missing": float(s.n_dropped_missing),
        "n_entities": float(n_ent),
        "k_regressors": float(k),
        "df_absorbed": float(absorbed),
        **info,
    }
    n_l = zc.shape[1]
    k_q = q.shape[1] + 1
    dof_q = n - k_q - absorbed
    tss_c = float(yc @ yc)

    # first stage, one regression per endogenous variable; SEs with the model's covariance type
    # and regress-style dof (as `ivregress ..., first` / `ivreg2, first` print them)
    for j, en in enumerate(endog):
        sfx = "" if ke == 1 else f"_{en}"
        vj = v_hat[:, j]
        vfs, dfs, _ = _core.covariance(q, vj, q.mean(axis=0), spec(k_q, True), bread_c=qinv)
        for i, ins in enumerate(instruments):
            diag[f"first_stage_coef{sfx}_{ins}"] = float(pi[i, j])
            diag[f"first_stage_se{sfx}_{ins}"] = float(np.sqrt(vfs[i, i]))
        rss_u = float(vj @ vj)
        ex = ec[:, j]
        rss_r = float(ex @ ex) - (_proj_ss(ex, xc, _core.sym_inv(xc.T @ xc)) if kx else 0.0)
        tss_e = float(ex @ ex)
        f_ex = ((rss_r - rss_u) / n_l) / (rss_u / dof_q)
        diag[f"first_stage_f{sfx}"] = f_ex
        diag[f"first_stage_f_p{sfx}"] = float(stats.f.sf(f_ex, n_l, dof_q))
        diag[f"first_stage_f_df1{sfx}"] = float(n_l)
        diag[f"first_stage_f_df2{sfx}"] = float(dof_q)
        diag[f"first_stage_partial_r2{sfx}"] = 1 - rss_u / rss_r
        diag[f"first_stage_r2{sfx}"] = 1 - rss_u / tss_e
        diag[f"first_stage_f_overall{sfx}"] = ((tss_e - rss_u) / (k_q - 1)) / (rss_u / dof_q)
        diag[f"first_stage_f_vce{sfx}"] = _core.wald(pi[:n_l, j], vfs[:n_l, :n_l], dfs)[0]

    # weak / under-identification (linearmodels), F forms rescaled from n-k-c to n-k-c-absorbed
    exog_arr = np.column_stack([xc, np.ones(n)])
    cfg = {"clusters": s.cluster.codes} if cov == "clustered" else None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        kp = kleibergen_paap(ec, zc, exog_arr, cov_type=cov, cov_config=cfg)
        kpf = kleibergen_paap_f(ec, zc, exog_arr, cov_type=cov, cov_config=cfg)
    notes += [f"linearmodels: {w.message}" for w in caught]
    a_kp = k_cl - k_tot if cov == "clustered" else absorbed  # extra K beyond linearmodels' k+c
    diag["kp_rk_lm"] = float(getattr(kp, "stat", np.nan))
    diag["kp_rk_lm_p"] = float(getattr(kp, "pval", np.nan))
    diag["kp_rk_wald_f"] = float(kpf) * (n - k_q - a_kp) / (n - k_q)
    diag["cd_wald_f"] = float(cragg_donald_f(ec, zc, exog_arr)) * dof_q / (n - k_q)

    # endogeneity: control-function (augmented regression) F test of the first-stage residuals
    # with the model's covariance type and regress-style dof; with unadjusted cov it is Wu-Hausman
    aug = np.hstack([r, v_hat])
    ainv = _core.sym_inv(aug.T @ aug)
    ba = ainv @ (aug.T @ yc)
    va, dfa, _ = _core.covariance(aug, yc - aug @ ba, aug.mean(axis=0), spec(aug.shape[1] + 1, True), bread_c=ainv)
    sl = slice(r.shape[1], aug.shape[1])
    diag["endog_test_stat"], diag["endog_test_p"] = _core.wald(ba[sl], va[sl, sl], dfa)
    dm = n_ent if codes is not None else 0  # xtivreg2's dofminus for large-sample statistics
    if cov == "unadjusted":
        notes.append("endogeneity test: Wu-Hausman F (= augmented-regression F); Durbin chi2 in durbin_chi2")
        rinv = _core.sym_inv(r.T @ r)
        e0 = yc - r @ (rinv @ (r.T @ yc))
        qe = np.hstack([q, ec])
        delta = _proj_ss(e0, qe, _core.sym_inv(qe.T @ qe)) - _proj_ss(resid, q, qinv)
        e0e0 = float(e0 @ e0)
        diag["durbin_chi2"] = delta / (e0e0 / (n - dm))
        diag["durbin_p"] = float(stats.chi2.sf(diag["durbin_chi2"], ke))
        df_wh = n - k - ke - absorbed
        diag["wu_hausman_f"] = (delta / ke) / ((e0e0 - delta) / df_wh)
        diag["wu_hausman_p"] = float(stats.f.sf(diag["wu_hausman_f"], ke, df_wh))
        if n_l > ke:
            pz = _proj_ss(resid, q, qinv)
            ee = float(resid @ resid)
            diag["sargan"] = (n - dm) * pz / ee
            diag["sargan_p"] = float(stats.chi2.sf(diag["sargan"], n_l - ke))
            diag["basmann"] = (n - k_q - absorbed) * pz / (ee - pz)
            diag["basmann_p"] = float(stats.chi2.sf(diag["basmann"], n_l - ke))
    else:
        notes.append(
            f"endogeneity test: control-function (augmented regression) test of the "
            f"first-stage residuals with {cov} covariance, F form"
        )
    if codes is not None:
        notes.append(
            "KP rk LM uses n (no absorbed-effects adjustment); CD Wald F and classical "
            "first-stage F use n - K - absorbed entity effects"
        )

    rss = float(resid @ resid)
    method = (
        "IV-2SLS"
        + {"none": "", "entity": " with entity FE (within)", "twoway": " with two-way FE (within + time dummies)"}[
            effects
        ]
    )

    def ser(a: np.ndarray) -> pd.Series:
        return pd.Series(a, index=names, dtype=float)

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
        r_squared=1 - rss / tss_c,
        r_squared_label={"none": "R2", "entity": "within R2", "twoway": "within R2 (time dummies as regressors)"}[
            effects
        ],
        diagnostics=diag,
        notes=notes,
    )
