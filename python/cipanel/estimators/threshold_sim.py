"""SYNTHETIC panels with a planted threshold, shared by the threshold tests, the benchmark and the
size simulation (scripts/simulate_threshold_size.py). Nothing here is real data."""

from __future__ import annotations

import numpy as np
import pandas as pd


def threshold_panel(
    n: int = 30, t: int = 10, gamma: float | None = 0.5, effect: float = 1.0, seed: int = 0
) -> pd.DataFrame:
    """y = a_i + 0.5 w + (1 + effect 1(q > gamma)) r + e, q ~ U(0, 1), r, w, e ~ N(0, 1).
    gamma=None plants no threshold (the null of the F test)."""
    rng = np.random.default_rng(seed)
    ids, years = np.repeat(np.arange(n), t), np.tile(np.arange(2000, 2000 + t), n)
    q, r, w, e = rng.uniform(size=n * t), rng.normal(size=n * t), rng.normal(size=n * t), rng.normal(size=n * t)
    a = rng.normal(size=n)[ids]
    slope = 1.0 + (effect * (q > gamma) if gamma is not None else 0.0)
    y = a + 0.5 * w + slope * r + e
    return pd.DataFrame({"unit": ids, "year": years, "y": y, "w": w, "r": r, "q": q})
