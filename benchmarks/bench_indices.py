"""Benchmark: the entropy index models at county scale, dbt + DuckDB vs an idiomatic pandas version.

A synthetic county panel (default 3,000 units x 20 years x 60 indicators in 4 indices = 3.6 M
values, fixed seed; see _county_panel.py) is written in the user's long format (Parquet via DuckDB
COPY, or CSV with --format csv) and built through the project's own dbt models on a copy of the
project whose seeds are replaced (units, regions, indicator / index / dimension catalogs). In the
same run the same computation is done in pandas, timed, and checked against the warehouse to 1e-12.

What is measured (every dbt step and the pandas side run in their own subprocess; "peak MB" of a
whole process is its VmHWM, the kernel's resident-set high-water mark since exec, read by the
process itself at the end; dbt, the landing plugin, DuckDB and the Python model all run in it):
  - dbt fixed start-up: `import dbt` and a `dbt run` of an empty dbt project (no nodes);
  - `dbt seed`, then `dbt run` of the whole project, with per-node timings from the run results
    (landing = compile phase of stg_raw__indicator_values, where the plugin lands the files);
    dbt's own work in that run = invoke wall time minus the sum of node times (needs
    --dbt-threads 1, the default here, so that node times do not overlap); per node group, the
    highest RSS sampled from /proc every 20 ms while those nodes ran;
  - the index models re-run alone (`dbt run --select ...` in a fresh process on the built
    warehouse): their own time and that process's peak memory;
  - each index model's compiled SQL (target/compiled) run alone into an in-memory temp table on
    the built warehouse (best of 3): the queries' own cost, without dbt and without the write to
    the warehouse file;
  - one `dbt build` (seeds, models and data tests) with the profile's thread count, and its data
    tests' count, total and slowest times;
  - every node's time in the `dbt run` (the integer-key tables int_unit_keys, int_index_components,
    int_index_score_keys get their own row);
  - pandas (_county_panel.pandas_weights / pandas_scores): load of the long file (not compared),
    then the computation best of --repeats, peak RSS of its process, and the tracemalloc peak of
    one computation (Python-level allocations, numpy included).
The CPU s column (user + system of the process while those nodes ran, all threads) is steadier than
wall time when other processes share the machine.

Run: .venv/bin/python benchmarks/bench_indices.py [--units 3000 --years 20 --indicators 60
     --indices 4 --format parquet|csv --repeats 3 --dbt-threads 1 --skip-rerun --skip-build
     --keep DIR --project-dir PATH]
At full scale it takes about 3-4 minutes on 2 cores. --project-dir benchmarks another copy of the
project (e.g. a scratch copy with a model change; the cipanel package still comes from this
repository's python/ folder, ahead of any PYTHONPATH). Exit status 0 when pandas and the warehouse
agree to 1e-12, 1 otherwise (the speed and memory targets are reported, not enforced: timings
depend on the machine and its load).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

TOLERANCE = 1e-12
TARGET_RATIO, TARGET_MB = 5.0, 1024.0

LANDING_NODE = "stg_raw__indicator_values"
STAGING_NODES = [
    "stg_raw__indicator_values",
    "int_indicator_values_validated",
    "stg_reference__units",
    "stg_reference__unit_regions",
    "stg_catalog__indicators",
    "stg_catalog__indices",
    "stg_catalog__dimensions",
]
INTERPOLATION_NODES = ["int_indicator_values_interpolated"]
INDEX_NODES = [
    "int_indicators_normalised",
    "int_index_entropy",
    "int_index_weights_entropy",
    "int_index_weights",
    "int_index_scores_weighted",
]
ROBUSTNESS_NODES = ["int_index_weights_critic", "int_index_scores_topsis", "int_index_scores_pca"]
# the small integer-key tables the value and index models join and group on (built once)
KEY_NODES = ["int_unit_keys", "int_index_components", "int_index_score_keys"]


# ----------------------------------------------------------------------------------------------
# subprocess workers (this file run with --worker); each writes a JSON result file


def _worker_dbt(spec: dict) -> dict:
    t0 = time.perf_counter()
    from dbt.cli.main import dbtRunner  # timed: dbt's import cost

    t_import = time.perf_counter() - t0
    # the worker is its own process: set the environment the profile reads, then invoke in-process
    os.environ.update(
        {
            "CIPANEL_WAREHOUSE": spec["warehouse"],
            "CIPANEL_INPUT_DIR": spec["inputs"],
            "CIPANEL_PROJECT": spec.get("user_project", ""),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }
    )
    os.chdir(spec["project"])
    t1 = time.perf_counter()
    result = dbtRunner().invoke(
        [*spec["args"], "--project-dir", spec["project"], "--profiles-dir", spec["project"], "--quiet"]
    )
    t_invoke = time.perf_counter() - t1
    nodes, failures = [], []
    for node in getattr(result.result, "results", None) or []:
        phases = {
            t.name: (t.completed_at - t.started_at).total_seconds()
            for t in node.timing
            if t.started_at and t.completed_at
        }
        stamps = [t for t in node.timing if t.started_at and t.completed_at]
        nodes.append(
            {
                "name": node.node.name,
                "type": node.node.resource_type,
                "status": str(node.status),
                "seconds": node.execution_time,
                **{f"{k}_s": v for k, v in phases.items()},
                "start": min(t.started_at for t in stamps).replace(tzinfo=UTC).timestamp() if stamps else None,
                "end": max(t.completed_at for t in stamps).replace(tzinfo=UTC).timestamp() if stamps else None,
            }
        )
        if str(node.status) not in ("success", "pass", "warn"):
            failures.append(f"{node.node.name}: {node.status} {node.message}")
    return {
        "success": bool(result.success),
        "exception": str(result.exception or ""),
        "failures": failures,
        "import_s": t_import,
        "invoke_s": t_invoke,
        "nodes": nodes,
    }


def _worker_pandas(spec: dict) -> dict:
    import tracemalloc

    import _county_panel as cp
    import pandas as pd

    catalog = pd.read_csv(spec["indicator_catalog"], dtype=str)
    indices = pd.read_csv(spec["index_catalog"], dtype={"index_code": str, "shift": float})
    t0 = time.perf_counter()
    values = cp.read_values(Path(spec["values"]))
    t_load = time.perf_counter() - t0
    rss_after_load = _hwm_mb()
    times, cpu_times, weight_times = [], [], []
    for _ in range(spec["repeats"]):
        t0, c0 = time.perf_counter(), time.process_time()
        frame, weights = cp.pandas_weights(values, catalog, indices)
        weight_times.append(time.perf_counter() - t0)
        scores = cp.pandas_scores(frame, weights)
        times.append(time.perf_counter() - t0)
        cpu_times.append(time.process_time() - c0)
        del frame
    rss_peak = _hwm_mb()
    del weights, scores
    tracemalloc.start()
    weights, scores = cp.pandas_indices(values, catalog, indices)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    weights.to_pickle(spec["out_weights"])
    scores.to_pickle(spec["out_scores"])
    return {
        "load_s": t_load,
        "times": times,
        "cpu_times": cpu_times,
        "weight_times": weight_times,
        "rss_after_load_mb": rss_after_load,
        "rss_peak_mb": rss_peak,
        "traced_peak_mb": traced_peak / 2**20,
        "n_values": len(values),
    }


def _worker_pipeline(spec: dict) -> dict:
    """The whole pipeline in pandas (_county_panel.pipeline): each step's wall and CPU time, the
    process's peak memory; weights, scores and the panel pickled for the comparison."""
    import _county_panel as cp
    import pandas as pd

    project = Path(spec["user_project"])
    units = pd.read_csv(project / "reference/units.csv", dtype={"unit_code": str})
    catalog = pd.read_csv(project / "catalog/indicator_catalog.csv", dtype={"indicator_code": str, "index_code": str})
    indices = pd.read_csv(project / "catalog/index_catalog.csv", dtype={"index_code": str, "shift": float})
    steps: dict[str, tuple[float, float]] = {}
    clock = [time.perf_counter(), time.process_time()]

    def tick(step: str) -> None:
        now = [time.perf_counter(), time.process_time()]
        steps[step] = (now[0] - clock[0], now[1] - clock[1])
        clock[:] = now

    t0, c0 = time.perf_counter(), time.process_time()
    out = cp.pipeline(Path(spec["values"]), units, catalog, indices, spec["first_year"], spec["last_year"], tick)
    total = (time.perf_counter() - t0, time.process_time() - c0)
    for name in ("weights", "scores", "panel"):
        out[name].to_pickle(spec[f"out_{name}"])
    return {
        "steps": steps,
        "total": total,
        "n_rejected": out["n_rejected"],
        "rejected": out["rejected"],
        "n_interpolated": out["n_interpolated"],
    }


def _worker_sql(spec: dict) -> dict:
    """Each index model's compiled SQL run alone into an in-memory temp table (best of 3) on the built
    warehouse, read-only: the query's own cost without dbt and without writing to the file."""
    import duckdb

    con = duckdb.connect(spec["warehouse"], read_only=True)
    out = {}
    try:
        for name in spec["models"]:
            # the models live in subfolders by concern (intermediate/indices/, ...): find the file
            sql = next(Path(spec["compiled"]).rglob(f"{name}.sql")).read_text()
            # a view model runs inside its consumers' queries, as in dbt: only its definition here
            kind = "view" if name in spec["views"] else "table"
            best = float("inf")
            for _ in range(3):
                t0 = time.perf_counter()
                con.execute(f"create or replace temp {kind} bench_{name} as {sql}")
                best = min(best, time.perf_counter() - t0)
                con.execute(f"drop {kind} bench_{name}")
            out[name] = best
    finally:
        con.close()
    return {"seconds": out}


def _hwm_mb() -> float:
    """VmHWM: this process's peak resident set since its exec. (ru_maxrss is not used: Linux carries
    it over from the forked parent image, so a child would report at least the parent's size.)"""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def _worker_main(kind: str, spec_path: str, out_path: str) -> int:
    spec = json.loads(Path(spec_path).read_text())
    out = {"dbt": _worker_dbt, "pandas": _worker_pandas, "sql": _worker_sql, "pipeline": _worker_pipeline}[kind](spec)
    out["peak_mb"] = _hwm_mb()
    Path(out_path).write_text(json.dumps(out))
    return 0


def run_worker(kind: str, spec: dict, work: Path, label: str) -> dict:
    """Run a worker in a subprocess; add its wall time and its RSS sampled every 20 ms."""
    spec_path, out_path = work / f"{label}.spec.json", work / f"{label}.out.json"
    spec_path.write_text(json.dumps(spec))
    python_path = os.pathsep.join(p for p in (str(ROOT / "python"), os.environ.get("PYTHONPATH")) if p)
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "PYTHONPATH": python_path}
    log = (work / f"{label}.log").open("w")
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--worker", kind, str(spec_path), str(out_path)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=str(work),
    )
    samples: list[tuple[float, float, float]] = []  # (unix time, RSS MB, CPU s) of the worker, every 20 ms
    done = threading.Event()
    tick = os.sysconf("SC_CLK_TCK")

    def sample() -> None:
        status_file, stat_file = Path(f"/proc/{proc.pid}/status"), Path(f"/proc/{proc.pid}/stat")
        while not done.is_set():
            try:
                rss = next(
                    int(line.split()[1]) / 1024
                    for line in status_file.read_text().splitlines()
                    if line.startswith("VmRSS:")
                )
                fields = stat_file.read_text().rsplit(")", 1)[1].split()
                cpu = (int(fields[11]) + int(fields[12])) / tick  # utime + stime, all threads
                samples.append((time.time(), rss, cpu))
            except (OSError, ValueError, StopIteration, IndexError):
                pass
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, _ = os.wait4(proc.pid, 0)
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    log.close()
    if proc.returncode != 0 or not out_path.exists():
        tail = (work / f"{label}.log").read_text()[-3000:]
        raise RuntimeError(f"worker {label} failed (exit {proc.returncode}):\n{tail}")
    out = json.loads(out_path.read_text())
    out.update({"wall_s": wall, "rss_samples": samples, "cpu_s": samples[-1][2] if samples else None})
    if kind == "dbt" and not out["success"]:
        raise RuntimeError(f"dbt {spec['args'][0]} ({label}) failed: {out['exception']} {out['failures']}")
    return out


# ----------------------------------------------------------------------------------------------
# project setup


def empty_project(dest: Path) -> Path:
    """A dbt project with no nodes, on the same adapter (duckdb) and profile shape."""
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "dbt_project.yml").write_text(
        'name: empty\nversion: "0.1.0"\nconfig-version: 2\nprofile: empty\n'
        "flags:\n  send_anonymous_usage_stats: false\n"
    )
    (dest / "profiles.yml").write_text(
        "empty:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n"
        "      path: \"{{ env_var('CIPANEL_WAREHOUSE') }}\"\n      threads: 1\n      keep_open: false\n"
    )
    return dest


# ----------------------------------------------------------------------------------------------
# reporting


def node_seconds(run: dict, names: list[str], phase: str | None = None) -> float:
    key = "seconds" if phase is None else f"{phase}_s"
    return sum(n.get(key, 0.0) for n in run["nodes"] if n["name"] in names)


def rss_during(run: dict, names: list[str]) -> float | None:
    """Highest sampled RSS (MB) of the worker while any of these nodes ran (compile or execute)."""
    windows = [(n["start"], n["end"]) for n in run["nodes"] if n["name"] in names and n["start"]]
    inside = [mb for t, mb, _ in run["rss_samples"] if any(a <= t <= b for a, b in windows)]
    return max(inside) if inside else None


def cpu_during(run: dict, names: list[str]) -> float | None:
    """CPU seconds (user + system, all threads) the worker used while these nodes ran, from the
    /proc samples; less sensitive than wall time to other processes on a shared machine."""
    samples = run["rss_samples"]
    total = 0.0
    for n in run["nodes"]:
        if n["name"] not in names or not n["start"]:
            continue
        before = [c for t, _, c in samples if t <= n["start"]]
        after = [c for t, _, c in samples if t >= n["end"]]
        if not before or not after:
            return None
        total += after[0] - before[-1]
    return total


def compare(warehouse: Path, work: Path) -> tuple[float, float, int, int]:
    import duckdb
    import pandas as pd

    pd_weights = pd.read_pickle(work / "pandas_weights.pkl")
    pd_scores = pd.read_pickle(work / "pandas_scores.pkl")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        sql_weights = con.execute(
            "select index_code, indicator_code, entropy, weight from marts.fct_indicator_weights "
            "where method = 'entropy'"
        ).df()
        sql_scores = con.execute(
            "select index_code, dimension_code, unit_code, year, score from marts.fct_index_scores "
            "where method = 'entropy'"
        ).df()
    finally:
        con.close()
    w = pd_weights.merge(sql_weights, on=["index_code", "indicator_code"], suffixes=("_pd", "_sql"))
    s = pd_scores.merge(sql_scores, on=["index_code", "dimension_code", "unit_code", "year"], suffixes=("_pd", "_sql"))
    if len(w) != len(pd_weights) or len(w) != len(sql_weights) or len(s) != len(pd_scores) or len(s) != len(sql_scores):
        return float("inf"), float("inf"), len(w), len(s)
    dw = max((w.weight_pd - w.weight_sql).abs().max(), (w.entropy_pd - w.entropy_sql).abs().max())
    ds = (s.score_pd - s.score_sql).abs().max()
    return float(dw), float(ds), len(w), len(s)


def compare_pipeline(warehouse: Path, work: Path, pipeline: dict) -> dict:
    """Max |difference| of the pandas pipeline's weights, scores and panel cells from the warehouse's
    (marts.fct_indicator_weights, fct_index_scores, fct_panel), and both sides' counts of rejected
    rows and interpolated cells."""
    import duckdb
    import numpy as np
    import pandas as pd

    weights = pd.read_pickle(work / "pipeline_weights.pkl")
    scores = pd.read_pickle(work / "pipeline_scores.pkl")
    panel = pd.read_pickle(work / "pipeline_panel.pkl")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        sql_weights = con.execute(
            "select index_code, indicator_code, weight from marts.fct_indicator_weights where method = 'entropy'"
        ).df()
        sql_scores = con.execute(
            "select index_code, dimension_code, unit_code, year, score from marts.fct_index_scores "
            "where method = 'entropy'"
        ).df()
        columns = [c for c in panel.columns if c not in ("unit_code", "year", "name_zh", "name_en")]
        sql_panel = con.execute(
            f"select unit_code, year, {', '.join(columns)} from marts.fct_panel order by unit_code, year"
        ).df()
        rejected = con.execute("select sum(rows_rejected) from audit.audit_row_accounting").fetchone()[0]
        interpolated = con.execute(
            "select count(*) from intermediate.int_indicator_values_interpolated where value_status = 'interpolated'"
        ).fetchone()[0]
    finally:
        con.close()
    w = weights.merge(sql_weights, on=["index_code", "indicator_code"], suffixes=("_pd", "_sql"))
    keys = ["index_code", "dimension_code", "unit_code", "year"]
    sc = scores.merge(sql_scores, on=keys, suffixes=("_pd", "_sql"))
    mine = panel.sort_values(["unit_code", "year"]).reset_index(drop=True)
    same_rows = len(mine) == len(sql_panel) and (mine.unit_code.to_numpy() == sql_panel.unit_code.to_numpy()).all()
    panel_diff = (
        float(np.nanmax(np.abs(mine[columns].to_numpy(float) - sql_panel[columns].to_numpy(float))))
        if same_rows
        else float("inf")
    )
    return {
        "weights": (len(w), len(sql_weights), float((w.weight_pd - w.weight_sql).abs().max())),
        "scores": (len(sc), len(sql_scores), float((sc.score_pd - sc.score_sql).abs().max())),
        "panel": (len(mine), len(sql_panel), len(columns), panel_diff),
        "rejected": (pipeline["n_rejected"], int(rejected or 0)),
        "interpolated": (pipeline["n_interpolated"], int(interpolated)),
    }


def _render_env_var(text: str) -> str:
    """The value a profile's `{{ env_var('NAME', 'default') }}` takes in this environment."""
    import re

    return re.sub(
        r"\{\{\s*env_var\('([^']+)',\s*'([^']*)'\)\s*\}\}", lambda m: os.environ.get(m.group(1), m.group(2)), text
    )


def duckdb_settings(project: Path) -> str:
    import duckdb
    import yaml

    con = duckdb.connect()
    try:
        threads, limit = con.execute("select current_setting('threads'), current_setting('memory_limit')").fetchone()
    finally:
        con.close()
    try:
        profile = yaml.safe_load((project / "profiles.yml").read_text())["cipanel"]["outputs"]["dev"]
        settings = {key: _render_env_var(str(value)) for key, value in (profile.get("settings") or {}).items()}
        custom = f"the profile's dev target sets {settings or 'no DuckDB settings'}"
    except Exception:  # noqa: BLE001 - informational only
        custom = "profile settings unknown"
    return f"DuckDB defaults on this machine: threads={threads}, memory_limit={limit}; {custom}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--units", type=int, default=3000)
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--indicators", type=int, default=60)
    parser.add_argument("--indices", type=int, default=4)
    parser.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    parser.add_argument("--repeats", type=int, default=3, help="pandas repetitions (best is reported)")
    parser.add_argument(
        "--dbt-threads",
        type=int,
        default=1,
        help="dbt node concurrency for the timed runs (1: node times do not overlap)",
    )
    parser.add_argument("--skip-build", action="store_true", help="skip the `dbt build` with tests")
    parser.add_argument(
        "--dirty",
        action="store_true",
        help="0.5%% of inner cells missing, 0.1%% given twice, 200 bad rows (validation and interpolation "
        "have work; the index-only pandas comparison is then skipped, the pipeline's is kept)",
    )
    parser.add_argument(
        "--skip-rerun",
        action="store_true",
        help="skip the re-run of the index models alone (their own time and peak memory)",
    )
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temp dir)")
    parser.add_argument("--project-dir", type=Path, default=ROOT, help="the dbt project to benchmark")
    args = parser.parse_args(argv)
    if args.indicators < args.indices * 3:
        parser.error("need at least 3 indicators per index (3 dimensions)")

    import _county_panel as cp

    from cipanel.build import copy_dbt_project, copy_project  # here: workers time their own imports

    if args.keep:
        work = args.keep.resolve()
        marker = work / ".bench_indices"
        if work.exists() and any(work.iterdir()) and not marker.exists():
            parser.error(f"--keep {work} exists and was not made by this script: give a new folder")
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        marker.touch()
    else:
        work = Path(tempfile.mkdtemp(prefix="bench_indices_"))
    rows: list[tuple[str, float | None, float | None, float | None]] = []  # (component, s, peak MB, CPU s)
    t_start = time.perf_counter()
    try:
        t0 = time.perf_counter()
        seeds = cp.make_seeds(args.units, args.years, args.indicators, args.indices)
        values = cp.make_values(args.units, args.years, args.indicators)
        clean_path = None
        if args.dirty:  # the index-only pandas computation reads the complete panel (same size)
            clean_path = cp.write_values(values, work / "clean", args.format)
            values = cp.make_dirty(values, args.years)
        n_values = len(values)
        values_path = cp.write_values(values, work / "inputs", args.format)
        del values
        t_generate = time.perf_counter() - t0
        # the dbt project (a copy, so --project-dir can time a changed model) and the county panel's
        # user project (its units and catalogs, found by the landing through CIPANEL_PROJECT)
        project = copy_dbt_project(work / "project", args.project_dir.resolve())
        user_project = copy_project(work / "user_project", seeds)
        empty = empty_project(work / "empty")
        last_year = cp.FIRST_YEAR + args.years - 1
        dbt_vars = ["--vars", f"{{panel_start_year: {cp.FIRST_YEAR}, panel_end_year: {last_year}}}"]
        threads = ["--threads", str(args.dbt_threads)]
        warehouse = work / "warehouse.duckdb"

        def dbt(label, dbt_args, proj=project, wh=warehouse):
            spec = {
                "args": dbt_args,
                "project": str(proj),
                "warehouse": str(wh),
                "inputs": str(work / "inputs"),
                "user_project": str(user_project),
            }
            return run_worker("dbt", spec, work, label)

        print(
            f"panel: {args.units} units x {args.years} years x {args.indicators} indicators in "
            f"{args.indices} indices = {n_values:,} values ({args.format}, "
            f"{values_path.stat().st_size / 2**20:.1f} MB), generated in {t_generate:.1f} s; work dir {work}",
            flush=True,
        )

        startup = dbt("empty", ["run"], proj=empty, wh=work / "empty.duckdb")
        seed = dbt("seed", ["seed", *dbt_vars, *threads])
        run = dbt("run", ["run", *dbt_vars, *threads])
        print(f"dbt run done in {run['wall_s']:.1f} s", flush=True)
        index_alone = None
        if not args.skip_rerun:
            index_alone = dbt("run_index", ["run", "--select", *INDEX_NODES, *dbt_vars, *threads])
        manifest = json.loads((project / "target/manifest.json").read_text())
        views = [
            node["name"]
            for node in manifest["nodes"].values()
            if node["resource_type"] == "model" and node["config"]["materialized"] == "view"
        ]
        sql_alone = run_worker(
            "sql",
            {
                "warehouse": str(warehouse),
                "models": INDEX_NODES,
                "views": views,
                "compiled": str(project / "target/compiled/cipanel/models/intermediate"),
            },
            work,
            "sql",
        )
        pandas = run_worker(
            "pandas",
            {
                "values": str(clean_path or values_path),
                "repeats": args.repeats,
                "indicator_catalog": str(user_project / "catalog/indicator_catalog.csv"),
                "index_catalog": str(user_project / "catalog/index_catalog.csv"),
                "out_weights": str(work / "pandas_weights.pkl"),
                "out_scores": str(work / "pandas_scores.pkl"),
            },
            work,
            "pandas",
        )
        dw, ds, n_w, n_s = compare(warehouse, work) if not args.dirty else (float("nan"),) * 2 + (0, 0)
        pipeline = run_worker(
            "pipeline",
            {
                "values": str(values_path),
                "user_project": str(user_project),
                "first_year": cp.FIRST_YEAR,
                "last_year": last_year,
                **{f"out_{name}": str(work / f"pipeline_{name}.pkl") for name in ("weights", "scores", "panel")},
            },
            work,
            "pipeline",
        )
        build = None
        if not args.skip_build:
            build = dbt("build", ["build", *dbt_vars], wh=work / "build.duckdb")
        # the pipeline against the warehouse the whole build wrote (else the `dbt run`'s)
        agreement = compare_pipeline(work / "build.duckdb" if build else warehouse, work, pipeline)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    # ------------------------------------------------------------------------------------------
    overhead_run = run["invoke_s"] - sum(n["seconds"] for n in run["nodes"])
    landing = node_seconds(run, [LANDING_NODE], "compile")
    staging = node_seconds(run, STAGING_NODES) - landing
    interpolation = node_seconds(run, INTERPOLATION_NODES)
    index_total = node_seconds(run, INDEX_NODES)
    robust_total = node_seconds(run, ROBUSTNESS_NODES)
    keys_total = node_seconds(run, KEY_NODES)
    other = (
        sum(n["seconds"] for n in run["nodes"])
        - landing
        - staging
        - interpolation
        - index_total
        - robust_total
        - keys_total
    )
    grouped = set(STAGING_NODES + INTERPOLATION_NODES + INDEX_NODES + ROBUSTNESS_NODES + KEY_NODES)
    other_nodes = [n["name"] for n in run["nodes"] if n["name"] not in grouped]
    index_alone_s = sum(n["seconds"] for n in index_alone["nodes"]) if index_alone else None
    pandas_best, pandas_first = min(pandas["times"]), pandas["times"][0]

    def add(name: str, seconds: float | None, mb: float | None = None, cpu: float | None = None) -> None:
        rows.append((name, seconds, mb, cpu))

    def nodes_row(label: str, result: dict, names: list[str], seconds: float | None = None) -> None:
        add(
            label,
            node_seconds(result, names) if seconds is None else seconds,
            rss_during(result, names),
            cpu_during(result, names),
        )

    add("dbt start-up: import dbt (empty project process)", startup["import_s"])
    add("dbt start-up: `dbt run` of an empty project (invoke)", startup["invoke_s"])
    add("dbt start-up: empty project, whole process", startup["wall_s"], startup["peak_mb"])
    add("dbt seed (5 seeds), whole process", seed["wall_s"], seed["peak_mb"])
    add(f"dbt run, whole project, whole process (--threads {args.dbt_threads})", run["wall_s"], run["peak_mb"])
    add("  import dbt", run["import_s"])
    add("  dbt's own work in the run (invoke - sum of node times)", overhead_run)
    add(
        "  landing (plugin, compile of stg_raw__indicator_values)",
        landing,
        rss_during(run, [LANDING_NODE]),
        cpu_during(run, [LANDING_NODE]),
    )
    nodes_row("  staging + validation (stg_*, int_indicator_values_validated)", run, STAGING_NODES[1:], staging)
    nodes_row("  interpolation (int_indicator_values_interpolated)", run, INTERPOLATION_NODES)
    nodes_row(f"  integer-key tables ({', '.join(KEY_NODES)})", run, KEY_NODES)
    for name in INDEX_NODES:
        nodes_row(f"    {name}", run, [name])
    nodes_row("  INDEX MODELS (sum of the 5 above)", run, INDEX_NODES)
    for name in ROBUSTNESS_NODES:
        nodes_row(f"    {name}", run, [name])
    nodes_row("  robustness models (sum of the 3 above)", run, ROBUSTNESS_NODES)
    nodes_row("  marts, audit, panel (the other nodes)", run, other_nodes, other)
    if index_alone:
        add("INDEX MODELS re-run alone (dbt run --select, fresh process):", None)
        for name in INDEX_NODES:
            nodes_row(f"    {name}", index_alone, [name])
        nodes_row("  INDEX MODELS (sum of the 5 above)", index_alone, INDEX_NODES)
        add("  whole process (import, dbt start-up, the 5 models)", index_alone["wall_s"], index_alone["peak_mb"])
    add("INDEX MODELS' compiled SQL alone into in-memory temp tables (best of 3):", None)
    for name in INDEX_NODES:
        view = " (a view: evaluated in its consumers)" if name in views else ""
        add(f"    {name}{view}", sql_alone["seconds"][name])
    sql_alone_s = sum(sql_alone["seconds"].values())
    add("  INDEX MODELS, queries only (sum of the 5 above)", sql_alone_s)
    add("  whole process (DuckDB, read-only on the warehouse)", sql_alone["wall_s"], sql_alone["peak_mb"])
    if build:
        n_tests = sum(1 for n in build["nodes"] if n["type"] == "test")
        add(
            f"dbt build (seeds, models, {n_tests} tests; profile threads), whole process",
            build["wall_s"],
            build["peak_mb"],
        )
    add("pandas: read the long file (duckdb -> DataFrame; not compared)", pandas["load_s"], pandas["rss_after_load_mb"])
    add(
        f"pandas: index computation, best of {len(pandas['times'])} (first {pandas_first:.2f} s)",
        pandas_best,
        pandas["rss_peak_mb"],
        min(pandas["cpu_times"]),
    )
    add("  of which weights (min-max, p ln p, groupby sums), best", min(pandas["weight_times"]))
    add("pandas: same, tracemalloc peak of one computation (MB column)", None, pandas["traced_peak_mb"])

    # the whole build against the pandas pipeline of the same steps, part by part
    pipe_rows: list[tuple[str, float | None, float | None, float | None, float | None]] = []
    parts = [
        ("landing", [LANDING_NODE], "landing"),
        ("staging + validation", STAGING_NODES[1:] + ["int_unit_keys", "int_indicator_attributes"], "validation"),
        ("interpolation", INTERPOLATION_NODES, "interpolation"),
        ("entropy weights (normalise, entropy, weights)", INDEX_NODES[:4] + ["int_index_components"], "weights"),
        (
            "scores",
            ["int_index_scores_weighted", "int_index_score_keys", "int_index_scores", "fct_index_scores"],
            "scores",
        ),
        (
            "panel",
            ["int_panel_variables_long", "int_panel_derivations", "int_panel_derived_variables", "fct_panel"],
            "panel",
        ),
    ]
    used = set()
    for label, names, step in parts:
        used.update(names)
        if step == "landing":
            seconds, cpu = landing, cpu_during(run, [LANDING_NODE])
        else:
            seconds, cpu = node_seconds(run, names), cpu_during(run, names)
        if step == "validation":  # the landing is the compile phase of the first staging node
            cpu = (cpu or 0.0) - (cpu_during(run, [LANDING_NODE]) or 0.0)
            seconds = node_seconds(run, names) - landing
        pipe_rows.append((f"  {label}", seconds, cpu, *pipeline["steps"][step]))
    pipe_rows.append(
        (
            "  robustness methods (CRITIC, TOPSIS, PCA; not in pandas)",
            node_seconds(run, ROBUSTNESS_NODES),
            cpu_during(run, ROBUSTNESS_NODES),
            None,
            None,
        )
    )
    rest = [n["name"] for n in run["nodes"] if n["name"] not in used and n["name"] not in ROBUSTNESS_NODES]
    pipe_rows.append(
        ("  other marts and audit (not in pandas)", node_seconds(run, rest), cpu_during(run, rest), None, None)
    )
    pipe_rows.append(
        ("  dbt import, parse and own work (invoke - nodes)", run["import_s"] + overhead_run, None, None, None)
    )
    pipe_rows.append(("whole `dbt run` (threads 1) / pandas pipeline", run["wall_s"], run["cpu_s"], *pipeline["total"]))
    if build:
        tests = [n for n in build["nodes"] if n["type"] in ("test", "unit_test")]
        pipe_rows.append(
            (
                f"  data tests in the build ({len(tests)}, node seconds, overlapping)",
                sum(n["seconds"] for n in tests),
                cpu_during(build, [n["name"] for n in tests]),
                None,
                None,
            )
        )
        pipe_rows.append(
            (
                "WHOLE BUILD: `dbt build` (profile threads) / pandas pipeline",
                build["wall_s"],
                build["cpu_s"],
                *pipeline["total"],
            )
        )

    width = max(len(r[0]) for r in rows) + 2
    print()
    print(f"{'component':<{width}}{'seconds':>9}{'peak MB':>10}{'CPU s':>8}")
    print("-" * (width + 27))
    for name, seconds, mb, cpu in rows:
        print(
            f"{name:<{width}}{'' if seconds is None else f'{seconds:9.2f}':>9}"
            f"{'' if mb is None else f'{mb:10.0f}':>10}{'' if cpu is None else f'{cpu:8.2f}':>8}"
        )
    print("-" * (width + 27))
    print("every node of the `dbt run` (seconds, compile + execute; slowest first):")
    for node in sorted(run["nodes"], key=lambda n: -n["seconds"]):
        print(f"  {node['seconds']:7.2f}  {node['name']}")
    if build:
        tests = [n for n in build["nodes"] if n["type"] in ("test", "unit_test")]
        print(
            f"data tests in the `dbt build`: {len(tests)}, {sum(n['seconds'] for n in tests):.1f} s in all "
            "(two threads: times overlap); the slowest:"
        )
        for node in sorted(tests, key=lambda n: -n["seconds"])[:12]:
            print(f"  {node['seconds']:7.2f}  {node['name']}")
    print("-" * (width + 27))
    ratio_run = pandas_best / index_total
    print(f"ratio pandas / index models (full run)     = {ratio_run:5.2f}x   (target >= {TARGET_RATIO:.0f}x)")
    index_cpu = cpu_during(run, INDEX_NODES)
    if index_cpu:
        print(
            f"  same in CPU seconds                       = {min(pandas['cpu_times']) / index_cpu:5.2f}x   "
            "(DuckDB may use every core; pandas one)"
        )
    if index_alone:
        print(
            f"ratio pandas / index models (re-run alone) = {pandas_best / index_alone_s:5.2f}x   "
            f"peak of that process {index_alone['peak_mb']:.0f} MB (target < {TARGET_MB:.0f} MB)"
        )
    print(
        f"ratio pandas / index models' queries only  = {pandas_best / sql_alone_s:5.2f}x   (no dbt, no write "
        "to the warehouse file)"
    )
    print(f"peak memory of the whole `dbt run` process  = {run['peak_mb']:.0f} MB (target < {TARGET_MB:.0f} MB)")
    print(
        "peak MB: 'whole process' rows = VmHWM of that subprocess (dbt, the landing plugin, DuckDB and the\n"
        "  Python model all run in it); indented rows = highest RSS sampled (/proc, 20 ms) while those nodes\n"
        "  ran, which includes memory still held from earlier nodes; the tracemalloc row counts the Python and\n"
        "  numpy allocations of one pandas computation only.\n"
        "CPU s: user + system CPU of the process over those nodes (all DuckDB threads; /proc samples), or of\n"
        "  the best pandas repetition; steadier than wall time when other processes share the machine."
    )
    print(duckdb_settings(args.project_dir))
    load = os.getloadavg()
    print(
        f"machine: {os.cpu_count()} CPUs, load average at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
        "(other processes share the CPUs: compare figures of the same run)"
    )
    if args.dirty:
        print("pandas index computation vs warehouse: not compared (--dirty: it reads the complete panel)")
    else:
        print(
            f"pandas vs warehouse (entropy method): {n_w} weights max |diff| {dw:.1e}, {n_s:,} scores max "
            f"|diff| {ds:.1e} -> {'agree' if max(dw, ds) <= TOLERANCE else 'DISAGREE'} (tolerance {TOLERANCE:g})"
        )
    print()
    print("The whole build against a pandas pipeline of the same steps (benchmarks/_county_panel.pipeline):")
    pw = max(len(r[0]) for r in pipe_rows) + 2
    print(f"{'part':<{pw}}{'dbt s':>8}{'dbt CPU':>9}{'pandas s':>10}{'pd CPU':>8}")
    print("-" * (pw + 35))
    fmt = lambda v, w: "" if v is None else f"{v:{w}.2f}"  # noqa: E731
    for name, s1, c1, s2, c2 in pipe_rows:
        print(f"{name:<{pw}}{fmt(s1, 8):>8}{fmt(c1, 9):>9}{fmt(s2, 10):>10}{fmt(c2, 8):>8}")
    print("-" * (pw + 35))
    whole = build or run
    print(
        f"ratio whole {'`dbt build`' if build else '`dbt run`'} / pandas pipeline = "
        f"{whole['wall_s'] / pipeline['total'][0]:5.2f}x wall, {whole['cpu_s'] / pipeline['total'][1]:5.2f}x CPU "
        f"(goal <= 2x); whole processes (with dbt's / Python's start-up and imports) "
        f"{whole['wall_s']:.1f} / {pipeline['wall_s']:.1f} s = {whole['wall_s'] / pipeline['wall_s']:.2f}x wall, "
        f"{whole['cpu_s'] / pipeline['cpu_s']:.2f}x CPU; peak MB {whole['peak_mb']:.0f} / {pipeline['peak_mb']:.0f}"
    )
    a = agreement
    print(
        f"pandas pipeline vs warehouse: {a['weights'][0]}/{a['weights'][1]} weights max |diff| {a['weights'][2]:.1e}, "
        f"{a['scores'][0]:,}/{a['scores'][1]:,} scores max |diff| {a['scores'][2]:.1e}, panel {a['panel'][0]:,}/"
        f"{a['panel'][1]:,} rows x {a['panel'][2]} columns max |diff| {a['panel'][3]:.1e}; rejected rows "
        f"{a['rejected'][0]:,}/{a['rejected'][1]:,} ({pipeline['rejected']}), interpolated cells "
        f"{a['interpolated'][0]:,}/{a['interpolated'][1]:,}"
    )
    pipeline_ok = (
        max(a["weights"][2], a["scores"][2], a["panel"][3]) <= TOLERANCE
        and a["rejected"][0] == a["rejected"][1]
        and a["interpolated"][0] == a["interpolated"][1]
        and a["scores"][0] == a["scores"][1]
    )
    print(f"  -> {'agree' if pipeline_ok else 'DISAGREE'} (tolerance {TOLERANCE:g}, counts equal)")
    print(f"total benchmark time {time.perf_counter() - t_start:.0f} s")
    index_ok = args.dirty or max(dw, ds) <= TOLERANCE
    return 0 if index_ok and pipeline_ok else 1


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        sys.exit(_worker_main(sys.argv[2], sys.argv[3], sys.argv[4]))
    sys.exit(main())
