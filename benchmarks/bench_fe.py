"""Benchmark: two-way FE with clustered SE at firm scale, cipanel vs pyfixest.

5,000 units x 15 years, 20 regressors, fixed seed. Times `fit_panel` and pyfixest
`feols("y ~ x1+...+x20 | id + year", vcov={"CRV1": "id"})` in the same run (best of 3 each),
checks that coefficients and SEs agree to 1e-8 (relative), prints both times and the ratio.
Target: ratio <= 1.2.  Run: python benchmarks/bench_fe.py
"""

from __future__ import annotations

import sys

import _timing
import numpy as np
import pandas as pd

N_UNITS, N_YEARS, K, SEED, REPEATS = 5_000, 15, 20, 20240601, 3


def make_panel() -> tuple[pd.DataFrame, list[str]]:
    rng = np.random.default_rng(SEED)
    n = N_UNITS * N_YEARS
    ids = np.repeat(np.arange(N_UNITS), N_YEARS)
    years = np.tile(np.arange(2000, 2000 + N_YEARS), N_UNITS)
    alpha = rng.normal(size=N_UNITS)[ids]
    gamma = rng.normal(size=N_YEARS)[years - 2000]
    xs = rng.normal(size=(n, K)) + 0.5 * alpha[:, None] + 0.3 * gamma[:, None]
    beta = np.linspace(-1, 1, K)
    u = rng.normal(size=N_UNITS)[ids] * 0.5 + rng.normal(size=n)  # within-cluster correlation
    df = pd.DataFrame(xs, columns=[f"x{i}" for i in range(1, K + 1)])
    df["y"] = xs @ beta + alpha + gamma + u
    df["id"], df["year"] = ids, years
    return df, [f"x{i}" for i in range(1, K + 1)]


def best_of(fn, repeats: int = REPEATS):
    return _timing.best_of(fn, repeats)


def main() -> int:
    import pyfixest as pf

    from cipanel.estimators.panel import fit_panel

    df, xs = make_panel()
    fml = "y ~ " + "+".join(xs) + " | id + year"
    # warm-up both (imports, JIT in pyfixest's demeaner)
    fit_panel(df, "y", xs, entity="id", time="year")
    pf.feols(fml, data=df, vcov={"CRV1": "id"})

    t_ours, ours = best_of(lambda: fit_panel(df, "y", xs, entity="id", time="year"))
    t_pf, theirs = best_of(lambda: pf.feols(fml, data=df, vcov={"CRV1": "id"}))

    b_ours, se_ours = ours.params[xs].to_numpy(), ours.std_errors[xs].to_numpy()
    b_pf, se_pf = theirs.coef()[xs].to_numpy(), theirs.se()[xs].to_numpy()
    db = np.max(np.abs(b_ours - b_pf) / np.maximum(np.abs(b_pf), 1e-12))
    dse = np.max(np.abs(se_ours - se_pf) / se_pf)
    ok = db < 1e-8 and dse < 1e-8
    print(f"panel: {N_UNITS} units x {N_YEARS} years, {K} regressors, nobs={ours.nobs}")
    print(f"cipanel fit_panel : {t_ours:.4f} s (best of {REPEATS})")
    print(f"pyfixest feols    : {t_pf:.4f} s (best of {REPEATS})")
    print(f"ratio cipanel/pyfixest = {t_ours / t_pf:.3f} (target <= 1.2)")
    print(f"max rel diff: coef {db:.2e}, SE {dse:.2e} -> {'agree' if ok else 'DISAGREE'} (1e-8)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
