"""Formula front end and the estimators behind it, on SYNTHETIC panels and on Grunfeld
(statsmodels' offline copy): parsing, gap-aware panel operators, the formula path against the
dict path (fit_panel), against pyfixest, and each new model against an independent computation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyfixest as pf
import pytest
import statsmodels.api as sm

import cipanel as cp
from cipanel import formula as fml
from cipanel.estimators.hdfe import fit_hdfe
from cipanel.estimators.panel import fit_panel


def synthetic_panel(seed: int = 1, n_units: int = 40, years=range(2000, 2012), gap_rate: float = 0.15) -> pd.DataFrame:
    """SYNTHETIC unbalanced panel with random gaps (missing unit-years)."""
    rng = np.random.default_rng(seed)
    rows = [(u, t) for u in range(n_units) for t in years if rng.random() >= gap_rate]
    df = pd.DataFrame(rows, columns=["unit_code", "year"])
    n = len(df)
    df["ind"] = df.unit_code % 5
    df["region"] = np.where(df.unit_code < n_units // 2, "east", "west")
    df["x"] = rng.normal(size=n) + 0.1 * df.unit_code
    df["z"] = rng.normal(size=n)
    df["grp"] = rng.integers(0, 4, size=n)  # a third effect crossed with unit and year
    df["w"] = np.exp(rng.normal(size=n))
    df["y"] = 1 + 0.5 * df.x - 0.3 * df.z + 0.05 * df.unit_code + 0.1 * (df.year - 2000) + rng.normal(size=n)
    return df


def lag_by_merge(df: pd.DataFrame, var: str, k: int) -> pd.Series:
    """Independent lag: merge on (unit, year - k)."""
    src = df[["unit_code", "year", var]].copy()
    src["year"] = src["year"] + k
    merged = df[["unit_code", "year"]].merge(src, on=["unit_code", "year"], how="left")
    return pd.Series(merged[var].to_numpy(), index=df.index)


def assert_same(model, ref_params, ref_se, rtol=1e-8):
    names = list(ref_params.index)
    np.testing.assert_allclose(model.params[names].to_numpy(), np.asarray(ref_params), rtol=rtol)
    np.testing.assert_allclose(model.se[names].to_numpy(), np.asarray(ref_se), rtol=rtol)


# ---------------------------------------------------------------- parsing


def test_parse_parts_and_operator_names():
    p = fml.parse("y ~ x + l(x, 1:2) + f(z, 2) + d(x) + x^2 | unit_code + ind^year | e ~ q")
    assert p.lhs == "y"
    assert p.fe == [["unit_code"], ["ind", "year"]]
    assert (p.endog, p.instruments) == ("e", "q")
    assert set(p.operators) == {"L.x", "L2.x", "F2.z", "D.x"}
    assert "I(x**2)" in p.rhs


@pytest.mark.parametrize(
    "bad, message",
    [
        ("y x", "expected"),
        ("y ~ x | a | b | c", "at most two"),
        ("y ~ x | e ~ z | a", "last"),
        ("y ~ l(x, a)", "integer or a range"),
        ("y ~ x | a + b*c", "column names"),
    ],
)
def test_parse_errors_name_the_problem(bad, message):
    with pytest.raises(fml.FormulaError, match=message):
        fml.parse(bad)


@pytest.mark.parametrize(
    "term",
    [
        "I(__import__('os').system('true'))",
        "np.exp(x)",
        "I(x.__class__)",
        "I('a')",
    ],
)
def test_formula_never_runs_code(term):
    df = synthetic_panel()
    with pytest.raises(fml.FormulaError, match="not allowed|only"):
        fml.materialise(f"y ~ {term}", df, entity="unit_code", time="year")


def test_unknown_variable_is_named():
    with pytest.raises(fml.FormulaError, match="'nope'"):
        cp.feols("y ~ x + nope", synthetic_panel())


# ---------------------------------------------------------------- panel operators with gaps


def test_operators_respect_gaps_and_match_an_independent_merge():
    df = synthetic_panel(gap_rate=0.25)
    d = fml.materialise("y ~ l(x, 1:2) + f(x, 1) + d(x) + d(x, 2)", df, entity="unit_code", time="year")
    f = d.frame
    np.testing.assert_array_equal(f["L.x"], lag_by_merge(df, "x", 1))
    np.testing.assert_array_equal(f["L2.x"], lag_by_merge(df, "x", 2))
    np.testing.assert_array_equal(f["F.x"], lag_by_merge(df, "x", -1))
    np.testing.assert_array_equal(f["D.x"], df["x"] - lag_by_merge(df, "x", 1))
    np.testing.assert_array_equal(f["S2.x"], df["x"] - lag_by_merge(df, "x", 2))
    # a row-shift lag (what a plain shift() would give) differs where there are gaps
    row_shift = df.groupby("unit_code")["x"].shift(1)
    gap = row_shift.notna() & f["L.x"].isna()
    assert gap.sum() > 10


def test_operator_regression_equals_pyfixest_on_merged_lags():
    df = synthetic_panel(gap_rate=0.25)
    m = cp.feols("y ~ x + l(x, 1) + f(z, 1) | unit_code + year", df, vcov="cluster:unit_code")
    ref = df.assign(lx=lag_by_merge(df, "x", 1), fz=lag_by_merge(df, "z", -1))
    p = pf.feols("y ~ x + lx + fz | unit_code + year", ref, vcov={"CRV1": "unit_code"}, fixef_tol=1e-12)
    coef, se = p.coef(), p.se()
    coef.index = se.index = ["x", "L.x", "F.z"]
    assert_same(m, coef, se)
    assert m.nobs == p._N


# ---------------------------------------------------------------- formula path vs dict path


@pytest.mark.parametrize(
    "fe, effects",
    [("", "none"), ("| unit_code", "entity"), ("| unit_code + year", "twoway"), ("| year + unit_code", "twoway")],
)
@pytest.mark.parametrize(
    "vcov, cov",
    [("iid", "unadjusted"), ("hetero", "robust"), ("cluster:unit_code", "clustered"), ("dk", "driscoll_kraay")],
)
def test_formula_equals_fit_panel(fe, effects, vcov, cov):
    df = synthetic_panel()
    m = cp.feols(f"y ~ x + z {fe}", df, vcov=vcov)
    r = fit_panel(df, "y", ["x", "z"], entity="unit_code", time="year", effects=effects, cov=cov)
    pd.testing.assert_series_equal(m.params, r.params)
    pd.testing.assert_series_equal(m.se, r.std_errors)
    assert m.nobs == r.nobs


def test_hdfe_route_equals_xtreg_route_for_unit_and_year():
    df = synthetic_panel()
    r = fit_panel(df, "y", ["x", "z"], entity="unit_code", time="year", cov="clustered")
    h, _ = fit_hdfe(df, "y", ["x", "z"], ["unit_code", "year"], vcov="cluster", cluster="unit_code")
    np.testing.assert_allclose(h.params, r.params[["x", "z"]], rtol=1e-9)
    np.testing.assert_allclose(h.std_errors, r.std_errors[["x", "z"]], rtol=1e-9)
    assert h.df_inference == r.df_inference
    for vcov, cov in (("iid", "unadjusted"), ("hetero", "robust")):
        r = fit_panel(df, "y", ["x", "z"], entity="unit_code", time="year", cov=cov)
        h, _ = fit_hdfe(df, "y", ["x", "z"], ["unit_code", "year"], vcov=vcov)
        np.testing.assert_allclose(h.std_errors, r.std_errors[["x", "z"]], rtol=1e-9)


# ---------------------------------------------------------------- against pyfixest


@pytest.mark.parametrize(
    "formula, vcov, pf_vcov",
    [
        ("y ~ x + z | unit_code + year + grp", "cluster:unit_code", {"CRV1": "unit_code"}),
        ("y ~ x + z | unit_code + year + grp", "iid", "iid"),
        ("y ~ x + z | unit_code + year + ind^year", "cluster:unit_code+year", {"CRV1": "unit_code+year"}),
        ("y ~ x + z | unit_code + year", "cluster:unit_code+year", {"CRV1": "unit_code+year"}),
        ("y ~ x + z | year", "hetero", "HC1"),
        ("y ~ x + z | year", "iid", "iid"),
        ("y ~ x + x:z + I(x**2) + log(w) | unit_code + year", "cluster:ind", {"CRV1": "ind"}),
        ("y ~ x*z | unit_code", "cluster:unit_code", {"CRV1": "unit_code"}),
        ("y ~ i(region, x) | unit_code + year", "cluster:unit_code", {"CRV1": "unit_code"}),
    ],
)
def test_against_pyfixest(formula, vcov, pf_vcov):
    df = synthetic_panel()
    m = cp.feols(formula, df, vcov=vcov)
    p = pf.feols(formula.replace("i(region, x)", "i(region, x)"), df, vcov=pf_vcov, fixef_tol=1e-12)
    coef, se = p.coef(), p.se()
    rename = {"region::east:x": "region::east:x", "I(x ** 2)": "I(x ** 2)"}
    coef.index = se.index = [rename.get(c, c) for c in coef.index]
    common = [c for c in coef.index if c in m.params.index]
    assert len(common) == len(coef)
    assert_same(m, coef[common], se[common], rtol=1e-7)
    assert m.nobs == p._N


def test_singletons_dropped_counted_and_switchable():
    df = synthetic_panel()
    extra = pd.DataFrame(
        {
            "unit_code": [900, 901],
            "year": [2003, 2004],
            "ind": [1, 2],
            "grp": [0, 1],
            "region": ["east", "west"],
            "x": [0.3, -1.0],
            "z": [1.0, 2.0],
            "w": [1.0, 1.0],
            "y": [5.0, -3.0],
        }
    )
    df = pd.concat([df, extra], ignore_index=True)
    m = cp.feols("y ~ x + z | unit_code + year", df, vcov="cluster:unit_code")
    assert m.result.diagnostics["n_singletons"] == 2
    assert any("2 singleton" in n for n in m.result.notes)
    p = pf.feols("y ~ x + z | unit_code + year", df, vcov={"CRV1": "unit_code"}, fixef_tol=1e-12)
    assert m.nobs == p._N == len(df) - 2
    assert_same(m, p.coef(), p.se())
    kept = cp.feols("y ~ x + z | unit_code + year", df, vcov="cluster:unit_code", drop_singletons=False)
    assert kept.nobs == len(df)
    assert kept.result.n_clusters == m.result.n_clusters + 2  # xtreg keeps them (SEs differ)
    m3 = cp.feols("y ~ x + z | unit_code + year + ind^year", df, vcov="iid")
    p3 = pf.feols("y ~ x + z | unit_code + year + ind^year", df, vcov="iid", fixef_tol=1e-12)
    assert m3.nobs == p3._N
    np.testing.assert_allclose(m3.params, p3.coef(), rtol=1e-7)
    # Degrees of freedom of three effects, reghdfe's pairwise rule: unit counts all its levels,
    # year its levels minus the unit-year components (1), ind^year its levels minus the most
    # components it forms with an earlier effect (5 with unit: one per industry; 12 with year).
    # pyfixest counts levels minus one per extra effect (more), the exact rank is smaller
    # (a conservative bound, as reghdfe says); SEs differ from the exact LSDV only by that count.
    kept = df[df.unit_code < 900].assign(iy=lambda d: d.ind.astype(str) + "^" + d.year.astype(str))
    n_u, n_t, n_iy = kept.unit_code.nunique(), kept.year.nunique(), kept.iy.nunique()
    df_a = n_u + (n_t - 1) + (n_iy - max(kept.ind.nunique(), n_t))
    assert m3.result.diagnostics["df_absorbed"] == df_a
    assert m3.result.diagnostics["df_resid"] == len(kept) - 2 - df_a
    lsdv = sm.OLS.from_formula("y ~ x + z + C(unit_code) + C(year) + C(iy)", kept).fit()
    scale = np.sqrt(lsdv.df_resid / m3.result.diagnostics["df_resid"])
    np.testing.assert_allclose(m3.se, lsdv.bse[["x", "z"]] * scale, rtol=1e-8)
    np.testing.assert_allclose(m3.params, lsdv.params[["x", "z"]], rtol=1e-8)


# ---------------------------------------------------------------- independent computations


def dense_ols(y, X, groups=None):
    """OLS with explicit columns; returns b, bread, residuals."""
    bread = np.linalg.inv(X.T @ X)
    b = bread @ X.T @ y
    return b, bread, y - X @ b


def test_two_way_clustering_against_the_cgm_formula():
    """V = c (V_a + V_b - V_ab), c = G/(G-1) (N-1)/(N-K) with G = min(G_a, G_b), computed with
    explicit dummy columns (LSDV) and dense cluster sums. K = 2 regressors + the constant: unit
    effects are nested in ind and year effects in year, and reghdfe does not count effects
    nested in a cluster variable."""
    df = synthetic_panel()
    m = cp.feols("y ~ x + z | unit_code + year", df, vcov="cluster:ind+year")
    X = pd.get_dummies(df[["unit_code", "year"]].astype(str), drop_first=True).astype(float)
    X = np.column_stack([df[["x", "z"]].to_numpy(), X.to_numpy(), np.ones(len(df))])
    b, bread, e = dense_ols(df["y"].to_numpy(), X)

    def meat(codes):
        s = pd.DataFrame(X * e[:, None]).groupby(np.asarray(codes)).sum().to_numpy()
        return s.T @ s

    inter = df["ind"].astype(str) + "_" + df["year"].astype(str)
    v = bread @ (meat(df["ind"]) + meat(df["year"]) - meat(inter)) @ bread
    n, k = X.shape[0], 3
    g = min(df["ind"].nunique(), df["year"].nunique())
    v *= g / (g - 1) * (n - 1) / (n - k)
    np.testing.assert_allclose(m.params[["x", "z"]], b[:2], rtol=1e-9)
    np.testing.assert_allclose(m.se[["x", "z"]], np.sqrt(np.diag(v))[:2], rtol=1e-8)
    assert m.result.df_inference == g - 1


@pytest.fixture(scope="module")
def grunfeld() -> pd.DataFrame:
    d = sm.datasets.grunfeld.load_pandas().data
    d["year"] = d["year"].astype(int)
    return d


def test_first_differences_on_grunfeld_against_statsmodels(grunfeld):
    """`estimator='fd'` = Stata `reg D.(invest value capital), vce(cluster firm)`."""
    m = cp.feols("invest ~ value + capital", grunfeld, vcov="cluster:firm", panel=("firm", "year"), estimator="fd")
    g = grunfeld.sort_values(["firm", "year"])
    d = g.groupby("firm")[["invest", "value", "capital"]].diff().assign(firm=g["firm"]).dropna()
    ols = sm.OLS(d["invest"], sm.add_constant(d[["value", "capital"]])).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(d["firm"])[0]}
    )
    names = ["_cons", "D.value", "D.capital"]
    np.testing.assert_allclose(m.params[names], ols.params, rtol=1e-9)
    np.testing.assert_allclose(m.se[names], ols.bse, rtol=1e-9)
    assert m.nobs == 209  # 11 firms x 19 differences
    np.testing.assert_allclose(m.result.diagnostics["r2_a"], ols.rsquared_adj, rtol=1e-10)


def test_r2_a_as_stata(grunfeld):
    """e(r2_a) of regress (pooled) and of areg/reghdfe (LSDV with the effects counted)."""
    pooled = cp.feols("invest ~ value + capital", grunfeld, vcov="hetero", panel=("firm", "year"))
    ols = sm.OLS(grunfeld["invest"], sm.add_constant(grunfeld[["value", "capital"]])).fit(cov_type="HC1")
    np.testing.assert_allclose(pooled.result.diagnostics["r2_a"], ols.rsquared_adj, rtol=1e-10)
    np.testing.assert_allclose(pooled.se[["_cons", "value", "capital"]], ols.bse, rtol=1e-9)
    fe = cp.feols("invest ~ value + capital | firm + year", grunfeld, vcov="iid", panel=("firm", "year"))
    lsdv = sm.OLS.from_formula("invest ~ value + capital + C(firm) + C(year)", grunfeld).fit()
    np.testing.assert_allclose(fe.result.diagnostics["r2_a"], lsdv.rsquared_adj, rtol=1e-10)
    np.testing.assert_allclose(fe.result.diagnostics["r2_lsdv"], lsdv.rsquared, rtol=1e-10)
    np.testing.assert_allclose(fe.params[["value", "capital"]], lsdv.params[["value", "capital"]], rtol=1e-9)
    np.testing.assert_allclose(fe.se[["value", "capital"]], lsdv.bse[["value", "capital"]], rtol=1e-9)
    three = cp.feols(
        "invest ~ value + capital | firm + year", grunfeld, vcov="iid", panel=("firm", "year"), drop_singletons=False
    )
    h, _ = fit_hdfe(grunfeld, "invest", ["value", "capital"], ["year", "firm"], vcov="iid")
    np.testing.assert_allclose(h.diagnostics["r2_a"], three.result.diagnostics["r2_a"], rtol=1e-10)


def test_year_effects_only_pooled_against_lsdv(grunfeld):
    m = cp.feols("invest ~ value + capital | year", grunfeld, vcov="cluster:firm", panel=("firm", "year"))
    lsdv = sm.OLS.from_formula("invest ~ value + capital + C(year)", grunfeld).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(grunfeld["firm"])[0]}
    )
    np.testing.assert_allclose(m.params, lsdv.params[["value", "capital"]], rtol=1e-9)
    # statsmodels counts the year dummies in K, as reghdfe does when year is not nested in firm
    np.testing.assert_allclose(m.se, lsdv.bse[["value", "capital"]], rtol=1e-8)


# ---------------------------------------------------------------- results API


def test_tidy_conf_int_summary_html():
    df = synthetic_panel()
    m = cp.feols("y ~ x + z | unit_code + year", df, vcov="cluster:unit_code")
    t = m.tidy()
    assert list(t.columns) == ["term", "estimate", "std_error", "statistic", "p_value", "conf_low", "conf_high"]
    ci = m.conf_int(0.9)
    assert (ci["lower"] < m.params).all() and (ci["upper"] > m.params).all()
    text = m.summary()
    for piece in ("Number of obs", "clustered by unit_code", "adj. R2", "within R2", "  x |"):
        assert piece in text
    assert "<table>" in m._repr_html_()


def test_iv_formula_equals_fit_iv():
    from cipanel.estimators.iv import fit_iv

    df = synthetic_panel()
    df["q"] = df["z"] + np.random.default_rng(5).normal(size=len(df))
    m = cp.iv("y ~ x | unit_code + year | z ~ q", df, vcov="cluster:unit_code")
    r = fit_iv(df, "y", ["x"], ["z"], ["q"], entity="unit_code", time="year", cov="clustered")
    pd.testing.assert_series_equal(m.params, r.params)
    pd.testing.assert_series_equal(m.se, r.std_errors)


def test_wild_bootstrap_on_the_fitted_model():
    from cipanel.inference import wild_cluster_bootstrap

    df = synthetic_panel()
    m = cp.feols("y ~ x + z | unit_code + year", df, vcov="cluster:unit_code")
    b = m.wild_bootstrap("x", B=199, seed=3)
    ref = wild_cluster_bootstrap(df, "y", ["x", "z"], "x", entity="unit_code", time="year", B=199, seed=3)
    assert b.p_value == ref.p_value
    np.testing.assert_allclose(b.t_stat, m.result.tstats["x"], rtol=1e-10)
    h = cp.feols("y ~ x + z | unit_code + year + ind^year", df, vcov="cluster:unit_code")
    bh = h.wild_bootstrap("x", B=199, seed=3, ci=False)
    np.testing.assert_allclose(bh.t_stat, h.result.tstats["x"], rtol=1e-8)


def test_permutation_on_the_fitted_model():
    from cipanel.inference import fisher_permutation_test

    df = synthetic_panel()
    m = cp.feols("y ~ x + z | unit_code + year", df, vcov="cluster:unit_code")
    r = m.permutation("region", B=50, seed=1)
    ref = fisher_permutation_test(df, "y", "x", "region", controls=["z"], entity="unit_code", time="year", B=50, seed=1)
    assert r.p_value == ref.p_value


def test_etable_writes_every_format(tmp_path):
    df = synthetic_panel()
    m1 = cp.feols("y ~ x | unit_code + year", df, vcov="cluster:unit_code")
    m2 = cp.feols("y ~ x + z | unit_code + year + ind^year", df, vcov="cluster:unit_code+year")
    text = cp.etable([m1, m2], keep=["x", "z"], out_dir=tmp_path, table_id="mine")
    assert "x" in text and "(2)" in text
    for ext in ("md", "tex", "docx", "xlsx"):
        assert (tmp_path / f"mine.{ext}").stat().st_size > 0


@pytest.mark.parametrize("vcov", ["cluster:", "bogus", {"HC3": "x"}, "iid:3"])
def test_bad_vcov_is_named(vcov):
    with pytest.raises(fml.FormulaError, match="vcov"):
        cp.feols("y ~ x", synthetic_panel(), vcov=vcov)


def test_collinear_interaction_levels_are_omitted_with_a_note():
    """Every level of i(region, x) beside x: Stata and fixest omit one; so does cp.feols."""
    df = synthetic_panel()
    m = cp.feols("y ~ x + i(region, x) | unit_code + year", df, vcov="cluster:unit_code")
    assert m.route == "hdfe"
    assert any("omitted" in n and "region::west:x" in n for n in m.result.notes)
    ref = cp.feols("y ~ x + i(region, x, ref=west) | unit_code + year", df, vcov="cluster:unit_code")
    assert ref.route == "panel"
    np.testing.assert_allclose(m.params, ref.params[m.params.index], rtol=1e-9)
    np.testing.assert_allclose(m.se, ref.se[m.params.index], rtol=1e-9)


def test_gmm_wrapper_is_fit_gmm_with_summary():
    from cipanel.estimators.gmm import GmmStyle, IvStyle, fit_gmm

    df = synthetic_panel(gap_rate=0.0)
    kw = dict(gmm=[GmmStyle("L.y", 1, 3, collapse=True)], iv=[IvStyle("x")], two_step=True)
    m = cp.gmm(df, "y", ["L.y", "x"], **kw)
    r = fit_gmm(df, "y", ["L.y", "x"], entity="unit_code", time="year", **kw)
    pd.testing.assert_series_equal(m.params, r.params)
    pd.testing.assert_series_equal(m.se, r.std_errors)
    assert "L.y" in m.summary()


def test_unit_trends_as_varying_slopes_against_lsdv(grunfeld):
    """`| firm[year] + year` = xtreg y x i.year i.firm#c.year, fe (unit-specific linear trends)."""
    m = cp.feols("invest ~ value + capital | firm[year] + year", grunfeld, vcov="iid", panel=("firm", "year"))
    r = fit_panel(grunfeld, "invest", ["value", "capital"], entity="firm", time="year", trends=True, cov="unadjusted")
    pd.testing.assert_series_equal(m.params, r.params)
    lsdv = sm.OLS.from_formula("invest ~ value + capital + C(firm) + C(year) + C(firm):year", grunfeld).fit()
    np.testing.assert_allclose(m.params[["value", "capital"]], lsdv.params[["value", "capital"]], rtol=1e-8)
    np.testing.assert_allclose(m.se[["value", "capital"]], lsdv.bse[["value", "capital"]], rtol=1e-8)
    with pytest.raises(fml.FormulaError, match="varying slopes"):
        cp.feols("invest ~ value | year[firm]", grunfeld, panel=("firm", "year"))
