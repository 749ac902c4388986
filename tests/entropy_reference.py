"""Independent NumPy implementations of the index methods (docs/methods.md §1), written from the
formulas, not from the SQL: the two-pass p ln p form, explicit matrices. Tests compare the SQL to these."""

from __future__ import annotations

import numpy as np


def minmax(x: np.ndarray, directions: list[str]) -> np.ndarray:
    """Direction-aware min-max by column; constant columns give 0."""
    lo, hi = x.min(axis=0), x.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    z = np.where(np.array(directions) == "+", (x - lo) / span, (hi - x) / span)
    return np.where(hi > lo, z, 0.0)


def entropy(z_shifted: np.ndarray, constant: np.ndarray) -> np.ndarray:
    n = z_shifted.shape[0]
    p = z_shifted / z_shifted.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(p > 0, p * np.log(p), 0.0)
    e = -plogp.sum(axis=0) / np.log(n)
    return np.where(constant, 1.0, e)


def entropy_weights(x: np.ndarray, directions: list[str], shift: float = 1e-4):
    """Returns (weights, entropies, z_shifted) for a pooled (n rows x J indicators) matrix."""
    z = minmax(x, directions)
    constant = x.max(axis=0) == x.min(axis=0)
    e = entropy(z + shift, constant)
    d = np.where(constant, 0.0, 1.0 - e)
    return d / d.sum(), e, z + shift


def weighted_scores(z_shifted: np.ndarray, w: np.ndarray, basis: str = "z_shifted", shift: float = 1e-4):
    if basis == "z":
        matrix = z_shifted - shift
    elif basis == "p":
        matrix = z_shifted / z_shifted.sum(axis=0)
    else:
        matrix = z_shifted
    return matrix @ w


def critic_weights(x: np.ndarray, directions: list[str]) -> np.ndarray:
    z = minmax(x, directions)
    sd = z.std(axis=0, ddof=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.corrcoef(z, rowvar=False)
    r = np.nan_to_num(np.atleast_2d(r), nan=0.0)
    conflict = (1.0 - r).sum(axis=0)  # the diagonal contributes 1 - 1 = 0
    c = sd * conflict
    if c.sum() == 0:  # undefined: the SQL falls back to equal weights
        return np.full(len(c), 1.0 / len(c))
    return c / c.sum()


def topsis(x: np.ndarray, directions: list[str], w: np.ndarray) -> np.ndarray:
    v = minmax(x, directions) * w
    d_best = np.sqrt(((v.max(axis=0) - v) ** 2).sum(axis=1))
    d_worst = np.sqrt(((v - v.min(axis=0)) ** 2).sum(axis=1))
    return d_worst / (d_best + d_worst)
