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
  - `cipanel study` alone on the built warehouse (the loop after editing a spec);
  - the edit loop on a copy of the demo project (issue 15 targets, ratios to A): S1 cold (new
    project copy, new warehouse and output folders), S2 nothing changed (decided from the spec
    files, the outputs' hashes and the warehouse's rows: nothing recomputed), S3 one table of one
    study edited (a column's `where` in study_b t4: one table re-estimated, its files rewritten),
    S4 one catalog row edited (an indicator's direction flipped: the nodes downstream of
    raw.indicator_catalog rebuilt with their tests in a copy of the warehouse, then every table
    whose panel changed), S1b cold with no cached dbt parse (the first run on a machine: dbt parses
    the whole project; S1 starts from the parse the earlier rows left in the per-user cache,
    cipanel.parse_cache, as every first run of a project after the tool's first does).
The parse cache of the whole benchmark is a temporary folder (CIPANEL_PARSE_CACHE), empty at the
start. For S1, S1b and S4 the phases of the dbt step are read from dbt's log (start-up and parse,
node execution, the rest of the process).
All on temporary warehouse and output folders; the in-process breakdown reported by the last
`cipanel run` is printed at the end."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ENV = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
LOG_TIME = re.compile(r"(\d\d):(\d\d):(\d\d\.\d+) \[")
BARE = "A  dbt build, empty dbt-duckdb project"
MAIN_COLD = "B  cipanel run, cold (build + 2 studies + report)"
UNCHANGED = "C  cipanel run, nothing changed (build skipped)"
S1 = "S1 edit loop: cold (project copy, first run)"
S2 = "S2 edit loop: nothing changed"
S3 = "S3 edit loop: one table of one study edited"
S4 = "S4 edit loop: one catalog row edited"
S1B = "S1b cold, no cached dbt parse (first run on a machine)"
TARGETS = {S1: 3.0, S2: 0.5, S3: 1.0, S4: 2.0, S1B: 3.0}


def dbt_phases(log: Path) -> str:
    """The last dbt invocation in `log`: seconds from dbt's start to the parsed project (start-up,
    adapter, parse), the node execution, whether the parse was partial, and how many nodes ran."""
    text = log.read_text(encoding="utf-8", errors="replace")
    text = text[text.rindex("Running with dbt=") - 40 :]

    def at(pattern: str) -> tuple[float, re.Match]:
        for line in text.splitlines():
            found = re.search(pattern, line)
            if found:
                h, m, sec = LOG_TIME.search(line).groups()
                return int(h) * 3600 + int(m) * 60 + float(sec), found
        raise ValueError(f"no {pattern!r} in {log}")

    start, parsed = at("Running with dbt=")[0], at(r"Found \d+ models")[0]
    done, finished = at(r"Finished running (\d+ .*) in \d+ hours")
    nodes = finished.group(1)
    parse = "full parse" if "Starting full parse" in text else "partial parse"
    return f"dbt start-up + {parse} {parsed - start:.1f} s, nodes {done - parsed:.1f} s ({nodes})"


def timed(cmd: list[str], cwd: Path, env: dict) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return elapsed, done.stdout


def edit_loop(folder: Path, cipanel: str, record) -> list[str]:
    """S1-S4 on a fresh copy of the demo project (SYNTHETIC data); returns each run's summary lines."""
    import shutil

    from cipanel.build import copy_project

    project = copy_project(folder / "project", source=ROOT / "examples" / "provinces-demo")
    shutil.copytree(ROOT / "examples" / "provinces-demo" / "data", project / "data", dirs_exist_ok=True)
    env = {**ENV, "CIPANEL_WAREHOUSE": str(folder / "w.duckdb")}
    run = [cipanel, "run", "--project", str(project), "--out", str(folder / "out")]
    said = []

    def step(label: str, expect: str, command=run, environment=env, log=folder / ".dbt" / "logs" / "dbt.log") -> None:
        seconds, out = timed(command, ROOT, environment)
        lines = [
            line
            for line in out.splitlines()
            if line.startswith(("build:", "warehouse up to date", "warehouse built in", "done in"))
        ]
        if not re.search(expect, out):  # counts as patterns: the demo's studies grow
            sys.exit(f"{label}: expected {expect!r} in the output:\n{out[-2000:]}")
        record(label, seconds)
        if label in (S1, S4, S1B):
            lines.append(dbt_phases(log))
        said.append(f"{label.split()[0]}: " + " | ".join(lines))

    step(S1, r"tables: reused 0, re-estimated [1-9]")
    step(S2, r"studies unchanged: tables reused [1-9]\d*, re-estimated 0")
    spec = project / "studies" / "study_b.yml"
    spec.write_text(
        spec.read_text(encoding="utf-8").replace(
            'where: "not is_municipality"}', 'where: "not is_municipality and year >= 2015"}'
        ),
        encoding="utf-8",
    )
    step(S3, r"tables: reused [1-9]\d*, re-estimated 1\b")
    catalog = project / "catalog" / "indicator_catalog.csv"
    lines = catalog.read_text(encoding="utf-8").splitlines(keepends=True)
    row = next(i for i, line in enumerate(lines) if i and ",+," in line)
    lines[row] = lines[row].replace(",+,", ",-,", 1)
    catalog.write_text("".join(lines), encoding="utf-8")
    step(S4, "build: rebuilt downstream of indicator_catalog")
    fresh = copy_project(folder / "project-b", source=ROOT / "examples" / "provinces-demo")
    shutil.copytree(ROOT / "examples" / "provinces-demo" / "data", fresh / "data", dirs_exist_ok=True)
    step(
        S1B,
        r"tables: reused 0, re-estimated [1-9]",
        [cipanel, "run", "--project", str(fresh), "--out", str(folder / "out-b")],
        {**env, "CIPANEL_WAREHOUSE": str(folder / "b" / "w.duckdb"), "CIPANEL_PARSE_CACHE": str(folder / "no-cache")},
        folder / "b" / ".dbt" / "logs" / "dbt.log",
    )
    return said


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
        ENV["CIPANEL_PARSE_CACHE"] = str(tmp / "parse-cache")  # empty at the start, filled by row B
        loop = []
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
            loop = edit_loop(tmp / f"loop{i}", cipanel, record)
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
    for label, target in TARGETS.items():
        print(f"ratio {label.split()[0]} / A: {min(rows[label]) / bare:.2f} (target <= {target})")
    print("edit loop, what each run said it reused:")
    for line in loop:
        print("  ", line)


if __name__ == "__main__":
    main()
