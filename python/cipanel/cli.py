"""`cipanel`: build the warehouse, run the studies, write tables, figures and the report."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cipanel", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--warehouse", help="DuckDB file (default: $CIPANEL_WAREHOUSE or warehouse/cipanel.duckdb)")
    common.add_argument("--input", help="input folder (default: $CIPANEL_INPUT_DIR or the synthetic demo data/demo)")
    study = argparse.ArgumentParser(add_help=False)
    study.add_argument("--study", action="append", type=Path, help="study spec YAML (repeatable; default: the packaged studies)")
    study.add_argument("--out", type=Path, default=Path("output"), help="output folder (default: output)")
    study.add_argument("--lang", choices=["zh", "en"], default="zh", help="table and report labels")
    sub.add_parser("build", parents=[common], help="dbt build (landing, models, data tests)")
    sub.add_parser("run", parents=[common, study], help="build, then run the studies and write the report")
    sub.add_parser("study", parents=[common, study], help="run the studies on an existing warehouse")
    sub.add_parser("analytics", parents=[common, study], help="run the studies' analytics: blocks (Gini, Moran, "
                   "coupling, ...) on an existing warehouse")
    from cipanel.spark_compare import add_arguments as spark_arguments

    spark_arguments(sub.add_parser("compare-spark", help="build on DuckDB and on Spark (the `spark` target, "
                                   "extra [spark]) and compare every index score and weight to 1e-12"))
    return parser


def main(argv: list[str] | None = None) -> int:
    from cipanel.build import BuildError, build_warehouse
    from cipanel.landing import LandingError
    from cipanel.study.spec import SpecError
    from cipanel.warehouse import WarehouseError, warehouse_path

    args = _parser().parse_args(argv)
    if args.command == "compare-spark":
        from cipanel.spark_compare import run_cli

        return run_cli(args)
    if args.command == "analytics":
        from cipanel.analytics.cli import run_cli as analytics_cli

        return analytics_cli(args)
    started = time.perf_counter()
    say = lambda message: print(message, flush=True)  # noqa: E731
    try:
        if args.command in ("build", "run"):
            say(f"building warehouse {warehouse_path(args.warehouse)} ...")
            build_warehouse(args.warehouse, args.input, progress=say)
            say(f"warehouse built in {time.perf_counter() - started:.1f} s")
        if args.command in ("run", "study"):
            from cipanel.pipeline import default_study_paths, run_studies

            specs = args.study or default_study_paths()
            run_studies(specs, warehouse=args.warehouse, out_dir=args.out, lang=args.lang, progress=say)
    except (BuildError, LandingError, SpecError, WarehouseError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    say(f"done in {time.perf_counter() - started:.1f} s; warehouse {warehouse_path(args.warehouse)}"
        + (f", outputs in {args.out}/" if args.command != "build" else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
