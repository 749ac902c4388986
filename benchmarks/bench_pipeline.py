"""The main command on the demo data (build + study A + study B + report) against a bare `dbt build`
of an empty dbt-duckdb project, in the same run (issue: main command <= 2x the bare build), with
the parts that make up the difference.

    .venv/bin/python benchmarks/bench_pipeline.py [--repeat 2]

Every row is a fresh process (what a user waits for), best of --repeat:
  - `dbt build` of an empty dbt-duckdb project (the yardstick);
  - `dbt parse` of this project, full (a new warehouse path: dbt's partial parsing is keyed on the
    profile's connection details, so a changed path re-parses everything) and partial (same path);
  - `dbt build` of this project alone on the demo input: cold (new warehouse path, full parse) and
    warm (same path again: partial parse, tables replaced);
  - `cipanel run` cold (new warehouse and output folders), nothing changed (the same command again:
    the fingerprint matches, so the dbt build is skipped) and warm with --rebuild (same warehouse
    path, build forced);
  - `cipanel build` with nothing changed (the fingerprint check alone) and `cipanel --help`;
  - `cipanel study` alone on the built warehouse (the loop after editing a spec).
All on temporary warehouse and output folders; the in-process breakdown reported by the last
`cipanel run` is printed at the end."""

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
BARE = "A  dbt build, empty dbt-duckdb project"
MAIN_COLD = "B  cipanel run, cold (build + 2 studies + report)"
UNCHANGED = "C  cipanel run, nothing changed (build skipped)"


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
    dbt, cipanel = str(BIN / "dbt"), str(BIN / "cipanel")
    rows: dict[str, list[float]] = {}

    def record(label: str, seconds: float) -> None:
        rows.setdefault(label, []).append(seconds)

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        empty = tmp / "empty"
        empty.mkdir()
        (empty / "dbt_project.yml").write_text('name: empty\nversion: "1.0.0"\nconfig-version: 2\nprofile: empty\n')
        (empty / "profiles.yml").write_text(
            f"empty:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: {tmp / 'empty.duckdb'}\n"
        )
        out = ""
        for i in range(args.repeat):
            record(BARE, timed([dbt, "build", "--profiles-dir", "."], empty, ENV)[0])
            parse_env = {**ENV, "CIPANEL_WAREHOUSE": str(tmp / f"parse{i}.duckdb")}
            record("   dbt parse, this project, full", timed([dbt, "parse", "--profiles-dir", "."], ROOT, parse_env)[0])
            record(
                "   dbt parse, this project, partial", timed([dbt, "parse", "--profiles-dir", "."], ROOT, parse_env)[0]
            )
            build_env = {**ENV, "CIPANEL_WAREHOUSE": str(tmp / f"build{i}.duckdb")}
            record(
                "   dbt build, this project, cold (full parse)",
                timed([dbt, "build", "--profiles-dir", "."], ROOT, build_env)[0],
            )
            record(
                "   dbt build, this project, warm (partial parse)",
                timed([dbt, "build", "--profiles-dir", "."], ROOT, build_env)[0],
            )
            run_env = {**ENV, "CIPANEL_WAREHOUSE": str(tmp / f"w{i}.duckdb")}
            record(
                MAIN_COLD,
                timed(
                    [cipanel, "run", "--project", "examples/provinces-demo", "--out", str(tmp / f"out{i}")],
                    ROOT,
                    run_env,
                )[0],
            )
            run = [cipanel, "run", "--project", "examples/provinces-demo", "--out", str(tmp / f"out{i}")]
            seconds, out = timed(run, ROOT, run_env)
            if "build skipped" not in out:
                sys.exit(f"the second `cipanel run` did not skip the build:\n{out[-2000:]}")
            record(UNCHANGED, seconds)
            record(
                "   cipanel build, nothing changed (fingerprint check only)",
                timed([cipanel, "build", "--project", "examples/provinces-demo"], ROOT, run_env)[0],
            )
            record("   cipanel --help", timed([cipanel, "--help"], ROOT, run_env)[0])
            record(
                "   cipanel run --rebuild, warm (same warehouse path again)",
                timed([*run, "--rebuild"], ROOT, run_env)[0],
            )
            record(
                "   cipanel study (2 studies + report, built warehouse)",
                timed(
                    [cipanel, "study", "--project", "examples/provinces-demo", "--out", str(tmp / f"out{i}")],
                    ROOT,
                    run_env,
                )[0],
            )
        breakdown = [
            line
            for line in out.splitlines()
            if "built in" in line or "up to date" in line or line.startswith("done in")
        ]
    bare = min(rows[BARE])
    print(f"{'command (fresh process each)':<62}{'best s':>8}{'x A':>7}   all runs")
    for label, seconds in rows.items():
        print(f"{label:<62}{min(seconds):>8.2f}{min(seconds) / bare:>7.2f}   {[round(s, 2) for s in seconds]}")
    main_cold = min(rows[MAIN_COLD])
    print(f"ratio B / A (main command, cold): {main_cold / bare:.2f} (target <= 2)")
    print(f"ratio C / A (main command, nothing changed): {min(rows[UNCHANGED]) / bare:.2f} (target <= 0.5)")
    print("in-process breakdown of the last nothing-changed run:", "; ".join(breakdown))


if __name__ == "__main__":
    main()
