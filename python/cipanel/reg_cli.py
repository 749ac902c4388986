"""`cipanel reg "res ~ dt + market | unit_code + year" --vcov cluster:unit_code`: one regression
on the warehouse's panel, printed as a Stata-like table. Registered in cli.py by `add_parser`."""

from __future__ import annotations

import argparse
import sys

HELP = "one regression from a formula on the warehouse panel (fixest syntax, Stata conventions)"
EPILOG = """formula: y ~ x1 + x2 | fe1 + fe2 (absorbed effects) | endog ~ instruments (IV);
operators l(x, 1), l(x, 1:2), f(x, 1), d(x); interactions x:z, x*z, i(region, x); I(x**2), x^2,
log(x). vcov: iid | hetero | cluster:COL | cluster:A+B | dk[:LAG]."""


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("reg", help=HELP, description=HELP, epilog=EPILOG)
    p.add_argument("formula", help='e.g. "res ~ dt + market | unit_code + year"')
    p.add_argument(
        "--vcov",
        default=None,
        help="iid, hetero (HC1), cluster:COL, cluster:A+B, dk (default: clustered by "
        "the first absorbed effect, classical without effects)",
    )
    p.add_argument("--warehouse", help="DuckDB file (default: $CIPANEL_WAREHOUSE or warehouse/cipanel.duckdb)")
    p.add_argument("--project", help="a project folder: its warehouse/cipanel.duckdb is used")
    p.add_argument("--relation", default="marts.fct_panel", help="table to read (default marts.fct_panel)")
    p.add_argument("--where", help='SQL condition on the panel\'s rows, e.g. "year >= 2016"')
    p.add_argument(
        "--all-units",
        action="store_true",
        help="keep the panel's units outside the index sample (in_sample false: no index score); "
        "default: the index sample, as a study",
    )
    p.add_argument(
        "--estimator",
        choices=["ols", "fd"],
        default="ols",
        help="fd: first differences of every variable (Stata reg D.(y x))",
    )
    p.add_argument("--keep-singletons", action="store_true", help="do not drop singleton groups (reghdfe drops them)")
    p.set_defaults(handler=run)
    return p


def run(args: argparse.Namespace) -> int:
    from cipanel import api
    from cipanel.formula import FormulaError
    from cipanel.project import ProjectError
    from cipanel.study.errors import SpecError
    from cipanel.study.expressions import evaluate_condition
    from cipanel.study.spec import RELATION
    from cipanel.warehouse import WarehouseError, read_table

    try:
        if not RELATION.match(args.relation):
            raise ValueError(f"--relation {args.relation!r} is not schema.table of the warehouse")
        path = api.resolve_warehouse(args.warehouse, args.project)
        frame = read_table(args.relation, path)
        if not args.all_units and "in_sample" in frame.columns and frame["in_sample"].dtype == bool:
            left_out = int((~frame["in_sample"]).sum())
            if left_out:  # said, never silent: the default is a study's default sample
                print(f"note: {left_out} rows of units outside the index sample left out; --all-units keeps them")
            frame = frame[frame["in_sample"]]
        if args.where:  # the same checked conditions as a study spec's `where`, never raw SQL
            frame = frame[evaluate_condition(frame, args.where, "--where")]
        model = api.feols(
            args.formula,
            frame,
            args.vcov,
            estimator=args.estimator,
            drop_singletons=not args.keep_singletons,
            panel=api.DEFAULT_KEYS if all(k in frame.columns for k in api.DEFAULT_KEYS) else None,
        )
    except (FormulaError, WarehouseError, ProjectError, SpecError, ValueError, TypeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(model.summary())
    return 0
