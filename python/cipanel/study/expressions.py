"""Expressions a study spec may hold (`where` filters today, derived variables and formulas later):
one SQL expression over the panel's columns, checked against an allow-list before anything runs.

A spec is data that travels with replication packages, so its text is never pasted into SQL.
sqlglot parses it into a syntax tree; every node must be of an allowed kind (columns, literals,
arithmetic, comparisons, boolean logic, CASE, CAST, window clauses) and every function must be on
ALLOWED_FUNCTIONS. Queries, statements, `;`, table functions (read_csv, query, ...), parameters and
qualified names are refused with a message naming the file and key. What runs is SQL regenerated
from the checked tree (so a text sqlglot and DuckDB would read differently cannot slip through),
in an in-memory DuckDB that holds only the panel frame and has external access disabled.
Conditions are matched back to the frame by a row key, never by position: DuckDB returns rows in
its own order once a window function is involved.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from itertools import accumulate

import duckdb
import numpy as np
import pandas as pd
import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError
from sqlglot.tokens import TokenType

from cipanel.study.errors import SpecError

DIALECT = "duckdb"
MAX_LENGTH = 10_000  # characters; a filter is a line or two
MAX_NESTING = 100  # parentheses / NOTs; deeper trees exhaust the parser's recursion

# Scalar, aggregate and window functions a condition or derived variable may call (lower case, as
# sqlglot names them). Aggregates are allowed only inside a window (OVER ...), so an expression
# always gives one value per panel row.
SCALAR_FUNCTIONS = {
    "abs",
    "ceil",
    "coalesce",
    "exp",
    "floor",
    "greatest",
    "if",
    "least",
    "length",
    "ln",
    "log",
    "lower",
    "nullif",
    "power",
    "round",
    "sign",
    "sqrt",
    "trim",
    "upper",
}
AGGREGATE_FUNCTIONS = {"avg", "count", "max", "median", "min", "stddev", "stddev_samp", "sum", "variance"}
WINDOW_FUNCTIONS = {
    "dense_rank",
    "first_value",
    "lag",
    "last_value",
    "lead",
    "ntile",
    "percent_rank",
    "rank",
    "row_number",
}
ALLOWED_FUNCTIONS = SCALAR_FUNCTIONS | AGGREGATE_FUNCTIONS | WINDOW_FUNCTIONS

# Syntax-tree nodes that are not function calls and are allowed anywhere in an expression.
_ALLOWED_NODES = (
    exp.Column,
    exp.Identifier,
    exp.Literal,
    exp.Boolean,
    exp.Null,
    exp.Paren,
    exp.Neg,
    exp.And,
    exp.Or,
    exp.Not,
    exp.Xor,
    exp.EQ,
    exp.NEQ,
    exp.GT,
    exp.GTE,
    exp.LT,
    exp.LTE,
    exp.NullSafeEQ,
    exp.NullSafeNEQ,
    exp.Is,
    exp.Between,
    exp.In,
    exp.Like,
    exp.ILike,
    exp.Add,
    exp.Sub,
    exp.Mul,
    exp.Div,
    exp.IntDiv,
    exp.Mod,
    exp.Case,
    exp.Cast,
    exp.TryCast,
    exp.DataType,
    exp.DataTypeParam,
    exp.Window,
    exp.WindowSpec,
    exp.Order,
    exp.Ordered,
    exp.Star,
)
# What to call a refused node in a message (the most common attacks and slips first).
_REFUSED = [
    ((exp.Query, exp.Subquery, exp.Exists, exp.Table, exp.From, exp.Join), "a query or subquery"),
    ((exp.Placeholder, exp.Parameter), "a query parameter"),
]


class ExpressionError(SpecError):
    """An expression outside the allow-list; the message starts with the file and key."""


def _fail(key: str, text: str, reason: str):
    shown = text if len(text) <= 200 else text[:200] + "..."
    reason = reason if len(reason) <= 500 else reason[:500] + "..."
    raise ExpressionError(f"{key}: {shown!r} is not a valid SQL condition on the panel: {reason}")


def _function_name(node: exp.Func) -> str:
    if isinstance(node, exp.Anonymous):
        return str(node.name).lower()
    return node.sql_name().lower()


def _check_node(node: exp.Expression, key: str, text: str, functions: frozenset[str] | set[str]) -> None:
    for kinds, what in _REFUSED:
        if isinstance(node, kinds):
            _fail(key, text, f"{what} is not allowed; write one expression over the panel's columns")
    if isinstance(node, _ALLOWED_NODES):  # before functions: sqlglot models AND, CAST, CASE as Func
        if isinstance(node, exp.Star) and not isinstance(node.parent, exp.Count):
            _fail(key, text, "* is allowed only in count(*)")
        if isinstance(node, exp.In) and any(node.args.get(k) for k in ("query", "unnest", "field")):
            _fail(key, text, "IN takes a list of values, not a query")
        if isinstance(node, exp.Column) and any(node.args.get(k) for k in ("table", "db", "catalog")):
            _fail(key, text, f"{node.sql(dialect=DIALECT)!r}: write the column name alone, without a table or schema")
        if isinstance(node, exp.Window) and node.args.get("alias"):
            _fail(key, text, "named windows are not allowed; write OVER (PARTITION BY ... ORDER BY ...)")
        return
    if isinstance(node, exp.Func):
        name = _function_name(node)
        if name not in functions:
            _fail(key, text, f"function {name}() is not allowed; allowed: {', '.join(sorted(functions))}")
        if name in AGGREGATE_FUNCTIONS | WINDOW_FUNCTIONS and not isinstance(node.parent, exp.Window):
            _fail(
                key,
                text,
                f"{name}() needs a window (OVER (PARTITION BY ...)): an expression gives one value per panel row",
            )
        return
    _fail(
        key,
        text,
        f"{node.key.upper()} ({node.sql(dialect=DIALECT)!r}) is not allowed; write one expression "
        "over the panel's columns with comparisons, arithmetic, AND/OR/NOT, CASE and allowed functions",
    )


def _check_columns(tree: exp.Expression, columns: Iterable[str], key: str, text: str) -> None:
    by_lower = {str(c).lower(): str(c) for c in columns}
    for column in tree.find_all(exp.Column):
        name = column.name
        if name.lower() not in by_lower:
            close = difflib.get_close_matches(name.lower(), list(by_lower), n=3)
            hint = f" (did you mean {', '.join(by_lower[c] for c in close)}?)" if close else ""
            _fail(key, text, f"{name!r} is not a column of the panel{hint}")


def validate_expression(
    text: str, columns: Iterable[str] | None, key: str, functions: frozenset[str] | set[str] = ALLOWED_FUNCTIONS
) -> exp.Expression:
    """Parse `text` as one SQL expression and check it against the allow-list.

    `columns`: the panel's column names (None checks the syntax only, e.g. when a spec is loaded
    before the warehouse is read). `key`: where the text comes from, e.g.
    "studies/a.yml: tables[3].columns[1].where"; every error message starts with it.
    `functions`: the allowed function names (the derived-variable catalog adds its own, see
    cipanel.derived_variables). Returns the checked syntax tree; `to_sql` turns it into the SQL
    that may run."""
    if not isinstance(text, str) or not text.strip():
        _fail(key, str(text), "expected a non-empty expression")
    if len(text) > MAX_LENGTH:
        _fail(key, text, f"longer than {MAX_LENGTH} characters")
    try:
        tokens = sqlglot.tokenize(text, read=DIALECT)
    except TokenError as exc:
        _fail(key, text, str(exc).splitlines()[0])
    if any(token.token_type == TokenType.SEMICOLON for token in tokens):
        _fail(key, text, "';' ends an SQL statement; a spec holds one expression, never statements")
    depth = max(
        accumulate(
            1 if t.token_type == TokenType.L_PAREN else -1 if t.token_type == TokenType.R_PAREN else 0 for t in tokens
        ),
        default=0,
    )
    if depth > MAX_NESTING or sum(t.token_type == TokenType.NOT for t in tokens) > MAX_NESTING:
        _fail(key, text, f"nested more than {MAX_NESTING} levels deep")
    try:
        tree = sqlglot.parse_one(text, read=DIALECT, into=exp.Condition)
        nodes = list(tree.walk())
    except ParseError as exc:
        detail = exc.errors[0].get("description") if exc.errors else str(exc)
        _fail(key, text, f"not a single expression ({detail})")
    except RecursionError:
        _fail(key, text, "nested too deeply")
    for node in nodes:
        _check_node(node, key, text, functions)
    if columns is not None:
        _check_columns(tree, columns, key, text)
    return tree


def to_sql(tree: exp.Expression) -> str:
    return tree.sql(dialect=DIALECT, comments=False)


def _sandbox() -> duckdb.DuckDBPyConnection:
    """An in-memory database that cannot read, write or attach files and cannot be reconfigured."""
    return duckdb.connect(
        config={
            "enable_external_access": False,
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
            "lock_configuration": True,
        }
    )


def _evaluate(frame: pd.DataFrame, tree: exp.Expression, key: str, text: str) -> tuple[np.ndarray, pd.Series, str]:
    """Run the checked expression on the columns it uses; return (row keys, values, DuckDB type)."""
    lower = [str(c).lower() for c in frame.columns]
    used = sorted({frame.columns[lower.index(col.name.lower())] for col in tree.find_all(exp.Column)})
    data = frame[used].reset_index(drop=True).assign(_cipanel_row=np.arange(len(frame)))
    con = _sandbox()
    try:
        con.register("panel", data)
        query = f"select _cipanel_row, ({to_sql(tree)}) as value from panel"
        kind = con.execute(f"describe {query}").fetchall()[1][1]
        result = con.execute(query).df()
    except duckdb.Error as exc:
        _fail(key, text, str(exc).splitlines()[0])
    finally:
        con.close()
    return result["_cipanel_row"].to_numpy(dtype=np.int64), result["value"], kind


def evaluate_condition(frame: pd.DataFrame, text: str, key: str) -> np.ndarray:
    """The rows of `frame` where the condition is true (NULL counts as false), as a boolean mask
    aligned with the frame by a row key."""
    tree = validate_expression(text, frame.columns, key)
    rows, values, kind = _evaluate(frame, tree, key, text)
    if kind != "BOOLEAN":
        _fail(key, text, f"gives {kind} values, not true/false; write a condition such as 'x > 0'")
    mask = np.zeros(len(frame), dtype=bool)
    mask[rows[values.fillna(False).to_numpy(dtype=bool)]] = True
    return mask


def evaluate_expression(frame: pd.DataFrame, text: str, key: str) -> pd.Series:
    """A derived variable: the expression's value on every row of `frame`, aligned by row key and
    returned with the frame's index (for formulas such as `de + power(de, 2)`)."""
    tree = validate_expression(text, frame.columns, key)
    rows, values, _ = _evaluate(frame, tree, key, text)
    out = np.empty(len(frame), dtype=object)
    out[rows] = values.to_numpy(dtype=object)
    return pd.Series(out, index=frame.index, name=text).infer_objects()
