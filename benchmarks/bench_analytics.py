"""Benchmark: the whole analytics block at county scale, SYNTHETIC data.

3,000 units (a 60 x 50 lattice, rook contiguity written as a user's edge-list weights file) x 20
years, four regions, three indices and five controls; the block of study_a (Dagum and Theil,
sigma and beta convergence with controls, KDE, global Moran by year with 999 permutations, LISA
for two years, two coupling models). Times loading the weights file, the statistics
(cipanel.analytics.compute) and writing analytics.* into a DuckDB file, best of 3 after one
warm-up (imports). Target: under 10 s in total.  Run: python benchmarks/bench_analytics.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import _timing
import numpy as np
import pandas as pd

from cipanel.analytics.compute import compute
from cipanel.analytics.config import parse
from cipanel.analytics.store import store
from cipanel.analytics.weights import spatial_weights

ROWS, COLS, N_YEARS, SEED, REPEATS, TARGET = 60, 50, 20, 20261124, 3, 10.0


def make_panel() -> pd.DataFrame:
    """SYNTHETIC: unit levels with a spatially smooth part, a common trend and noise, in (0, 1)."""
    rng = np.random.default_rng(SEED)
    n = ROWS * COLS
    r, c = np.divmod(np.arange(n), COLS)
    smooth = np.sin(r / 9.0) + np.cos(c / 7.0)
    frames = []
    for t in range(N_YEARS):
        row = {
            "unit_code": [f"C{i:04d}" for i in range(n)],
            "year": 2004 + t,
            "region": np.where(r < ROWS / 2, np.where(c < COLS / 2, "r1", "r2"), np.where(c < COLS / 2, "r3", "r4")),
        }
        for k, name in enumerate(("idx_a", "idx_b", "idx_c")):
            raw = 0.4 * smooth + 0.05 * t + 0.3 * rng.normal(size=n) + 0.2 * k
            row[name] = 1 / (1 + np.exp(-raw))
        for k in range(5):
            row[f"ctl{k}"] = rng.normal(size=n)
        frames.append(pd.DataFrame(row))
    return pd.concat(frames, ignore_index=True)


def write_edges(path: Path) -> None:
    n = ROWS * COLS
    r, c = np.divmod(np.arange(n), COLS)
    right = np.flatnonzero(c < COLS - 1)
    down = np.flatnonzero(r < ROWS - 1)
    a = np.concatenate([right, right + 1, down, down + COLS])
    b = np.concatenate([right + 1, right, down + COLS, down])
    pd.DataFrame({"unit_code": [f"C{i:04d}" for i in a], "neighbour_code": [f"C{i:04d}" for i in b]}).to_csv(
        path, index=False
    )


def main() -> int:
    panel = make_panel()
    tmp = Path(tempfile.mkdtemp(prefix="bench_analytics_"))
    edges, warehouse = tmp / "county_edges.csv", tmp / "bench.duckdb"
    write_edges(edges)
    config = parse(
        {
            "indices": ["idx_a", "idx_b", "idx_c"],
            "region_scheme": "synthetic4",
            "weights": {"kind": "file", "path": str(edges)},
            "convergence": {"controls": [f"ctl{k}" for k in range(5)]},
            "kde": True,
            "moran": {"permutations": 999, "local_years": [2004, 2023]},
            "coupling": [{"systems": ["idx_a", "idx_b"]}, {"systems": ["idx_a", "idx_b", "idx_c"]}],
        },
        tmp / "bench.yml",
        "bench",
        [2004, 2023],
    )
    codes = sorted(panel.unit_code.unique())
    timings: dict[str, list[float]] = {"weights file": [], "statistics": [], "store analytics.*": []}

    def once():
        t0 = time.perf_counter()
        W, w_codes = spatial_weights("file", codes, path=edges)
        t1 = time.perf_counter()
        frames, _ = compute(config, panel, W=W, w_codes=w_codes)
        t2 = time.perf_counter()
        counts = store(frames, "bench", warehouse, synthetic=True, weights="rook lattice")
        t3 = time.perf_counter()
        for key, dt in zip(timings, (t1 - t0, t2 - t1, t3 - t2), strict=True):
            timings[key].append(dt)
        return counts

    once()  # warm-up: imports of scipy, esda, libpysal
    for values in timings.values():
        values.clear()
    cpu0 = time.process_time()
    total, counts = _timing.best_of(once, REPEATS)
    cpu = (time.process_time() - cpu0) / REPEATS
    print(f"analytics block, {ROWS * COLS} units x {N_YEARS} years (SYNTHETIC), best of {REPEATS}:")
    for key, values in timings.items():
        print(f"  {key:<20} {min(values):6.2f} s")
    print(f"  {'total':<20} {total:6.2f} s  (target < {TARGET:.0f} s)")
    print(
        f"  CPU time per run     {cpu:6.2f} s  (wall time above includes waiting for a shared CPU; "
        f"load average {os.getloadavg()[0]:.1f})"
    )
    print(f"  rows written: {sum(counts.values()):,} ({', '.join(f'{k} {v:,}' for k, v in counts.items() if v)})")
    return 0 if total < TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
