"""`cipanel`: start a project, build its warehouse, run its studies, write tables, figures and the report."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cipanel", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    init = sub.add_parser("init", help="create a project folder (cipanel.yml, data/, catalog/, studies/)")
    init.add_argument("folder", type=Path, help="the new project folder (created if missing)")
    init.add_argument(
        "--units",
        choices=["provinces", "custom"],
        default="provinces",
        help="provinces: cipanel's 31 provinces; custom: your own reference/units.csv",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--project",
        type=Path,
        help="project folder with cipanel.yml (default: $CIPANEL_PROJECT, "
        "else the working directory or a parent of it)",
    )
    common.add_argument("--warehouse", help="DuckDB file (default: $CIPANEL_WAREHOUSE, else the project's `warehouse`)")
    common.add_argument("--input", help="value files folder (default: the project's `data` folder)")
    study = argparse.ArgumentParser(add_help=False)
    study.add_argument(
        "--study",
        action="append",
        type=Path,
        help="study spec YAML (repeatable; default: every studies/*.yml of the project)",
    )
    study.add_argument("--out", type=Path, help="output folder (default: the project's `output`)")
    study.add_argument(
        "--lang", choices=["zh", "en"], help="table and report labels (default: the project's `language`)"
    )
    study.add_argument(
        "--decimals", type=int, help="decimals of coefficients (default 3; overrides the spec's output:)"
    )
    study.add_argument("--stars", help="star thresholds, e.g. 0.10,0.05,0.01 (the default)")
    study.add_argument("--stat", choices=["t", "se"], help="t statistics (default) or standard errors in parentheses")
    study.add_argument("--rows", help="bottom rows to show, e.g. controls,year_fe,unit_fe,N,r2,extra (all by default)")
    rebuild = argparse.ArgumentParser(add_help=False)
    rebuild.add_argument(
        "--rebuild",
        action="store_true",
        help="build even when the warehouse's recorded fingerprint says nothing it is made from has changed",
    )
    sub.add_parser(
        "build",
        parents=[common, rebuild],
        help="check the project, dbt build (landing, models, data "
        "tests), summary; skipped when nothing the warehouse is made from changed",
    )
    sub.add_parser(
        "run",
        parents=[common, study, rebuild],
        help="build (unless up to date), then run the project's studies and write the report; unchanged "
        "tables, figures and analytics are reused from OUT/.cipanel-cache (--rebuild: build and redo all)",
    )
    study_cmd = sub.add_parser(
        "study",
        parents=[common, study],
        help="run studies on the built warehouse (unchanged tables reused from OUT/.cipanel-cache)",
    )
    study_cmd.add_argument(
        "--rebuild", action="store_true", help="re-estimate every table and rewrite every output (ignore the cache)"
    )
    study_cmd.add_argument("names", nargs="*", help="study names (studies/NAME.yml of the project); default: all")
    sub.add_parser(
        "docs",
        parents=[common],
        help="dbt's documentation site of the built warehouse as one HTML file (lineage, every model and "
        "test; fct_panel's columns described by the project's catalogs)",
    )
    sub.add_parser(
        "analytics",
        parents=[common, study],
        help="run the studies' analytics: blocks (Gini, Moran, coupling, ...) on an existing warehouse",
    )
    from cipanel.spark_compare import add_arguments as spark_arguments

    spark_arguments(
        sub.add_parser(
            "compare-spark",
            help="build on DuckDB and on Spark (the `spark` target, "
            "extra [spark]) and compare every index score and weight to 1e-12",
        )
    )
    from cipanel.reg_cli import add_parser as reg_parser  # `cipanel reg FORMULA` (reg_cli.py)

    reg_parser(sub)
    return parser


def _study_paths(args, project) -> list[Path]:
    from cipanel.project import ProjectError

    if args.study:
        return list(args.study)
    paths = project.study_paths()
    names = getattr(args, "names", None) or []
    if names:
        by_name = {p.stem: p for p in paths}
        missing = [n for n in names if n not in by_name]
        if missing:
            raise ProjectError(
                f"no study {missing[0]!r} in {project.studies_dir} (there: {', '.join(sorted(by_name)) or 'none'})"
            )
        return [by_name[n] for n in names]
    if not paths:
        raise ProjectError(f"{project.studies_dir} holds no study (*.yml): `cipanel init` writes an example")
    return paths


def _build_unless_up_to_date(warehouse: Path, args, project, say, started: float) -> str:
    """The build, skipped when the warehouse was built from exactly what the build would read
    (cipanel.fingerprint), and limited to the nodes downstream of the landed sources that changed
    when only those did (cipanel.incremental); the fingerprint is recorded only after a build that
    succeeded."""
    from cipanel import fingerprint
    from cipanel.build import build_warehouse, plan_build
    from cipanel.incremental import Selection, plan_selection

    plan = plan_build(project, args.input)  # also checks the project
    current = fingerprint.build_fingerprint(plan)
    reusable, why = fingerprint.reuse_verdict(warehouse, current)
    if reusable and not args.rebuild:
        say(f"warehouse up to date (fingerprint {current.short}): build skipped; --rebuild forces it")
        return "skipped"
    selection = Selection(why_full="--rebuild") if args.rebuild else plan_selection(warehouse, current)
    if selection.incremental:
        say(
            f"project {project.root}: rebuilding in warehouse {warehouse} what the changed sources "
            f"({', '.join(f'raw.{s}' for s in selection.sources)}) feed, with its tests ({why}) ..."
        )
    else:
        say(f"project {project.root}: building warehouse {warehouse} ({'--rebuild' if args.rebuild else why}) ...")
    fingerprint.forget(warehouse)
    build_warehouse(warehouse, progress=say, plan=plan, changed_only=selection.selectors or None)
    fingerprint.record(warehouse, current)
    say(f"warehouse built in {time.perf_counter() - started:.1f} s (fingerprint {current.short})")
    return f"rebuilt downstream of {', '.join(selection.sources)}" if selection.incremental else "rebuilt"


def _unchanged_run(specs, lang, options, warehouse: Path, out: Path) -> dict | None:
    """The last run's record when nothing it read changed and its outputs and results rows are
    intact (cipanel.study_cache); decided from files and the warehouse catalogue, before pandas."""
    from cipanel.study_cache import StudyCache, run_key, warehouse_state

    return StudyCache(out).unchanged(run_key(specs, lang, options, warehouse_state(warehouse), out), warehouse)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if getattr(args, "handler", None):  # a subcommand with its own module (reg)
        return args.handler(args)
    # the error classes only (SpecError from study.errors: study.spec loads DuckDB and sqlglot)
    from cipanel.build import BuildError
    from cipanel.landing import LandingError
    from cipanel.project import ProjectError, find_project
    from cipanel.study.errors import SpecError
    from cipanel.warehouse import WarehouseError

    if args.command == "compare-spark":
        from cipanel.spark_compare import run_cli

        return run_cli(args)
    started = time.perf_counter()
    say = lambda message: print(message, flush=True)  # noqa: E731
    try:
        if args.command == "init":
            from cipanel.init_project import init_project

            folder = init_project(args.folder, args.units)
            say(
                f"project created in {folder}: put your values in {folder / 'data'}, describe them in "
                f"{folder / 'catalog'}, edit {folder / 'studies' / 'example.yml'}, then `cipanel run` there"
            )
            return 0
        try:
            project = find_project(args.project)
        except ProjectError:
            # `cipanel study --study my.yml --warehouse W` (a spec from a replication package, say)
            # needs no project folder: the spec names the relation, the flags the rest
            if not (args.command in ("study", "analytics") and args.study and args.warehouse):
                raise
            project = None
        if project is not None and os.environ.get("CIPANEL_INPUT_DIR") and not args.input:
            say(
                f"note: CIPANEL_INPUT_DIR is for plain `dbt build`; cipanel reads {project.data_dir} "
                "(give another folder with --input)"
            )
        warehouse = Path(args.warehouse or os.environ.get("CIPANEL_WAREHOUSE") or project.warehouse)
        out = args.out if getattr(args, "out", None) else (project.output_dir if project else Path("output"))
        lang = getattr(args, "lang", None) or (project.lang if project else "zh")
        if args.command in ("run", "study", "analytics"):
            specs = _study_paths(args, project)  # a missing study is found before the build
        if args.command == "analytics":
            from cipanel.analytics.cli import run_cli as analytics_cli

            return analytics_cli(specs, warehouse=warehouse, out=out, lang=lang)
        if args.command == "docs":
            from cipanel.docs_site import generate_docs

            generate_docs(project, warehouse, say)
            return 0
        built = None
        if args.command in ("build", "run"):
            built = _build_unless_up_to_date(warehouse, args, project, say, started)
        if args.command in ("run", "study"):
            options = {"decimals": args.decimals, "stars": args.stars, "stat": args.stat, "rows": args.rows}
            options = {k: v for k, v in options.items() if v is not None}
            record = None if args.rebuild else _unchanged_run(specs, lang, options, warehouse, out)
            if record is not None:
                say(
                    (f"build: {built}; " if built else "")
                    + f"studies unchanged: tables reused {record.get('tables', 0)}, re-estimated 0; "
                    f"{len(record['files'])} output files verified (size and sha256) and the results rows "
                    "in the warehouse unchanged: nothing rewritten (--rebuild redoes everything)"
                )
            else:
                from cipanel.pipeline import run_studies

                done = run_studies(
                    specs,
                    warehouse=warehouse,
                    out_dir=out,
                    lang=lang,
                    progress=say,
                    table_options=options,
                    rebuild=args.rebuild,
                )
                c = done["summary"]
                say(
                    (f"build: {built}; " if built else "")
                    + f"tables: reused {c['tables reused']}, re-estimated {c['tables estimated']}"
                )
    except (BuildError, LandingError, SpecError, WarehouseError, ProjectError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    say(
        f"done in {time.perf_counter() - started:.1f} s; warehouse {warehouse}"
        + (f", outputs in {out}" if args.command != "build" else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
