"""Global and local Moran's I through PySAL (esda), with the weights of cipanel.analytics.weights.

Global I = (n / S0) (z' W z) / (z' z), z = y - mean(y), S0 = sum of all weights. Inference:
- normal approximation (esda's z_norm, p_norm two-sided), and
- a permutation test (esda's p_sim: (1 + #permutations at least as extreme, on the side of the
  observed I) / (1 + permutations)), seeded so a rerun gives the same p-value.
W is used as passed (esda transformation "o"): spatial_weights() already row-standardised it.
Local I_i (LISA) with conditional permutation inference; quadrants HH, LH, LL, HL from the sign
of z_i and its spatial lag, a cluster label only where p_sim < the significance level.
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


def local_moran(y, W: np.ndarray, codes: list[str], permutations: int = 999, seed: int = 20261124,
                alpha: float = 0.05) -> pd.DataFrame:
    from esda.moran import Moran_Local

    y = np.asarray(y, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = Moran_Local(y, pysal_weights(W, codes), transformation="o", permutations=permutations, seed=seed,
                        n_jobs=1)
    quadrant = [QUADRANTS.get(int(q), "") for q in m.q]
    p = np.asarray(m.p_sim, dtype=float)
    return pd.DataFrame({
        "unit_code": list(codes), "local_i": np.asarray(m.Is, float), "z_value": np.asarray(m.z, float),
        "spatial_lag": np.asarray(W @ m.z, float), "quadrant": quadrant, "p_sim": p,
        "cluster": [q if pv < alpha else "ns" for q, pv in zip(quadrant, p, strict=True)],
    })
