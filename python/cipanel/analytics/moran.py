"""Global and local Moran's I through PySAL (esda), with the weights of cipanel.analytics.weights.

Global I = (n / S0) (z' W z) / (z' z), z = y - mean(y), S0 = sum of all weights. Inference:
- normal approximation (esda's z_norm, p_norm two-sided), and
- a permutation test (esda's p_sim: (1 + #permutations at least as extreme, on the side of the
  observed I) / (1 + permutations)), seeded so a rerun gives the same p-value.
W is used as passed (esda transformation "o"): spatial_weights() already row-standardised it.
Local I_i (LISA) and its quadrants HH, LH, LL, HL come from esda's Moran_Local; a cluster label
is given only where the pseudo p-value is below the significance level. The pseudo p-values use
conditional randomisation as esda does (unit i fixed, its neighbours drawn without replacement
from the other n-1 units, one set of draws shared by all units, p = (1 + min(#I* >= I_i,
#I* < I_i)) / (1 + R)), but vectorised in NumPy here: esda's version (crand) is a numba function
compiled afresh in every process (20 s to 2 min on a small machine, before any statistic) and a
pure-Python loop without numba. Tested against exact enumeration of the permutations.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

QUADRANTS = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}


def pysal_weights(W: np.ndarray, codes: list[str]):
    from libpysal.weights import full2W

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # islands (allowed by the caller) make libpysal warn
        return full2W(np.asarray(W, dtype=float), ids=list(codes))


def moran_matrix(y: np.ndarray, W: np.ndarray) -> float:
    """The textbook formula, for the tests and as a cross-check."""
    z = np.asarray(y, float) - np.mean(y)
    return float(len(z) / W.sum() * (z @ W @ z) / (z @ z))


def global_moran(y, W: np.ndarray, codes: list[str], permutations: int = 999, seed: int = 20261124) -> dict:
    from esda.moran import Moran

    y = np.asarray(y, dtype=float)
    if np.ptp(y) == 0:
        raise ValueError("Moran's I is undefined for a constant variable")
    np.random.seed(seed)  # esda's global test draws from NumPy's global generator
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = Moran(y, pysal_weights(W, codes), transformation="o", permutations=permutations, two_tailed=True)
    return {"n_units": len(y), "moran_i": float(m.I), "expected_i": float(m.EI), "z_norm": float(m.z_norm),
            "p_norm": float(m.p_norm), "permutations": permutations,
            "z_sim": float(m.z_sim) if permutations else np.nan,
            "p_sim": float(m.p_sim) if permutations else np.nan}


def conditional_p(z: np.ndarray, W: np.ndarray, permutations: int, seed: int, chunk: int = 256) -> np.ndarray:
    """Folded pseudo p-values of z_i * (W z)_i under conditional randomisation (see the module doc)."""
    n = len(z)
    rows = [np.flatnonzero(W[i]) for i in range(n)]
    k_max = max(len(r) for r in rows)
    rng = np.random.default_rng(seed)
    # R draws of k_max positions among the n-1 other units (without replacement), shared by all units
    draws = np.argsort(rng.random((permutations, n - 1)), axis=1)[:, :k_max]
    weights = np.zeros((n, k_max))
    for i, r in enumerate(rows):
        weights[i, :len(r)] = W[i, r]
    observed = z * (W @ z)
    p = np.empty(n)
    for start in range(0, n, chunk):
        idx = np.arange(start, min(start + chunk, n))
        pool = draws[None, :, :] + (draws[None, :, :] >= idx[:, None, None])  # skip unit i itself
        lag = np.einsum("irk,ik->ir", z[pool], weights[idx])
        larger = (z[idx, None] * lag >= observed[idx, None]).sum(axis=1)
        larger = np.minimum(larger, permutations - larger)
        p[idx] = (larger + 1.0) / (permutations + 1.0)
    p[[len(r) == 0 for r in rows]] = np.nan  # an island has no local statistic to test
    return p


def local_moran(y, W: np.ndarray, codes: list[str], permutations: int = 999, seed: int = 20261124,
                alpha: float = 0.05) -> pd.DataFrame:
    from esda.moran import Moran_Local

    y = np.asarray(y, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = Moran_Local(y, pysal_weights(W, codes), transformation="o", permutations=0)
    quadrant = [QUADRANTS.get(int(q), "") for q in m.q]
    p = conditional_p(np.asarray(m.z, float), np.asarray(W, float), permutations, seed) if permutations \
        else np.full(len(y), np.nan)
    return pd.DataFrame({
        "unit_code": list(codes), "local_i": np.asarray(m.Is, float), "z_value": np.asarray(m.z, float),
        "spatial_lag": np.asarray(W @ m.z, float), "quadrant": quadrant, "p_sim": p,
        "cluster": [q if pv < alpha else "ns" for q, pv in zip(quadrant, p, strict=True)],
    })
