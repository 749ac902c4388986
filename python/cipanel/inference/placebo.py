"""Placebo (randomisation) test for a two-way FE treatment coefficient.

The treatment is reassigned at random B times and the two-way FE regression re-estimated:
mode="unit" shuffles units' whole treatment paths (unit i gets unit pi(i)'s series, year by year;
needs a balanced panel), mode="unit_year" shuffles all unit-year values. A real effect should lie
far in the tail of the placebo coefficients: `share` = share of |b*| >= |b_real|.

Vectorised by Frisch-Waugh: the outcome and the controls do not change between draws, so the
projection M (entity FE, year dummies, controls) is set up once as entity demeaning followed by
removing an orthonormal basis Q of the demeaned year dummies and controls; each block of draws is
then demeaned as one (n x b) matrix, b* = d~'y~ / d~'d~, and the clustered t uses the same
G/(G-1)(N-1)/(N-K) factor as fit_panel (K = treatment + controls + year dummies + constant).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .choices import MODES

if TYPE_CHECKING:
    from .wild_bootstrap import Progress


@dataclass(frozen=True)
class PlaceboResult:
    real_coef: float
    real_t: float
    share: float  # share of |placebo coef| >= |real coef|
    share_t: float  # share of |placebo t| >= |real t|
    B: int
    seed: int | None
    mode: str
    coefs: np.ndarray = field(repr=False, compare=False)
    tstats: np.ndarray = field(repr=False, compare=False)


def placebo_test(
    df: pd.DataFrame,
    y: str,
    treatment: str,
    *,
    controls: list[str] | tuple = (),
    entity: str,
    time: str,
    cluster: str | None = None,
    mode: str = "unit",
    B: int = 500,
    seed: int | None = None,
    progress: bool | Progress = False,
) -> PlaceboResult:
    """B placebo reassignments of `treatment`; two-way FE with `controls`, clustered by `cluster`
    (default entity). Returns the placebo coefficients and t statistics and the real ones."""
    # imported here, not above: unpickling a cached PlaceboResult (cipanel.study_cache) needs only
    # the dataclass, and SciPy's import costs about a second
    import scipy.linalg as sla

    from ..estimators import _core
    from ..estimators.covariance import small_sample_factor
    from .wild_bootstrap import _progress

    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    if B < 1:
        raise ValueError(f"B must be >= 1, got {B}")
    controls = list(controls)
    s = _core.prepare(df, [y, treatment, *controls], entity=entity, time=time, cluster=cluster or entity)
    ent, tim, cl, n = s.entity, s.time, s.cluster, s.nobs
    if mode == "unit" and not np.all(ent.counts == tim.n):
        raise ValueError("mode='unit' shuffles whole treatment paths and needs a balanced panel; use mode='unit_year'")
    # basis of the entity-demeaned year dummies and controls (collinear columns dropped)
    extra = ent.demean(np.hstack([_core.time_dummies(tim.codes), s.matrix(controls)]))
    q, r, piv = sla.qr(extra, mode="economic", pivoting=True)
    diag = np.abs(np.diag(r))
    rank = int(np.sum(diag > 1e-10 * diag.max())) if len(diag) else 0
    q = q[:, :rank]

    def proj(a: np.ndarray) -> np.ndarray:  # M a for a vector or an n x b matrix
        a = ent.demean(a)
        return a - q @ (q.T @ a)

    yt = proj(s.col(y))
    k = 1 + rank + 1  # treatment + year dummies + controls + constant
    k_ssc, _ = _core.cluster_k(s, "twoway", k, tim.n - 1)
    ssc = small_sample_factor(n, k_ssc, cl.n)

    def estimate(dt: np.ndarray) -> tuple[np.ndarray, np.ndarray]:  # dt: n x b, already M-ed
        dd = np.einsum("ib,ib->b", dt, dt)
        b = (dt.T @ yt) / dd
        sc = cl.sums(dt * (yt[:, None] - dt * b))  # G x b cluster scores
        se = np.sqrt(ssc * np.einsum("gb,gb->b", sc, sc)) / dd
        return b, b / se

    d = s.col(treatment)
    b_real, t_real = (v[0] for v in estimate(proj(d)[:, None]))
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % (2**63))
    rng, prog = np.random.default_rng(seed), _progress(progress)
    if mode == "unit":
        paths = np.zeros((ent.n, tim.n))
        paths[ent.codes, tim.codes] = d
    coefs, tstats = [], []
    step = max(1, min(256, 4_000_000 // n))  # n x step blocks of draws
    for start in range(0, B, step):
        b = min(step, B - start)
        if mode == "unit":
            perm = rng.permuted(np.tile(np.arange(ent.n), (b, 1)), axis=1)
            draws = paths[perm[:, ent.codes], tim.codes].T  # n x b: unit i gets pi(i)'s path
        else:
            draws = rng.permuted(np.tile(d, (b, 1)), axis=1).T
        cb, tb = estimate(proj(draws))
        coefs.append(cb)
        tstats.append(tb)
        if prog:
            prog("placebo draws", start + b, B)
    coefs, tstats = np.concatenate(coefs), np.concatenate(tstats)
    return PlaceboResult(
        real_coef=float(b_real),
        real_t=float(t_real),
        share=float(np.mean(np.abs(coefs) >= abs(b_real))),
        share_t=float(np.mean(np.abs(tstats) >= abs(t_real))),
        B=B,
        seed=seed,
        mode=mode,
        coefs=coefs,
        tstats=tstats,
    )
