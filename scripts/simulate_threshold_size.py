"""Size of the bootstrap F test for a single threshold (cipanel.estimators.threshold) under no
threshold: SYNTHETIC 30 x 10 panels, grid 100, B bootstrap replications per panel; prints the
rejection rates at 10/5/1%, which should be near the nominal levels (Monte Carlo sd of a 5% rate
over R panels: sqrt(.05 * .95 / R)).
Run: python scripts/simulate_threshold_size.py [R] [B]
"""

from __future__ import annotations

import sys

import numpy as np

from cipanel.estimators.threshold import fit_threshold
from cipanel.estimators.threshold_sim import threshold_panel


def main(r: int = 200, b: int = 199) -> None:
    p = np.empty(r)
    for i in range(r):
        df = threshold_panel(30, 10, gamma=None, seed=1000 + i)
        res = fit_threshold(df, "y", ["w"], rx="r", qx="q", entity="unit", time="year", grid=100, bs=b, seed=i)
        p[i] = res.tests.loc["single", "p_value"]
    sd = np.sqrt(0.05 * 0.95 / r)
    print(f"SYNTHETIC size simulation: {r} panels of 30 x 10, B = {b}, no threshold planted")
    for level in (0.10, 0.05, 0.01):
        print(f"  rejection rate at {level:.0%}: {np.mean(p <= level):.3f}")
    print(f"  (Monte Carlo sd at 5%: {sd:.3f})")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
