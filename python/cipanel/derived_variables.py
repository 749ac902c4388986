"""Derived panel variables declared as data: catalog/derived_variable_catalog.csv of a project, one
row per variable (variable_code, expression, domain, labels, unit, rationale), each an SQL
expression over the catalog's indicators (and earlier derived variables).

The expressions are checked here, before dbt starts, with the allow-list study filters use
(cipanel.study.expressions: one rule for what an expression may hold), plus what a derived
variable needs on top: references only to indicator codes, other derived variables, unit_code and
year; windows only in the form OVER (PARTITION BY unit_code [ORDER BY year]) (the model evaluates
them on a unit x year grid without gaps, so lag(x) is the value of year t - 1); no cycles; a numeric
result. What reaches dbt is SQL regenerated from the checked tree (DuckDB and Spark), never the
text as written; the model int_panel_derivations pastes it into one CTE per variable, in the order
computed here (a variable after the ones it uses)."""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable

import duckdb
import numpy as np
import pandas as pd
from sqlglot import exp

from cipanel.project import CATALOG_FILES, CODE_PATTERN
from cipanel.study.expressions import ALLOWED_FUNCTIONS, ExpressionError, _sandbox, validate_expression

# the file and its columns: cipanel.project.CATALOG_FILES["derived_variable_catalog"]
# fsum(a, b, ...): the compensated sum of its arguments (null if any is null), the sum the index
# models use (cipanel.stable_sum), so a weighted sum such as isu keeps the value it had when it was
# written in SQL; a plain a + 2 * b + 3 * c differs in the last bit for some rows.
DERIVED_FUNCTIONS = frozenset(ALLOWED_FUNCTIONS | {"fsum"})
FRAME_COLUMNS = {"unit_code": "VARCHAR", "year": "INTEGER"}
NUMERIC_TYPES = ("DOUBLE", "FLOAT", "INTEGER", "BIGINT", "SMALLINT", "TINYINT", "HUGEINT", "DECIMAL", "BOOLEAN")

# the catalog's columns (cipanel.project checks the header) and the table landed as
# raw.derived_variable_catalog, what the dbt macro reads
CATALOG_COLUMNS = CATALOG_FILES["derived_variable_catalog"][1]
COMPILED_COLUMNS = ["inputs", "uses_window", "expression_sql", "domain_sql", "expression_sql_spark", "domain_sql_spark"]
LANDED_COLUMNS = ["computing_order", *CATALOG_COLUMNS, *COMPILED_COLUMNS]

Problem = Callable[[int | None, str | None, str], None]


def _compile(tree: exp.Expression, dialect: str) -> str:
    """SQL of a checked tree for one engine; fsum(...) becomes a compensated sum (DuckDB) or the
    plain sum (Spark has none; cipanel.stable_sum does the same there)."""

    def rewrite(node: exp.Expression) -> exp.Expression:
        if not (isinstance(node, exp.Anonymous) and str(node.name).lower() == "fsum"):
            return node
        args = [a.copy() for a in node.expressions]
        if dialect == "spark":
            total = args[0]
            for arg in args[1:]:
                total = exp.Add(this=total, expression=arg)
            return exp.paren(total)
        any_null = exp.or_(*(exp.Is(this=a.copy(), expression=exp.Null()) for a in args))
        listed = exp.Anonymous(this="list_value", expressions=args)
        summed = exp.Anonymous(this="list_aggregate", expressions=[listed, exp.Literal.string("fsum")])
        return exp.Case(ifs=[exp.If(this=any_null, true=exp.Null())], default=summed)

    return tree.copy().transform(rewrite).sql(dialect=dialect, comments=False)


def _check_windows(tree: exp.Expression, code: str, text: str) -> None:
    for window in tree.find_all(exp.Window):
        partition = [p.sql() for p in window.args.get("partition_by") or []]
        order = window.args.get("order")
        ordered = order.expressions if order else []
        order_ok = not ordered or (
            len(ordered) == 1
            and isinstance(ordered[0].this, exp.Column)
            and ordered[0].this.name == "year"
            and not ordered[0].args.get("desc")
        )
        if partition != ["unit_code"] or not order_ok or window.args.get("spec"):
            raise ExpressionError(
                f"{code}: {text!r}: a window must be OVER (PARTITION BY unit_code) or OVER (PARTITION BY "
                f"unit_code ORDER BY year), without a frame clause, not {window.sql(dialect='duckdb')!r}: "
                "lag(x) then is x of year t - 1 of the same unit"
            )


@functools.cache
def _typing_sandbox() -> duckdb.DuckDBPyConnection:
    """One sandbox database for every type check of a process (a new one per expression cost 25-50
    ms); each check takes its own cursor, because the landing runs inside dbt's worker threads."""
    return _sandbox()


def _result_type(sql: str, inputs: list[str]) -> str:
    """DuckDB's type of the compiled expression over an empty panel of numeric inputs."""
    columns = [f'NULL::DOUBLE AS "{c.replace(chr(34), chr(34) * 2)}"' for c in inputs]
    empty = f"SELECT {', '.join([*columns, 'NULL::VARCHAR AS unit_code', 'NULL::INTEGER AS year'])} WHERE false"
    with _typing_sandbox().cursor() as cur:
        return cur.execute(f"describe select ({sql}) as value from ({empty}) as panel").fetchall()[0][1]


def _order(graph: dict[str, list[str]]) -> tuple[list[str], list[str]]:
    """A topological order of the derived variables (each after the ones it uses) and, if the
    uses loop, one cycle as a path."""
    order, state = [], {}

    def visit(node: str, path: list[str]) -> list[str]:
        state[node] = "open"
        for used in graph[node]:
            if state.get(used) == "open":
                return [*path[path.index(used) :], used] if used in path else [node, used]
            if used not in state:
                cycle = visit(used, [*path, used])
                if cycle:
                    return cycle
        state[node] = "done"
        order.append(node)
        return []

    for node in graph:
        if node not in state:
            cycle = visit(node, [node])
            if cycle:
                return order, cycle
    return order, []


def check_catalog(frame: pd.DataFrame, indicator_codes: set[str], taken: set[str], problem: Problem) -> pd.DataFrame:
    """Check the catalog's rows (strings, '' for empty) and return the table to land.

    `indicator_codes`: what an expression may refer to besides other derived variables, unit_code
    and year. `taken`: panel column names a derived variable may not reuse (indicators and index
    scores). `problem(line, column, text)` records one problem of the file."""
    codes = [c for c in frame["variable_code"] if c]
    derived = set(codes)
    known = indicator_codes | derived | set(FRAME_COLUMNS)
    rows, graph = {}, {}
    for i, r in frame.iterrows():
        line, code = int(i) + 2, r.variable_code
        if not code:
            problem(line, "variable_code", "empty; every row needs the name of its panel column")
            continue
        if not CODE_PATTERN.match(code):
            problem(line, "variable_code", f"{code!r} must be lower-case letters, digits and _, starting with a letter")
            continue
        if codes.count(code) > 1:
            lines = ", ".join(str(j + 2) for j, c in frame["variable_code"].items() if c == code)
            problem(line, "variable_code", f"{code} appears in rows {lines}: keep one row")
            continue
        if code in taken:
            problem(line, "variable_code", f"{code} is already a panel column (an indicator or index): rename it")
            continue
        checked = {}
        for column in ("expression", "domain"):
            text = r[column]
            if not text:
                if column == "expression":
                    problem(line, column, f"{code}: empty; write an expression over indicator codes")
                continue
            try:
                tree = validate_expression(text, None, code, DERIVED_FUNCTIONS)
                _check_windows(tree, code, text)
            except ExpressionError as exc:
                # the allow-list speaks of study filters; here the text is a variable's expression
                what = "a valid derived-variable expression" if column == "expression" else "a valid domain condition"
                problem(line, column, str(exc).replace("a valid SQL condition on the panel", what, 1))
                continue
            unknown = sorted({c.name for c in tree.find_all(exp.Column)} - known)
            for name in unknown:
                close = difflib.get_close_matches(name, sorted(known - set(FRAME_COLUMNS)), n=3)
                hint = f" (did you mean {', '.join(close)}?)" if close else ""
                problem(
                    line,
                    column,
                    f"{code}: {name!r} is not an indicator of catalog/indicator_catalog.csv or a derived "
                    f"variable of this file{hint}",
                )
            if not unknown:
                checked[column] = tree
        if "expression" not in checked or (r.domain and "domain" not in checked):
            continue
        trees = list(checked.values())
        inputs = list(
            dict.fromkeys(c.name for t in trees for c in t.find_all(exp.Column) if c.name not in FRAME_COLUMNS)
        )
        sql = {
            (column, dialect): _compile(tree, dialect)
            for column, tree in checked.items()
            for dialect in ("duckdb", "spark")
        }
        try:
            kind = _result_type(sql["expression", "duckdb"], inputs)
            domain_kind = _result_type(sql["domain", "duckdb"], inputs) if "domain" in checked else "BOOLEAN"
        except duckdb.Error as exc:
            problem(line, "expression", f"{code}: {str(exc).splitlines()[0]}")
            continue
        if not kind.startswith(NUMERIC_TYPES):
            problem(line, "expression", f"{code}: gives {kind} values, not numbers")
            continue
        if domain_kind != "BOOLEAN":
            problem(line, "domain", f"{code}: gives {domain_kind} values; write a condition such as 'x > 0'")
            continue
        graph[code] = [c for c in inputs if c in derived]
        rows[code] = {
            **{c: r[c] for c in CATALOG_COLUMNS},
            "inputs": ", ".join(inputs),
            "uses_window": any(t.find(exp.Window) is not None for t in trees),
            "expression_sql": sql["expression", "duckdb"],
            "domain_sql": sql.get(("domain", "duckdb"), ""),
            "expression_sql_spark": sql["expression", "spark"],
            "domain_sql_spark": sql.get(("domain", "spark"), ""),
        }
    graph = {code: [u for u in uses if u in graph] for code, uses in graph.items()}
    order, cycle = _order(graph)
    if cycle:
        first = frame.index[frame["variable_code"] == cycle[0]][0]
        problem(int(first) + 2, "expression", f"derived variables use each other in a cycle: {' -> '.join(cycle)}")
    table = pd.DataFrame([rows[c] for c in order], columns=LANDED_COLUMNS[1:])
    table.insert(0, "computing_order", pd.Series(np.arange(1, len(table) + 1), dtype="Int64"))
    text = [c for c in LANDED_COLUMNS if c not in ("computing_order", "uses_window")]
    table[text] = table[text].replace("", pd.NA).astype("string")
    table["uses_window"] = table["uses_window"].astype("boolean")
    return table[LANDED_COLUMNS]


def rows_over(frame: pd.DataFrame, indicator_codes: set[str]) -> pd.DataFrame:
    """The rows of a derived-variable catalog whose expressions use only `indicator_codes` (and
    derived variables kept): for copying a catalog next to another indicator catalog (tests,
    benchmarks). A row that does not parse is kept, so the project check reports it."""
    import sqlglot

    uses = {}
    for i, r in frame.fillna("").iterrows():
        try:
            trees = [sqlglot.parse_one(t, read="duckdb") for t in (r.expression, r.domain) if t]
        except sqlglot.errors.SqlglotError:
            continue
        uses[i] = {c.name for t in trees for c in t.find_all(exp.Column)} - set(FRAME_COLUMNS)
    kept = set(frame.index) - set(uses)
    changed = True
    while changed:
        available = indicator_codes | {frame.loc[i, "variable_code"] for i in kept}
        new = {i for i, used in uses.items() if i not in kept and used <= available}
        kept |= new
        changed = bool(new)
    return frame.loc[sorted(kept)]
