"""OLS absorbing any number of fixed effects, with one- or multi-way clustering, in reghdfe's
conventions (Correia 2015): `reghdfe y x, absorb(a b c) vce(cluster g h)`.

What `panel.py` cannot say: more than two absorbed effects (or any effects other than entity /
time, such as industry^year), year effects without unit effects, clustering by any column(s).
pyhdfe (installed with linearmodels) does the work reghdfe does: it drops singletons iteratively,
partials the effects out by alternating projections, and counts the degrees of freedom the
effects use (exact for two effects via connected components, reghdfe's pairwise bound beyond;
effects nested in a cluster variable are not counted). The rest is a few lines of NumPy:

- K in every small-sample factor is the regressors plus the effects' degrees of freedom; when
  every effect is nested in the clusters the constant still counts (K = k + 1), as xtreg and
  reghdfe do (pyhdfe then reports 0);
- classical: s^2 = RSS/(N-K); HC1: N/(N-K); cluster: G/(G-1) (N-1)/(N-K), t(G-1);
- multi-way clusters: Cameron-Gelbach-Miller inclusion-exclusion over the cluster variables and
  their intersections, with reghdfe's single factor using the smallest G and t(min G - 1);
- no fixed effects: an explicit constant `_cons` (regress); with effects there is no `_cons`
  (fixest / pyfixest), so `| unit + year` here equals panel.py's two-way FE in every slope and SE.
Collinear regressors are dropped in order and named in the notes (Stata's "omitted").
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import _core
from .covariance import Clustered, Robust, small_sample_factor
from .result import FitResult

VCOV_TYPES = ("iid", "hetero", "cluster")
_MAP_OPTIONS = {"tol": 1e-14, "iteration_limit": 100_000}


@dataclass
class HdfeDesign:
    """The partialled-out design, kept so inference (wild bootstrap) reuses it."""

    y: np.ndarray  # FE-residualised y (non-singleton sample)
    X: np.ndarray  # FE-residualised kept regressors (with a constant column when no FE)
    names: list[str]
    clusters: list[np.ndarray] = field(default_factory=list)  # integer codes per cluster var
    k_total: int = 0  # K of the small-sample factors (cluster: nested effects not counted)
    keep_rows: np.ndarray | None = None  # boolean mask over the complete-case rows


def _codes(values: pd.Series) -> np.ndarray:
    return pd.factorize(values, sort=True)[0].astype(np.intp)


def singleton_mask(frame: pd.DataFrame, fe: list[str]) -> np.ndarray:
    """True for rows reghdfe drops as singletons (iteratively, over all absorbed effects)."""
    import pyhdfe

    if not fe:
        return np.zeros(len(frame), dtype=bool)
    ids = np.column_stack([_codes(frame[c]) for c in fe])
    alg = pyhdfe.create(ids, drop_singletons=True, compute_degrees=False)
    return np.asarray(alg._singleton_indices, dtype=bool) if alg.singletons else np.zeros(len(frame), dtype=bool)


@dataclass
class Absorbed:
    """Columns with the absorbed effects partialled out (FWL), and the degrees of freedom the
    effects use: what every HDFE estimator (OLS here, IV in iv_hdfe) starts from."""

    resid: np.ndarray  # the columns on the kept rows, effects partialled out (centred if no effects)
    keep_rows: np.ndarray  # boolean mask: rows that are not singletons
    df_fe: int  # degrees of freedom of the effects (1, the constant, without effects)
    df_fe_cl: int  # the same without effects nested in a cluster variable (at least 1)
    n_singletons: int = 0


def absorb(
    sub: pd.DataFrame, columns: np.ndarray, fe: list[str], cl_codes: list[np.ndarray], drop_singletons: bool
) -> Absorbed:
    """Partial the effects `fe` (columns of `sub`) out of `columns` (rows of `sub`) by pyhdfe:
    singletons dropped iteratively (reghdfe), alternating projections beyond one effect."""
    import pyhdfe

    if not fe:
        keep = np.ones(len(sub), dtype=bool)
        return Absorbed(columns - columns.mean(axis=0), keep, 1, 1)
    ids = np.column_stack([_codes(sub[c]) for c in fe])
    alg = pyhdfe.create(
        ids,
        drop_singletons=drop_singletons,
        residualize_method="map" if len(fe) > 1 else "within",
        options=_MAP_OPTIONS if len(fe) > 1 else None,
    )
    n_singletons = int(alg.singletons)
    keep_rows = ~np.asarray(alg._singleton_indices, dtype=bool) if n_singletons else np.ones(len(sub), dtype=bool)
    # alternating projections stop on an absolute tolerance: columns of very different scale
    # (a shift-share instrument ~1e9 beside shares ~0.1) are scaled to max |x| = 1 first and back
    # after (residualising is linear, so the result is the same up to rounding)
    scale = np.abs(columns).max(axis=0)
    scale[~(scale > 0)] = 1.0
    try:
        resid = alg.residualize(columns / scale) * scale
    except RuntimeError as exc:  # pyhdfe: "Failed to converge after ... iterations"
        raise ValueError(f"partialling out the effects {' + '.join(fe)} did not converge ({exc})") from None
    df_fe = int(alg.degrees)
    if cl_codes:  # effects nested in any cluster variable are not counted (reghdfe)
        alg_c = pyhdfe.create(
            ids[keep_rows], cluster_ids=np.column_stack([c[keep_rows] for c in cl_codes]), drop_singletons=False
        )
        df_fe_cl = max(int(alg_c.degrees), 1)
    else:
        df_fe_cl = df_fe
    return Absorbed(resid, keep_rows, df_fe, df_fe_cl, n_singletons)


def fit_hdfe(
    df: pd.DataFrame,
    y: str,
    x: list[str],
    fe: list[str] | tuple = (),
    *,
    vcov: str = "iid",
    cluster: list[str] | tuple | str | None = None,
    drop_singletons: bool = True,
) -> tuple[FitResult, HdfeDesign]:
    """Regress `y` on `x` absorbing the effects `fe` (columns of `df`; build a^b first)."""
    if vcov not in VCOV_TYPES:
        raise ValueError(f"vcov must be one of {VCOV_TYPES}, got {vcov!r}")
    x, fe = list(x), list(fe)
    clusters = [cluster] if isinstance(cluster, str) else list(cluster or [])
    if vcov == "cluster" and not clusters:
        raise ValueError("vcov='cluster' needs the cluster column(s)")
    if vcov != "cluster" and clusters:
        raise ValueError(f"cluster={clusters} given but vcov={vcov!r}")
    if not x:
        raise ValueError("the model needs at least one regressor")
    missing = [c for c in dict.fromkeys([y, *x, *fe, *clusters]) if c not in df.columns]
    if missing:
        raise ValueError(f"column(s) not found in the data: {missing}")
    for c in [y, *x]:
        if not (pd.api.types.is_numeric_dtype(df[c]) or pd.api.types.is_bool_dtype(df[c])):
            raise TypeError(f"column '{c}' must be numeric, has dtype {df[c].dtype}")
    used = list(dict.fromkeys([y, *x, *fe, *clusters]))
    ok = df[used].notna().all(axis=1).to_numpy()
    sub = df.loc[ok, used]
    n_missing = int(len(df) - ok.sum())
    if len(sub) == 0:
        raise ValueError("no observations left after dropping rows with missing values")
    yx = sub[[y, *x]].to_numpy(dtype=float)
    if not np.isfinite(yx).all():
        raise ValueError("the model's columns contain infinite values")
    notes: list[str] = []
    cl_codes = [_codes(sub[c]) for c in clusters]
    a = absorb(sub, yx, fe, cl_codes, drop_singletons)
    keep_rows, df_fe, df_fe_cl, n_singletons = a.keep_rows, a.df_fe, a.df_fe_cl, a.n_singletons
    if n_singletons:
        notes.append(f"{n_singletons} singleton observation(s) dropped (reghdfe)")
    raw = yx[keep_rows]
    yt, xt = a.resid[:, 0], a.resid[:, 1:]
    const = not fe
    n = int(keep_rows.sum())
    cl_codes = [c[keep_rows] for c in cl_codes]

    gram = _core.crossprod(xt)
    keep = _core.independent_columns(gram, np.einsum("ij,ij->j", raw[:, 1:], raw[:, 1:]))
    omitted = [x[j] for j in range(len(x)) if j not in set(keep.tolist())]
    if omitted:
        notes.append(f"omitted for collinearity with the fixed effects or other regressors: {', '.join(omitted)}")
    if not len(keep):
        raise ValueError("every regressor is collinear with the fixed effects")
    names = [x[j] for j in keep]
    xt, gram = xt[:, keep], gram[np.ix_(keep, keep)]
    bread = _core.sym_inv(gram)
    b = bread @ _core.crossprod(xt, yt)
    resid = yt - _core.rows_dot(xt, b)
    k = len(names)
    dof = n - k - df_fe
    if dof <= 0:
        raise ValueError(
            f"no residual degrees of freedom: {n} observations, {k} regressors, {df_fe} absorbed degrees of freedom"
        )
    design_x = xt
    if const:  # report _cons = ybar - xbar b with its covariance, as regress
        means = raw[:, 1:][:, keep].mean(axis=0)
        design_x = np.column_stack([xt, np.ones(n)])
        bread_full = np.zeros((k + 1, k + 1))
        bread_full[:k, :k], bread_full[k, k] = bread, 1.0 / n
        tinv = np.eye(k + 1)
        tinv[k, :k] = -means
        params = np.append(b, raw[:, 0].mean() - means @ b)
        names_out = [*names, "_cons"]
    else:
        bread_full, tinv, params, names_out = bread, np.eye(k), b, names

    df_inf: float | None = dof
    n_clusters = None
    if vcov == "iid":
        v = small_sample_factor(n, n - dof) * (_core.sumsq(resid) / n) * bread_full
    else:
        scores = design_x * resid[:, None]
        if vcov == "hetero":
            est, fac = Robust(), small_sample_factor(n, n - dof)
        else:
            est = Clustered([_core.Grouping(c) for c in cl_codes])
            g = est.groups()
            fac = small_sample_factor(n, k + df_fe_cl, g)
            df_inf, n_clusters = g - 1, g
            if len(cl_codes) > 1:
                g_each = [int(c.max()) + 1 for c in cl_codes]
                notes.append(
                    f"clusters {', '.join(clusters)}: {', '.join(map(str, g_each))}; "
                    "small-sample factor and t df use the smallest (reghdfe)"
                )
            if g < 20:
                notes.append(f"only {g} clusters: cluster-robust SEs may be unreliable")
        v = fac * (bread_full @ est.meat(scores) @ bread_full)
    v = tinv @ v @ tinv.T
    if np.any(np.diag(v) < 0):
        notes.append("the multi-way cluster covariance is not positive semi-definite; some SEs are missing")
    se, tt, pv = _core.inference(params, v, df_inf)

    rss = _core.sumsq(resid)
    yraw = raw[:, 0]
    tss = _core.sumsq(yraw - yraw.mean())
    k_all = n - dof  # every estimated parameter, constant and effects included
    r2 = 1 - rss / tss
    diag = {
        "n_dropped_missing": float(n_missing),
        "n_singletons": float(n_singletons),
        "k_regressors": float(k + (1 if const else 0)),
        "df_absorbed": float(0 if const else df_fe),
        "df_resid": float(dof),
        "rmse": float(np.sqrt(rss / dof)),
        "r2": float(r2),
        "r2_a": float(1 - (1 - r2) * (n - 1) / (n - k_all)),
    }
    if fe:
        diag["r2_lsdv"] = float(r2)
        diag["r2_within"] = float(1 - rss / _core.sumsq(yt))
    if n_clusters is not None:
        diag["n_clusters"] = float(n_clusters)
    method = "OLS (regress)" if const else f"OLS absorbing {' + '.join(fe)} (reghdfe absorb({' '.join(fe)}))"

    def ser(a: np.ndarray) -> pd.Series:
        return pd.Series(a, index=names_out, dtype=float)

    result = FitResult(
        method=method,
        dependent=y,
        params=ser(params),
        std_errors=ser(se),
        tstats=ser(tt),
        pvalues=ser(pv),
        cov=pd.DataFrame(v, index=names_out, columns=names_out),
        nobs=n,
        cov_type={"iid": "unadjusted", "hetero": "robust", "cluster": "clustered"}[vcov],
        df_inference=df_inf,
        n_clusters=n_clusters,
        r_squared=float(diag["r2_within"] if fe else r2),
        r_squared_label="within R2 (reghdfe)" if fe else "R2",
        diagnostics=diag,
        notes=notes,
    )
    design = HdfeDesign(
        yt, design_x if const else xt, names_out, cl_codes, k + df_fe_cl if clusters else k + df_fe, keep_rows
    )
    return result, design
