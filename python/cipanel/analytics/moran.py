"""Global and local Moran's I through PySAL (esda), with the weights of cipanel.analytics.weights.

Global I = (n / S0) (z' W z) / (z' z), z = y - mean(y), S0 = sum of all weights. Inference:
- normal approximation (esda's z_norm, p_norm two-sided), and
- a permutation test with esda's definition (p_sim = (1 + #permutations at least as extreme, on
  the side of the observed I) / (1 + permutations), z_sim from the permutations' mean and sd),
  seeded so a rerun gives the same p-value; the permutations are drawn at once (permutation_test).
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

import functools
import warnings
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from libpysal.weights import WSP

QUADRANTS = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}


_CACHE: dict = {}


def pysal_weights(W: np.ndarray, codes: list[str]) -> WSP:
    """libpysal W from the dense matrix, built once per matrix (a panel reuses it every year)."""
    from libpysal.weights import WSP
    from scipy.sparse import csr_matrix

    key = (id(W), W.shape, tuple(codes))
    if _CACHE.get("key") != key:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # islands (allowed by the caller) make libpysal warn
            _CACHE.update(
                key=key,
                w=WSP(csr_matrix(np.asarray(W, dtype=float)), id_order=list(codes)).to_W(silence_warnings=True),
                ref=W,
            )
    return _CACHE["w"]


def moran_matrix(y: np.ndarray, W: np.ndarray) -> float:
    """The textbook formula, for the tests and as a cross-check."""
    z = np.asarray(y, float) - np.mean(y)
    return float(len(z) / W.sum() * (z @ W @ z) / (z @ z))


@functools.lru_cache(maxsize=4)
def _permutations(n: int, permutations: int, seed: int) -> np.ndarray:
    """R random orderings of n positions; drawn once and shared by every year and index of a run
    (each test is still a fresh permutation test; the draws only fix the random stream)."""
    return np.argsort(np.random.default_rng(seed).random((permutations, n)), axis=1)


def permutation_test(z: np.ndarray, Wsp: WSP, observed: float, permutations: int, seed: int) -> tuple[float, float]:
    """esda's global permutation test (z_sim, p_sim) with all permutations in one sparse product:
    esda draws them one by one in a Python loop (999 matrix-vector products per year)."""
    Z = z[_permutations(len(z), permutations, seed)]
    sim = len(z) / Wsp.sum() * np.einsum("rn,rn->r", Z, (Wsp @ Z.T).T) / (z @ z)
    larger = int((sim >= observed).sum())
    larger = min(larger, permutations - larger)
    return float((observed - sim.mean()) / sim.std()), (larger + 1.0) / (permutations + 1.0)


def global_moran(
    y: np.ndarray | pd.Series, W: np.ndarray, codes: list[str], permutations: int = 999, seed: int = 20261124
) -> dict:
    from esda.moran import Moran

    y = np.asarray(y, dtype=float)
    if np.ptp(y) == 0:
        raise ValueError("Moran's I is undefined for a constant variable")
    w = pysal_weights(W, codes)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = Moran(y, w, transformation="o", permutations=0, two_tailed=True)
    z_sim = p_sim = np.nan
    if permutations:
        z_sim, p_sim = permutation_test(y - y.mean(), w.sparse, float(m.I), permutations, seed)
    return {
        "n_units": len(y),
        "moran_i": float(m.I),
        "expected_i": float(m.EI),
        "z_norm": float(m.z_norm),
        "p_norm": float(m.p_norm),
        "permutations": permutations,
        "z_sim": z_sim,
        "p_sim": p_sim,
    }


def conditional_p(z: np.ndarray, W: np.ndarray, permutations: int, seed: int, chunk: int = 256) -> np.ndarray:
    """Folded pseudo p-values of z_i * (W z)_i under conditional randomisation (see the module doc)."""
    n = len(z)
    rows = [np.flatnonzero(W[i]) for i in range(n)]
    k_max = max(len(r) for r in rows)
    # R draws of k_max positions among the n-1 other units (without replacement), shared by all units
    draws = _permutations(n - 1, permutations, seed)[:, :k_max]
    weights = np.zeros((n, k_max))
    for i, r in enumerate(rows):
        weights[i, : len(r)] = W[i, r]
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


def local_moran(
    y: np.ndarray | pd.Series,
    W: np.ndarray,
    codes: list[str],
    permutations: int = 999,
    seed: int = 20261124,
    alpha: float = 0.05,
) -> pd.DataFrame:
    from esda.moran import Moran_Local

    y = np.asarray(y, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = Moran_Local(y, pysal_weights(W, codes), transformation="o", permutations=0)
    quadrant = [QUADRANTS.get(int(q), "") for q in m.q]
    p = (
        conditional_p(np.asarray(m.z, float), np.asarray(W, float), permutations, seed)
        if permutations
        else np.full(len(y), np.nan)
    )
    return pd.DataFrame(
        {
            "unit_code": list(codes),
            "local_i": np.asarray(m.Is, float),
            "z_value": np.asarray(m.z, float),
            "spatial_lag": np.asarray(W @ m.z, float),
            "quadrant": quadrant,
            "p_sim": p,
            "cluster": [q if pv < alpha else "ns" for q, pv in zip(quadrant, p, strict=True)],
        }
    )
