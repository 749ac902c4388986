"""Benchmark: `cipanel reg` end to end (process start, imports, read the panel, fit, print).

Target: under 3 s on the demo warehouse. Runs the command as a user would (a fresh process each
time) REPEATS times and prints every wall time, the best and the median, the CPU time of the
process (user + system: what the command costs when the machine is not shared) and the load.
Run: python benchmarks/bench_reg_cli.py [WAREHOUSE]   (default warehouse/cipanel.duckdb)
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPEATS = 5
FORMULAS = [
    ("res ~ dt + market | unit_code + year", "cluster:unit_code"),
    ("res ~ dt + l(dt, 1) + I(market**2) | unit_code + year + region_three_regions^year", "cluster:unit_code+year"),
    ("res ~ market | unit_code + year | dt ~ iv_shift_share", "cluster:unit_code"),
]


def main() -> int:
    warehouse = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "warehouse" / "cipanel.duckdb")
    exe = Path(sys.executable).with_name("cipanel")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "python")}
    for formula, vcov in FORMULAS:
        times, cpu = [], []
        for _ in range(REPEATS):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            out = subprocess.run(
                [str(exe), "reg", formula, "--vcov", vcov, "--warehouse", warehouse],
                capture_output=True,
                text=True,
                env=env,
            )
            times.append(time.perf_counter() - t0)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
            if out.returncode:
                print(out.stderr)
                return 1
        print(
            f"{formula!r} --vcov {vcov}: "
            + ", ".join(f"{t:.2f}" for t in times)
            + f" s; best {min(times):.2f} s, median {statistics.median(times):.2f} s; "
            f"CPU median {statistics.median(cpu):.2f} s (load average {os.getloadavg()[0]:.1f})"
        )
    print(out.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
