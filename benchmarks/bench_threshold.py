"""Benchmark: panel threshold model (xthreg-compatible), SYNTHETIC 30 units x 10 years, 300-point
grid, 300 bootstrap replications of the single-threshold F test; and a double-threshold run with
300 + 300 replications. Target: the single-threshold run under 5 s on the project machine.
Run: python benchmarks/bench_threshold.py
"""

from __future__ import annotations

import _timing

from cipanel.estimators.threshold import fit_threshold
from cipanel.estimators.threshold_sim import threshold_panel

TARGET, REPEATS = 5.0, 3


def main() -> None:
    df = threshold_panel(30, 10, gamma=0.5, seed=1)
    kw = {"rx": "r", "qx": "q", "entity": "unit", "time": "year", "grid": 300}
    single, res = _timing.best_of(lambda: fit_threshold(df, "y", ["w"], thnum=1, bs=300, **kw), REPEATS)
    double, res2 = _timing.best_of(lambda: fit_threshold(df, "y", ["w"], thnum=2, bs=[300, 300], **kw), REPEATS)
    print(
        f"single threshold, grid 300, bs 300 on 30 x 10 (SYNTHETIC): {single:.2f} s (target {TARGET} s); "
        f"gamma-hat {res.estimates[0]:.4f} (planted 0.5), F {res.tests.loc['single', 'f_stat']:.1f}, "
        f"p {res.tests.loc['single', 'p_value']:.3f}"
    )
    print(f"double threshold, grid 300, bs 300 300: {double:.2f} s; F2 p {res2.tests.loc['double', 'p_value']:.3f}")
    if single > TARGET:
        raise SystemExit(f"too slow: {single:.2f} s > {TARGET} s")


if __name__ == "__main__":
    main()
