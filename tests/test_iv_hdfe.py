"""IV with any absorbed effects and multi-way clustering (estimators.iv_hdfe, ivreghdfe's
conventions): against pyfixest (test-only), against iv.fit_iv where both apply (`| unit + year`,
one cluster), and against a direct LSDV 2SLS. All panels here are SYNTHETIC."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyfixest as pf
import pytest

import cipanel as cp
from cipanel.estimators.iv import fit_iv
from cipanel.estimators.iv_hdfe import fit_iv_hdfe


def iv_panel(seed: int = 3, n_units: int = 40, years=range(2000, 2012), gap_rate: float = 0.1) -> pd.DataFrame:
    """SYNTHETIC unbalanced panel: d endogenous (shares the error u), z1 z2 instruments, an
    industry effect crossed with year."""
    rng = np.random.default_rng(seed)
    rows = [(u, t) for u in range(n_units) for t in years if rng.random() >= gap_rate]
    df = pd.DataFrame(rows, columns=["unit_code", "year"])
    n = len(df)
    df["ind"] = df.unit_code % 4
    df["x"] = rng.normal(size=n)
    df["z1"], df["z2"] = rng.normal(size=n), rng.normal(size=n)
    u = rng.normal(size=n)
    fe = 0.2 * df.unit_code + 0.1 * (df.year - 2000) + 0.3 * df.ind * (df.year % 3)
    df["d"] = 0.8 * df.z1 - 0.5 * df.z2 + 0.3 * df.x + 0.6 * u + 0.05 * df.unit_code + rng.normal(size=n)
    df["y"] = 1 + 0.7 * df.d - 0.4 * df.x + fe + u
    return df


def _pf(formula: str, df: pd.DataFrame, vcov):
    p = pf.feols(formula, df, vcov=vcov, fixef_tol=1e-12)
    return p.coef(), p.se(), p._N, int(p._df_k)


TWO_FE = "y ~ x | unit_code + year | d ~ z1 + z2"
THREE_FE = "y ~ x | unit_code + year + ind^year | d ~ z1 + z2"


@pytest.mark.parametrize(
    "formula, vcov, pf_vcov",
    [
        (THREE_FE, "cluster:unit_code", {"CRV1": "unit_code"}),
        (THREE_FE, "cluster:unit_code+year", {"CRV1": "unit_code+year"}),
        (TWO_FE, "cluster:unit_code+year", {"CRV1": "unit_code+year"}),
        (TWO_FE, "hetero", "hetero"),
        (THREE_FE, "hetero", "hetero"),
        (THREE_FE.replace(" + z2", ""), "iid", "iid"),
        ("y ~ x | year | d ~ z1 + z2", "cluster:unit_code", {"CRV1": "unit_code"}),
    ],
)
def test_iv_hdfe_against_pyfixest(formula, vcov, pf_vcov):
    df = iv_panel()
    m = cp.feols(formula, df, vcov=vcov)
    coef, se, n, k_pf = _pf(formula, df, pf_vcov)
    assert m.route == ("iv" if formula == TWO_FE and vcov == "hetero" else "iv_hdfe")  # xtivreg's case: iv.py
    assert m.nobs == n
    np.testing.assert_allclose(m.params[coef.index].to_numpy(), coef.to_numpy(), rtol=1e-7)
    # every small-sample factor here is c (N-1 or N)/(N-K): only K may differ. With up to two
    # effects both count the same K; with three (unit + year + ind^year, year redundant given
    # ind^year) the effects' degrees of freedom follow reghdfe's pairwise rule here (what
    # ivreghdfe prints) and pyfixest's count of levels there (see test_formula's three-effect test)
    k = m.result.diagnostics.get("k_ssc", k_pf)  # iv.py (xtivreg's case) has no k_ssc: compared as is
    if "ind^year" not in formula:
        assert k == k_pf
    np.testing.assert_allclose(m.se[coef.index].to_numpy(), se.to_numpy() * np.sqrt((n - k_pf) / (n - k)), rtol=1e-7)


def test_iv_hdfe_equals_fit_iv_where_both_apply():
    """`| unit + year` with one cluster: the FWL route gives xtivreg's slopes, SEs and first-stage
    diagnostics (fit_iv with time dummies and the within transformation)."""
    df = iv_panel(seed=5)
    a = fit_iv(df, "y", ["x"], ["d"], ["z1", "z2"], entity="unit_code", time="year", cov="clustered")
    b = fit_iv_hdfe(df, "y", ["x"], ["d"], ["z1", "z2"], ["unit_code", "year"], vcov="cluster", cluster="unit_code")
    for name in ("d", "x"):
        assert b.params[name] == pytest.approx(a.params[name], rel=1e-9)
        assert b.std_errors[name] == pytest.approx(a.std_errors[name], rel=1e-8)
    assert b.df_inference == a.df_inference and b.n_clusters == a.n_clusters
    for key in ("first_stage_f", "kp_rk_lm", "kp_rk_wald_f", "cd_wald_f", "endog_test_p"):
        assert b.diagnostics[key] == pytest.approx(a.diagnostics[key], rel=1e-6), key


def test_iv_hdfe_slopes_equal_lsdv_2sls():
    """Independent computation: 2SLS with every effect as dummy columns (LSDV), by NumPy."""
    df = iv_panel(seed=7)
    df["iy"] = df.ind.astype(str) + "^" + df.year.astype(str)
    m = cp.feols("y ~ x | unit_code + iy | d ~ z1 + z2", df, vcov="iid", drop_singletons=False)
    dummies = pd.get_dummies(df[["unit_code", "iy"]].astype(str), drop_first=True, dtype=float)
    w = np.column_stack([np.ones(len(df)), dummies.to_numpy()])
    x = np.column_stack([df.d, df.x, w])
    z = np.column_stack([df.z1, df.z2, df.x, w])
    xhat = z @ np.linalg.lstsq(z, x, rcond=None)[0]
    b = np.linalg.lstsq(xhat, df.y.to_numpy(), rcond=None)[0]
    np.testing.assert_allclose(m.params[["d", "x"]].to_numpy(), b[:2], rtol=1e-7)


def test_iv_hdfe_refuses_driscoll_kraay_with_one_message():
    df = iv_panel()
    with pytest.raises(cp.FormulaError if hasattr(cp, "FormulaError") else ValueError, match="not dk"):
        cp.feols("y ~ x | unit_code + year + ind^year | d ~ z1", df, vcov="dk")


def test_instruments_of_a_very_different_scale_converge_and_give_the_same_slopes():
    """A shift-share instrument ~1e9 beside regressors ~1: the effects are partialled out of
    columns scaled to max |x| = 1 (alternating projections stop on an absolute tolerance);
    rescaling an instrument leaves the 2SLS slopes and SEs unchanged."""
    df = iv_panel(seed=11)
    big = df.assign(z1=df.z1 * 1e9, z2=df.z2 * 1e9 + 5e9)
    a = cp.feols(THREE_FE, df, vcov="cluster:unit_code+year")
    b = cp.feols(THREE_FE, big, vcov="cluster:unit_code+year")
    np.testing.assert_allclose(b.params.to_numpy(), a.params.to_numpy(), rtol=1e-7)
    np.testing.assert_allclose(b.se.to_numpy(), a.se.to_numpy(), rtol=1e-7)
