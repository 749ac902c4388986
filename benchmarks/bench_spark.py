"""Benchmark: the index models on Apache Spark (the `spark` target) next to DuckDB, at county scale.

The synthetic county panel of benchmarks/_county_panel.py (default 3,000 units x 20 years x 60
indicators in 4 indices = 3.6 M values, fixed seed; the scale of bench_indices.py) is written in the
user's long format (Parquet) and built through the project's own dbt models, on a copy of the
project whose seeds are replaced, once per engine:
  - DuckDB (target dev): `dbt seed`, then `dbt run`, each in its own subprocess; the landing plugin
    reads the input while stg_raw__indicator_values compiles;
  - Spark (target spark, local[2], 2 GB driver, 4 shuffle partitions; extra [spark]): the same input
    landed by the same Python code into Parquet (timed apart: on Spark it is a step before dbt),
    then `dbt seed` and `dbt run --target spark`, each in its own subprocess and JVM, in a scratch
    folder that is deleted at the end.
Per-node times come from dbt's run results. "start-up and dbt overhead" = the run's invoke time
minus the sum of node times: for Spark it holds the JVM start and the Hive metastore (Derby) start.
The pca model (a Python model) runs on DuckDB only. At the end the entropy weights and the
weighted-sum scores of both engines are compared (tolerance 1e-12).

Run: .venv/bin/python benchmarks/bench_spark.py [--units 3000 --years 20 --indicators 60
     --indices 4 --driver-memory 2g --keep DIR]
Several --units values (e.g. --units 500 3000) benchmark each scale and fit time = a + b * values
per engine, which is where the crossover estimate comes from. Exit status 0 when both engines
agree to 1e-12, 1 otherwise, 2 when the Spark extra is missing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

TOLERANCE = 1e-12
INDEX_NODES = [
    "int_indicators_normalised",
    "int_index_entropy",
    "int_index_weights_entropy",
    "int_index_weights",
    "int_index_scores_weighted",
]
ROBUSTNESS_SQL_NODES = ["int_index_weights_critic", "int_index_scores_topsis"]
PCA_NODE = "int_index_scores_pca"
STAGING_NODES = ["stg_raw__indicator_values", "int_indicator_values_validated", "int_indicator_values_interpolated"]


# ----------------------------------------------------------------------------------------------
# DuckDB worker (this file run with --worker-duckdb SPEC): dbt in-process, node timings to JSON


def _worker_duckdb(spec_path: Path) -> int:
    spec = json.loads(spec_path.read_text())
    os.environ.update(
        {
            "CIPANEL_WAREHOUSE": spec["warehouse"],
            "CIPANEL_INPUT_DIR": spec["inputs"],
            "CIPANEL_PROJECT": spec["user_project"],
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }
    )
    os.chdir(spec["project"])
    from dbt.cli.main import dbtRunner

    t0 = time.perf_counter()
    result = dbtRunner().invoke(
        [*spec["args"], "--project-dir", spec["project"], "--profiles-dir", spec["project"], "--quiet"]
    )
    invoke_s = time.perf_counter() - t0
    nodes = []
    for node in getattr(result.result, "results", None) or []:
        phases = {
            f"{t.name}_s": (t.completed_at - t.started_at).total_seconds()
            for t in node.timing
            if t.started_at and t.completed_at
        }
        nodes.append({"name": node.node.name, "status": str(node.status), "seconds": node.execution_time, **phases})
    Path(spec["out"]).write_text(
        json.dumps(
            {
                "success": bool(result.success),
                "exception": str(result.exception or ""),
                "invoke_s": invoke_s,
                "nodes": nodes,
            }
        )
    )
    return 0


def run_duckdb(
    args: list[str], project: Path, warehouse: Path, inputs: Path, work: Path, label: str, user_project: Path
) -> dict:
    spec_path, out_path = work / f"{label}.spec.json", work / f"{label}.out.json"
    spec_path.write_text(
        json.dumps(
            {
                "args": args,
                "project": str(project),
                "warehouse": str(warehouse),
                "inputs": str(inputs),
                "out": str(out_path),
                "user_project": str(user_project),
            }
        )
    )
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "PYTHONPATH": str(ROOT / "python")}
    t0 = time.perf_counter()
    with (work / f"{label}.log").open("w") as log:
        proc = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--worker-duckdb", str(spec_path)],
            cwd=work,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    wall = time.perf_counter() - t0
    if proc.returncode != 0 or not out_path.exists():
        raise RuntimeError(f"DuckDB worker {label} failed:\n{(work / f'{label}.log').read_text()[-3000:]}")
    out = json.loads(out_path.read_text())
    if not out["success"]:
        raise RuntimeError(f"dbt {args[0]} on DuckDB failed: {out['exception']}")
    out["wall_s"] = wall
    return out


# ----------------------------------------------------------------------------------------------


def node_seconds(run: dict, names: list[str]) -> float:
    return sum(n["seconds"] for n in run["nodes"] if n["name"] in names)


def overhead(run: dict) -> float:
    return run["invoke_s"] - sum(n["seconds"] for n in run["nodes"])


def compare_engines(warehouse: Path, weights_dir: str, scores_dir: str) -> tuple[float, float, int, int, int]:
    """Max |DuckDB - Spark| of the entropy weights and of every weighted-sum / TOPSIS score, and the
    number of rows found on one engine only (compared inside DuckDB: the score table is large)."""
    import duckdb

    con = duckdb.connect()
    try:
        con.execute(f"attach '{warehouse}' as duck (read_only)")
        dw, n_w, only_w = con.execute(f"""
            select max(abs(d.weight - s.weight)), count(*), count(*) filter (where d.weight is null or s.weight is null)
            from (select * from duck.marts.fct_indicator_weights where method = 'entropy') as d
            full join (select * from read_parquet('{weights_dir}/*.parquet') where method = 'entropy') as s
                on d.index_code = s.index_code and d.indicator_code = s.indicator_code""").fetchone()
        ds, n_s, only_s = con.execute(f"""
            select max(abs(d.score - s.score)), count(*), count(*) filter (where d.score is null or s.score is null)
            from (select * from duck.marts.fct_index_scores where method <> 'pca') as d
            full join read_parquet('{scores_dir}/*.parquet') as s
                on d.index_code = s.index_code and d.method = s.method and d.dimension_code = s.dimension_code
                and d.unit_code = s.unit_code and d.year = s.year""").fetchone()
    finally:
        con.close()
    return float(dw), float(ds), int(n_w), int(n_s), int(only_w + only_s)


def bench_scale(n_units: int, args, work: Path) -> dict:
    import _county_panel as cp

    from cipanel.build import copy_dbt_project, copy_project
    from cipanel.spark_compare import land_to_parquet, run_spark_dbt

    scale_dir = work / f"units_{n_units}"
    seeds = cp.make_seeds(n_units, args.years, args.indicators, args.indices)
    values = cp.make_values(n_units, args.years, args.indicators)
    n_values = len(values)
    inputs = scale_dir / "inputs"
    cp.write_values(values, inputs, "parquet")
    del values
    project = copy_dbt_project(scale_dir / "project")  # the dbt project; the panel's own project:
    user_project = copy_project(scale_dir / "user_project", seeds)
    last_year = cp.FIRST_YEAR + args.years - 1
    # one dbt thread on both engines, so node times do not overlap and add up to the run
    dbt_vars = ["--vars", f"{{panel_start_year: {cp.FIRST_YEAR}, panel_end_year: {last_year}}}", "--threads", "1"]
    print(f"\n== {n_units} units x {args.years} years x {args.indicators} indicators = {n_values:,} values", flush=True)

    warehouse = scale_dir / "duck.duckdb"
    duck_seed = run_duckdb(["seed", *dbt_vars], project, warehouse, inputs, scale_dir, "duck_seed", user_project)
    duck_run = run_duckdb(["run", *dbt_vars], project, warehouse, inputs, scale_dir, "duck_run", user_project)
    print(f"DuckDB dbt run: {duck_run['wall_s']:.1f} s", flush=True)

    spark_dir = scale_dir / "spark"
    t0 = time.perf_counter()
    land_to_parquet(inputs, spark_dir, user_project)
    landing_s = time.perf_counter() - t0
    spark_seed = run_spark_dbt(["seed", *dbt_vars], spark_dir, project=project, log_name="spark_seed")
    spark_run = run_spark_dbt(
        ["run", *dbt_vars],
        spark_dir,
        project=project,
        log_name="spark_run",
        export=["marts.fct_indicator_weights", "marts.fct_index_scores"],
    )
    print(f"Spark dbt run: {spark_run['wall_s']:.1f} s", flush=True)
    dw, ds, n_w, n_s, one_side = compare_engines(
        warehouse, spark_run["exports"]["marts.fct_indicator_weights"], spark_run["exports"]["marts.fct_index_scores"]
    )
    return {
        "units": n_units,
        "values": n_values,
        "duck_seed": duck_seed,
        "duck_run": duck_run,
        "spark_seed": spark_seed,
        "spark_run": spark_run,
        "spark_landing_s": landing_s,
        "dw": dw,
        "ds": ds,
        "n_w": n_w,
        "n_s": n_s,
        "one_side": one_side,
    }


def report(r: dict) -> list[str]:
    duck, spark = r["duck_run"], r["spark_run"]
    landing_duck = next(
        (n.get("compile_s", 0.0) for n in duck["nodes"] if n["name"] == "stg_raw__indicator_values"), 0.0
    )
    rows = [
        ("dbt seed (5 seeds), whole process", r["duck_seed"]["wall_s"], r["spark_seed"]["wall_s"]),
        ("landing the input (Python; DuckDB: plugin inside the run)", landing_duck, r["spark_landing_s"]),
        ("dbt run, whole process", duck["wall_s"], spark["wall_s"]),
        ("  start-up and dbt overhead (Spark: JVM + metastore)", overhead(duck), overhead(spark)),
        (
            "  staging, validation, interpolation (3 nodes)",
            node_seconds(duck, STAGING_NODES) - landing_duck,
            node_seconds(spark, STAGING_NODES),
        ),
    ]
    rows += [(f"    {name}", node_seconds(duck, [name]), node_seconds(spark, [name])) for name in INDEX_NODES]
    rows.append(
        ("  INDEX MODELS (sum of the 5 above)", node_seconds(duck, INDEX_NODES), node_seconds(spark, INDEX_NODES))
    )
    rows.append(
        ("  CRITIC + TOPSIS (SQL)", node_seconds(duck, ROBUSTNESS_SQL_NODES), node_seconds(spark, ROBUSTNESS_SQL_NODES))
    )
    rows.append(("  pooled PCA (Python model, DuckDB only)", node_seconds(duck, [PCA_NODE]), None))
    known = set(STAGING_NODES + INDEX_NODES + ROBUSTNESS_SQL_NODES + [PCA_NODE])
    rows.append(
        (
            "  marts, audit, panel, reference (the other nodes)",
            sum(n["seconds"] for n in duck["nodes"] if n["name"] not in known),
            sum(n["seconds"] for n in spark["nodes"] if n["name"] not in known),
        )
    )
    out = [f"{'component (seconds)':<62}{'DuckDB':>10}{'Spark':>10}{'Spark/DuckDB':>14}", "-" * 96]
    for label, d, s in rows:
        ratio = f"{s / d:>13.1f}x" if d and s else ""
        out.append(f"{label:<62}{d:>10.2f}{(f'{s:.2f}' if s is not None else '-'):>10}{ratio}")
    out.append(
        f"entropy weights: {r['n_w']} rows, max |DuckDB - Spark| {r['dw']:.2g}; scores (weighted-sum and TOPSIS): "
        f"{r['n_s']:,} rows, max |diff| {r['ds']:.2g}; rows on one engine only: {r['one_side']}"
    )
    return out


def fit(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Least-squares a + b * x."""
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    b = sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x, _ in points)
    return my - b * mx, b


def crossover(a_d: float, b_d: float, a_s: float, b_s: float, cores: int) -> str:
    """Where a + b x of Spark falls below DuckDB's: on this machine, and extrapolated to a Spark
    cluster of 32 or 128 cores (Spark's per-value term divided by cores / this machine's cores,
    perfect scaling, no network shuffle cost) against DuckDB staying on this machine."""

    def point(b_spark: float) -> str:
        if b_spark >= b_d:
            return "never (Spark's cost per value is not lower)"
        x = (a_s - a_d) / (b_d - b_spark)
        return f"beyond {x:,.0f} M values" if x > 0 else "at every size"

    here = f"this machine ({cores} cores): {point(b_s)}"
    needed = b_s * cores / b_d
    cluster = "; ".join(f"{k} cores: {point(b_s * cores / k)}" for k in (32, 128))
    return (
        f"crossover on {here}; a Spark cluster needs more than {needed:.0f} cores for a lower cost per "
        f"value than DuckDB on this machine (extrapolated, perfect scaling: {cluster})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--units", type=int, nargs="+", default=[3000])
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--indicators", type=int, default=60)
    parser.add_argument("--indices", type=int, default=4)
    parser.add_argument(
        "--driver-memory",
        default=None,
        help="Spark driver memory (default: the profile's 2g, CIPANEL_SPARK_DRIVER_MEMORY)",
    )
    parser.add_argument("--keep", type=Path, help="work in this new folder and keep it (default: a temp dir)")
    parser.add_argument("--worker-duckdb", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker_duckdb:
        return _worker_duckdb(args.worker_duckdb)

    from cipanel.spark_compare import SparkUnavailable, require_spark

    try:
        require_spark()
    except SparkUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.driver_memory:
        os.environ["CIPANEL_SPARK_DRIVER_MEMORY"] = args.driver_memory
    if args.keep:
        if args.keep.exists() and any(args.keep.iterdir()):
            parser.error(f"--keep {args.keep} exists and is not empty: give a new folder")
        work = args.keep.resolve()
        work.mkdir(parents=True, exist_ok=True)
    else:
        work = Path(tempfile.mkdtemp(prefix="bench_spark_"))
    started = time.perf_counter()
    results = []
    try:
        for n_units in args.units:
            results.append(bench_scale(n_units, args, work))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    memory = os.environ.get("CIPANEL_SPARK_DRIVER_MEMORY", "2g")
    print(
        f"\nSpark: local[2], driver memory {memory}, 4 shuffle partitions, Hive metastore in Derby; "
        f"DuckDB: its defaults (threads = cores). Machine: {os.cpu_count()} CPUs, load average at the end "
        + " ".join(f"{x:.2f}" for x in os.getloadavg())
    )
    ok = True
    for r in results:
        print(f"\n{r['units']} units: {r['values']:,} values")
        print("\n".join(report(r)))
        ok &= r["dw"] <= TOLERANCE and r["ds"] <= TOLERANCE and r["one_side"] == 0
    if len(results) >= 2:
        print("\nlinear fit, seconds = a + b * (million values), and where Spark would overtake DuckDB:")
        for label, part in (("whole dbt run", None), ("index models", INDEX_NODES)):
            (a_d, b_d), (a_s, b_s) = (
                fit(
                    [
                        (
                            r["values"] / 1e6,
                            r[f"{engine}_run"]["wall_s"] if part is None else node_seconds(r[f"{engine}_run"], part),
                        )
                        for r in results
                    ]
                )
                for engine in ("duck", "spark")
            )
            print(
                f"  {label:<14} DuckDB a = {a_d:6.1f} s, b = {b_d:6.2f} s/M;  Spark a = {a_s:6.1f} s, "
                f"b = {b_s:6.2f} s/M"
            )
            print(f"  {'':<14} {crossover(a_d, b_d, a_s, b_s, os.cpu_count() or 2)}")
    else:
        print("\n(give two or more --units values for the linear fit and the crossover estimate)")
    print(
        "\nWhy: on one machine Spark pays a fixed cost (JVM, Hive metastore, then a job scheduled per "
        "statement: every model and every data test) and, on the same cores, a higher cost per value "
        "than DuckDB's vectorised engine. On a cluster the per-value term divides by the executors' "
        "cores and the data spread over their memory and disks, while the fixed term stays: Spark wins "
        "only on panels far larger than this machine handles comfortably."
    )
    print(
        f"both engines agree to {TOLERANCE:g}: {'yes' if ok else 'NO'}; total benchmark time "
        f"{time.perf_counter() - started:.0f} s"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
