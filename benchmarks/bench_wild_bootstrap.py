"""Benchmark: WCR wild cluster bootstrap, 9,999 draws, two-way FE, 30 clusters x 9 years.

Times in the same run (best of REPEATS each, after a warm-up that pays numba's JIT):
- cipanel `wild_cluster_bootstrap` (p-value and the test-inversion CI; and p-value only),
- pyfixest `fit.wildboottest(param="x", reps=9999, seed=...)` (runs the `wildboottest` package
  on a one-hot dummy design),
- the `wildboottest` package on a statsmodels OLS with C(id) + C(year) dummies.
The two comparators need `pip install wildboottest` (it pulls numba); they are skipped if absent.
All p-values must agree within Monte-Carlo error (|dp| < 0.02 at B = 9,999: the MC sd of one
p near 0.3 is 0.005). Target: cipanel with CI <= 0.3 s.
Run: python benchmarks/bench_wild_bootstrap.py
"""

from __future__ import annotations

import sys
import warnings

import _timing
import numpy as np
import pandas as pd

G, T, B, SEED, REPEATS, TARGET = 30, 9, 9999, 20261124, 3, 0.3


def make_panel() -> pd.DataFrame:
    rng = np.random.default_rng(SEED)
    ids, t = np.repeat(np.arange(G), T), np.tile(np.arange(T), G)
    a, f = rng.normal(size=G)[ids], rng.normal(size=T)[t]
    e = rng.normal(size=G)[ids] * 0.5 + rng.normal(size=G * T)  # within-cluster correlation
    x = a + 0.3 * f + rng.normal(size=G * T)
    c1, c2 = rng.normal(size=G * T), rng.normal(size=G * T) + 0.5 * a
    y = 0.1 * x + 0.3 * c1 - 0.2 * c2 + a + f + e
    return pd.DataFrame({"id": ids, "year": 2015 + t, "y": y, "x": x, "c1": c1, "c2": c2})


def best_of(fn, repeats: int = REPEATS):
    return _timing.best_of(fn, repeats)


def main() -> int:
    from cipanel.inference.wild_bootstrap import wild_cluster_bootstrap

    df = make_panel()
    xs = ["x", "c1", "c2"]

    def ours(ci: bool = True):
        return wild_cluster_bootstrap(df, "y", xs, entity="id", time="year", B=B, seed=SEED, ci=ci)

    ours()
    t_ci, r = best_of(ours)
    t_p, _ = best_of(lambda: ours(False))
    print(f"panel: {G} clusters x {T} years = {len(df)} rows, two-way FE, 3 regressors, B = {B}")
    print(
        f"cipanel wild_cluster_bootstrap, p + CI : {t_ci:.4f} s  p = {r.p_value:.4f}  "
        f"CI [{r.ci_lower:.4f}, {r.ci_upper:.4f}]"
    )
    print(f"cipanel wild_cluster_bootstrap, p only : {t_p:.4f} s")
    pvals = {"cipanel": r.p_value}
    try:
        import wildboottest.wildboottest as wbt  # noqa: F401
    except ImportError:
        print("wildboottest not installed: pyfixest.wildboottest and the package are skipped")
    else:
        import pyfixest as pf
        import statsmodels.formula.api as smf

        fit = pf.feols("y ~ x + c1 + c2 | id + year", data=df, vcov={"CRV1": "id"})
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit.wildboottest(param="x", reps=B, seed=SEED)
            t_pf, res = best_of(lambda: fit.wildboottest(param="x", reps=B, seed=SEED))
            model = smf.ols("y ~ x + c1 + c2 + C(id) + C(year)", data=df)
            run = lambda: wbt.wildboottest(
                model,
                B=B,
                cluster=df["id"],
                param="x",  # noqa: E731
                seed=SEED,
                show=False,
            )
            run()
            t_sm, res_sm = best_of(run)
        pvals["pyfixest"] = float(res["Pr(>|t|)"])
        pvals["wildboottest"] = float(res_sm["p-value"].iloc[0])
        print(
            f"pyfixest fit.wildboottest, p only     : {t_pf:.4f} s  p = {pvals['pyfixest']:.4f}"
            f"  ({t_pf / t_p:.0f}x cipanel p only)"
        )
        print(
            f"wildboottest + statsmodels, p only    : {t_sm:.4f} s  "
            f"p = {pvals['wildboottest']:.4f}  ({t_sm / t_p:.0f}x cipanel p only)"
        )
    spread = max(pvals.values()) - min(pvals.values())
    ok_p, ok_t = spread < 0.02, t_ci <= TARGET
    print(f"p-value spread {spread:.4f} -> {'agree' if ok_p else 'DISAGREE'} (MC tolerance 0.02)")
    print(f"target cipanel p + CI <= {TARGET} s: {'met' if ok_t else 'MISSED'}")
    return 0 if ok_p and ok_t else 1


if __name__ == "__main__":
    sys.exit(main())
