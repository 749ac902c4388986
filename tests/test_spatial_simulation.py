"""A small Monte Carlo of the SDM with unit fixed effects (SYNTHETIC panels, 5 x 5 rook lattice,
T = 10, rho = 0.4, b = 1, theta = 0.5, 40 replications, Lee-Yu variance): the estimates of the
planted rho and theta are centred on the truth (within 3 Monte Carlo SEs) and their 95% Wald
intervals cover it in most replications (a binomial 95% rate over 40 draws is above 0.85 with
probability > 0.99). A single-draw version with two-way effects is in tests/test_spatial.py."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("libpysal")

from test_spatial import _sdm_panel  # noqa: E402 (tests/ is on sys.path)

from cipanel.estimators.spatial import fit_spatial  # noqa: E402

TRUTH = {"rho": 0.4, "x": 1.0, "W*x": 0.5}
R = 40


def test_planted_rho_and_theta_are_recovered_on_average_with_nominal_coverage():
    est = {k: [] for k in TRUTH}
    covered = {k: 0 for k in TRUTH}
    for s in range(R):
        df, _, w, _, _ = _sdm_panel(side=5, t=10, rho=0.4, b=1.0, theta=0.5, seed=100 + s)  # SYNTHETIC
        res = fit_spatial(df, "y", ["x"], entity="unit", time="year", w=w, leeyu=True, nsim=0, tests=False)
        ci = res.conf_int()
        for k, truth in TRUTH.items():
            est[k].append(res.params[k])
            covered[k] += ci.loc[k, "lower"] <= truth <= ci.loc[k, "upper"]
    for k, truth in TRUTH.items():
        values = np.asarray(est[k])
        mc_se = values.std(ddof=1) / np.sqrt(R)
        assert abs(values.mean() - truth) < 3 * mc_se, (k, values.mean(), mc_se)
        assert covered[k] / R >= 0.85, (k, covered[k])
