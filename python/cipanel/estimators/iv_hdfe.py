"""IV-2SLS absorbing any number of fixed effects, with one- or multi-way clustering, in
ivreghdfe's conventions (`ivreghdfe y x (d = z), absorb(a b c) cluster(g h)`), for what iv.py
cannot say: effects other than the panel's unit / year (`| a + b + industry^year`) and two-way
clustered SEs.

By Frisch-Waugh-Lovell the effects are partialled out of y, the exogenous regressors, the
endogenous ones and the instruments first (hdfe.absorb: pyhdfe, singletons dropped as reghdfe);
2SLS on the residualised columns gives the slopes. The small-sample conventions are ivreg2's
`small` with ivreghdfe's degrees of freedom of the absorbed effects (`sdofminus`), i.e. the
same K as reghdfe, so with `| unit + year` and one cluster this equals iv.fit_iv in every slope
and SE:

- K = regressors (endogenous + exogenous) + degrees of freedom of the effects; clustered: the
  effects nested in a cluster variable are not counted (the constant still is);
- classical s^2 = RSS/(N-K); HC1 N/(N-K); cluster G/(G-1) (N-1)/(N-K) with t(G-1); several
  cluster variables: Cameron-Gelbach-Miller, the smallest G in the factor and the t df.
There is no `_cons` (absorbed), as in fixest / pyfixest. Diagnostics: the first-stage F of the
excluded instruments, Kleibergen-Paap rk LM and Wald F and Cragg-Donald Wald F (linearmodels on
the partialled columns, F forms rescaled to N-K as iv.py does; one cluster variable), and the
control-function endogeneity test with the model's covariance.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats

from . import _core
from .covariance import Clustered, Robust, small_sample_factor
from .hdfe import VCOV_TYPES, _codes, absorb
from .result import FitResult


def _vcov(design: np.ndarray, resid: np.ndarray, bread: np.ndarray, vcov: str, n: int, k: int, cl_codes):
    """V, t df (None never: small-sample t as ivreg2 `small`) and the number of clusters."""
    if vcov == "iid":
        return small_sample_factor(n, k) * (_core.sumsq(resid) / n) * bread, n - k, None
    scores = design * resid[:, None]
    if vcov == "hetero":
        return small_sample_factor(n, k) * (bread @ Robust().meat(scores) @ bread), n - k, None
    est = Clustered([_core.Grouping(c) for c in cl_codes])
    g = est.groups()
    return small_sample_factor(n, k, g) * (bread @ est.meat(scores) @ bread), g - 1, g


def fit_iv_hdfe(
    df: pd.DataFrame,
    y: str,
    exog: list[str],
    endog: list[str],
    instruments: list[str],
    fe: list[str],
    *,
    vcov: str = "cluster",
    cluster: list[str] | str | None = None,
    drop_singletons: bool = True,
) -> FitResult:
    """2SLS of `y` on `endog` + `exog` with excluded `instruments`, absorbing `fe`."""
    if vcov not in VCOV_TYPES:
        raise ValueError(f"vcov must be one of {VCOV_TYPES}, got {vcov!r}")
    exog, endog, instruments, fe = list(exog), list(endog), list(instruments), list(fe)
    clusters = [cluster] if isinstance(cluster, str) else list(cluster or [])
    if vcov == "cluster" and not clusters:
        raise ValueError("vcov='cluster' needs the cluster column(s)")
    if not endog or len(instruments) < len(endog):
        raise ValueError(
            f"underidentified: {len(instruments)} excluded instrument(s) for {len(endog)} endogenous regressor(s)"
        )
    cols = [y, *endog, *exog, *instruments]
    used = list(dict.fromkeys([*cols, *fe, *clusters]))
    missing = [c for c in used if c not in df.columns]
    if missing:
        raise ValueError(f"column(s) not found in the data: {missing}")
    sub = df.loc[df[used].notna().all(axis=1).to_numpy(), used]
    if sub.empty:
        raise ValueError("no observations left after dropping rows with missing values")
    raw = sub[cols].to_numpy(dtype=float)
    cl_codes = [_codes(sub[c]) for c in clusters]
    a = absorb(sub, raw, fe, cl_codes, drop_singletons)
    cl_codes = [c[a.keep_rows] for c in cl_codes]
    ke, kx, kz = len(endog), len(exog), len(instruments)
    yt = a.resid[:, 0]
    et, xt, zt = a.resid[:, 1 : 1 + ke], a.resid[:, 1 + ke : 1 + ke + kx], a.resid[:, 1 + ke + kx :]
    n = len(yt)
    notes = [f"{a.n_singletons} singleton observation(s) dropped (reghdfe)"] if a.n_singletons else []

    r = np.hstack([et, xt])  # regressors
    q = np.hstack([zt, xt])  # instruments, included and excluded
    for what, m in (("regressors", r), ("instruments", q)):
        keep = _core.independent_columns(_core.crossprod(m), np.einsum("ij,ij->j", m, m) + 1.0)
        if len(keep) < m.shape[1]:
            names = [*endog, *exog] if what == "regressors" else [*instruments, *exog]
            lost = [names[j] for j in range(m.shape[1]) if j not in set(keep.tolist())]
            raise ValueError(f"column(s) {lost} are collinear with the fixed effects or other {what}; remove them")
    qinv = _core.sym_inv(_core.crossprod(q))
    pi = qinv @ (q.T @ et)
    r_hat = np.hstack([q @ pi, xt])
    bread = _core.sym_inv(_core.crossprod(r_hat))
    b = bread @ (r_hat.T @ yt)
    resid = yt - r @ b
    k_reg = ke + kx
    df_abs = a.df_fe_cl if clusters else a.df_fe
    k = k_reg + df_abs
    if n - k <= 0:
        raise ValueError(f"no residual degrees of freedom: {n} observations, K = {k}")
    v, df_inf, n_clusters = _vcov(r_hat, resid, bread, vcov, n, k, cl_codes)
    if len(clusters) > 1:
        notes.append(
            f"clusters {', '.join(clusters)}: {', '.join(str(int(c.max()) + 1) for c in cl_codes)}; "
            "small-sample factor and t df use the smallest (ivreghdfe / reghdfe)"
        )
    se, tt, pv = _core.inference(b, v, df_inf)
    names = [*endog, *exog]
    diag: dict[str, float] = {
        "n_dropped_missing": float(len(df) - len(sub)),
        "n_singletons": float(a.n_singletons),
        "k_regressors": float(k_reg),
        "df_absorbed": float(a.df_fe),
        "df_resid": float(n - k_reg - a.df_fe),
        "k_ssc": float(k),  # K of the small-sample factors (nested effects not counted when clustered)
    }
    if n_clusters is not None:
        diag["n_clusters"] = float(n_clusters)

    # first stage: classical F of the excluded instruments (regress dof), partial R2
    dof_q = n - q.shape[1] - a.df_fe
    xinv = _core.sym_inv(_core.crossprod(xt)) if kx else None
    for j, en in enumerate(endog):
        sfx = "" if ke == 1 else f"_{en}"
        vj = et[:, j] - q @ pi[:, j]
        rss_u = float(vj @ vj)
        ex = et[:, j]
        rss_r = float(ex @ ex) - (float((xt.T @ ex) @ xinv @ (xt.T @ ex)) if kx else 0.0)
        f_ex = ((rss_r - rss_u) / kz) / (rss_u / dof_q)
        diag[f"first_stage_f{sfx}"] = f_ex
        diag[f"first_stage_f_p{sfx}"] = float(stats.f.sf(f_ex, kz, dof_q))
        diag[f"first_stage_f_df1{sfx}"] = float(kz)
        diag[f"first_stage_f_df2{sfx}"] = float(dof_q)
        diag[f"first_stage_partial_r2{sfx}"] = 1 - rss_u / rss_r
        for i, ins in enumerate(instruments):
            diag[f"first_stage_coef{sfx}_{ins}"] = float(pi[i, j])

    # weak / under-identification on the partialled columns (linearmodels), one cluster variable
    if len(clusters) <= 1:
        from linearmodels.iv.common import cragg_donald_f, kleibergen_paap, kleibergen_paap_f

        exog_arr = np.column_stack([xt, np.ones(n)])
        cov_type = {"iid": "unadjusted", "hetero": "robust", "cluster": "clustered"}[vcov]
        cfg = {"clusters": cl_codes[0]} if clusters else None
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            kp = kleibergen_paap(et, zt, exog_arr, cov_type=cov_type, cov_config=cfg)
            kpf = kleibergen_paap_f(et, zt, exog_arr, cov_type=cov_type, cov_config=cfg)
        notes += [f"linearmodels: {w.message}" for w in caught]
        k_q = q.shape[1] + 1  # linearmodels counts the constant column it was given
        diag["kp_rk_lm"] = float(getattr(kp, "stat", np.nan))
        diag["kp_rk_lm_p"] = float(getattr(kp, "pval", np.nan))
        diag["kp_rk_wald_f"] = float(kpf) * (n - q.shape[1] - df_abs) / (n - k_q)
        diag["cd_wald_f"] = float(cragg_donald_f(et, zt, exog_arr)) * dof_q / (n - k_q)
    else:
        notes.append("weak-instrument statistics (KP, CD) are not computed with multi-way clustering")

    # endogeneity: control-function F test of the first-stage residuals, model covariance
    aug = np.hstack([r, et - q @ pi])
    ainv = _core.sym_inv(_core.crossprod(aug))
    ba = ainv @ (aug.T @ yt)
    va, dfa, _ = _vcov(aug, yt - aug @ ba, ainv, vcov, n, aug.shape[1] + df_abs, cl_codes)
    sl = slice(k_reg, aug.shape[1])
    diag["endog_test_stat"], diag["endog_test_p"] = _core.wald(ba[sl], va[sl, sl], dfa)
    notes.append("endogeneity test: control-function (augmented regression) test of the first-stage residuals")

    rss = float(resid @ resid)
    diag["r2_within"] = 1 - rss / float(yt @ yt)

    def ser(x: np.ndarray) -> pd.Series:
        return pd.Series(x, index=names, dtype=float)

    absorbed = " + ".join(fe) if fe else "the constant"
    return FitResult(
        method=f"IV-2SLS absorbing {absorbed} (ivreghdfe absorb({' '.join(fe)}))",
        dependent=y,
        params=ser(b),
        std_errors=ser(se),
        tstats=ser(tt),
        pvalues=ser(pv),
        cov=pd.DataFrame(v, index=names, columns=names),
        nobs=n,
        cov_type={"iid": "unadjusted", "hetero": "robust", "cluster": "clustered"}[vcov],
        df_inference=df_inf,
        n_clusters=n_clusters,
        r_squared=diag["r2_within"],
        r_squared_label="within R2 (ivreghdfe)",
        diagnostics=diag,
        notes=notes,
    )
