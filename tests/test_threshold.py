"""Panel threshold regression (cipanel.estimators.threshold, xthreg-compatible).

- every candidate's RSS from the fast search (FWL on precomputed within columns) equals a
  brute-force regression at that candidate: pandas group demeaning, the last period deleted
  (Hansen's stacking), numpy lstsq; for one and two thresholds; the final regime regression
  equals an LSDV regression (unit dummies) at the estimates;
- a SYNTHETIC planted threshold is recovered, with a significant bootstrap F test;
- Hansen's (1999) investment panel (xthreg's example data `hansen1999.dta`, 565 firms x 14 years):
  Hansen's published thresholds 0.0157 and 0.5362 (debt/assets) with his grid (400 quantiles,
  1% trim), single and double threshold significant, the third not. The file is
  public but not shipped with this repository (it carries no licence of its own): set
  CIPANEL_HANSEN1999=/path/to/hansen1999.dta to run those tests; they are skipped otherwise. The
  file is the Stata example data of xthreg (`net get xthreg` from SSC); a copy with the same
  7910 rows is `stata/Hansen1999.dta` in the public GitHub repository lianxhcn/data.
- bad input: unbalanced panel, wrong thnum/trim/bs counts, time-invariant variable.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cipanel.estimators.threshold import (
    candidate_grid,
    fit_threshold,
    lr_critical,
    regime_codes,
)
from cipanel.estimators.threshold_sim import threshold_panel

KW = {"rx": "r", "qx": "q", "entity": "unit", "time": "year"}


def _search_rss(df: pd.DataFrame, thresholds: list[float]) -> float:
    """RSS of the demeaned regression with the last period of every unit deleted."""
    codes = np.searchsorted(sorted(thresholds), df["q"].to_numpy(), side="left")
    frame = df[["unit", "year", "y", "w"]].copy()
    for k in range(len(thresholds) + 1):
        frame[f"r{k}"] = (codes == k) * df["r"].to_numpy()
    cols = ["y", "w", *[f"r{k}" for k in range(len(thresholds) + 1)]]
    frame[cols] = frame[cols] - frame.groupby("unit")[cols].transform("mean")
    frame = frame[frame["year"] < frame["year"].max()]
    design = frame[cols[1:]].to_numpy()
    b, *_ = np.linalg.lstsq(design, frame["y"].to_numpy(), rcond=None)
    return float(np.sum((frame["y"].to_numpy() - design @ b) ** 2))


def _lsdv_rss(df: pd.DataFrame, thresholds: list[float]) -> float:
    """RSS of y on unit dummies, w and r x regime dummies (Stata irecode regimes), by lstsq."""
    units = pd.get_dummies(df["unit"]).to_numpy(float)
    codes = np.searchsorted(sorted(thresholds), df["q"].to_numpy(), side="left")
    regimes = np.column_stack([(codes == k) * df["r"].to_numpy() for k in range(len(thresholds) + 1)])
    design = np.column_stack([units, df["w"], regimes])
    b, *_ = np.linalg.lstsq(design, df["y"].to_numpy(), rcond=None)
    return float(np.sum((df["y"].to_numpy() - design @ b) ** 2))


def test_lr_critical_value_is_hansens():
    assert lr_critical(0.95) == pytest.approx(7.3523, abs=1e-4)


def test_regimes_follow_stata_irecode():
    assert regime_codes(np.array([0.1, 0.2, 0.25, 0.3, 0.9]), [0.3, 0.2]).tolist() == [0, 0, 1, 1, 2]


def test_single_threshold_search_equals_brute_force_at_every_candidate():
    df = threshold_panel(8, 5, gamma=0.5, seed=3)
    res = fit_threshold(df, "y", ["w"], grid=20, trim=0.1, **KW)
    curve = res.lr["LR"]
    sigma2 = res.thresholds.loc["Th-1", "rss"] / (8 * 4)
    brute = np.array([_search_rss(df, [g]) for g in curve["threshold"]])
    np.testing.assert_allclose(curve["lr"] * sigma2 + res.thresholds.loc["Th-1", "rss"], brute, rtol=1e-10)
    assert res.estimates[0] == curve["threshold"].to_numpy()[np.argmin(brute)]
    # the regime regression is xtreg, fe (= LSDV) on all periods at the estimate
    b, *_ = np.linalg.lstsq(
        np.column_stack(
            [
                pd.get_dummies(df["unit"]).to_numpy(float),
                df["w"],
                (df["q"] <= res.estimates[0]) * df["r"],
                (df["q"] > res.estimates[0]) * df["r"],
            ]
        ),
        df["y"].to_numpy(),
        rcond=None,
    )
    assert res.params["w"] == pytest.approx(b[8], rel=1e-9)
    assert res.params["0._cat#c.r"] == pytest.approx(b[9], rel=1e-9)
    assert res.params["1._cat#c.r"] == pytest.approx(b[10], rel=1e-9)


def test_double_threshold_stages_equal_brute_force():
    df = threshold_panel(10, 6, gamma=0.5, seed=4)
    res = fit_threshold(df, "y", ["w"], thnum=2, grid=15, trim=[0.05, 0.05], **KW)
    g1 = res.thresholds.loc["Th-1", "threshold"]
    curve = res.lr["LR22"]  # second threshold given the first
    brute = np.array([_search_rss(df, [g1, g]) for g in curve["threshold"]])
    rss2 = res.thresholds.loc["Th-22", "rss"]
    np.testing.assert_allclose(curve["lr"] * rss2 / (10 * 5) + rss2, brute, rtol=1e-10)
    # refinement: the first threshold re-estimated given the second
    g2 = res.thresholds.loc["Th-22", "threshold"]
    refine = res.lr["LR21"]
    brute21 = np.array([_search_rss(df, [g, g2]) for g in refine["threshold"]])
    assert res.thresholds.loc["Th-21", "threshold"] == refine["threshold"].to_numpy()[np.argmin(brute21)]
    # F2 = (S1 - S2) / (S2 / (N (T - 1)))
    s1 = res.thresholds.loc["Th-1", "rss"]
    assert res.tests.loc["double", "f_stat"] == pytest.approx((s1 - rss2) / (rss2 / 50), rel=1e-12)


def test_planted_threshold_is_recovered_and_detected():
    df = threshold_panel(100, 10, gamma=0.5, effect=1.0, seed=11)  # SYNTHETIC
    res = fit_threshold(df, "y", ["w"], thnum=1, grid=300, bs=199, cov="clustered", **KW)
    th = res.thresholds.loc["Th-1"]
    assert abs(th["threshold"] - 0.5) < 0.02
    assert th["lower"] <= 0.5 <= th["upper"]
    assert res.tests.loc["single", "p_value"] < 0.01
    assert res.tests.loc["single", "crit1"] > res.tests.loc["single", "crit5"] > res.tests.loc["single", "crit10"]
    # regime slopes 1 and 2, cluster-robust SE with G - 1 dof
    assert res.params["0._cat#c.r"] == pytest.approx(1.0, abs=0.1)
    assert res.params["1._cat#c.r"] == pytest.approx(2.0, abs=0.1)
    assert res.regression.n_clusters == 100 and res.regression.df_inference == 99


def test_bootstrap_is_reproducible_with_a_seed_and_rejects_rarely_under_the_null():
    df = threshold_panel(30, 10, gamma=None, seed=5)  # SYNTHETIC, no threshold
    a = fit_threshold(df, "y", ["w"], bs=99, seed=7, **KW)
    b = fit_threshold(df, "y", ["w"], bs=99, seed=7, **KW)
    pd.testing.assert_frame_equal(a.tests, b.tests)
    assert a.tests.loc["single", "p_value"] > 0.01


def test_candidate_grid_is_hansens_quantiles_of_the_distinct_values():
    q = np.repeat(np.arange(1000) / 1000.0, 3)  # duplicates do not count
    c = candidate_grid(q, 0.01, 400)
    assert len(c) == 393  # Hansen's 1%, 1.25%, ..., 99%
    assert c[0] == pytest.approx(0.009) and c[-1] == pytest.approx(0.989)


def test_unbalanced_panel_is_refused_with_the_unit_named():
    df = threshold_panel(5, 4, seed=1).drop(index=[3])
    with pytest.raises(ValueError, match=r"balanced panel.*unit '0' has 3 of 4 periods"):
        fit_threshold(df, "y", ["w"], **KW)
    df = threshold_panel(5, 4, seed=1)
    df.loc[2, "w"] = np.nan  # a missing value makes the sample unbalanced too
    with pytest.raises(ValueError, match="balanced panel"):
        fit_threshold(df, "y", ["w"], **KW)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"thnum": 4}, "thnum must be 1, 2 or 3"),
        ({"thnum": 2, "trim": [0.01]}, r"trim\(\) needs 2 value"),
        ({"thnum": 2, "bs": [10, 10, 10]}, r"bs\(\) needs 2 value"),
        ({"trim": 0.6}, "trim must be in"),
    ],
)
def test_bad_options(kwargs, message):
    with pytest.raises(ValueError, match=message):
        fit_threshold(threshold_panel(5, 4), "y", ["w"], **{**KW, **kwargs})


def test_time_invariant_variable_is_refused():
    df = threshold_panel(5, 4)
    df["w"] = df["unit"] * 1.0
    with pytest.raises(ValueError, match="'w' does not vary within any unit"):
        fit_threshold(df, "y", ["w"], **KW)


# ------------------------------------------------------------------ Hansen (1999), xthreg's example
def _hansen() -> pd.DataFrame:
    path = os.environ.get("CIPANEL_HANSEN1999")
    if not path or not Path(path).is_file():
        pytest.skip("set CIPANEL_HANSEN1999 to xthreg's hansen1999.dta to compare with Hansen (1999)")
    return pd.read_stata(path)


HANSEN = {"rx": "c1", "qx": "d1", "entity": "id", "time": "year"}
HANSEN_X = ["q1", "q2", "q3", "d1", "qd1"]


def test_hansen_1999_published_thresholds():
    d = _hansen()
    assert d.shape[0] == 7910 and d["id"].nunique() == 565
    res = fit_threshold(d, "i", HANSEN_X, thnum=2, trim=[0.01, 0.01], grid=400, bs=[20, 20], seed=1, **HANSEN)
    th = res.thresholds["threshold"]
    assert round(th["Th-1"], 4) == 0.0157 and round(th["Th-21"], 4) == 0.0157
    assert round(th["Th-22"], 4) == 0.5362
    assert res.thresholds.loc["Th-22", "lower"] < 0.5362 < res.thresholds.loc["Th-22", "upper"]
    assert res.nobs == 7910 and res.regression.cov_type
    # 565 x 13 rows after deleting one period per firm
    assert res.tests.loc["single", "rss"] / res.tests.loc["single", "mse"] == pytest.approx(565 * 13)
    assert res.tests.loc["single", "p_value"] <= 0.05 and res.tests.loc["double", "p_value"] <= 0.1


def test_hansen_1999_no_third_threshold():
    d = _hansen()
    res = fit_threshold(d, "i", HANSEN_X, thnum=3, trim=[0.01, 0.01, 0.05], grid=400, bs=[0, 0, 30], seed=2, **HANSEN)
    assert res.tests.loc["triple", "p_value"] > 0.2


def test_summary_prints_thresholds_and_tests():
    res = fit_threshold(threshold_panel(20, 5, seed=2), "y", ["w"], bs=19, **KW)
    text = res.summary()
    assert "Th-1" in text and "p_value" in text and "crit5" in text
    assert res.conf_int().shape == (len(res.params), 2) and res.nobs == 100
