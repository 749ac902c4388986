"""Benchmark: where a cold `cipanel study` spends its time, SYNTHETIC demo data.

Runs `cipanel study` of the demo project on a built demo warehouse into a fresh output folder (no
study cache), each run in a fresh Python process, and prints the seconds of each part as the main
process sees them, best of N:
  estimation  run_study (every table of both studies)
  tables      the table files (each table alone, tables.docx, tables.xlsx)
  figures     the study figures (with worker processes: the time the main process waits for them)
  analytics   the analytics block (its statistics, rows, tables and figures)
  report      the study reports and the combined report
  total       the whole process (imports included)
  cpu         CPU seconds (user + system) of the process and its figure workers (needs psutil):
              on a machine shared with other jobs, the steadier measure of the work done

`--workers 1,2` runs this tree once per CIPANEL_WORKERS value (1: every figure in the main process);
`--compare DIR` also runs the same benchmark on another source tree (e.g. an export of the main
branch's python/ folder, `git archive main python | tar -x -C /tmp/base`) in the same session,
alternating the two, and prints the ratio of each part. `CIPANEL_WORKERS` is passed through.

Run: python benchmarks/bench_outputs.py --warehouse /tmp/demo.duckdb [--repeat 3] [--compare DIR]
(without --warehouse the demo is built first into a temporary folder).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PARTS = ("estimation", "tables", "figures", "analytics", "report", "total", "cpu")

# Runs inside the child: wraps the functions of each part with a timer (a part's nested calls are
# not counted twice), then runs the CLI. Names missing from a source tree are skipped.
CHILD = r"""
import functools, importlib, json, os, sys, time
t0 = time.perf_counter()
spent = {}
depth = {"n": 0}

def timed(part, fn):
    @functools.wraps(fn)
    def wrapper(*a, **k):
        if depth["n"]:
            return fn(*a, **k)
        depth["n"] += 1
        start = time.perf_counter()
        try:
            return fn(*a, **k)
        finally:
            depth["n"] -= 1
            spent[part] = spent.get(part, 0.0) + time.perf_counter() - start
    return wrapper

TARGETS = [
    ("cipanel.pipeline", "run_study", "estimation"),
    ("cipanel.output.study_outputs", "write_study_tables", "tables"),
    ("cipanel.output.study_outputs", "_tables", "tables"),
    ("cipanel.output.study_outputs", "study_figures", "figures"),  # trees before figure jobs (--compare)
    ("cipanel.output.study_outputs", "submit_study_figures", "figures"),
    ("cipanel.output.study_outputs", "collect_figures", "figures"),
    ("cipanel.pipeline", "_analytics_section", "analytics"),
    ("cipanel.output.study_outputs", "write_report", "report"),
    ("cipanel.output.report", "write_combined_report", "report"),
]
for module, name, part in TARGETS:
    mod = importlib.import_module(module)
    if hasattr(mod, name):
        setattr(mod, name, timed(part, getattr(mod, name)))
from cipanel.cli import main
code = main(sys.argv[1:])
spent["total"] = time.perf_counter() - t0
t = os.times()
cpu = t.user + t.system + t.children_user + t.children_system
try:  # the figure workers, still alive (a pool lives as long as the process); psutil is optional
    import psutil
    for child in psutil.Process().children(recursive=True):
        try:
            c = child.cpu_times()
            cpu += c.user + c.system + c.children_user + c.children_system
        except psutil.Error:
            pass
except ImportError:
    cpu = None
spent["cpu"] = cpu
print("BENCH " + json.dumps(spent))
sys.exit(code)
"""


def run_once(source: Path, warehouse: Path, scratch: Path, extra_env: dict[str, str]) -> dict[str, float]:
    out = scratch / "out"
    shutil.rmtree(out, ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(source), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", **extra_env}
    env.setdefault("CIPANEL_DBT_PROJECT_DIR", str(ROOT))  # one dbt project for both source trees
    args = ["study", "--project", str(ROOT / "examples" / "provinces-demo"), "--warehouse", str(warehouse)]
    done = subprocess.run(
        [sys.executable, "-c", CHILD, *args, "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        cwd=scratch,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("BENCH ")]
    if done.returncode or not lines:
        sys.exit(f"cipanel study failed ({source}):\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return {k: v for k, v in json.loads(lines[-1][6:]).items() if v is not None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, help="a built demo warehouse (default: the demo is built first)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--compare", type=Path, help="another source tree (its python/ folder)")
    parser.add_argument("--workers", help="CIPANEL_WORKERS values to run this tree with, e.g. 1,2")
    opts = parser.parse_args()
    sources = {"this tree": (ROOT / "python", {})}
    if opts.workers:
        sources = {f"workers={n}": (ROOT / "python", {"CIPANEL_WORKERS": n}) for n in opts.workers.split(",")}
    if opts.compare:
        sources = {"compared": (opts.compare.resolve(), {}), **sources}
    best: dict[str, dict[str, float]] = {name: {} for name in sources}
    with tempfile.TemporaryDirectory(prefix="bench_outputs_") as tmp:
        if opts.warehouse is None:  # `make bench`: build the demo once, outside the timed runs
            opts.warehouse = Path(tmp) / "demo.duckdb"
            cli = [sys.executable, "-m", "cipanel.cli", "build", "--project", str(ROOT / "examples" / "provinces-demo")]
            subprocess.run([*cli, "--warehouse", str(opts.warehouse)], check=True, stdout=subprocess.DEVNULL)
        for i in range(opts.repeat):
            for name, (source, env) in sources.items():  # alternated: all see the same machine load
                times = run_once(source, opts.warehouse.resolve(), Path(tmp), env)
                print(f"run {i + 1} {name}: " + ", ".join(f"{k} {times.get(k, 0):.2f}" for k in PARTS), flush=True)
                for part in PARTS:
                    best[name][part] = min(best[name].get(part, float("inf")), times.get(part, 0.0))
    workers = os.environ.get("CIPANEL_WORKERS", "default")
    print(f"\ncold `cipanel study` of the demo project, best of {opts.repeat} (s; CIPANEL_WORKERS={workers})")
    ratios = [f"{'ratio':>12}"] * (len(sources) - 1) if opts.compare else []
    print(f"{'part':<12}" + "".join(f"{name:>12}" for name in sources) + "".join(ratios))
    for part in PARTS:
        row = f"{part:<12}" + "".join(f"{best[name][part]:>12.2f}" for name in sources)
        if opts.compare:
            before = best["compared"][part]
            row += "".join(
                f"{best[name][part] / before:>12.2f}" if before else f"{'-':>12}"
                for name in sources
                if name != "compared"
            )
        print(row)


if __name__ == "__main__":
    main()
