"""The main command on the demo data (build + study A + study B + report) against a bare `dbt build`
of an empty dbt-duckdb project, in the same run (issue: main command <= 2x the bare build).

    .venv/bin/python benchmarks/bench_pipeline.py [--repeat 2]

Both are timed as fresh processes (what a user waits for), best of --repeat, on temporary
warehouse and output folders. Also prints the in-process breakdown reported by `cipanel run`."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ENV = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}


def timed(cmd: list[str], cwd: Path, env: dict) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return elapsed, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        empty = tmp / "empty"
        empty.mkdir()
        (empty / "dbt_project.yml").write_text('name: empty\nversion: "1.0.0"\nconfig-version: 2\nprofile: empty\n')
        (empty / "profiles.yml").write_text(
            f"empty:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: {tmp / 'empty.duckdb'}\n")
        bare, main = [], []
        for i in range(args.repeat):
            bare.append(timed([str(BIN / "dbt"), "build", "--profiles-dir", "."], empty, ENV)[0])
            env = {**ENV, "CIPANEL_WAREHOUSE": str(tmp / f"w{i}.duckdb")}
            seconds, out = timed([str(BIN / "cipanel"), "run", "--out", str(tmp / f"out{i}")], ROOT, env)
            main.append(seconds)
        breakdown = [line for line in out.splitlines() if "built in" in line or line.startswith("done in")]
    print(f"{'command':<52}{'best s':>8}{'all runs':>28}")
    print(f"{'dbt build, empty dbt-duckdb project':<52}{min(bare):>8.2f}{str([round(b, 2) for b in bare]):>28}")
    print(f"{'cipanel run (build + 2 studies + report), demo':<52}{min(main):>8.2f}{str([round(m, 2) for m in main]):>28}")
    print(f"ratio main / bare: {min(main) / min(bare):.2f} (target <= 2)")
    print("in-process breakdown of the last run:", "; ".join(breakdown))


if __name__ == "__main__":
    main()
