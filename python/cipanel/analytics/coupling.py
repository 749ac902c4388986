"""Coupling coordination degree of two or three (or more) systems scored in [0, 1].

Corrected coupling degree (the default; Wang, Kong, Ren, Zhi and Yang 2021, Economic Geography 41(2)):
  C = sqrt( [1 - sum_{i<j} |U_i - U_j| / sum_{m=1}^{n-1} m] * prod_i (U_i / max U)^(1/(n-1)) )
C is in [0, 1] for any n, equals 1 only when all U_i are equal and falls as they drift apart.
The widely copied "traditional" form C = n (prod U_i)^(1/n) / sum U_i is the ratio of the
geometric to the arithmetic mean: it stays close to 1 for most inputs (little discrimination,
worse for n > 2), and copies that keep the n = 2 exponent for three systems leave [0, 1];
it is available as form="traditional" with a warning, for comparison with published tables.
  T = sum_i a_i U_i (weights a_i stated, summing to 1; default equal)
  D = sqrt(C T)
The ten classes of D (width 0.1) follow the usual Chinese classification.
"""

from __future__ import annotations

import warnings

import numpy as np

FORMS = ("corrected", "traditional")
LEVELS = [  # (lower bound, zh, en)
    (0.0, "极度失调", "Extreme imbalance"),
    (0.1, "严重失调", "Serious imbalance"),
    (0.2, "中度失调", "Moderate imbalance"),
    (0.3, "轻度失调", "Mild imbalance"),
    (0.4, "濒临失调", "On the verge of imbalance"),
    (0.5, "勉强协调", "Barely coordinated"),
    (0.6, "初级协调", "Primary coordination"),
    (0.7, "中级协调", "Intermediate coordination"),
    (0.8, "良好协调", "Good coordination"),
    (0.9, "优质协调", "High-quality coordination"),
]


class CouplingError(ValueError):
    pass


def coupling_degree(U: np.ndarray, form: str = "corrected") -> np.ndarray:
    """C for each row of U (rows: unit-years, columns: systems)."""
    U = np.asarray(U, dtype=float)
    n = U.shape[1]
    if n < 2:
        raise CouplingError("coupling needs at least two systems")
    if form == "traditional":
        warnings.warn(
            "coupling form 'traditional' (C = n (prod U)^(1/n) / sum U) clusters near 1 and is not "
            "comparable across n; the corrected form (Wang et al. 2021) is the default",
            stacklevel=2,
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            return n * np.exp(np.log(U).mean(axis=1)) / U.sum(axis=1)
    if form != "corrected":
        raise CouplingError(f"coupling form {form!r} is not known; use one of {', '.join(FORMS)}")
    i, j = np.triu_indices(n, 1)
    spread = np.abs(U[:, i] - U[:, j]).sum(axis=1) / (n * (n - 1) / 2)
    top = U.max(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(top > 0, U / top, 1.0)  # all systems at 0: equal, ratio 1 (C then = 1, D = 0)
    product = np.prod(ratio, axis=1) ** (1 / (n - 1))
    return np.sqrt(np.clip((1 - spread) * product, 0.0, None))


def coupling_coordination(
    U: np.ndarray, weights: np.ndarray | list[float] | None = None, form: str = "corrected"
) -> dict[str, np.ndarray]:
    U = np.asarray(U, dtype=float)
    n = U.shape[1]
    a = np.full(n, 1 / n) if weights is None else np.asarray(weights, dtype=float)
    if a.shape != (n,) or (a < 0).any() or not np.isclose(a.sum(), 1.0, rtol=0, atol=1e-9):
        raise CouplingError(f"coupling weights must be {n} non-negative numbers summing to 1, got {list(a)}")
    C = coupling_degree(U, form)
    T = U @ a
    D = np.sqrt(C * T)
    return {"C": C, "T": T, "D": D, "level": level(D)}


def level(D: np.ndarray) -> np.ndarray:
    """1..10: floor(10 D) + 1, with D = 1 in class 10."""
    return np.clip(np.floor(np.asarray(D) * 10 + 1e-9).astype(int) + 1, 1, 10)  # 0.3 is class 4, not 3
