"""The same dbt models on Apache Spark: build a warehouse on the `spark` target and compare it with
the DuckDB build, index score by index score and weight by weight.

`cipanel compare-spark` (or `python -m cipanel.spark_compare`):
  1. builds a project (default: the demo project examples/provinces-demo, SYNTHETIC data; --input
     another value folder) on DuckDB, into a scratch file;
  2. lands the same input with the same Python landing (cipanel.landing), and the project's
     catalogs and units as cipanel.project checks them, and writes each source to Parquet under the
     Spark scratch folder, where the staging models' pre-hooks register them as the source tables
     raw.* (macros/cross_engine.sql, register_landed_rows);
  3. runs `dbt build --target spark` (pyspark in local mode, dbt-spark's `session` method) in a
     subprocess whose working directory is the scratch folder, so the JVM ends with it and every
     folder Spark or Hive writes (spark-warehouse/, metastore_db/, derby.log) lands there; the
     subprocess then reads marts.fct_index_scores and marts.fct_indicator_weights through Spark;
  4. compares every row present on both engines (the pca method exists only on DuckDB: it is a
     Python model) to 1e-12 and deletes the scratch folder (unless --keep).

Exit status: 0 when every score and weight agree, 1 on a mismatch, 2 when a build fails or the
Spark extra is not installed (`pip install -e '.[spark]'`; Java 17 must be on the PATH).
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from cipanel.project import Project

if TYPE_CHECKING:  # pandas is imported where a comparison runs: `cipanel --help` loads this module
    import pandas as pd

TOLERANCE = 1e-12
SPARK_EXTRA_HINT = "install the Spark extra: .venv/bin/pip install -e '.[spark]' (pyspark 4 needs Java 17)"
SCRATCH_NAMES = ("metastore_db", "derby.log", "spark-warehouse")

# table -> (key columns, float columns compared to TOLERANCE, columns compared exactly)
TABLES: dict[str, tuple[list[str], list[str], list[str]]] = {
    "fct_index_scores": (["index_code", "method", "dimension_code", "unit_code", "year"], ["score"], []),
    "fct_indicator_weights": (
        ["index_code", "method", "weight_year", "indicator_code"],
        ["weight", "entropy"],
        ["dimension_code", "direction", "is_constant", "window_start", "window_end", "n_units", "n_rows"],
    ),
}


class SparkUnavailable(RuntimeError):
    """pyspark or dbt-spark is not importable."""


class SparkBuildError(RuntimeError):
    """dbt on the spark target failed."""


def require_spark() -> None:
    """Raise SparkUnavailable, naming the extra to install, unless pyspark and dbt-spark import."""
    try:
        import dbt.adapters.spark  # noqa: F401
        import pyspark  # noqa: F401
    except ImportError as exc:
        raise SparkUnavailable(f"the Spark target needs pyspark and dbt-spark ({exc}); {SPARK_EXTRA_HINT}") from exc
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise SparkUnavailable("the Spark target needs Java 17 (no `java` on the PATH and no JAVA_HOME)")


def landed_dir(spark_dir: Path | str, name: str = "indicator_values") -> Path:
    """Where the `spark` target's pre-hook expects the landed source `name` (see register_landed_rows)."""
    return Path(spark_dir) / "landed" / name


def land_to_parquet(input_dir: Path | str, spark_dir: Path | str, project: Project | Path | str | None = None) -> Path:
    """Land the input folder with cipanel.landing (as the DuckDB plugin does) and the project's
    catalogs and units (default: the demo project), and write each as Parquet in the folder the
    `spark` target reads as raw.<name>. Returns the folder of the landed values."""
    import duckdb

    from cipanel.landing import land_directory
    from cipanel.project import Project, find_project, load_project, project_tables

    if not isinstance(project, Project):
        from cipanel.project import demo_project_dir

        project = (
            load_project(project)
            if project
            else (load_project(demo_project_dir()) if demo_project_dir() else find_project())
        )
    sources = {"indicator_values": land_directory(Path(input_dir)), **project_tables(project).tables}
    con = duckdb.connect()  # pyarrow is not a dependency: DuckDB writes the Parquet files
    try:
        for name, rows in sources.items():
            folder = landed_dir(spark_dir, name)
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            con.register("landed_rows", rows)
            con.execute(f"copy (select * from landed_rows) to '{folder / 'part-00000.parquet'}' (format parquet)")
            con.unregister("landed_rows")
    finally:
        con.close()
    return landed_dir(spark_dir)


# ---------------------------------------------------------------------------------------------
# the Spark worker: one subprocess per dbt invocation (its own JVM, cwd = the scratch folder)


def _worker(spec_path: Path) -> int:
    spec = json.loads(spec_path.read_text())
    os.environ["CIPANEL_SPARK_DIR"] = spec["spark_dir"]
    os.environ["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    os.chdir(spec["spark_dir"])
    from dbt.cli.main import dbtRunner

    started = time.perf_counter()
    result = dbtRunner().invoke(
        [
            *spec["args"],
            "--target",
            "spark",
            "--project-dir",
            spec["project"],
            "--profiles-dir",
            spec["project"],
            "--target-path",
            str(Path(spec["spark_dir"]) / "target"),
            "--log-path",
            str(Path(spec["spark_dir"]) / "logs"),
        ]
    )
    invoke_s = time.perf_counter() - started
    nodes, failures = [], []
    for node in getattr(result.result, "results", None) or []:
        phases = {
            f"{t.name}_s": (t.completed_at - t.started_at).total_seconds()
            for t in node.timing
            if t.started_at and t.completed_at
        }
        nodes.append(
            {
                "name": node.node.name,
                "type": node.node.resource_type,
                "status": str(node.status),
                "seconds": node.execution_time,
                **phases,
            }
        )
        if str(node.status) not in ("success", "pass", "warn"):
            failures.append(f"{node.node.name}: {node.status} {node.message}")
    out = {
        "success": bool(result.success),
        "exception": str(result.exception or ""),
        "failures": failures,
        "invoke_s": invoke_s,
        "nodes": nodes,
        "exports": {},
    }
    if result.success and spec.get("export"):
        from pyspark.sql import SparkSession

        spark = SparkSession.builder.getOrCreate()  # the session dbt-spark opened in this process
        for table in spec["export"]:
            # written by Spark, read back by DuckDB (no pyarrow / toPandas needed)
            target = Path(spec["spark_dir"]) / "export" / table
            spark.table(table).write.mode("overwrite").parquet(str(target))
            out["exports"][table] = str(target)
    Path(spec["out"]).write_text(json.dumps(out))
    return 0


def run_spark_dbt(
    args: list[str],
    spark_dir: Path | str,
    *,
    project: Path | str | None = None,
    export: list[str] | None = None,
    log_name: str = "spark",
) -> dict:
    """`dbt <args> --target spark` in a subprocess whose cwd is `spark_dir` (CIPANEL_SPARK_DIR).
    Returns the worker's report: success, invoke_s (dbt's own wall time), wall_s (process, with
    the interpreter, dbt import and JVM start), nodes with their times, and exported tables."""
    from cipanel.build import project_dir

    require_spark()
    spark_dir = Path(spark_dir).resolve()
    spark_dir.mkdir(parents=True, exist_ok=True)
    spec_path, out_path = spark_dir / f"{log_name}.spec.json", spark_dir / f"{log_name}.out.json"
    spec_path.write_text(
        json.dumps(
            {
                "args": args,
                "project": str(Path(project or project_dir()).resolve()),
                "spark_dir": str(spark_dir),
                "export": export or [],
                "out": str(out_path),
            }
        )
    )
    log_path = spark_dir / f"{log_name}.log"
    package_root = str(Path(__file__).resolve().parents[1])  # the worker imports this module
    env = {
        **os.environ,
        "CIPANEL_SPARK_DIR": str(spark_dir),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "PYTHONPATH": os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH")) if p),
    }
    started = time.perf_counter()
    with log_path.open("w") as log:
        proc = subprocess.run(
            [sys.executable, "-m", "cipanel.spark_compare", "--worker", str(spec_path)],
            cwd=spark_dir,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    wall = time.perf_counter() - started
    if proc.returncode != 0 or not out_path.exists():
        raise SparkBuildError(
            f"the Spark worker failed (exit {proc.returncode}); last lines of {log_path}:\n"
            + log_path.read_text(errors="replace")[-3000:]
        )
    out = json.loads(out_path.read_text())
    out["wall_s"] = wall
    if not out["success"]:
        detail = "\n  ".join(out["failures"]) or out["exception"]
        raise SparkBuildError(f"dbt {args[0]} --target spark failed:\n  {detail}\n(full log: {log_path})")
    return out


# ---------------------------------------------------------------------------------------------
# comparison


@dataclass
class TableComparison:
    table: str
    n_duckdb: int
    n_spark: int
    n_compared: int
    duckdb_only_methods: list[str]
    max_abs_diff: dict[str, float]
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class Comparison:
    tables: list[TableComparison]
    duckdb_build_s: float | None = None
    spark_build_s: float | None = None
    spark_process_s: float | None = None

    @property
    def ok(self) -> bool:
        return all(t.ok for t in self.tables)

    @property
    def max_abs_diff(self) -> float:
        return max((d for t in self.tables for d in t.max_abs_diff.values()), default=0.0)

    def report(self) -> str:
        lines = []
        if self.duckdb_build_s is not None:
            lines.append(f"DuckDB build (dbt build, in-process): {self.duckdb_build_s:.1f} s")
        if self.spark_build_s is not None:
            lines.append(
                f"Spark build (dbt build --target spark): {self.spark_build_s:.1f} s "
                f"({self.spark_process_s:.1f} s with interpreter and JVM start-up)"
            )
        for t in self.tables:
            diffs = ", ".join(f"{c} {d:.3g}" for c, d in t.max_abs_diff.items())
            only = (
                f"; DuckDB-only methods left out: {', '.join(t.duckdb_only_methods)}" if t.duckdb_only_methods else ""
            )
            lines.append(
                f"{t.table}: {t.n_compared} rows compared (DuckDB {t.n_duckdb}, Spark {t.n_spark}{only}); "
                f"max |DuckDB - Spark|: {diffs} -> {'OK' if t.ok else 'MISMATCH'}"
            )
            lines.extend(f"  {p}" for p in t.problems[:20])
        lines.append(
            f"{'equal' if self.ok else 'NOT equal'} to {TOLERANCE:g} (largest difference {self.max_abs_diff:.3g})"
        )
        return "\n".join(lines)


def _normalise(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    import pandas as pd

    frame = frame.copy()
    for key in keys:
        if key in ("year", "weight_year"):
            frame[key] = pd.to_numeric(frame[key]).fillna(-1).astype("int64")  # pooled weights: null
        else:
            frame[key] = frame[key].astype("string")
    return frame


def compare_tables(
    table: str, duck: pd.DataFrame, spark: pd.DataFrame, tolerance: float = TOLERANCE
) -> TableComparison:
    import pandas as pd

    keys, floats, exact = TABLES[table]
    duck, spark = _normalise(duck, keys), _normalise(spark, keys)
    duckdb_only = sorted(set(duck["method"]) - set(spark["method"]))
    duck_common = duck[~duck["method"].isin(duckdb_only)]
    merged = duck_common.merge(spark, on=keys, how="outer", suffixes=("_duckdb", "_spark"), indicator=True)
    problems = []
    for side, label in (("left_only", "DuckDB"), ("right_only", "Spark")):
        missing = merged[merged["_merge"] == side]
        if len(missing):
            problems.append(f"{len(missing)} rows only on {label}, e.g. {missing[keys].head(3).to_dict('records')}")
    both = merged[merged["_merge"] == "both"]
    max_diff = {}
    for col in floats:
        a = both[f"{col}_duckdb"].astype("float64").to_numpy()
        b = both[f"{col}_spark"].astype("float64").to_numpy()
        null_mismatch = pd.isna(a) != pd.isna(b)
        diff = pd.Series(abs(a - b)).fillna(0.0)
        max_diff[col] = float(diff.max()) if len(diff) else 0.0
        if null_mismatch.any():
            problems.append(f"{col}: null on one engine only in {int(null_mismatch.sum())} rows")
        if max_diff[col] > tolerance:
            problems.append(f"{col}: max |difference| {max_diff[col]:.3g} > {tolerance:g}")
    for col in exact:
        a, b = both[f"{col}_duckdb"], both[f"{col}_spark"]
        differ = ~((a.isna() & b.isna()) | (a.astype("string") == b.astype("string")).fillna(False))
        if differ.any():
            problems.append(f"{col}: differs in {int(differ.sum())} rows")
    return TableComparison(table, len(duck), len(spark), len(both), duckdb_only, max_diff, problems)


def read_duckdb_tables(warehouse: Path | str) -> dict[str, pd.DataFrame]:
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {table: con.execute(f"select * from marts.{table}").df() for table in TABLES}
    finally:
        con.close()


def read_spark_export(folder: Path | str) -> pd.DataFrame:
    """A table the Spark worker exported (a folder of Parquet part files)."""
    import duckdb

    con = duckdb.connect()
    try:
        return con.execute("select * from read_parquet(?)", [f"{folder}/*.parquet"]).df()
    finally:
        con.close()


def compare(
    input_dir: Path | str | None = None,
    *,
    duckdb_warehouse: Path | str | None = None,
    spark_dir: Path | str | None = None,
    keep: bool = False,
    project: Path | str | None = None,
    progress: Callable[[str], None] | None = print,
) -> Comparison:
    """Build `input_dir` on DuckDB (unless `duckdb_warehouse`, an existing build of the same input,
    is given) and on Spark, and compare fct_index_scores and fct_indicator_weights.
    `spark_dir` (default: a new temporary folder) holds everything Spark writes; it is deleted at
    the end unless `keep`."""
    from cipanel.build import build_warehouse
    from cipanel.project import demo_project_dir, find_project, load_project

    require_spark()
    project = (
        load_project(project)
        if project
        else (load_project(demo_project_dir()) if demo_project_dir() else find_project())
    )
    input_dir = Path(input_dir or project.data_dir).resolve()
    spark_dir = Path(spark_dir or tempfile.mkdtemp(prefix="cipanel-spark-")).resolve()
    spark_dir.mkdir(parents=True, exist_ok=True)
    duckdb_s = None
    try:
        if duckdb_warehouse is None:
            duckdb_warehouse = spark_dir / "duckdb" / "cipanel.duckdb"
            progress(f"building {input_dir} on DuckDB ...")
            started = time.perf_counter()
            build_warehouse(
                duckdb_warehouse,
                input_dir,
                project=project,
                extra_args=["--target-path", str(spark_dir / "duckdb" / "target")],
            )
            duckdb_s = time.perf_counter() - started
        duck = read_duckdb_tables(duckdb_warehouse)
        progress(f"landing {input_dir} for Spark and building it there (scratch folder {spark_dir}) ...")
        land_to_parquet(input_dir, spark_dir, project)
        from cipanel.build import plan_build

        plan = plan_build(project, input_dir)  # the panel window, as the DuckDB build used it
        window = f"{{panel_start_year: {plan.first_year}, panel_end_year: {plan.last_year}}}"
        out = run_spark_dbt(
            ["build", "--vars", window], spark_dir, export=[f"marts.{table}" for table in TABLES], log_name="build"
        )
        spark = {table: read_spark_export(out["exports"][f"marts.{table}"]) for table in TABLES}
        result = Comparison(
            [compare_tables(t, duck[t], spark[t]) for t in TABLES], duckdb_s, out["invoke_s"], out["wall_s"]
        )
    finally:
        if not keep:
            shutil.rmtree(spark_dir, ignore_errors=True)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cipanel compare-spark", description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return _worker(args.worker)
    return run_cli(args)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--project",
        help="project folder with cipanel.yml (default: the demo project examples/provinces-demo, SYNTHETIC data)",
    )
    parser.add_argument("--input", help="value files folder (default: the project's data folder)")
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="build the Spark warehouse in DIR and keep it (default: a temporary folder, deleted)",
    )


def run_cli(args: argparse.Namespace) -> int:
    from cipanel.build import BuildError
    from cipanel.landing import LandingError
    from cipanel.project import ProjectError

    try:
        result = compare(
            args.input,
            spark_dir=args.keep,
            keep=args.keep is not None,
            project=args.project,
            progress=lambda m: print(m, flush=True),
        )
    except (SparkUnavailable, SparkBuildError, BuildError, LandingError, ProjectError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(result.report(), flush=True)
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
