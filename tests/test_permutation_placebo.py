"""Group-difference tests, placebo test and the coverage simulation (cipanel.inference)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cipanel.estimators.panel import fit_panel
from cipanel.inference.permutation import fisher_permutation_test, interaction_test
from cipanel.inference.placebo import placebo_test

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
ROOT = Path(__file__).resolve().parents[1]


def groups_panel(diff: float, seed: int = 2, G: int = 30, T: int = 9) -> pd.DataFrame:
    """x has slope 0.2 in group 0 and 0.2 + diff in group 1 (every third unit)."""
    rng = np.random.default_rng(seed)
    ids, t = np.repeat(np.arange(G), T), np.tile(np.arange(T), G)
    n = G * T
    g = (np.arange(G) % 3 == 0).astype(int)[ids]
    a, f = rng.normal(size=G)[ids], rng.normal(size=T)[t]
    x, c = rng.normal(size=n) + a, rng.normal(size=n)
    y = (0.2 + diff * g) * x + 0.3 * c + a + f + 0.3 * rng.normal(size=G)[ids] + rng.normal(size=n)
    return pd.DataFrame({"id": ids, "year": 2015 + t, "x": x, "c": c, "y": y, "g": g})


FE = dict(entity="id", time="year")


def subsample_coefs(df: pd.DataFrame) -> tuple[float, float]:
    b = [fit_panel(df[df["g"] == v], "y", ["x", "c"], **FE).params["x"] for v in (0, 1)]
    return b[0], b[1]


# ---------------------------------------------------------------- interaction model


def test_fully_interacted_model_equals_subsample_difference():
    df = groups_panel(0.6)
    b0, b1 = subsample_coefs(df)
    r = interaction_test(df, "y", "x", "g", controls=["c"], interact_controls=True, **FE)
    assert r.diff == pytest.approx(b1 - b0, rel=1e-10)
    assert r.df == 29 and r.n_clusters == 30 and r.p_value < 0.01


def test_interaction_se_matches_pyfixest_up_to_k():
    """pyfixest `| id + year^g` gives the same coefficient and CRV1 SE except that it counts all
    18 year x group levels in K, one more than Stata's _rmcoll keeps next to the entity FE
    (ours K = x, x:g, c, 8 year dummies, 8 year x g, _cons = 20): SE ratio sqrt(250/249)."""
    import pyfixest as pf

    df = groups_panel(0.6)
    r = interaction_test(df, "y", "x", "g", controls=["c"], **FE)
    fit = pf.feols("y ~ x + xg + c | id + year^g", data=df.assign(xg=df["x"] * df["g"]), vcov={"CRV1": "id"})
    assert r.diff == pytest.approx(fit.coef()["xg"], rel=1e-10)
    assert r.fit.diagnostics["k_regressors"] == 20
    assert r.se * np.sqrt(250 / 249) == pytest.approx(fit.se()["xg"], rel=1e-10)


def test_interaction_period_split_keeps_group_main_effect():
    """A time-varying group (a period split): the group dummy is identified, year x group dummies
    are collinear with the year dummies and dropped."""
    df = groups_panel(0.0).assign(g=lambda d: (d["year"] >= 2019).astype(int))
    r = interaction_test(df, "y", "x", "g", controls=["c"], **FE)
    assert "_g" in r.fit.params.index and 0 <= r.p_value <= 1


# ---------------------------------------------------------------- Fisher permutation (bdiff)


def test_permutation_coefficients_equal_subsample_regressions():
    df = groups_panel(0.6)
    b0, b1 = subsample_coefs(df)
    r = fisher_permutation_test(df, "y", "x", "g", controls=["c"], B=50, seed=1, **FE)
    assert (r.coef_group0, r.coef_group1) == pytest.approx((b0, b1), rel=1e-10)
    assert r.diff == pytest.approx(b1 - b0, rel=1e-10) and len(r.diffs) == 50


def test_permutation_rejects_planted_difference_only():
    real = fisher_permutation_test(groups_panel(0.6), "y", "x", "g", controls=["c"], B=999, seed=3, **FE)
    assert real.p_value < 0.01 and real.p_value_one_sided < 0.01
    null = fisher_permutation_test(groups_panel(0.0), "y", "x", "g", controls=["c"], B=999, seed=3, **FE)
    assert null.p_value > 0.1
    # one-sided (bdiff) p is in the direction of the observed difference and at most two-sided
    assert null.p_value_one_sided <= null.p_value + 1e-12


def test_permutation_deterministic_and_permutes_units():
    df = groups_panel(0.3)
    r1 = fisher_permutation_test(df, "y", "x", "g", B=200, seed=9, **FE)
    r2 = fisher_permutation_test(df, "y", "x", "g", B=200, seed=9, **FE)
    np.testing.assert_array_equal(r1.diffs, r2.diffs)
    # one permuted draw re-estimated with fit_panel: unit labels from the same generator
    units = np.sort(df["id"].unique())
    g_unit = df.groupby("id")["g"].first().to_numpy().astype(float)
    perm = np.random.default_rng(9).permuted(np.tile(g_unit, (200, 1)), axis=1)[0]
    d = df.assign(g=df["id"].map(dict(zip(units, perm))))
    b0, b1 = (fit_panel(d[d["g"] == v], "y", ["x"], **FE).params["x"] for v in (0, 1))
    assert r1.diffs[0] == pytest.approx(b1 - b0, rel=1e-9)
    with pytest.raises(ValueError, match="varies within units"):
        fisher_permutation_test(df.assign(g=(df["year"] > 2019).astype(int)), "y", "x", "g", B=10, **FE)


# ---------------------------------------------------------------- placebo


def treated_panel(effect: float, seed: int = 4, G: int = 30, T: int = 9) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ids, t = np.repeat(np.arange(G), T), np.tile(np.arange(T), G)
    start = rng.integers(2, T + 3, size=G)  # staggered adoption; some never treated
    d = (t >= start[ids]).astype(float)
    c = rng.normal(size=G * T)
    y = effect * d + 0.3 * c + rng.normal(size=G)[ids] + 0.2 * t + rng.normal(size=G * T)
    return pd.DataFrame({"id": ids, "year": 2015 + t, "d": d, "c": c, "y": y})


@pytest.mark.parametrize("mode", ["unit", "unit_year"])
def test_placebo_real_coefficient_and_draws_match_fit_panel(mode):
    df = treated_panel(1.0)
    r = placebo_test(df, "y", "d", controls=["c"], mode=mode, B=200, seed=6, **FE)
    fp = fit_panel(df, "y", ["d", "c"], **FE)
    assert r.real_coef == pytest.approx(fp.params["d"], rel=1e-10)
    assert r.real_t == pytest.approx(fp.tstats["d"], rel=1e-10)
    assert r.share < 0.01 and r.share_t < 0.01 and len(r.coefs) == 200
    # first draw rebuilt from the documented recipe and re-estimated
    rng = np.random.default_rng(6)
    if mode == "unit":
        perm = rng.permuted(np.tile(np.arange(30), (200, 1)), axis=1)[0]
        paths = df.pivot(index="id", columns="year", values="d").to_numpy()
        dstar = paths[perm[df["id"].to_numpy()], df["year"].to_numpy() - 2015]
    else:
        dstar = rng.permuted(np.tile(df["d"].to_numpy(), (200, 1)), axis=1)[0]
    fb = fit_panel(df.assign(d=dstar), "y", ["d", "c"], **FE)
    assert r.coefs[0] == pytest.approx(fb.params["d"], rel=1e-9)
    assert r.tstats[0] == pytest.approx(fb.tstats["d"], rel=1e-9)


def test_placebo_without_effect_is_not_extreme():
    r = placebo_test(treated_panel(0.0), "y", "d", controls=["c"], B=500, seed=1, **FE)
    assert r.share > 0.1


def test_placebo_unit_mode_needs_balanced_panel():
    df = treated_panel(1.0).iloc[1:]
    with pytest.raises(ValueError, match="balanced"):
        placebo_test(df, "y", "d", B=10, **FE)
    assert placebo_test(df, "y", "d", mode="unit_year", B=10, seed=1, **FE).B == 10


# ---------------------------------------------------------------- coverage script


def test_coverage_simulation_runs_on_tiny_r():
    spec = importlib.util.spec_from_file_location("simulate_coverage", ROOT / "scripts" / "simulate_coverage.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    tab = mod.simulate_coverage(reps=3, boot=99, seed=1)
    assert list(tab.index) == ["cluster-robust t(G-1)", "Driscoll-Kraay t(T-1)", "WCR bootstrap"]
    assert tab["coverage"].between(0, 1).all() and (tab["reps"] == 3).all()
    assert (tab["median_length"] > 0).all()
